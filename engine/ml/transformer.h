// A small pre-LN transformer encoder in the LibTorch module idiom, written out (rather than
// torch::nn::TransformerEncoder) so that every layer returns every head's attention weights.
// Linear projections of attention and FFN are LoraLinear: with rank > 0, a low-rank update
// B·A (scaled by alpha / rank) is added and only A and B are meant to train.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace kg::ml {

struct EncoderConfig {
    int64_t vocab = 1000;
    int64_t dim = 128;
    int64_t heads = 4;
    int64_t layers = 2;
    int64_t ffn = 256;
    int64_t maxLen = 64;
    double dropout = 0.1;
};

class LoraLinearImpl : public torch::nn::Module {
public:
    LoraLinearImpl(int64_t in, int64_t out);
    torch::Tensor forward(const torch::Tensor& x);
    // Adds zero-initialised adapters (B = 0, so the output is unchanged at first).
    void enableLora(int64_t rank, double alpha);
    bool hasLora() const { return rank_ > 0; }
    torch::nn::Linear base{nullptr};
    torch::Tensor loraA, loraB;

private:
    int64_t rank_ = 0;
    double scale_ = 0;
};
TORCH_MODULE(LoraLinear);

class EncoderLayerImpl : public torch::nn::Module {
public:
    EncoderLayerImpl(const EncoderConfig& c);
    // x [B, T, D], keyPadding [B, T] (true = padding). attention (out): [B, H, T, T].
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& keyPadding, torch::Tensor* attention);
    void enableLora(int64_t rank, double alpha);

private:
    int64_t heads_, dim_;
    torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
    LoraLinear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr}, ff1{nullptr}, ff2{nullptr};
    torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(EncoderLayer);

class TextEncoderImpl : public torch::nn::Module {
public:
    explicit TextEncoderImpl(const EncoderConfig& c);
    // ids [B, T] (0 = padding). Returns hidden states [B, T, D]; with `attentions`, one
    // [B, H, T, T] tensor per layer (each row sums to 1 over the non-padding keys).
    torch::Tensor forward(const torch::Tensor& ids, std::vector<torch::Tensor>* attentions = nullptr);
    void enableLora(int64_t rank, double alpha);
    const EncoderConfig& config() const { return config_; }
    torch::nn::Embedding tokens{nullptr};

private:
    EncoderConfig config_;
    torch::nn::Embedding positions{nullptr};
    torch::nn::ModuleList layers{nullptr};
    torch::nn::LayerNorm lnFinal{nullptr};
};
TORCH_MODULE(TextEncoder);

} // namespace kg::ml
