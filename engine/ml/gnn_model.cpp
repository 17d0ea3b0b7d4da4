#include "ml/gnn_model.h"

#include <string>

namespace kg::ml {
namespace {

EdgeSet edgeSet(const torch::Tensor& src, const torch::Tensor& dst, const torch::Tensor& rel, int64_t entities,
                int64_t relationRows)
{
    const auto degree = torch::zeros({entities}, torch::kFloat).index_add_(0, dst, torch::ones({dst.size(0)}));
    const auto norm = 1.0 / degree.index_select(0, dst);
    EdgeSet e{src, dst, rel, norm, {}, {}};
    e.entities = torch::sparse_coo_tensor(torch::stack({dst, src}), norm, {entities, entities}).coalesce();
    e.relations = torch::sparse_coo_tensor(torch::stack({dst, rel}), norm, {entities, relationRows}).coalesce();
    return e;
}

// Σ over edges of norm · (xw[src] - zw[rel]), summed into dst rows, as A·xw - B·zw.
torch::Tensor aggregate(const torch::Tensor& xw, const torch::Tensor& zw, const EdgeSet& e)
{
    return torch::mm(e.entities, xw) - torch::mm(e.relations, zw);
}

} // namespace

GnnGraph GnnGraph::fromTriples(const torch::Tensor& triples, int64_t entities, int64_t relations)
{
    const auto t = triples.to(torch::kCPU);
    const auto h = t.select(1, 0).contiguous(), r = t.select(1, 1).contiguous(), o = t.select(1, 2).contiguous();
    GnnGraph g;
    g.entities = entities;
    g.relations = relations;
    g.in = edgeSet(h, o, r, entities, 2 * relations + 1);
    g.out = edgeSet(o, h, r + relations, entities, 2 * relations + 1);
    return g;
}

GnnGraph GnnGraph::to(const torch::Device& device) const
{
    auto move = [&](const EdgeSet& e) {
        return EdgeSet{e.src.to(device),  e.dst.to(device),      e.rel.to(device),
                       e.norm.to(device), e.entities.to(device), e.relations.to(device)};
    };
    GnnGraph g = *this;
    g.in = move(in);
    g.out = move(out);
    return g;
}

CompGcnLayerImpl::CompGcnLayerImpl(int64_t in, int64_t out, double dropout)
{
    wIn = register_module("w_in", torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)));
    wOut = register_module("w_out", torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)));
    wSelf = register_module("w_self", torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)));
    wRel = register_module("w_rel", torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false)));
    drop = register_module("drop", torch::nn::Dropout(dropout));
}

std::pair<torch::Tensor, torch::Tensor> CompGcnLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& z,
                                                                  const GnnGraph& g, LayerTrace* trace)
{
    const auto xwIn = wIn->forward(x), zwIn = wIn->forward(z), xwOut = wOut->forward(x), zwOut = wOut->forward(z);
    const auto in = aggregate(xwIn, zwIn, g.in);
    const auto out = aggregate(xwOut, zwOut, g.out);
    const auto self = wSelf->forward(x - z[z.size(0) - 1]);
    const auto sum = in + out + self;
    if (trace)
        *trace = {xwIn, zwIn, xwOut, zwOut, in, out, sum};
    const auto h = torch::tanh(sum / 3.0);
    return {drop->forward(h), wRel->forward(z)};
}

CompGcnImpl::CompGcnImpl(int64_t entities, int64_t relations, int64_t dim, int64_t n, double dropout)
{
    entity0 = register_parameter("entity0", torch::nn::init::xavier_normal_(torch::empty({entities, dim})));
    relation0 = register_parameter("relation0", torch::nn::init::xavier_normal_(torch::empty({2 * relations + 1, dim})));
    bias = register_parameter("bias", torch::zeros({entities}));
    for (int64_t i = 0; i < n; ++i)
        layers.push_back(register_module("layer" + std::to_string(i), CompGcnLayer(dim, dim, dropout)));
}

std::pair<torch::Tensor, torch::Tensor> CompGcnImpl::encode(const GnnGraph& g, std::vector<LayerTrace>* traces)
{
    auto x = entity0;
    auto z = relation0;
    if (traces)
        traces->assign(layers.size(), {});
    for (size_t i = 0; i < layers.size(); ++i)
        std::tie(x, z) = layers[i]->forward(x, z, g, traces ? &(*traces)[i] : nullptr);
    return {x, z};
}

torch::Tensor CompGcnImpl::query(const torch::Tensor& entityStates, const torch::Tensor& relationStates,
                                 const torch::Tensor& h, const torch::Tensor& r)
{
    return entityStates.index_select(0, h) * relationStates.index_select(0, r);
}

} // namespace kg::ml
