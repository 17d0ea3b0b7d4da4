// A multi-relational graph encoder (CompGCN, Vashishth et al. 2020, with the subtraction
// composition) and a DistMult decoder, LibTorch module idiom. Message passing is sparse and
// never builds a dense adjacency nor an [edges x dim] message matrix: because φ(x, z) = x - z
// is linear, Σ_e norm_e·W·φ(x_src, z_rel) = A·(xW) - B·(zW), with A [N, N] (norm at
// dst, src) and B [N, 2R + 1] (norm at dst, rel) sparse matrices built once from the edges,
// so a layer is two small dense products and four sparse-dense products (CPU and CUDA).
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

// One direction's edges: int64 src, dst, rel [E] and float norm [E] (1 / in-degree of dst),
// and the sparse operators made of them: entities [N, N] and relations [N, 2R + 1].
struct EdgeSet {
    torch::Tensor src, dst, rel, norm;
    torch::Tensor entities, relations; // sparse COO, coalesced
};

struct GnnGraph {
    int64_t entities = 0, relations = 0; // R: relation rows are R forward, R inverse, 1 self-loop
    EdgeSet in, out;                     // in: s → o along r; out: o → s along r + R
    // From train triples [T, 3] (dense ids).
    static GnnGraph fromTriples(const torch::Tensor& triples, int64_t entities, int64_t relations);
    GnnGraph to(const torch::Device& device) const;
};

// What a layer computed, for edge attribution (ml/gnn_explain.h): the transformed states each
// direction's messages are made of, the per-direction mean messages and their sum with the
// self part (before / 3 and tanh).
struct LayerTrace {
    torch::Tensor xwIn, zwIn, xwOut, zwOut, in, out, sum;
};

class CompGcnLayerImpl : public torch::nn::Module {
public:
    CompGcnLayerImpl(int64_t in, int64_t out, double dropout);
    // x [N, in], z [2R + 1, in] -> (x' [N, out], z' [2R + 1, out]); `trace`, when given, gets
    // the intermediate tensors (still in the autograd graph).
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& z, const GnnGraph& g,
                                                    LayerTrace* trace = nullptr);
    torch::nn::Linear wIn{nullptr}, wOut{nullptr}, wSelf{nullptr}, wRel{nullptr};
    torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(CompGcnLayer);

class CompGcnImpl : public torch::nn::Module {
public:
    CompGcnImpl(int64_t entities, int64_t relations, int64_t dim, int64_t layers, double dropout);
    // Entity states [N, D] and relation states [2R + 1, D] after the layers.
    std::pair<torch::Tensor, torch::Tensor> encode(const GnnGraph& g, std::vector<LayerTrace>* traces = nullptr);
    // DistMult queries for (h, r, ?): h ∘ z_r, from encoded states; r < 2R (r + R = inverse).
    static torch::Tensor query(const torch::Tensor& entityStates, const torch::Tensor& relationStates,
                               const torch::Tensor& h, const torch::Tensor& r);
    torch::Tensor entity0, relation0, bias; // initial states; per-entity score bias
    std::vector<CompGcnLayer> layers;
};
TORCH_MODULE(CompGcn);

} // namespace kg::ml
