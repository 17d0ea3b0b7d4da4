#include "ml/transformer.h"

#include <cmath>

namespace kg::ml {

LoraLinearImpl::LoraLinearImpl(int64_t in, int64_t out)
    : base(register_module("base", torch::nn::Linear(in, out)))
{
}

void LoraLinearImpl::enableLora(int64_t rank, double alpha)
{
    if (rank <= 0 || rank_ > 0)
        return;
    rank_ = rank;
    scale_ = alpha / static_cast<double>(rank);
    const int64_t in = base->weight.size(1), out = base->weight.size(0);
    const auto opts = base->weight.options();
    loraA = register_parameter("lora_A", torch::randn({rank, in}, opts) * (1.0 / std::sqrt(static_cast<double>(in))));
    loraB = register_parameter("lora_B", torch::zeros({out, rank}, opts));
}

torch::Tensor LoraLinearImpl::forward(const torch::Tensor& x)
{
    auto y = base->forward(x);
    if (rank_ > 0)
        y = y + torch::matmul(torch::matmul(x, loraA.t()), loraB.t()) * scale_;
    return y;
}

EncoderLayerImpl::EncoderLayerImpl(const EncoderConfig& c)
    : heads_(c.heads)
    , dim_(c.dim)
    , ln1(register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim}))))
    , ln2(register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim}))))
    , q(register_module("q", LoraLinear(c.dim, c.dim)))
    , k(register_module("k", LoraLinear(c.dim, c.dim)))
    , v(register_module("v", LoraLinear(c.dim, c.dim)))
    , o(register_module("o", LoraLinear(c.dim, c.dim)))
    , ff1(register_module("ff1", LoraLinear(c.dim, c.ffn)))
    , ff2(register_module("ff2", LoraLinear(c.ffn, c.dim)))
    , drop(register_module("drop", torch::nn::Dropout(c.dropout)))
{
    // Without it, attention starts uniform and the [MASK] query sees the head and relation
    // diluted by every context fact: learning then stalls for epochs (kinship, 16 facts).
    roleBias = register_parameter("role_bias", torch::zeros({c.heads, c.roles * c.roles}));
}

void EncoderLayerImpl::enableLora(int64_t rank, double alpha, const std::set<std::string>& targets)
{
    const std::pair<const char*, LoraLinear*> all[] = {{"q", &q}, {"k", &k}, {"v", &v}, {"o", &o}, {"ff1", &ff1}, {"ff2", &ff2}};
    for (const auto& [name, l] : all)
        if (targets.count(name))
            (*l)->enableLora(rank, alpha);
}

// On the CPU, LibTorch's batched matmul runs a product of T·T·d >= 400 multiply-adds as one
// GEMM call per example and head, a single-threaded loop of B·H calls (smaller ones take a
// fast kernel). Over [B, H, T, T, d] the broadcast form is one vectorised pass, faster while
// T·T·d stays small: B 1024, H 8, forward and backward, 2 threads (LibTorch 1.13 / 2.11):
// T 4, d 32 (the rank preset) 65 / 49 ms against 21 / 22 ms; T 5, d 32: 69 / 46 against
// 31 / 47; T 6, d 32 and T 4, d 64 already favour the matmul. On a GPU the batched matmul is
// one cuBLAS call.
bool broadcastAttention(const torch::Tensor& q)
{
    const int64_t work = q.size(2) * q.size(2) * q.size(3);
    return q.device().is_cpu() && work >= 400 && work <= 800;
}

torch::Tensor EncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& keyPadding,
                                        const torch::Tensor& rolePairs, torch::Tensor* attention)
{
    const int64_t B = x.size(0), T = x.size(1), hd = dim_ / heads_;
    auto h = ln1(x);
    auto split = [&](const torch::Tensor& t) { return t.view({B, T, heads_, hd}).transpose(1, 2); }; // [B,H,T,hd]
    const auto Q = split(q(h)), K = split(k(h)), V = split(v(h));
    const bool broadcast = broadcastAttention(Q);
    auto scores = (broadcast ? (Q.unsqueeze(3) * K.unsqueeze(2)).sum(-1) : torch::matmul(Q, K.transpose(-2, -1))) /
                  std::sqrt(static_cast<double>(hd)); // [B,H,T,T]
    scores = scores + roleBias.index_select(1, rolePairs.reshape({-1})).view({heads_, B, T, T}).transpose(0, 1);
    scores = scores.masked_fill(keyPadding.view({B, 1, 1, T}), -1e9);
    const auto attn = torch::softmax(scores, -1);
    if (attention)
        *attention = attn; // kept in the graph: attention x gradient needs it
    const auto weights = drop(attn);
    const auto mixed = broadcast ? (weights.unsqueeze(-1) * V.unsqueeze(2)).sum(3) : torch::matmul(weights, V); // [B,H,T,hd]
    auto ctx = mixed.transpose(1, 2).contiguous().view({B, T, dim_});
    auto y = x + drop(o(ctx));
    return y + drop(ff2(torch::gelu(ff1(ln2(y)))));
}

TripleTransformerImpl::TripleTransformerImpl(const EncoderConfig& c)
    : tokens(register_module("tokens", torch::nn::Embedding(c.vocab, c.dim)))
    , config_(c)
    , roles(register_module("roles", torch::nn::Embedding(c.roles, c.dim)))
    , positions(register_module("positions", torch::nn::Embedding(c.maxPosition, c.dim)))
    , lnEmbed(register_module("ln_embed", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim}))))
    , lnFinal(register_module("ln_final", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim}))))
    , lnOut(register_module("ln_out", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim}))))
    , layers(register_module("layers", torch::nn::ModuleList()))
    , outDense(register_module("out_dense", torch::nn::Linear(c.dim, c.dim)))
    , drop(register_module("drop", torch::nn::Dropout(c.dropout)))
{
    if (c.dim % c.heads != 0)
        throw std::invalid_argument("transformer dim must be a multiple of heads");
    for (int64_t i = 0; i < c.layers; ++i)
        layers->push_back(EncoderLayer(c));
    outBias = register_parameter("out_bias", torch::zeros({c.vocab}));
    torch::NoGradGuard noGrad;
    tokens->weight.normal_(0, 0.02);
    roles->weight.normal_(0, 0.02);
    positions->weight.normal_(0, 0.02);
}

void TripleTransformerImpl::enableLora(int64_t rank, double alpha, const std::set<std::string>& targets, bool fullEntities)
{
    if (rank <= 0 || loraRank_ > 0)
        return;
    for (const auto& l : *layers)
        l->as<EncoderLayerImpl>()->enableLora(rank, alpha, targets);
    loraRank_ = rank;
    loraScale_ = alpha / static_cast<double>(rank);
    const auto opts = tokens->weight.options();
    if (fullEntities) {
        entityLoraDelta = register_parameter("entity_lora_delta", torch::zeros({config_.entities, config_.dim}, opts));
    } else {
        entityLoraA = register_parameter("entity_lora_A", torch::randn({config_.entities, rank}, opts) * 0.02);
        entityLoraB = register_parameter("entity_lora_B", torch::zeros({rank, config_.dim}, opts));
    }
    relationLoraDelta = register_parameter("relation_lora_delta", torch::zeros({config_.relationTokens, config_.dim}, opts));
}

torch::Tensor TripleTransformerImpl::table() const
{
    const auto& w = tokens->weight;
    if (loraRank_ == 0)
        return w;
    const auto delta = entityLoraDelta.defined() ? entityLoraDelta : torch::matmul(entityLoraA, entityLoraB) * loraScale_; // [E, D]
    const int64_t rel = config_.entityOffset + config_.entities, rest = rel + config_.relationTokens;
    return torch::cat({w.narrow(0, 0, config_.entityOffset), w.narrow(0, config_.entityOffset, config_.entities) + delta,
                       w.narrow(0, rel, config_.relationTokens) + relationLoraDelta,
                       w.narrow(0, rest, config_.vocab - rest)});
}

torch::Tensor TripleTransformerImpl::embed(const torch::Tensor& ids, const torch::Tensor& aux, const torch::Tensor& roleIds,
                                           const torch::Tensor& pos)
{
    const auto t = table();
    namespace F = torch::nn::functional;
    auto x = F::embedding(ids, t) + F::embedding(aux, t) * aux.gt(0).unsqueeze(-1).to(t.dtype()) + roles(roleIds) +
             positions(pos);
    return drop(lnEmbed(x));
}

torch::Tensor TripleTransformerImpl::encode(const torch::Tensor& x, const torch::Tensor& roles,
                                            std::vector<torch::Tensor>* attentions)
{
    const auto padding = roles.eq(0); // RolePad (ml/text_corpus.h)
    const auto pairs = roles.unsqueeze(2) * config_.roles + roles.unsqueeze(1); // [B, T, T]
    auto h = x;
    for (const auto& l : *layers) {
        torch::Tensor a;
        h = l->as<EncoderLayerImpl>()->forward(h, padding, pairs, attentions ? &a : nullptr);
        if (attentions)
            attentions->push_back(a);
    }
    return lnFinal(h);
}

torch::Tensor TripleTransformerImpl::transform(const torch::Tensor& rows)
{
    return lnOut(torch::gelu(outDense(rows)));
}

TripleTransformerImpl::QueryParts TripleTransformerImpl::queryParts(const torch::Tensor& x, const torch::Tensor& hidden)
{
    QueryParts p{transform(hidden.select(1, 3)), {}};
    if (config_.shortcut)
        p.shortcut = x.select(1, 1) * x.select(1, 2);
    return p;
}

torch::Tensor TripleTransformerImpl::query(const torch::Tensor& x, const torch::Tensor& hidden)
{
    return queryParts(x, hidden).sum();
}

torch::Tensor TripleTransformerImpl::answerLogits(const torch::Tensor& x, const torch::Tensor& hidden)
{
    return scoreQuery(query(x, hidden), entityRows());
}

torch::Tensor TripleTransformerImpl::scoreQuery(const torch::Tensor& query, const torch::Tensor& entities)
{
    return torch::matmul(query, entities.t()) + entityBias();
}

torch::Tensor TripleTransformerImpl::vocabLogits(const torch::Tensor& rows)
{
    return torch::matmul(transform(rows), table().t()) + outBias;
}

bool addedSince(const std::string& name)
{
    return name.find("role_bias") != std::string::npos || name.find("relation_lora_delta") != std::string::npos;
}

bool trainsUnderLora(const std::string& name)
{
    return name.find("lora_") != std::string::npos || name == "out_bias" || name.find("role_bias") != std::string::npos ||
           name.rfind("ln", 0) == 0 || name.find(".ln") != std::string::npos;
}

} // namespace kg::ml
