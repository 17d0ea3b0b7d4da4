// A kept CompGCN run as a ranking model for the Explain tab and `kgwb explain`: answers for
// (h, r, ?) from the train graph encoded once, and the necessary and sufficient facts of one
// answer by occlusion (and copies) in that graph. Each of the head's training facts is left out of the message
// passing alone (the graph encoded again, the answer re-scored and re-ranked), then the
// strongest together (ml/occlusion_search.h): exact, like the transformer's context occlusion,
// no post-training. Torch-free (pimpl).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/cancel.h"
#include "ml/fact_explanation.h"
#include "reason/paths.h"

namespace kg {
class Project;
}

namespace kg::ml {

class GnnModel {
public:
    // The CompGCN model in checkpoint `bytes` over `project`'s triples; Error(Format) when a
    // shape does not fit, Error(InvalidArgument) when it is not a CompGCN model.
    static std::unique_ptr<GnnModel> fromBytes(Project& project, const std::string& bytes, const std::string& name);
    ~GnnModel();

    // Best k tails (project ids) with their scores; Error(NotFound) for an unknown entity or relation.
    std::vector<std::pair<int64_t, double>> rankTails(int64_t head, int64_t relation, int k);
    // Filtered rank and score of `answer` for (head, relation, ?) with each set of the project's
    // training triples (ids) left out of the message passing, the graph encoded again per set;
    // an empty set gives the trained graph's. Ids of no training triple are ignored.
    std::vector<std::pair<double, double>> ranksWithout(int64_t head, int64_t relation, int64_t answer,
                                                        const std::vector<std::vector<int64_t>>& sets);
    // A first-order estimate of how much lower `answer` scores for (head, relation, ?) with each
    // set of training triples (ids) left out of the message passing, from one backward pass
    // through the trained graph: per layer and direction, each left-out edge changes its
    // receiving entity's mean message exactly, (mean - message) / (degree - 1) (the whole
    // message when it was the only one), and the score moves by that change times the score's
    // gradient there; effects add up over edges and layers. Positive: the set supports the answer.
    std::vector<double> estimatedDrops(int64_t head, int64_t relation, int64_t answer,
                                       const std::vector<std::vector<int64_t>>& sets);
    // Scores each path from `head` to `tail` (project ids) for the query (head, relation, tail)
    // (reason/paths.h): support is estimatedDrops() of the path's edges, and modelScore = support
    // (what the answer rests on). compositionScore is the decoder's score of the composed path
    // over the encoded train graph, (x_head ∘ z_r1 ∘ … ∘ z_rk) · x_tail + bias_tail, an inverse
    // step taking its inverse relation's row (a one-edge path scores as that triple does), and
    // edgeScore the mean of its edges' own scores, as for KGE models. Paths keep their order.
    void scorePaths(int64_t head, int64_t relation, int64_t tail, std::vector<reason::ExplanationPath>& paths);
    // At most `options.candidates` x 4 of the head's facts are left out one by one (a hub keeps
    // those whose other entity is nearest the answer in the encoded space); options.candidates
    // of them are reported, sets up to options.maxSize tried. Error(Cancelled) when `cancel` fires.
    NecessaryExplanation necessary(int64_t head, int64_t relation, int64_t answer, const FactSearchOptions& options,
                                   const CancelToken* cancel = nullptr);
    // Sufficient facts: the fewest of the head's supporting facts (found as for necessary(),
    // strongest first) that, copied onto options.convertEntities other entities (the head
    // replaced by each; seeded by options.post.seed among entities with facts that do not rank
    // the answer first), make the answer their top one for at least half of them. One encoding
    // of the graph per entity and set size. Error(Cancelled) when `cancel` fires.
    SufficientExplanation sufficient(int64_t head, int64_t relation, int64_t answer, const FactSearchOptions& options,
                                     const CancelToken* cancel = nullptr);

private:
    GnnModel();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace kg::ml
