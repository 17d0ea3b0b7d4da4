// Plain value types read from and written to a project.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kg {

enum class Split : int { Train = 1, Valid = 2, Test = 3 };

const char* splitName(Split s);
// Parses "train" / "valid" / "test" (also "validation", "dev"); nullopt otherwise.
std::optional<Split> parseSplit(std::string_view name);

struct EntityRecord {
    int64_t id = 0;
    std::string key;         // stable identifier from the source (IRI, Freebase mid, name)
    std::string label;       // human label; may be empty
    std::string description; // may be empty
    // label if set, else the key.
    const std::string& displayName() const { return label.empty() ? key : label; }
};

using RelationRecord = EntityRecord;

struct TripleRecord {
    int64_t id = 0;
    int64_t head = 0;
    int64_t rel = 0;
    int64_t tail = 0;
    Split split = Split::Train;
};

struct ProjectStats {
    int64_t entities = 0;
    int64_t relations = 0;
    int64_t triples = 0;
    int64_t train = 0;
    int64_t valid = 0;
    int64_t test = 0;
    int64_t labelledEntities = 0;
    int64_t describedEntities = 0;
};

} // namespace kg
