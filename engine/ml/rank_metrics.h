// Link-prediction metrics. Torch-free so that job events can carry them into Qt code.
#pragma once

#include <cstdint>

namespace kg::ml {

struct RankMetrics {
    double mrr = 0, meanRank = 0, hits1 = 0, hits3 = 0, hits10 = 0;
    int64_t queries = 0; // 2 per triple (head and tail)
};

} // namespace kg::ml
