// Thin RAII wrappers over the SQLite C API. A Database is one connection: it is not
// thread-safe, so exactly one owner (kg::Project) uses it, under that owner's lock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace kg {
class CancelToken;
}

namespace kg::sql {

class Statement;

class Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };
    Database(const std::string& path, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);
    Statement prepare(std::string_view sql);
    int64_t lastInsertRowid() const;
    int changes() const;
    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_; }
    // While set, long statements are interrupted when the token is cancelled; they then throw
    // Error(Errc::Cancelled). Pass nullptr to clear.
    void setCancelToken(const CancelToken* token);
    // Throws Error(Errc::Database) with SQLite's message if rc is not OK/ROW/DONE.
    void check(int rc, std::string_view context) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bindNull(int index);
    Statement& bindBlob(int index, std::string_view bytes);
    // Returns true while a row is available, false when done. Throws on error.
    bool step();
    // Steps once, expecting no row (INSERT/UPDATE/DELETE), then resets.
    void run();
    void reset(); // keeps bindings; rebind before the next step

    int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::string_view textView(int col) const; // valid until the next step/reset
    bool isNull(int col) const;
    std::string blob(int col) const; // BLOB (or TEXT) bytes

private:
    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool open_ = true;
};

} // namespace kg::sql
