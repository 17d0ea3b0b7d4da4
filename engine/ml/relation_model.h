// The relation classifier of text-to-triples extraction (LibTorch module idiom): the
// project's triple transformer (ml/transformer.h) reads
//   [CLS] ENT(a) ENT(b) [SEP] piece ... piece
// where the sentence's pieces inside a's and b's mentions carry the head and target role
// embeddings (the entity markers), and a linear layer on [CLS] picks one of 2R + 1 classes:
// 0 = no relation (NA), 1 + r = (a, r, b), 1 + R + r = (b, r, a).
//
// RelationModelFile is the kept model: its config, the entity and relation ids it was built
// for, the sentencepiece tokenizer and the parameters of each fold's classifier, as bytes
// ("KGWBRX01") for the project's artifact store; loading checks every shape.
//
// Cross-fitting: with k folds (sentences dealt by id), classifier f is trained on every
// sentence outside fold f and scores the sentences in it. The pairs extraction proposes are
// exactly those distant supervision labels NA (no triple in the graph yet), so a classifier
// must not score the sentences it was trained on, or it recalls their NA labels.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ml/text_corpus.h"
#include "ml/transformer.h"
#include "text/mention_pairs.h"
#include "text/tokenizer.h"

namespace kg::ml {

struct RelationModelConfig {
    int64_t dim = 64, heads = 4, layers = 2, ffn = 0; // ffn 0 = 2 x dim
    int64_t maxPieces = 48;                           // sentence pieces kept around the mentions
    double dropout = 0.1;
    int64_t folds = 2;                                // cross-fitting folds (1 = one classifier)
};

class RelationClassifierImpl : public torch::nn::Module {
public:
    RelationClassifierImpl(const EncoderConfig& encoder, int64_t relations);
    // ids, roles, positions: [B, T] -> logits [B, 2R + 1].
    torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& roles, const torch::Tensor& positions);
    TripleTransformer encoder{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(RelationClassifier);

// Token sequences for mention pairs (torch-free inputs; batch() makes tensors).
class RelationInput {
public:
    RelationInput(const text::Tokenizer& tokenizer, TokenLayout layout,
                  const std::unordered_map<int64_t, int64_t>& entityIndex, int64_t maxPieces);
    Sequence encode(const text::MentionPair& pair, const std::string& sentence) const;
    // Pads to the longest: ids, roles, positions [B, T].
    static std::vector<torch::Tensor> batch(const std::vector<const Sequence*>& sequences);

private:
    const text::Tokenizer& tokenizer_;
    TokenLayout layout_;
    const std::unordered_map<int64_t, int64_t>& entityIndex_;
    int64_t maxPieces_;
};

struct RelationModelFile {
    RelationModelConfig config;
    std::vector<int64_t> entityIds, relationIds; // dense -> project id
    std::string tokenizerBytes;
    int64_t pieces = 0;
    std::vector<RelationClassifier> models; // one per fold

    TokenLayout layout() const;
    EncoderConfig encoderConfig() const;
    void build(); // fresh models for the fields above
    // The fold of a sentence: its classifier was not trained on it and scores it.
    int64_t foldOf(int64_t sentence) const { return config.folds > 1 ? sentence % config.folds : 0; }
    std::string toBytes() const;
    // Error(Format) naming `name` for anything malformed or any shape that differs.
    static RelationModelFile fromBytes(const std::string& bytes, const std::string& name);
};

} // namespace kg::ml
