#include "store/project.h"
#include "store/fts.h"
#include "store/run_store.h"

#include <algorithm>
#include <sys/stat.h>

#include "core/error.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace kg {

const char* splitName(Split s)
{
    switch (s) {
    case Split::Train: return "train";
    case Split::Valid: return "valid";
    case Split::Test: return "test";
    }
    return "train";
}

std::optional<Split> parseSplit(std::string_view name)
{
    if (name == "train")
        return Split::Train;
    if (name == "valid" || name == "validation" || name == "dev")
        return Split::Valid;
    if (name == "test")
        return Split::Test;
    return std::nullopt;
}

namespace {

EntityRecord readNamed(sql::Statement& st)
{
    return EntityRecord{st.int64(0), st.text(1), st.text(2), st.text(3)};
}

TripleRecord readTriple(sql::Statement& st)
{
    return TripleRecord{st.int64(0), st.int64(1), st.int64(2), st.int64(3),
                        static_cast<Split>(st.int64(4))};
}

// One row of `table` (entities or relations) where `column` equals `value`.
template <typename Value>
std::optional<EntityRecord> lookupNamed(sql::Database& db, const char* table, const char* column,
                                        const Value& value)
{
    auto st = db.prepare(std::string("SELECT id, key, label, description FROM ") + table + " WHERE " +
                         column + " = ?");
    st.bind(1, value);
    if (!st.step())
        return std::nullopt;
    return readNamed(st);
}

constexpr const char* kTripleCols = "SELECT id, head, rel, tail, split FROM triples ";

} // namespace

std::string ftsQuery(const std::string& text)
{
    std::string out, word;
    auto flush = [&] {
        if (word.empty())
            return;
        std::string quoted;
        for (char c : word)
            quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
        if (!out.empty())
            out += ' ';
        out += '"' + quoted + "\"*";
        word.clear();
    };
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n')
            flush();
        else
            word += c;
    }
    flush();
    return out;
}


std::unique_ptr<Project> Project::open(const std::string& path, OpenMode mode)
{
    struct stat sb {};
    if (mode != OpenMode::CreateIfMissing && ::stat(path.c_str(), &sb) != 0)
        throw Error(Errc::NotFound, "project file '" + path + "' does not exist");
    const auto dbMode = mode == OpenMode::ReadOnly        ? sql::Database::Mode::ReadOnly
                        : mode == OpenMode::MustExist     ? sql::Database::Mode::ReadWrite
                                                          : sql::Database::Mode::ReadWriteCreate;
    auto db = std::make_unique<sql::Database>(path, dbMode);
    if (mode != OpenMode::ReadOnly) {
        // WAL + NORMAL: a crash (even kill -9) never corrupts the file or splits a transaction.
        db->exec("PRAGMA journal_mode = WAL");
        db->exec("PRAGMA synchronous = NORMAL");
        schema::migrate(*db);
    } else if (schema::version(*db) != schema::kCurrentVersion) {
        throw Error(Errc::Schema, "project '" + path + "' needs a migration; open it read-write");
    }
    db->exec("PRAGMA foreign_keys = ON");
    std::unique_ptr<Project> project(new Project(path, std::move(db)));
    if (mode != OpenMode::ReadOnly)
        RunStore(*project).markInterrupted(); // runs whose process died (kill -9, crash)
    return project;
}

Project::Project(std::string path, std::unique_ptr<sql::Database> db)
    : path_(std::move(path))
    , db_(std::move(db))
{
}

Project::~Project() = default;

void Project::withDatabase(const std::function<void(sql::Database&)>& fn)
{
    std::lock_guard lock(mutex_);
    fn(*db_);
}

ProjectStats Project::stats()
{
    std::lock_guard lock(mutex_);
    ProjectStats s;
    // One pass over each table (a 20M-triple project: 2.7 s, against 4.9-5.6 s for a pass per count).
    auto st = db_->prepare(R"SQL(SELECT e.n, (SELECT count(*) FROM relations), t.train, t.valid, t.test,
               e.labelled, e.described
        FROM (SELECT count(*) FILTER (WHERE split = 1) AS train, count(*) FILTER (WHERE split = 2) AS valid,
                     count(*) FILTER (WHERE split = 3) AS test FROM triples) t,
             (SELECT count(*) AS n, count(*) FILTER (WHERE label <> '') AS labelled,
                     count(*) FILTER (WHERE description <> '') AS described FROM entities) e)SQL");
    st.step();
    s.entities = st.int64(0);
    s.relations = st.int64(1);
    s.train = st.int64(2);
    s.valid = st.int64(3);
    s.test = st.int64(4);
    s.triples = s.train + s.valid + s.test;
    s.labelledEntities = st.int64(5);
    s.describedEntities = st.int64(6);
    return s;
}

void Project::scanGraph(const std::function<void(int64_t)>& entity, const std::function<void(int64_t)>& relation,
                        const std::function<void(const TripleRecord&)>& triple)
{
    std::lock_guard lock(mutex_);
    if (entity) {
        auto st = db_->prepare("SELECT id FROM entities ORDER BY id");
        while (st.step())
            entity(st.int64(0));
    }
    if (relation) {
        auto st = db_->prepare("SELECT id FROM relations ORDER BY id");
        while (st.step())
            relation(st.int64(0));
    }
    if (triple) {
        auto st = db_->prepare("SELECT id, head, rel, tail, split FROM triples ORDER BY id");
        while (st.step())
            triple({st.int64(0), st.int64(1), st.int64(2), st.int64(3), static_cast<Split>(st.int64(4))});
    }
}

int64_t Project::lastTripleId()
{
    std::lock_guard lock(mutex_);
    auto st = db_->prepare("SELECT coalesce(max(id), 0) FROM triples");
    st.step();
    return st.int64(0);
}

std::optional<EntityRecord> Project::entity(int64_t id)
{
    std::lock_guard lock(mutex_);
    return lookupNamed(*db_, "entities", "id", id);
}

std::optional<EntityRecord> Project::entityByKey(const std::string& key)
{
    std::lock_guard lock(mutex_);
    return lookupNamed(*db_, "entities", "key", key);
}

std::optional<RelationRecord> Project::relation(int64_t id)
{
    std::lock_guard lock(mutex_);
    return lookupNamed(*db_, "relations", "id", id);
}

std::optional<RelationRecord> Project::relationByKey(const std::string& key)
{
    std::lock_guard lock(mutex_);
    return lookupNamed(*db_, "relations", "key", key);
}

std::vector<RelationRecord> Project::relations()
{
    std::lock_guard lock(mutex_);
    std::vector<RelationRecord> out;
    auto st = db_->prepare("SELECT id, key, label, description FROM relations ORDER BY id");
    while (st.step())
        out.push_back(readNamed(st));
    return out;
}

std::vector<EntityRecord> Project::searchEntities(const std::string& text, int limit)
{
    std::lock_guard lock(mutex_);
    std::vector<EntityRecord> out;
    if (limit <= 0)
        return out;
    auto exact = db_->prepare("SELECT id, key, label, description FROM entities WHERE key = ?");
    exact.bind(1, text);
    if (exact.step())
        out.push_back(readNamed(exact));
    const std::string q = ftsQuery(text);
    if (q.empty())
        return out;
    // One pass over the index: the first kSearchWindow matches in id order (FTS5's order) with
    // their bm25, ranked here; then only the rows kept are read.
    auto window = db_->prepare("SELECT rowid, bm25(entity_fts, 10.0, 1.0, 5.0) FROM entity_fts WHERE entity_fts MATCH ? LIMIT ?");
    window.bind(1, q).bind(2, static_cast<int64_t>(kSearchWindow));
    std::vector<std::pair<double, int64_t>> ranked; // (score, id): lower bm25 is better
    while (window.step())
        ranked.emplace_back(window.real(1), window.int64(0));
    const size_t keep = std::min(ranked.size(), static_cast<size_t>(limit) + 1);
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end());
    auto row = db_->prepare("SELECT id, key, label, description FROM entities WHERE id = ?");
    for (size_t i = 0; i < keep && static_cast<int>(out.size()) < limit; ++i) {
        if (!out.empty() && out.front().id == ranked[i].second)
            continue; // the exact key match, already first
        row.reset();
        row.bind(1, ranked[i].second);
        if (row.step())
            out.push_back(readNamed(row));
    }
    return out;
}

std::vector<TripleRecord> Project::triples(int64_t offset, int64_t limit)
{
    std::lock_guard lock(mutex_);
    std::vector<TripleRecord> out;
    auto st = db_->prepare(std::string(kTripleCols) + "ORDER BY id LIMIT ? OFFSET ?");
    st.bind(1, limit).bind(2, offset);
    while (st.step())
        out.push_back(readTriple(st));
    return out;
}

std::vector<TripleRecord> Project::triplesAfter(int64_t afterId, int64_t limit)
{
    std::lock_guard lock(mutex_);
    std::vector<TripleRecord> out;
    auto st = db_->prepare(std::string(kTripleCols) + "WHERE id > ? ORDER BY id LIMIT ?");
    st.bind(1, afterId).bind(2, limit);
    while (st.step())
        out.push_back(readTriple(st));
    return out;
}

std::vector<Project::RelationCount> Project::relationCounts(int64_t entity)
{
    std::lock_guard lock(mutex_);
    std::vector<RelationCount> out;
    auto st = db_->prepare(R"SQL(SELECT rel, sum(dir = 0), sum(dir = 1) FROM (
            SELECT rel, 0 AS dir FROM triples WHERE head = ?1
            UNION ALL SELECT rel, 1 AS dir FROM triples WHERE tail = ?1)
        GROUP BY rel ORDER BY count(*) DESC)SQL");
    st.bind(1, entity);
    while (st.step())
        out.push_back(RelationCount{st.int64(0), st.int64(1), st.int64(2)});
    return out;
}

std::vector<TripleRecord> Project::triplesAround(int64_t entity, int limit, int64_t offset)
{
    std::lock_guard lock(mutex_);
    std::vector<TripleRecord> out;
    // Id order, so that paging stays right while triples are added: a new one comes last.
    auto st = db_->prepare("SELECT * FROM (" + std::string(kTripleCols) + "WHERE head = ?1 UNION ALL " +
                           kTripleCols + "WHERE tail = ?1 AND head <> ?1) ORDER BY id LIMIT ?2 OFFSET ?3");
    st.bind(1, entity).bind(2, static_cast<int64_t>(limit)).bind(3, offset);
    while (st.step())
        out.push_back(readTriple(st));
    return out;
}

int64_t Project::degree(int64_t entity)
{
    std::lock_guard lock(mutex_);
    auto st = db_->prepare("SELECT (SELECT count(*) FROM triples WHERE head = ?1) + "
                           "(SELECT count(*) FROM triples WHERE tail = ?1 AND head <> ?1)");
    st.bind(1, entity);
    st.step();
    return st.int64(0);
}

std::optional<TripleRecord> Project::triple(int64_t id)
{
    std::lock_guard lock(mutex_);
    auto st = db_->prepare(std::string(kTripleCols) + "WHERE id = ?");
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    return readTriple(st);
}

int64_t Project::tripleCount()
{
    std::lock_guard lock(mutex_);
    auto st = db_->prepare("SELECT count(*) FROM triples");
    st.step();
    return st.int64(0);
}

} // namespace kg
