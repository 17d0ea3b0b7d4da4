// What training, extraction and the baseline read from a project: its train graph, the
// mention dictionary and every document's mention pairs. Torch-free.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/cancel.h"
#include "reason/graph_index.h"
#include "text/mention_pairs.h"

namespace kg {
class Project;
}

namespace kg::ml {

struct ExtractCorpus {
    reason::GraphIndex graph; // train triples
    text::MentionMatcher matcher;
    std::vector<text::DocumentPairs> documents;
    int64_t sentences = 0, mentions = 0, pairs = 0;

    // Error(InvalidArgument) when the project has no documents. progress(done, total) per document.
    static ExtractCorpus load(Project& project, const CancelToken* cancel = nullptr,
                              const std::function<void(int64_t, int64_t)>& progress = {});
};

} // namespace kg::ml
