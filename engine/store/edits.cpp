// Project editing with a persistent undo/redo log (table edit_log).
//
// Each public edit runs in one transaction that (1) drops the undone tail of the history,
// (2) applies its ops and (3) appends them to edit_log under a new group id. Ops carry
// everything needed to apply them in either direction, so undo/redo work after a restart.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "store/edit_group.h"
#include "store/project.h"
#include "store/sqlite.h"

namespace kg {

using nlohmann::json;

// Applies one op forwards (redo) or backwards (undo).
void applyEditOp(sql::Database& db, const std::string& op, const json& p, bool forward)
{
    auto insertNamed = [&](const char* table) {
        auto st = db.prepare(std::string("INSERT INTO ") + table +
                             "(id, key, label, description) VALUES (?, ?, ?, ?)");
        st.bind(1, p.at("id").get<int64_t>())
            .bind(2, p.at("key").get<std::string>())
            .bind(3, p.value("label", ""))
            .bind(4, p.value("description", ""));
        st.run();
    };
    auto deleteById = [&](const char* table) {
        auto st = db.prepare(std::string("DELETE FROM ") + table + " WHERE id = ?");
        st.bind(1, p.at("id").get<int64_t>());
        st.run();
    };
    auto insertTriple = [&] {
        auto st = db.prepare("INSERT INTO triples(id, head, rel, tail, split) VALUES (?,?,?,?,?)");
        st.bind(1, p.at("id").get<int64_t>())
            .bind(2, p.at("h").get<int64_t>())
            .bind(3, p.at("r").get<int64_t>())
            .bind(4, p.at("t").get<int64_t>())
            .bind(5, p.at("split").get<int64_t>());
        st.run();
    };

    if (op == "add_entity" || op == "delete_entity") {
        (op == "add_entity") == forward ? insertNamed("entities") : deleteById("entities");
    } else if (op == "add_relation") {
        forward ? insertNamed("relations") : deleteById("relations");
    } else if (op == "add_triple" || op == "delete_triple") {
        (op == "add_triple") == forward ? insertTriple() : deleteById("triples");
    } else if (op == "set_entity") {
        const char* side = forward ? "new" : "old";
        auto st = db.prepare("UPDATE entities SET label = ?, description = ? WHERE id = ?");
        st.bind(1, p.at(std::string(side) + "_label").get<std::string>())
            .bind(2, p.at(std::string(side) + "_description").get<std::string>())
            .bind(3, p.at("id").get<int64_t>());
        st.run();
    } else if (op == "decide_candidate") {
        const char* side = forward ? "new" : "old";
        auto st = db.prepare("UPDATE candidates SET status = ?, triple = ?, decided = "
                             "CASE WHEN ? = 'pending' THEN NULL ELSE datetime('now') END WHERE id = ?");
        const std::string status = p.at(std::string(side) + "_status").get<std::string>();
        const int64_t triple = p.at(std::string(side) + "_triple").get<int64_t>();
        st.bind(1, status);
        if (triple)
            st.bind(2, triple);
        else
            st.bindNull(2);
        st.bind(3, status).bind(4, p.at("id").get<int64_t>());
        st.run();
    } else {
        throw Error(Errc::Format, "unknown op '" + op + "' in edit log");
    }
}

EditGroup::EditGroup(sql::Database& db, std::string summary)
    : db_(db)
    , tx_(db)
    , summary_(std::move(summary))
{
    db_.exec("DELETE FROM edit_log WHERE applied = 0");
    auto st = db_.prepare("SELECT coalesce(max(grp), 0) + 1 FROM edit_log");
    st.step();
    group_ = st.int64(0);
}

void EditGroup::apply(const std::string& op, json payload)
{
    applyEditOp(db_, op, payload, true);
    payload["summary"] = summary_;
    auto st = db_.prepare("INSERT INTO edit_log(grp, op, payload) VALUES (?, ?, ?)");
    st.bind(1, group_).bind(2, op).bind(3, payload.dump());
    st.run();
}

void EditGroup::commit() { tx_.commit(); }

int64_t nextTableId(sql::Database& db, const char* table)
{
    auto st = db.prepare(std::string("SELECT coalesce(max(id), 0) + 1 FROM ") + table);
    st.step();
    return st.int64(0);
}

namespace {

json namedJson(int64_t id, const std::string& key, const std::string& label,
               const std::string& description)
{
    return json{{"id", id}, {"key", key}, {"label", label}, {"description", description}};
}

EntityRecord requireNamed(sql::Database& db, const char* table, int64_t id)
{
    auto st = db.prepare(std::string("SELECT id, key, label, description FROM ") + table +
                         " WHERE id = ?");
    st.bind(1, id);
    if (!st.step())
        throw Error(Errc::NotFound, std::string(table) + " id " + std::to_string(id) +
                                        " does not exist");
    return EntityRecord{st.int64(0), st.text(1), st.text(2), st.text(3)};
}

bool keyExists(sql::Database& db, const char* table, const std::string& key)
{
    auto st = db.prepare(std::string("SELECT 1 FROM ") + table + " WHERE key = ?");
    st.bind(1, key);
    return st.step();
}

json tripleJson(sql::Statement& st)
{
    return json{{"id", st.int64(0)}, {"h", st.int64(1)}, {"r", st.int64(2)},
                {"t", st.int64(3)}, {"split", st.int64(4)}};
}

} // namespace

int64_t Project::addEntity(const std::string& key, const std::string& label,
                           const std::string& description)
{
    if (key.empty())
        throw Error(Errc::InvalidArgument, "entity key must not be empty");
    std::lock_guard lock(mutex_);
    if (keyExists(*db_, "entities", key))
        throw Error(Errc::Conflict, "an entity with key '" + key + "' already exists");
    EditGroup g(*db_, "add entity");
    const int64_t id = nextTableId(*db_, "entities");
    g.apply("add_entity", namedJson(id, key, label, description));
    g.commit();
    return id;
}

int64_t Project::addRelation(const std::string& key, const std::string& label)
{
    if (key.empty())
        throw Error(Errc::InvalidArgument, "relation key must not be empty");
    std::lock_guard lock(mutex_);
    if (keyExists(*db_, "relations", key))
        throw Error(Errc::Conflict, "a relation with key '" + key + "' already exists");
    EditGroup g(*db_, "add relation");
    const int64_t id = nextTableId(*db_, "relations");
    g.apply("add_relation", namedJson(id, key, label, ""));
    g.commit();
    return id;
}

void Project::renameEntity(int64_t id, const std::string& newLabel)
{
    std::lock_guard lock(mutex_);
    const EntityRecord e = requireNamed(*db_, "entities", id);
    EditGroup g(*db_, "rename entity");
    g.apply("set_entity", json{{"id", id},
                               {"old_label", e.label},
                               {"new_label", newLabel},
                               {"old_description", e.description},
                               {"new_description", e.description}});
    g.commit();
}

void Project::setDescription(int64_t id, const std::string& description)
{
    std::lock_guard lock(mutex_);
    const EntityRecord e = requireNamed(*db_, "entities", id);
    EditGroup g(*db_, "edit description");
    g.apply("set_entity", json{{"id", id},
                               {"old_label", e.label},
                               {"new_label", e.label},
                               {"old_description", e.description},
                               {"new_description", description}});
    g.commit();
}

void Project::deleteEntity(int64_t id)
{
    std::lock_guard lock(mutex_);
    const EntityRecord e = requireNamed(*db_, "entities", id);
    EditGroup g(*db_, "delete entity");
    std::vector<json> touching;
    {
        auto st = db_->prepare(
            "SELECT id, head, rel, tail, split FROM triples WHERE head = ?1 OR tail = ?1");
        st.bind(1, id);
        while (st.step())
            touching.push_back(tripleJson(st));
    }
    for (auto& t : touching)
        g.apply("delete_triple", t);
    g.apply("delete_entity", namedJson(e.id, e.key, e.label, e.description));
    g.commit();
}

int64_t Project::addTriple(int64_t head, int64_t rel, int64_t tail, Split split)
{
    std::lock_guard lock(mutex_);
    requireNamed(*db_, "entities", head);
    requireNamed(*db_, "relations", rel);
    requireNamed(*db_, "entities", tail);
    {
        auto st = db_->prepare("SELECT 1 FROM triples WHERE head = ? AND rel = ? AND tail = ?");
        st.bind(1, head).bind(2, rel).bind(3, tail);
        if (st.step())
            throw Error(Errc::Conflict, "the triple already exists");
    }
    EditGroup g(*db_, "add triple");
    const int64_t id = nextTableId(*db_, "triples");
    g.apply("add_triple", json{{"id", id}, {"h", head}, {"r", rel}, {"t", tail},
                               {"split", static_cast<int64_t>(split)}});
    g.commit();
    return id;
}

void Project::deleteTriple(int64_t id)
{
    std::lock_guard lock(mutex_);
    auto st = db_->prepare("SELECT id, head, rel, tail, split FROM triples WHERE id = ?");
    st.bind(1, id);
    if (!st.step())
        throw Error(Errc::NotFound, "triple id " + std::to_string(id) + " does not exist");
    json t = tripleJson(st);
    st.reset();
    EditGroup g(*db_, "delete triple");
    g.apply("delete_triple", t);
    g.commit();
}

bool Project::canUndo()
{
    std::lock_guard lock(mutex_);
    auto st = db_->prepare("SELECT 1 FROM edit_log WHERE applied = 1 LIMIT 1");
    return st.step();
}

bool Project::canRedo()
{
    std::lock_guard lock(mutex_);
    auto st = db_->prepare("SELECT 1 FROM edit_log WHERE applied = 0 LIMIT 1");
    return st.step();
}

namespace {

// Undo: newest applied group, ops in reverse. Redo: oldest undone group, ops in order.
std::string moveHistory(sql::Database& db, bool undo)
{
    sql::Transaction tx(db);
    auto pick = db.prepare(undo ? "SELECT max(grp) FROM edit_log WHERE applied = 1"
                                : "SELECT min(grp) FROM edit_log WHERE applied = 0");
    pick.step();
    if (pick.isNull(0))
        return {};
    const int64_t grp = pick.int64(0);
    pick.reset();
    auto ops = db.prepare(undo ? "SELECT op, payload FROM edit_log WHERE grp = ? ORDER BY seq DESC"
                               : "SELECT op, payload FROM edit_log WHERE grp = ? ORDER BY seq");
    ops.bind(1, grp);
    std::string summary;
    try {
        while (ops.step()) {
            const json p = json::parse(ops.textView(1));
            summary = p.value("summary", ops.text(0));
            applyEditOp(db, ops.text(0), p, !undo);
        }
    } catch (const Error& e) {
        // e.g. an import since then added triples that use an entity this undo would remove.
        throw Error(Errc::Conflict, std::string(undo ? "cannot undo '" : "cannot redo '") +
                                        summary + "': the project changed since (" + e.reason() +
                                        ")");
    }
    auto mark = db.prepare("UPDATE edit_log SET applied = ? WHERE grp = ?");
    mark.bind(1, undo ? 0 : 1).bind(2, grp);
    mark.run();
    tx.commit();
    return summary;
}

} // namespace

std::string Project::undo()
{
    std::lock_guard lock(mutex_);
    return moveHistory(*db_, true);
}

std::string Project::redo()
{
    std::lock_guard lock(mutex_);
    return moveHistory(*db_, false);
}

std::vector<EditGroupInfo> Project::history(int limit)
{
    std::lock_guard lock(mutex_);
    std::vector<EditGroupInfo> out;
    auto st = db_->prepare(R"SQL(SELECT grp, json_extract(payload, '$.summary'), min(applied)
        FROM edit_log GROUP BY grp ORDER BY grp DESC LIMIT ?)SQL");
    st.bind(1, static_cast<int64_t>(limit));
    while (st.step())
        out.push_back(EditGroupInfo{st.int64(0), st.text(1), st.int64(2) == 1});
    return out;
}

} // namespace kg
