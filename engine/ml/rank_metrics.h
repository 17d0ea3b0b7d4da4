// Link-prediction metrics. Torch-free so that job events can carry them into Qt code.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>

namespace kg::ml {

struct RankMetrics {
    double mrr = 0, meanRank = 0, hits1 = 0, hits3 = 0, hits10 = 0;
    int64_t queries = 0; // 2 per triple (head and tail)
};

// {"mrr", "mr", "hits@1", "hits@3", "hits@10", "queries"}: the one JSON shape for metrics
// in job events and run records.
nlohmann::json toJson(const RankMetrics& m);

} // namespace kg::ml
