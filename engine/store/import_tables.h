// The writes of one import (import/importer.h), inside the caller's transaction: the SQL and
// schema names of importing live here; parsing, key lookup and bookkeeping stay in the
// importer. Not thread-safe: used by one thread at a time, under the project's connection lock.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"
#include "store/sqlite.h"

namespace kg {

class ImportTables {
public:
    static constexpr size_t kBatch = 128; // triples per multi-row INSERT

    // bulk: the caller dropped the unique indexes (dropBulkIndexes), so every triple row
    // given is new; otherwise rows already present are skipped.
    ImportTables(sql::Database& db, bool bulk);

    // New keys under ids the importer chose (from next*Id() on, as SQLite would choose them).
    void addEntity(int64_t id, std::string_view key, std::string_view label);
    void addRelation(int64_t id, std::string_view key, std::string_view label);
    // rows: head, rel, tail for each of n triples (n = 1 or kBatch). Returns how many were new.
    uint64_t addTriples(const int64_t* rows, size_t n, Split split);
    // Label and description (an empty description keeps the one there).
    void setEntityNames(int64_t id, std::string_view label, std::string_view description);
    void setRelationNames(int64_t id, std::string_view label, std::string_view description);
    void setEntityLabel(int64_t id, std::string_view label);
    void setEntityDescription(int64_t id, std::string_view description);

    void forEachEntityKey(const std::function<void(std::string_view, int64_t)>& fn);
    void forEachRelationKey(const std::function<void(std::string_view, int64_t)>& fn);
    void forEachTriple(const std::function<void(int64_t, int64_t, int64_t)>& fn);
    // Deletes triples by id (a bulk import's repeats, found after the rows went in).
    void deleteTriples(const std::vector<int64_t>& ids);

    // Connection settings for the length of an import (foreign keys off: the importer creates
    // every id it uses; a large page cache), and back (never throws).
    static void beginSession(sql::Database& db);
    static void endSession(sql::Database& db) noexcept;
    // Outside a transaction: switches the connection to a rollback journal with full syncs,
    // if no other connection has the file open; returns whether it did. endSession() goes
    // back to WAL and synchronous = NORMAL.
    static bool useRollbackJournal(sql::Database& db);
    static int64_t lastTripleId(sql::Database& db);
    static int64_t nextEntityId(sql::Database& db);   // max(id) + 1
    static int64_t nextRelationId(sql::Database& db); // max(id) + 1
    // Drops the unique indexes and the full-text triggers for a bulk import (transactional
    // DDL: a rollback or crash brings them back) and rebuilds them by sorting: first the
    // indexes, then the full-text index and its triggers.
    static void dropBulkIndexes(sql::Database& db);
    static void rebuildBulkIndexes(sql::Database& db, unsigned threads);
    static void rebuildEntitySearch(sql::Database& db);
    static void logImport(sql::Database& db, const std::string& filesJson, const std::string& reportJson);

private:
    sql::Database& db_;
    sql::Statement insEntity_, insRelation_, insTriple_, insTripleBatch_, setEntity_, setRelation_, setEntityLabel_,
        setEntityDescription_;
};

} // namespace kg
