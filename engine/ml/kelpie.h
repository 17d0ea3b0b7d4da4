// Necessary and sufficient facts for a KGE model's answer, found by post-training a stand-in
// ("mimic") embedding of one entity on a chosen set of its facts, every other parameter frozen
// (Kelpie, Rossi et al., SIGMOD 2022). Many mimics train at once as rows of one tensor, so a
// search over a dozen candidate sets costs about one post-training. See ml/fact_explanation.h
// for what the results mean. CPU or the model's device; not thread-safe (one per thread).
#pragma once

#include <torch/torch.h>

#include "core/cancel.h"
#include "ml/fact_explanation.h"
#include "ml/kg_data.h"
#include "ml/kge_model.h"
#include "reason/graph_index.h"

namespace kg::ml {

// One fact of the entity being mimicked, in dense ids.
struct MimicFact {
    int64_t relation = 0;
    int64_t other = 0;          // the other end of the fact
    bool entityIsHead = true;   // (entity, relation, other), else (other, relation, entity)
    int64_t triple = 0;         // project triple id (for reporting)
};

// Turns off gradients of every model parameter for its lifetime (then restores them), so that
// post-training differentiates only the mimics, not the [entities, D] table.
class FrozenParameters {
public:
    explicit FrozenParameters(const KgeModel& model);
    ~FrozenParameters();
    FrozenParameters(const FrozenParameters&) = delete;
    FrozenParameters& operator=(const FrozenParameters&) = delete;

private:
    std::vector<torch::Tensor> params_;
    std::vector<bool> wasTrainable_;
};

// Trains one embedding per fact set from a seeded start (starts[i], default options.seed; the
// negatives are shared); returns them [sets, D]. A set's result does not depend on the others.
torch::Tensor postTrain(const KgeModel& model, const std::vector<std::vector<MimicFact>>& sets,
                        const PostTrainOptions& options, const CancelToken* cancel = nullptr,
                        const std::vector<uint64_t>& starts = {});

// First-order estimate, per fact, of how much the answer's score for (mimic, relation, ?)
// drops if the fact is left out of post-training: at the trained mimic e,
// -grad(score) . grad(the fact's postTrain loss), with a fixed larger negative sample.
std::vector<double> factInfluence(const KgeModel& model, const torch::Tensor& mimic, const std::vector<MimicFact>& facts,
                                  int64_t relation, int64_t answer, const PostTrainOptions& options);

// Filtered realistic rank (1 + #higher + #equal / 2) and score of dense `answer` for the query
// (row, relation, ?) of each row of `rows` [M, D]; filters[m] are dense ids left out for row m.
struct RowRanks {
    std::vector<double> rank, score;
};
RowRanks rankAnswer(const KgeModel& model, const torch::Tensor& rows, int64_t relation, int64_t answer,
                    const std::vector<std::vector<int64_t>>& filters);

class FactSearch {
public:
    // data and graph must outlive the search. Ids in and out are project ids.
    FactSearch(const KgeModel& model, const KgData& data, const reason::GraphIndex& graph);

    NecessaryExplanation necessary(int64_t head, int64_t relation, int64_t tail, const FactSearchOptions& options,
                                   const CancelToken* cancel = nullptr) const;
    SufficientExplanation sufficient(int64_t head, int64_t relation, int64_t tail, const FactSearchOptions& options,
                                     const CancelToken* cancel = nullptr) const;
    // Benchmarks: the answer's filtered rank and score after post-training head's mimic on its
    // facts minus `removedTriples` (and minus (head, relation, tail) itself).
    struct RankScore {
        double rank = 0, score = 0;
    };
    RankScore postTrainedRank(int64_t head, int64_t relation, int64_t tail, const std::vector<int64_t>& removedTriples,
                              const PostTrainOptions& options, const CancelToken* cancel = nullptr) const;
    // Reasoning paths' support under Kelpie's protocol: for each set of triples, the answer's
    // score drop for (head, relation, ?) when its facts of head are left out and head's mimic is
    // post-trained without them, against the mimic post-trained on all of them (the same start
    // and negatives). Sets with the same facts of head are measured once; a set without any is
    // 0. Only the first `maxSets` distinct ones (in the order given) are measured, the others
    // are NaN. Every mimic trains on the named facts plus head's other facts nearest the answer,
    // at most maxRows / (sets + 1) facts each (and post.maxFacts). One batched post-training.
    struct RemovalOptions {
        int maxSets = 16; // the Explain tab's tooltip names this bound
        int maxRows = 1536;
        PostTrainOptions post;
    };
    std::vector<double> removalDrops(int64_t head, int64_t relation, int64_t tail,
                                     const std::vector<std::vector<int64_t>>& removals, const RemovalOptions& options,
                                     const CancelToken* cancel = nullptr) const;
    // Training facts of an entity (both directions) in dense ids, (h, r, t) itself left out.
    std::vector<MimicFact> factsOf(int64_t entity, int64_t relation = -1, int64_t tail = -1) const;

private:
    FactRef ref(const MimicFact& f, int64_t entity) const;
    std::vector<int64_t> knownTails(int64_t entity, int64_t relation, int64_t except) const; // dense
    std::vector<MimicFact> capped(std::vector<MimicFact> facts, int64_t tail, int maxFacts) const;

    KgeModel model_; // a handle (shared module)
    const KgData& data_;
    const reason::GraphIndex& graph_;
};

} // namespace kg::ml
