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
    loraA = register_parameter("lora_A", torch::randn({rank, in}) * (1.0 / std::sqrt(static_cast<double>(in))));
    loraB = register_parameter("lora_B", torch::zeros({out, rank}));
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
}

void EncoderLayerImpl::enableLora(int64_t rank, double alpha)
{
    for (LoraLinear* l : {&q, &k, &v, &o, &ff1, &ff2})
        (*l)->enableLora(rank, alpha);
}

torch::Tensor EncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& keyPadding, torch::Tensor* attention)
{
    const int64_t B = x.size(0), T = x.size(1), hd = dim_ / heads_;
    auto h = ln1(x);
    auto split = [&](const torch::Tensor& t) { return t.view({B, T, heads_, hd}).transpose(1, 2); }; // [B,H,T,hd]
    const auto Q = split(q(h)), K = split(k(h)), V = split(v(h));
    auto scores = torch::matmul(Q, K.transpose(-2, -1)) / std::sqrt(static_cast<double>(hd)); // [B,H,T,T]
    scores = scores.masked_fill(keyPadding.view({B, 1, 1, T}), -1e9);
    const auto attn = torch::softmax(scores, -1);
    if (attention)
        *attention = attn.detach();
    auto ctx = torch::matmul(drop(attn), V).transpose(1, 2).contiguous().view({B, T, dim_});
    auto y = x + drop(o(ctx));
    return y + drop(ff2(torch::gelu(ff1(ln2(y)))));
}

TextEncoderImpl::TextEncoderImpl(const EncoderConfig& c)
    : tokens(register_module("tokens", torch::nn::Embedding(c.vocab, c.dim)))
    , config_(c)
    , positions(register_module("positions", torch::nn::Embedding(c.maxLen, c.dim)))
    , layers(register_module("layers", torch::nn::ModuleList()))
    , lnFinal(register_module("ln_final", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim}))))
{
    if (c.dim % c.heads != 0)
        throw std::invalid_argument("transformer dim must be a multiple of heads");
    for (int64_t i = 0; i < c.layers; ++i)
        layers->push_back(EncoderLayer(c));
    torch::NoGradGuard noGrad;
    tokens->weight.normal_(0, 0.02);
    positions->weight.normal_(0, 0.02);
}

void TextEncoderImpl::enableLora(int64_t rank, double alpha)
{
    for (const auto& l : *layers)
        l->as<EncoderLayerImpl>()->enableLora(rank, alpha);
}

torch::Tensor TextEncoderImpl::forward(const torch::Tensor& ids, std::vector<torch::Tensor>* attentions)
{
    const int64_t T = ids.size(1);
    const auto pos = torch::arange(T, torch::TensorOptions().dtype(torch::kInt64).device(ids.device()));
    auto x = tokens(ids) + positions(pos).unsqueeze(0);
    const auto padding = ids.eq(0);
    for (const auto& l : *layers) {
        torch::Tensor a;
        x = l->as<EncoderLayerImpl>()->forward(x, padding, attentions ? &a : nullptr);
        if (attentions)
            attentions->push_back(a);
    }
    return lnFinal(x);
}

} // namespace kg::ml
