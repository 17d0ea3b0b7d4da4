// One user action in the persistent undo/redo log (table edit_log), for the store's own
// editors (store/project.h, store/candidate_store.h). Not for use outside engine/store/.
//
// Construction begins a transaction and drops the undone tail of the history; apply() applies
// an op and logs it under the group; commit() ends the action. Destroyed uncommitted, the
// whole action rolls back. Ops carry everything needed to apply them in either direction.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "store/sqlite.h"

namespace kg {

class EditGroup {
public:
    EditGroup(sql::Database& db, std::string summary);
    void apply(const std::string& op, nlohmann::json payload);
    void commit();

private:
    sql::Database& db_;
    sql::Transaction tx_;
    std::string summary_;
    int64_t group_ = 0;
};

// Applies one logged op forwards (redo) or backwards (undo). Error(Format) for an unknown op.
void applyEditOp(sql::Database& db, const std::string& op, const nlohmann::json& payload, bool forward);

// max(id) + 1 of `table` (ids stay stable through undo and redo).
int64_t nextTableId(sql::Database& db, const char* table);

} // namespace kg
