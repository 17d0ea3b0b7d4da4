// A multi-relational graph encoder (CompGCN, Vashishth et al. 2020, with the subtraction
// composition) and a DistMult decoder, LibTorch module idiom. Message passing is sparse:
// index_select of the source rows and index_add_ into the destinations, never a dense
// adjacency. Because φ(x, z) = x - z is linear, W·φ(x_s, z_r) = (xW)_s - (zW)_r: each layer
// multiplies the N entity rows and the relation rows once, then gathers per edge.
//
// Edges run both ways: a triple (s, r, o) sends s → o with relation r (weights W_in) and
// o → s with its inverse r + R (weights W_out); each entity also keeps its own state
// (W_self with a learned self-loop relation). Per direction, messages are averaged over the
// receiving entity's edges; the three parts are averaged, then tanh.
#pragma once

#include <torch/torch.h>

#include <utility>
#include <vector>

namespace kg::ml {

// One direction's edges: int64 src, dst, rel [E] and float norm [E] (1 / in-degree of dst).
struct EdgeSet {
    torch::Tensor src, dst, rel, norm;
};

struct GnnGraph {
    int64_t entities = 0, relations = 0; // R: relation rows are R forward, R inverse, 1 self-loop
    EdgeSet in, out;                     // in: s → o along r; out: o → s along r + R
    // From train triples [T, 3] (dense ids).
    static GnnGraph fromTriples(const torch::Tensor& triples, int64_t entities, int64_t relations);
    GnnGraph to(const torch::Device& device) const;
};

class CompGcnLayerImpl : public torch::nn::Module {
public:
    CompGcnLayerImpl(int64_t in, int64_t out, double dropout);
    // x [N, in], z [2R + 1, in] -> (x' [N, out], z' [2R + 1, out]).
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& z, const GnnGraph& g);
    torch::nn::Linear wIn{nullptr}, wOut{nullptr}, wSelf{nullptr}, wRel{nullptr};
    torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(CompGcnLayer);

class CompGcnImpl : public torch::nn::Module {
public:
    CompGcnImpl(int64_t entities, int64_t relations, int64_t dim, int64_t layers, double dropout);
    // Entity states [N, D] and relation states [2R + 1, D] after the layers.
    std::pair<torch::Tensor, torch::Tensor> encode(const GnnGraph& g);
    // DistMult queries for (h, r, ?): h ∘ z_r, from encoded states; r < 2R (r + R = inverse).
    static torch::Tensor query(const torch::Tensor& entityStates, const torch::Tensor& relationStates,
                               const torch::Tensor& h, const torch::Tensor& r);
    torch::Tensor entity0, relation0, bias; // initial states; per-entity score bias
    std::vector<CompGcnLayer> layers;
};
TORCH_MODULE(CompGcn);

} // namespace kg::ml
