// Project file schema. The version lives in PRAGMA user_version; a file is recognised as a
// KG Workbench project by PRAGMA application_id. migrate() upgrades older files in place,
// in one transaction, and refuses files written by a newer version.
#pragma once

namespace kg::sql {
class Database;
}

namespace kg::schema {

constexpr int kApplicationId = 0x4B475742; // "KGWB"
constexpr int kCurrentVersion = 6;

// Triggers that keep entity_fts in step with entities. Bulk imports drop them, rebuild the
// FTS index once, and recreate them from this text.
extern const char* const kEntityFtsTriggers;

// The indexes a bulk import drops (entities_key, triples_hrt, triples_tail) and rebuilds
// by sorting, from this one definition.
extern const char* const kBulkIndexes;

// Brings an empty or older project file up to kCurrentVersion.
// Throws Error(Errc::Schema) for a foreign database or a newer schema.
void migrate(sql::Database& db);

int version(sql::Database& db);

} // namespace kg::schema
