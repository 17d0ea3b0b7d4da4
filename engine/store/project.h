// A knowledge-graph project: one SQLite file in WAL mode.
//
// Threading contract: a Project owns one SQLite connection and one mutex; every public
// method takes the lock, so a Project may be shared between threads, but calls serialise.
// For concurrent reading while another thread imports, open a second Project on the same file
// (WAL lets readers proceed during a write transaction).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/records.h"

namespace kg {

namespace sql {
class Database;
}

// One entry of the persistent undo/redo history.
struct EditGroupInfo {
    int64_t group = 0;
    std::string summary; // e.g. "add triple", "rename entity"
    bool applied = true;
};

class Project {
public:
    enum class OpenMode { CreateIfMissing, MustExist, ReadOnly };

    // Opens (and creates/migrates) a project. Throws kg::Error on failure.
    static std::unique_ptr<Project> open(const std::string& path,
                                         OpenMode mode = OpenMode::CreateIfMissing);
    ~Project();

    const std::string& path() const { return path_; }

    // --- reading -------------------------------------------------------------
    ProjectStats stats();
    std::optional<EntityRecord> entity(int64_t id);
    std::optional<EntityRecord> entityByKey(const std::string& key);
    std::optional<RelationRecord> relation(int64_t id);
    std::optional<RelationRecord> relationByKey(const std::string& key);
    std::vector<RelationRecord> relations();
    // Full-text search over entity labels, descriptions and keys (FTS5, prefix match on each
    // word, ranked by bm25). An exact key match comes first. Ranking covers the first
    // kSearchWindow matches in id order (all of them when there are fewer): a broad query over
    // a million entities then answers in milliseconds instead of scoring every match.
    static constexpr int kSearchWindow = 2000;
    std::vector<EntityRecord> searchEntities(const std::string& text, int limit = 20);
    // Triples ordered by id, for chunked table views.
    std::vector<TripleRecord> triples(int64_t offset, int64_t limit);
    // Keyset paging: up to `limit` triples with id > afterId, ordered by id (O(limit)).
    std::vector<TripleRecord> triplesAfter(int64_t afterId, int64_t limit);
    // Counts of outgoing and incoming triples per relation for one entity.
    struct RelationCount {
        int64_t relation = 0;
        int64_t outgoing = 0;
        int64_t incoming = 0;
    };
    std::vector<RelationCount> relationCounts(int64_t entity);
    // Triples whose head or tail is `entity`, ordered by id: `limit` of them after skipping
    // `offset` (paging through hub nodes; a triple added meanwhile comes on a later page).
    std::vector<TripleRecord> triplesAround(int64_t entity, int limit, int64_t offset = 0);
    // Number of triples whose head or tail is `entity` (a self-loop counts once).
    int64_t degree(int64_t entity);
    std::optional<TripleRecord> triple(int64_t id);
    // The largest triple id so far (0 if none): a triple added later has a larger one.
    int64_t lastTripleId();
    int64_t tripleCount();

    // --- editing: every call is one undoable group, persisted in the project -----
    int64_t addEntity(const std::string& key, const std::string& label = {},
                      const std::string& description = {});
    void renameEntity(int64_t id, const std::string& newLabel);
    void setDescription(int64_t id, const std::string& description);
    // Deletes the entity and every triple that mentions it (all undone together).
    void deleteEntity(int64_t id);
    int64_t addRelation(const std::string& key, const std::string& label = {});
    // Returns the new triple id. Throws Errc::Conflict if (h,r,t) already exists.
    int64_t addTriple(int64_t head, int64_t rel, int64_t tail, Split split = Split::Train);
    void deleteTriple(int64_t id);

    bool canUndo();
    bool canRedo();
    // Reverts the most recent applied group; returns its summary, or "" if nothing to undo.
    std::string undo();
    std::string redo();
    std::vector<EditGroupInfo> history(int limit = 100);

    // Every entity id and relation id (ascending), then every triple (ascending id), streamed
    // to the callbacks while the connection is held (bulk readers: training data, graph index).
    void scanGraph(const std::function<void(int64_t)>& entity, const std::function<void(int64_t)>& relation,
                   const std::function<void(const TripleRecord&)>& triple);

    // Runs fn with exclusive access to the connection (for importers and other bulk work
    // that manage their own transaction). Nothing else may use the connection meanwhile.
    void withDatabase(const std::function<void(sql::Database&)>& fn);

private:
    Project(std::string path, std::unique_ptr<sql::Database> db);

    std::string path_;
    std::mutex mutex_;
    std::unique_ptr<sql::Database> db_;
};

} // namespace kg
