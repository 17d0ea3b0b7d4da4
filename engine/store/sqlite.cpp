#include "store/sqlite.h"

#include <sqlite3.h>

#include "core/cancel.h"
#include "core/error.h"

namespace kg::sql {

Database::Database(const std::string& path, Mode mode)
    : path_(path)
{
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    }
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(mode == Mode::ReadWriteCreate ? Errc::Io : Errc::NotFound,
                    "cannot open project '" + path + "': " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
}

Database::~Database()
{
    // All statements are RAII-finalised before the Database dies; close_v2 tolerates stragglers.
    sqlite3_close_v2(db_);
}

void Database::check(int rc, std::string_view context) const
{
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
        return;
    if (rc == SQLITE_INTERRUPT)
        throw Error(Errc::Cancelled, "operation cancelled");
    throw Error(Errc::Database, std::string(context) + ": " + sqlite3_errmsg(db_) + " (" +
                                    sqlite3_errstr(rc) + ")");
}

void Database::exec(const std::string& sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        if (rc == SQLITE_INTERRUPT)
            throw Error(Errc::Cancelled, "operation cancelled");
        throw Error(Errc::Database, "SQL failed: " + msg);
    }
}

Statement Database::prepare(std::string_view sql) { return Statement(*this, sql); }
int64_t Database::lastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Statement::Statement(Database& db, std::string_view sql)
    : db_(&db)
{
    db.check(sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr),
             "prepare '" + std::string(sql.substr(0, 60)) + "'");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_)
    , stmt_(other.stmt_)
{
    other.stmt_ = nullptr;
}

Statement& Statement::bind(int index, int64_t value)
{
    db_->check(sqlite3_bind_int64(stmt_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    db_->check(sqlite3_bind_double(stmt_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    // A default-constructed string_view has data() == nullptr, which SQLite would bind as NULL.
    const char* data = text.data() ? text.data() : "";
    db_->check(sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8),
               "bind");
    return *this;
}

Statement& Statement::bindNull(int index)
{
    db_->check(sqlite3_bind_null(stmt_, index), "bind");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
    sqlite3_reset(stmt_);
    db_->check(rc, "step '" + sql.substr(0, 60) + "'");
    return false;
}

void Statement::run()
{
    step();
    reset();
}

void Statement::reset() { sqlite3_reset(stmt_); }

namespace {
int interruptIfCancelled(void* token)
{
    return static_cast<const CancelToken*>(token)->cancelled() ? 1 : 0;
}
} // namespace

void Database::setCancelToken(const CancelToken* token)
{
    if (token)
        sqlite3_progress_handler(db_, 20000, interruptIfCancelled, const_cast<CancelToken*>(token));
    else
        sqlite3_progress_handler(db_, 0, nullptr, nullptr);
}

int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::real(int col) const { return sqlite3_column_double(stmt_, col); }
bool Statement::isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::string_view Statement::textView(int col) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
}

std::string Statement::text(int col) const { return std::string(textView(col)); }

Statement& Statement::bindBlob(int index, std::string_view bytes)
{
    db_->check(sqlite3_bind_blob64(stmt_, index, bytes.data() ? bytes.data() : "", bytes.size(), SQLITE_TRANSIENT),
               "bind");
    return *this;
}

std::string Statement::blob(int col) const
{
    const void* p = sqlite3_column_blob(stmt_, col);
    const int n = sqlite3_column_bytes(stmt_, col);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

Transaction::Transaction(Database& db)
    : db_(db)
{
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (open_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
            // A failed rollback leaves SQLite to roll back from the WAL on next open.
        }
    }
}

void Transaction::commit()
{
    db_.exec("COMMIT");
    open_ = false;
}

} // namespace kg::sql
