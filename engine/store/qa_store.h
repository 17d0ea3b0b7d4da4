// Question-answer pairs kept in the project (table qa_pairs, schema v5) and the entity names
// question answering links against. Torch-free.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/records.h"

namespace kg {

class Project;

struct QaRecord {
    int64_t id = 0;
    std::string question;
    int64_t topic = 0;              // entity id; 0 = link it from the question text
    std::vector<int64_t> answers;   // entity ids, the primary answer first (never empty)
    std::vector<int64_t> path;      // gold relation path from the topic; -id walks it backwards
    Split split = Split::Train;
    bool synthetic = false;         // generated from relation labels, not asked by a person
    std::string source;             // "file:line" it came from
};

struct QaCounts {
    int64_t train = 0, valid = 0, test = 0, synthetic = 0;
    int64_t total() const { return train + valid + test; }
};

class QaStore {
public:
    explicit QaStore(Project& project);
    // Appends in one transaction (all or nothing). With `replace`, deletes the existing pairs
    // first (in the same transaction).
    void add(const std::vector<QaRecord>& records, bool replace = false);
    std::vector<QaRecord> all();
    QaCounts counts();
    // Every entity's id, key and label (ascending id), for building a linker's dictionary.
    void forEachEntityName(const std::function<void(int64_t, const std::string&, const std::string&)>& fn);

private:
    Project& project_;
};

} // namespace kg
