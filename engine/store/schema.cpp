#include "store/schema.h"

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/sqlite.h"

namespace kg::schema {

const char* const kEntityFtsTriggers = R"SQL(
CREATE TRIGGER entities_ai AFTER INSERT ON entities BEGIN
  INSERT INTO entity_fts(rowid, label, description, key)
  VALUES (new.id, new.label, new.description, new.key);
END;
CREATE TRIGGER entities_ad AFTER DELETE ON entities BEGIN
  INSERT INTO entity_fts(entity_fts, rowid, label, description, key)
  VALUES ('delete', old.id, old.label, old.description, old.key);
END;
CREATE TRIGGER entities_au AFTER UPDATE ON entities BEGIN
  INSERT INTO entity_fts(entity_fts, rowid, label, description, key)
  VALUES ('delete', old.id, old.label, old.description, old.key);
  INSERT INTO entity_fts(rowid, label, description, key)
  VALUES (new.id, new.label, new.description, new.key);
END;
)SQL";

const char* const kBulkIndexes = R"SQL(
CREATE UNIQUE INDEX entities_key ON entities(key);
CREATE UNIQUE INDEX triples_hrt ON triples(head, rel, tail);
CREATE INDEX triples_tail ON triples(tail, rel);
)SQL";

namespace {

// Version 0 -> 1: the core tables. Each later change gets its own function appended to
// kMigrations; never edit a released migration.
void createV1(sql::Database& db)
{
    db.exec(R"SQL(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE splits (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO splits(id, name) VALUES (1, 'train'), (2, 'valid'), (3, 'test');
CREATE TABLE triples (
    id INTEGER PRIMARY KEY,
    head INTEGER NOT NULL REFERENCES entities(id),
    rel INTEGER NOT NULL REFERENCES relations(id),
    tail INTEGER NOT NULL REFERENCES entities(id),
    split INTEGER NOT NULL DEFAULT 1 REFERENCES splits(id)
);

CREATE VIRTUAL TABLE entity_fts USING fts5(
    label, description, key, content='entities', content_rowid='id',
    tokenize = 'unicode61 remove_diacritics 2');

-- Persistent edit history. Each user action is one group of ops; 'applied' = 1 for done,
-- 0 for undone (redo-able). New edits delete the undone tail first.
CREATE TABLE edit_log (
    seq INTEGER PRIMARY KEY,
    grp INTEGER NOT NULL,
    op TEXT NOT NULL,
    payload TEXT NOT NULL,
    applied INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX edit_log_grp ON edit_log(grp);

CREATE TABLE import_log (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL DEFAULT (datetime('now')),
    files TEXT NOT NULL,
    report TEXT NOT NULL
);
)SQL");
    // Named indexes (not table constraints) so that bulk imports can drop and rebuild them.
    // Outgoing edges use triples_hrt, incoming ones triples_tail.
    db.exec(kBulkIndexes);
    db.exec(kEntityFtsTriggers);
}

// Version 1 -> 2: training run history (configs, metric curves, final metrics).
void addRunsV2(sql::Database& db)
{
    db.exec(R"SQL(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL DEFAULT (datetime('now')),
    finished TEXT,
    kind TEXT NOT NULL,               -- e.g. 'kge'
    status TEXT NOT NULL,             -- running | finished | cancelled | failed | stopped_early
    config TEXT NOT NULL,             -- JSON
    final_metrics TEXT NOT NULL DEFAULT '{}', -- JSON
    checkpoint TEXT NOT NULL DEFAULT ''
);
CREATE TABLE run_metrics (
    run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    name TEXT NOT NULL,               -- loss, valid_mrr, valid_hits@10, ...
    value REAL NOT NULL
);
CREATE INDEX run_metrics_run ON run_metrics(run, name, step);
)SQL");
}

// Version 2 -> 3: cached graph layouts (positions keyed by algorithm + node/edge set).
void addLayoutsV3(sql::Database& db)
{
    db.exec(R"SQL(
CREATE TABLE layouts (
    key TEXT PRIMARY KEY,             -- see layout/layout_cache.h
    algorithm TEXT NOT NULL,
    nodes INTEGER NOT NULL,
    data BLOB NOT NULL,
    used TEXT NOT NULL DEFAULT (datetime('now'))
);
)SQL");
}

// Version 3 -> 4: named artifacts (mined rules, tokenizer models, transformer weights).
void addArtifactsV4(sql::Database& db)
{
    db.exec(R"SQL(
CREATE TABLE artifacts (
    name TEXT PRIMARY KEY,            -- e.g. 'rules', 'tokenizer'
    kind TEXT NOT NULL,
    data BLOB NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',  -- JSON
    created TEXT NOT NULL DEFAULT (datetime('now'))
);
)SQL");
}

// Version 4 -> 5: question-answer pairs for training and evaluating question answering.
void addQaPairsV5(sql::Database& db)
{
    db.exec(R"SQL(
CREATE TABLE qa_pairs (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    topic INTEGER REFERENCES entities(id),     -- NULL: linked from the question text
    answers TEXT NOT NULL,                      -- JSON array of entity ids, primary first
    path TEXT NOT NULL DEFAULT '[]',            -- JSON array of relation ids; -id = inverse
    split INTEGER NOT NULL DEFAULT 1 REFERENCES splits(id),
    synthetic INTEGER NOT NULL DEFAULT 0,       -- 1: generated from relation labels
    source TEXT NOT NULL DEFAULT ''             -- file (and line) it came from
);
)SQL");
}

// Version 5 -> 6: documents split into sentences (with full-text search), and candidate
// triples extracted from them with their evidence and a person's decision.
void addDocumentsV6(sql::Database& db)
{
    db.exec(R"SQL(
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                         -- file name, or 'description of <key>'
    source TEXT NOT NULL,                       -- path it came from ('' for descriptions)
    format TEXT NOT NULL,                       -- text | markdown | html | description
    entity INTEGER,                             -- the entity a description is about (no foreign
                                                -- keys to entities: deleting one stays possible)
    bytes INTEGER NOT NULL DEFAULT 0,
    imported TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,                       -- 0-based order in the document
    text TEXT NOT NULL
);
CREATE INDEX sentences_doc ON sentences(doc, pos);
CREATE VIRTUAL TABLE sentence_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
  INSERT INTO sentence_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
  INSERT INTO sentence_fts(sentence_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE candidates (
    id INTEGER PRIMARY KEY,
    head INTEGER NOT NULL,                      -- entity and relation ids; a candidate whose
    rel INTEGER NOT NULL,                       -- entity was deleted is no longer listed
    tail INTEGER NOT NULL,
    score REAL NOT NULL,
    run INTEGER,                                -- extraction run that proposed it (NULL: baseline)
    status TEXT NOT NULL DEFAULT 'pending',     -- pending | accepted | rejected
    triple INTEGER,                             -- the triple an accepted candidate became
    decided TEXT
);
CREATE UNIQUE INDEX candidates_hrt ON candidates(head, rel, tail);
CREATE INDEX candidates_score ON candidates(status, score DESC);
CREATE TABLE candidate_evidence (
    candidate INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    head_begin INTEGER NOT NULL, head_end INTEGER NOT NULL,   -- byte offsets in the sentence;
    tail_begin INTEGER NOT NULL, tail_end INTEGER NOT NULL    -- equal: named by the document
);
CREATE INDEX candidate_evidence_candidate ON candidate_evidence(candidate);
)SQL");
}

const std::vector<std::function<void(sql::Database&)>> kMigrations = {createV1,       addRunsV2,    addLayoutsV3,
                                                                      addArtifactsV4, addQaPairsV5, addDocumentsV6};
static_assert(kCurrentVersion == 6, "add a migration to kMigrations when bumping the version");

int pragmaInt(sql::Database& db, const char* name)
{
    auto st = db.prepare(std::string("PRAGMA ") + name);
    return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

} // namespace

int version(sql::Database& db) { return pragmaInt(db, "user_version"); }

void migrate(sql::Database& db)
{
    const int appId = pragmaInt(db, "application_id");
    const int ver = version(db);
    if (appId != 0 && appId != kApplicationId)
        throw Error(Errc::Schema, db.path() + " is an SQLite file but not a KG Workbench project");
    if (appId == 0) {
        auto count = db.prepare("SELECT count(*) FROM sqlite_schema");
        count.step();
        if (count.int64(0) != 0)
            throw Error(Errc::Schema,
                        db.path() + " is a non-empty SQLite file but not a KG Workbench project");
    }
    if (ver > kCurrentVersion)
        throw Error(Errc::Schema, db.path() + " has schema version " + std::to_string(ver) +
                                      ", newer than this program supports (" +
                                      std::to_string(kCurrentVersion) + ")");
    if (ver == kCurrentVersion)
        return;

    sql::Transaction tx(db);
    for (int v = ver; v < kCurrentVersion; ++v)
        kMigrations[static_cast<size_t>(v)](db);
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(kCurrentVersion));
    tx.commit();
}

} // namespace kg::schema
