// Filtered link-prediction evaluation (Bordes et al. 2013): each test triple is ranked
// against all entities as head and as tail, after removing every other known true answer
// (train, valid and test). Ties count as realistic ranks: 1 + #higher + #equal / 2.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <unordered_map>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/kg_data.h"
#include "ml/kge_model.h"
#include "ml/rank_metrics.h"

namespace kg {
class Project;
}

namespace kg::ml {

class FilterIndex {
public:
    // The known triples: every split of `data`, plus `extra` [M, 3] dense ids (e.g. triples a
    // federated silo does not hold but the benchmark knows are true; see readKnownTriples).
    explicit FilterIndex(const KgData& data, const torch::Tensor& extra = {});
    // A sorted run of distinct entity ids inside the index.
    struct Ids {
        const int64_t* first = nullptr;
        const int64_t* last = nullptr;
        const int64_t* begin() const { return first; }
        const int64_t* end() const { return last; }
        size_t size() const { return static_cast<size_t>(last - first); }
    };
    // Known tails of (h, r, ?) and heads of (?, r, t), over all splits.
    Ids tails(int64_t h, int64_t r) const { return tails_.find(h * numRelations_ + r); }
    Ids heads(int64_t r, int64_t t) const { return heads_.find(t * numRelations_ + r); }

private:
    // Compressed rows: the answers of keys[i] are values[offsets[i] .. offsets[i + 1]). Built
    // by sorting (key, answer) pairs: about 16 bytes per triple and direction, where a hash map
    // of vectors took several times that and minutes on 20M triples.
    struct Csr {
        std::vector<int64_t> keys, offsets, values;
        Ids find(int64_t key) const;
    };
    int64_t numRelations_;
    Csr tails_, heads_;
};

// Triples of a tab-separated file of keys (head, relation, tail), as dense ids of `data` [M, 3],
// for FilterIndex's `extra`. Lines whose keys the project lacks are skipped (counted in
// *skipped): such an entity is no candidate here. Plain or gzip (io::FileSource). Throws
// Error(Io) naming the file, or Error(Parse) at file:line for a line without three fields.
torch::Tensor readKnownTriples(Project& project, const KgData& data, const std::string& path,
                               int64_t* skipped = nullptr);

// Filtered realistic ranks of the true tail (tails = true) or head of each triple: float64
// [N]. DistMult and ComplEx are ranked by counting (ml/fused_rank.h), other models through
// scoreMatrixRanks; both give the same ranks up to float near-ties.
torch::Tensor filteredRanks(const KgeModel& model, const torch::Tensor& triples, const FilterIndex& filter,
                            bool tails, int64_t batchSize, const CancelToken* cancel = nullptr);
// The same through ATen's [batch, entities] score matrix with the known answers masked: any
// model (and the reference the counting path is measured against).
torch::Tensor scoreMatrixRanks(const KgeModel& model, const torch::Tensor& triples, const FilterIndex& filter,
                               bool tails, int64_t batchSize, const CancelToken* cancel = nullptr);

// Filtered ranks for a dot-product scorer over reciprocal queries: each triple (h, r, t) gives
// (h, r, ?) -> t and (t, r + R, ?) -> h. `queries(heads, relations)` returns query vectors
// [B, D] for int64 [B] ids on the candidates' device; they are ranked against `candidates`
// [N, D] (+ `bias` [N], may be undefined) with ml/fused_rank.h, `batch` queries at a time.
RankMetrics rankReciprocalQueries(const torch::Tensor& triples, const FilterIndex& filter, int64_t numRelations,
                                  int64_t batch,
                                  const std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>& queries,
                                  const torch::Tensor& candidates, const torch::Tensor& bias,
                                  const CancelToken* cancel = nullptr);

// MRR, MR and Hits@1/3/10 of realistic ranks [N] (float64).
RankMetrics rankMetrics(const torch::Tensor& ranks);

// Head and tail prediction together. Throws Error(Errc::Cancelled) if cancelled.
RankMetrics evaluate(const KgeModel& model, const torch::Tensor& triples, const FilterIndex& filter,
                     int64_t batchSize, const CancelToken* cancel = nullptr);

} // namespace kg::ml
