// The necessary-facts search of models that re-rank an answer exactly with facts left out (no
// post-training): the transformer (facts out of its input context, ml/text_model.h) and
// CompGCN (facts out of its message-passing graph, ml/gnn_explain.h). Each supporting fact is
// left out alone, then the strongest k together (k = 2..maxSize); the explanation is the
// smallest such set that makes the answer's rank drop, else the one that lowers it most.
// Also the choice of a sufficient explanation's size. Torch-free.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/cancel.h"
#include "ml/fact_explanation.h"

namespace kg::ml {

struct SupportingFact {
    FactRef fact;
    double occlusion = 0; // the answer's score drop with this fact alone left out (> 0)
};

// (rank, score) of the answer with each set of triples (project ids) left out; set 0 is empty.
using RanksWithout = std::function<std::vector<std::pair<double, double>>(const std::vector<std::vector<int64_t>>&)>;

// support: strongest first. headFacts: how many of the head's facts were considered.
NecessaryExplanation occlusionNecessary(const std::vector<SupportingFact>& support, int candidates, int maxSize,
                                        int headFacts, const RanksWithout& ranksWithout, const CancelToken* cancel);

// The other entities a sufficient explanation tries to convert (dense ids), each with the
// answer's filtered rank for it before: in a shuffle of all `numEntities` seeded by `seed`,
// among the first 4000, those `eligible` admits (facts of their own, not holding the answer)
// and whose rank from `ranks` is above 1.5 (not first yet), up to `count`. `ranks` gets the
// eligible entities in shuffled order, in batches of up to 64 positions of the shuffle.
// Shared by the KGE, transformer and CompGCN searches. Error(Cancelled) when `cancel` fires.
std::vector<std::pair<int64_t, double>>
convertibleEntities(int64_t numEntities, uint64_t seed, int count, const std::function<bool(int64_t)>& eligible,
                    const std::function<std::vector<double>(const std::vector<int64_t>&)>& ranks,
                    const CancelToken* cancel);

// The size of a sufficient explanation from ranks[c * (K + 1) + k]: the answer's rank for
// converted entity c with the head's first k facts copied onto it (k = 0..K). The smallest k
// that makes the answer first for at least half of the entities, else the k with the largest
// such share (then the lowest mean rank). Shared by the KGE and transformer searches.
struct SufficientChoice {
    size_t k = 1;
    bool achieved = false;
    double share = 0;                     // of the entities ranking the answer first with k facts
    double rankBefore = 0, rankAfter = 0; // mean rank with no facts copied, and with k
};
SufficientChoice chooseSufficient(const std::vector<double>& ranks, size_t entities, size_t K);
// The explanation of `choice`: the first choice.k of `ordered` (the facts tried, in order),
// and the converted `entities` (project ids).
void applySufficientChoice(const SufficientChoice& choice, const std::vector<FactRef>& ordered,
                           std::vector<int64_t> entities, SufficientExplanation& out);

} // namespace kg::ml
