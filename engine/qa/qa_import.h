// Imports question-answer pairs from TSV into a project: one question per line,
//   question <TAB> answer [<TAB> path [<TAB> answers]]
// where answer and answers ('/'-separated, the answer set) are entity keys and path is the
// gold reasoning path as '#'-separated keys alternating entity and relation, starting at the
// topic entity (PathQuestion's form; a trailing "#<end>#..." is dropped). A split file of
// "line<TAB>train|valid|test" lines (0-based line numbers) assigns splits. Torch-free.
#pragma once

#include <cstdint>
#include <string>

#include "store/records.h"

namespace kg {
class Project;
}

namespace kg::qa {

struct QaImportOptions {
    std::string splitFile;       // "" = every question goes to `split`
    Split split = Split::Train;
    bool replace = false;        // delete the project's questions first
};

struct QaImportReport {
    int64_t train = 0, valid = 0, test = 0, withPath = 0;
    int64_t total() const { return train + valid + test; }
};

// All or nothing: an unknown key, a path that does not end at the answer or a malformed line is
// Error(Parse) with file and line, and nothing is stored.
QaImportReport importQaPairs(Project& project, const std::string& file, const QaImportOptions& options = {});

} // namespace kg::qa
