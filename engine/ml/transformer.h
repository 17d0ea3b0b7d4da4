// The triple transformer's modules (LibTorch module idiom): a pre-LN encoder written out so
// that every layer returns every head's attention, LoRA-capable projections, and the model
// over identity tokens with a tied output (answers are scored against the token table).
#pragma once

#include <torch/torch.h>

#include <set>
#include <string>
#include <vector>

namespace kg::ml {

struct EncoderConfig {
    int64_t vocab = 1000; // whole token table (specials, entities, relation directions, pieces)
    int64_t entities = 0; // entity tokens start at entityOffset
    int64_t entityOffset = 4;
    int64_t relationTokens = 0; // relation-direction tokens, right after the entities
    int64_t roles = 8;
    int64_t maxPosition = 65;
    int64_t dim = 128;
    int64_t heads = 4;
    int64_t layers = 2;
    int64_t ffn = 256;
    double dropout = 0.1;
    bool shortcut = false; // query += x_head ⊙ x_relation (see TripleTransformerImpl::query)
};

// Linear with an optional low-rank update B·A scaled by alpha / rank (B starts at 0, so
// enabling it leaves the output unchanged).
class LoraLinearImpl : public torch::nn::Module {
public:
    LoraLinearImpl(int64_t in, int64_t out);
    torch::Tensor forward(const torch::Tensor& x);
    void enableLora(int64_t rank, double alpha);
    bool hasLora() const { return rank_ > 0; }
    torch::nn::Linear base{nullptr};
    torch::Tensor loraA, loraB;

private:
    int64_t rank_ = 0;
    double scale_ = 0;
};
TORCH_MODULE(LoraLinear);

// Whether attention over q [B, H, T, d] computes Q Kᵀ and A V as a broadcast product and sum
// instead of a batched matmul (the faster of the two here; see transformer.cpp). Same result
// up to float rounding.
bool broadcastAttention(const torch::Tensor& q);

class EncoderLayerImpl : public torch::nn::Module {
public:
    explicit EncoderLayerImpl(const EncoderConfig& c);
    // x [B, T, D], keyPadding [B, T] (true = padding), rolePairs [B, T, T]: query role x
    // roles + key role, which picks each head's learned attention bias for that pair of roles
    // (zero at the start). attention (out): [B, H, T, T].
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& keyPadding, const torch::Tensor& rolePairs,
                          torch::Tensor* attention);
    // Adapters on the named projections (q, k, v, o, ff1, ff2).
    void enableLora(int64_t rank, double alpha, const std::set<std::string>& targets);

    torch::Tensor roleBias; // [H, roles * roles]

private:
    int64_t heads_, dim_;
    torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
    LoraLinear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr}, ff1{nullptr}, ff2{nullptr};
    torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(EncoderLayer);

// Token, aux (a context fact's relation), role and text-position embeddings, the encoder,
// and an output transform whose result is compared (dot product) with the token table plus
// a per-token bias. Entity rows of the table may carry a LoRA adapter of their own.
class TripleTransformerImpl : public torch::nn::Module {
public:
    explicit TripleTransformerImpl(const EncoderConfig& c);

    // The token table with the entity adapter applied: [V, D].
    torch::Tensor table() const;
    // Input embeddings [B, T, D] (before the encoder).
    torch::Tensor embed(const torch::Tensor& ids, const torch::Tensor& aux, const torch::Tensor& roles,
                        const torch::Tensor& positions);
    // Hidden states [B, T, D] from input embeddings and token roles [B, T] (RolePad = padding);
    // `attentions` gets one [B, H, T, T] per layer.
    torch::Tensor encode(const torch::Tensor& x, const torch::Tensor& roles,
                         std::vector<torch::Tensor>* attentions = nullptr);
    // Scores of hidden rows [N, D] against every token [N, V] (masked-token prediction).
    torch::Tensor vocabLogits(const torch::Tensor& rows);
    // The output transform of hidden rows [N, D].
    torch::Tensor transform(const torch::Tensor& rows);
    // The answer query [B, D] of (h, r, [MASK]) sequences: transform() of the [MASK] row of
    // `hidden`, plus, with `shortcut`, the product of the head's and relation's input
    // embeddings in `x` (positions 1 and 2): a bilinear path (DistMult's form) from the two
    // query tokens to the score, so gradient x input still covers the whole score.
    torch::Tensor query(const torch::Tensor& x, const torch::Tensor& hidden);
    // query()'s two terms apart: encoder + shortcut (shortcut undefined without one).
    struct QueryParts {
        torch::Tensor encoder, shortcut;
        torch::Tensor sum() const { return shortcut.defined() ? encoder + shortcut : encoder; }
    };
    QueryParts queryParts(const torch::Tensor& x, const torch::Tensor& hidden);
    // Scores of the query against every entity [B, E]: query() · entityRows()ᵀ + entityBias()
    // (the fused ranking takes those three apart).
    torch::Tensor answerLogits(const torch::Tensor& x, const torch::Tensor& hidden);
    // The same from a query [B, D] already computed and entityRows() already taken (callers
    // that use either again: the trainer's regulariser, the explanation's score parts).
    torch::Tensor scoreQuery(const torch::Tensor& query, const torch::Tensor& entities);
    torch::Tensor entityRows() const { return table().narrow(0, config_.entityOffset, config_.entities); }
    torch::Tensor entityBias() const { return outBias.narrow(0, config_.entityOffset, config_.entities); }
    // Adapters on the encoder projections in `targets`, a full (zero-started) update of the few
    // relation-direction rows, and for the entity rows either a full update too (fullEntities:
    // the entity table is the output head, as PEFT's modules_to_save) or a rank-r adapter.
    void enableLora(int64_t rank, double alpha, const std::set<std::string>& targets, bool fullEntities);
    bool loraEnabled() const { return loraRank_ > 0; }
    const EncoderConfig& config() const { return config_; }

    torch::nn::Embedding tokens{nullptr};

private:
    EncoderConfig config_;
    torch::nn::Embedding roles{nullptr}, positions{nullptr};
    torch::nn::LayerNorm lnEmbed{nullptr}, lnFinal{nullptr}, lnOut{nullptr};
    torch::nn::ModuleList layers{nullptr};
    torch::nn::Linear outDense{nullptr};
    torch::nn::Dropout drop{nullptr};
    torch::Tensor outBias;
    torch::Tensor entityLoraA, entityLoraB, entityLoraDelta, relationLoraDelta;
    int64_t loraRank_ = 0;
    double loraScale_ = 0;
};
TORCH_MODULE(TripleTransformer);

// True for tensors added to the model after runs were first stored (role biases, the
// relation-row update under LoRA): they start at zero, which leaves an older run's model
// unchanged, so a checkpoint without them still loads.
bool addedSince(const std::string& parameterName);

// Under LoRA: the adapters (lora_*, the relation-row update) and the small tensors that train
// with them, as PEFT's bias / LayerNorm options: output bias, LayerNorms, role biases.
bool trainsUnderLora(const std::string& parameterName);

} // namespace kg::ml
