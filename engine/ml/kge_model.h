// Knowledge-graph embedding models (LibTorch module idiom). Each model is written as
//   tail query  q = f(h, r)   scored against candidate tails c,
//   head query  q = g(r, t)   scored against candidate heads c,
// with one compare(q, c) per model. So scoring against all entities, or against a
// shared negative set, is a GEMM for DistMult/ComplEx and a cdist for TransE.
// Higher scores mean more plausible triples.
#pragma once

#include <torch/torch.h>

#include "ml/train_config.h"

namespace kg::ml {

class KgeModelImpl : public torch::nn::Module {
public:
    KgeModelImpl(const TrainConfig& config, int64_t numEntities, int64_t numRelations);

    ModelKind kind() const { return kind_; }
    int64_t numEntities() const { return entities_.size(0); }

    // Queries for (h, r, ?) and (?, r, t); h, r, t are int64 [B].
    torch::Tensor tailQuery(const torch::Tensor& h, const torch::Tensor& r) const;
    torch::Tensor headQuery(const torch::Tensor& r, const torch::Tensor& t) const;
    // The same from entity rows [B, D] instead of ids (post-training a stand-in embedding).
    torch::Tensor tailQueryRows(const torch::Tensor& headRows, const torch::Tensor& r) const;
    torch::Tensor headQueryRows(const torch::Tensor& r, const torch::Tensor& tailRows) const;
    // Rows of the entity table. With sparse gradients on, their backward gives the table a
    // sparse gradient holding only these rows (for row-wise optimizer updates, ml/adam_step.h).
    torch::Tensor entities(const torch::Tensor& ids) const
    {
        return sparseGradients_ ? torch::embedding(entities_, ids, -1, false, true) : entities_.index_select(0, ids);
    }
    void setSparseEntityGradients(bool on) { sparseGradients_ = on; }
    const torch::Tensor& allEntities() const { return entities_; }
    // The relation table [R, relation dim] (dim, or dim/2 phases for RotatE).
    const torch::Tensor& allRelations() const { return relations_; }

    // Pairwise: q [B, D] with c [B, D] -> [B].
    torch::Tensor compareRows(const torch::Tensor& q, const torch::Tensor& c) const;
    // Batched: q [C, S, D] against c [C, K, D] -> [C, S, K]. 2-D inputs ([B,D] x [N,D]) give [B, N].
    torch::Tensor compare(const torch::Tensor& q, const torch::Tensor& c) const;
    // Dot-product models (DistMult, ComplEx) with dense entity gradients can score each query
    // against its own candidates where the rows lie (compareInPlace).
    bool comparesInPlace() const
    {
        return (kind_ == ModelKind::DistMult || kind_ == ModelKind::ComplEx) && !sparseGradients_;
    }
    // Each query q [B, D] against its own candidate entities ids [B, K] -> [B, K], without
    // gathering the rows (ml/gathered_dot.h). Needs comparesInPlace().
    torch::Tensor compareInPlace(const torch::Tensor& q, const torch::Tensor& ids) const;

    // Scores of triples [B, 3] -> [B].
    torch::Tensor scoreTriples(const torch::Tensor& triples) const;
    // (h, r, ?) against every entity -> [B, E]; (?, r, t) -> [B, E].
    torch::Tensor scoreAllTails(const torch::Tensor& h, const torch::Tensor& r) const;
    torch::Tensor scoreAllHeads(const torch::Tensor& r, const torch::Tensor& t) const;

    // Applies one relation step to query vectors x [B, D] (inverse: walk the edge backwards), so
    // that a path h -r1-> a -r2-> t composes to applyRelation(applyRelation(e_h, r1), r2).
    torch::Tensor applyRelation(const torch::Tensor& x, int64_t relation, bool inverse) const;
    // Model score of reaching t from h along the relation path, comparable with scoreTriples.
    double scorePath(int64_t h, const std::vector<std::pair<int64_t, bool>>& path, int64_t t) const;

    // Regularisation of the embeddings a batch used (L2 or N3, averaged over the batch).
    torch::Tensor regularizer(const torch::Tensor& triples, RegKind kind) const;

private:
    torch::Tensor relationRows(const torch::Tensor& r) const { return relations_.index_select(0, r); }

    ModelKind kind_;
    int pNorm_;
    double gamma_;
    torch::Tensor entities_, relations_;
    bool sparseGradients_ = false;
};
TORCH_MODULE(KgeModel);

} // namespace kg::ml
