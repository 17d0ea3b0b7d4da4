#include "store/import_tables.h"

#include "core/error.h"
#include "store/schema.h"

namespace kg {

namespace {

std::string tripleInsertSql(bool bulk, size_t rows)
{
    std::string sql = bulk ? "INSERT INTO triples(head, rel, tail, split) VALUES "
                           : "INSERT OR IGNORE INTO triples(head, rel, tail, split) VALUES ";
    for (size_t i = 0; i < rows; ++i)
        sql += i ? ",(?,?,?,?)" : "(?,?,?,?)";
    return sql;
}

// The single integer a query returns.
int64_t queryInt(sql::Database& db, const char* sql)
{
    auto st = db.prepare(sql);
    st.step();
    return st.int64(0);
}

void forEachKey(sql::Database& db, const char* sql, const std::function<void(std::string_view, int64_t)>& fn)
{
    auto st = db.prepare(sql);
    while (st.step())
        fn(st.textView(0), st.int64(1));
}

} // namespace

ImportTables::ImportTables(sql::Database& db, bool bulk)
    : db_(db)
    , insEntity_(db.prepare("INSERT INTO entities(id, key, label) VALUES (?, ?, ?)"))
    , insRelation_(db.prepare("INSERT INTO relations(id, key, label) VALUES (?, ?, ?)"))
    , insTriple_(db.prepare(tripleInsertSql(bulk, 1)))
    , insTripleBatch_(db.prepare(tripleInsertSql(bulk, kBatch)))
    , setEntity_(db.prepare("UPDATE entities SET label = ?1, description = CASE WHEN ?2 = '' THEN description "
                            "ELSE ?2 END WHERE id = ?3"))
    , setRelation_(db.prepare("UPDATE relations SET label = ?1, description = CASE WHEN ?2 = '' THEN description "
                              "ELSE ?2 END WHERE id = ?3"))
    , setEntityLabel_(db.prepare("UPDATE entities SET label = ? WHERE id = ?"))
    , setEntityDescription_(db.prepare("UPDATE entities SET description = ? WHERE id = ?"))
{
}

void ImportTables::addEntity(int64_t id, std::string_view key, std::string_view label)
{
    insEntity_.bind(1, id).bind(2, key).bind(3, label);
    insEntity_.run();
}

void ImportTables::addRelation(int64_t id, std::string_view key, std::string_view label)
{
    insRelation_.bind(1, id).bind(2, key).bind(3, label);
    insRelation_.run();
}

uint64_t ImportTables::addTriples(const int64_t* rows, size_t n, Split split)
{
    sql::Statement& st = n == kBatch ? insTripleBatch_ : insTriple_;
    const auto s = static_cast<int64_t>(split);
    for (size_t i = 0; i < n; ++i) {
        const int p = static_cast<int>(4 * i);
        st.bind(p + 1, rows[3 * i]).bind(p + 2, rows[3 * i + 1]).bind(p + 3, rows[3 * i + 2]).bind(p + 4, s);
    }
    st.run();
    return static_cast<uint64_t>(db_.changes());
}

void ImportTables::setEntityNames(int64_t id, std::string_view label, std::string_view description)
{
    setEntity_.bind(1, label).bind(2, description).bind(3, id);
    setEntity_.run();
}

void ImportTables::setRelationNames(int64_t id, std::string_view label, std::string_view description)
{
    setRelation_.bind(1, label).bind(2, description).bind(3, id);
    setRelation_.run();
}

void ImportTables::setEntityLabel(int64_t id, std::string_view label)
{
    setEntityLabel_.bind(1, label).bind(2, id);
    setEntityLabel_.run();
}

void ImportTables::setEntityDescription(int64_t id, std::string_view description)
{
    setEntityDescription_.bind(1, description).bind(2, id);
    setEntityDescription_.run();
}

void ImportTables::forEachEntityKey(const std::function<void(std::string_view, int64_t)>& fn)
{
    forEachKey(db_, "SELECT key, id FROM entities", fn);
}

void ImportTables::forEachRelationKey(const std::function<void(std::string_view, int64_t)>& fn)
{
    forEachKey(db_, "SELECT key, id FROM relations", fn);
}

void ImportTables::forEachTriple(const std::function<void(int64_t, int64_t, int64_t)>& fn)
{
    auto st = db_.prepare("SELECT head, rel, tail FROM triples");
    while (st.step())
        fn(st.int64(0), st.int64(1), st.int64(2));
}

void ImportTables::deleteTriples(const std::vector<int64_t>& ids)
{
    auto st = db_.prepare("DELETE FROM triples WHERE id = ?");
    for (const int64_t id : ids) {
        st.bind(1, id);
        st.run();
    }
}

void ImportTables::beginSession(sql::Database& db)
{
    db.exec("PRAGMA foreign_keys = OFF");
    db.exec("PRAGMA cache_size = -262144"); // 256 MiB page cache for the bulk insert
}

bool ImportTables::useRollbackJournal(sql::Database& db)
{
    try {
        auto st = db.prepare("PRAGMA journal_mode = DELETE");
        if (!st.step() || st.textView(0) != "delete")
            return false; // another connection holds the WAL
    } catch (const Error&) { // busy: another connection
        return false;
    }
    db.exec("PRAGMA synchronous = FULL");
    return true;
}

void ImportTables::endSession(sql::Database& db) noexcept
{
    try { // a no-op in WAL mode; after useRollbackJournal() no other connection is open
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");
    } catch (...) { // the next read-write open sets WAL again
    }
    try {
        db.exec("PRAGMA threads = 0");
        db.exec("PRAGMA foreign_keys = ON");
        db.exec("PRAGMA cache_size = -16384");
    } catch (...) {
    }
}

int64_t ImportTables::nextEntityId(sql::Database& db)
{
    return queryInt(db, "SELECT coalesce(max(id), 0) + 1 FROM entities");
}

int64_t ImportTables::nextRelationId(sql::Database& db)
{
    return queryInt(db, "SELECT coalesce(max(id), 0) + 1 FROM relations");
}

int64_t ImportTables::lastTripleId(sql::Database& db) { return queryInt(db, "SELECT coalesce(max(id), 0) FROM triples"); }

void ImportTables::dropBulkIndexes(sql::Database& db)
{
    db.exec("DROP INDEX entities_key; DROP INDEX triples_hrt; DROP INDEX triples_tail;"
            "DROP TRIGGER entities_ai; DROP TRIGGER entities_ad; DROP TRIGGER entities_au;");
}

void ImportTables::rebuildBulkIndexes(sql::Database& db, unsigned threads)
{
    // SQLite sorts in runs of cache_size and merges them, with worker threads. Small runs
    // measured fastest (fb15k-237's indexes: 1.15 s with 8 MiB, 0.53 s with 1 MB; 5M generated
    // triples: 10.8 s and 8.3 s; 2 cores).
    db.exec("PRAGMA threads = " + std::to_string(threads));
    db.exec("PRAGMA cache_size = -1000");
    db.exec(schema::kBulkIndexes);
}

void ImportTables::rebuildEntitySearch(sql::Database& db)
{
    db.exec("INSERT INTO entity_fts(entity_fts) VALUES ('rebuild')");
    db.exec(schema::kEntityFtsTriggers);
}

void ImportTables::logImport(sql::Database& db, const std::string& filesJson, const std::string& reportJson)
{
    auto log = db.prepare("INSERT INTO import_log(files, report) VALUES (?, ?)");
    log.bind(1, filesJson).bind(2, reportJson);
    log.run();
}

} // namespace kg
