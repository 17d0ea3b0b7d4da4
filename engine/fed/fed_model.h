// A silo's model as a federation sees it (fed/federation.h), whatever the model:
//   entity rows [E, We] and relation rows [R, Wr], aligned across silos by salted key hashes
//   (fed/shared_rows.h) and averaged row by row;
//   the dense rest [P]: tensors that mean the same in every silo (the transformer's encoder,
//   CompGCN's layers), averaged by position, weighted by each silo's training triples.
// Per model (each row is the concatenation of the listed slices):
//   KGE:         entity = its embedding; relation = its embedding; no dense part.
//   CompGCN:     entity = initial state | score bias; relation = forward | inverse initial
//                state; dense = the layers and the self-loop relation's state.
//   transformer: entity = token row | output bias; relation = forward | inverse token rows |
//                their output biases; dense = every other parameter, the special tokens'
//                rows and, when it reads text, the sentencepiece pieces' rows (the silos
//                hold one shared tokenizer: `kgwb tokenizer export | import`).
// The parts are views of the model's parameters: reads copy to the CPU, writes copy into them.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/job_trainer.h"

namespace kg {
class Project;
}

namespace kg::fed {

// The settings a silo must share with the coordinator: the model and its shape (model, dim,
// gamma, p_norm; the transformer's heads, layers, ffn, shortcut, text: use, tokens and
// vocabulary size; CompGCN's layers).
nlohmann::json federatedShape(const ml::TrainConfig& config);
// Error(InvalidArgument) saying why, for a model a federation cannot train: a transformer
// that pre-trains, has LoRA, starts from a run or trains in bf16.
void checkFederable(const ml::TrainConfig& config);

// A digest of a tokenizer's model bytes (hex SHA-256 HMAC under a fixed key), the same on
// every machine: how processes check that they cut words alike.
std::string tokenizerDigest(const std::string& modelBytes);
// What a silo tells the coordinator of its project's tokenizer: {"digest", "vocab_size",
// "pieces"}, or null when it has none (ml/text_corpus.h).
nlohmann::json tokenizerFingerprint(Project& project);
// Why a silo with tokenizer `theirs` cannot join a federation of `config` ("" when it can, or
// when the model reads no text). `first` is the first admitted silo's (null until then: set here).
std::string tokenizerMismatch(const ml::TrainConfig& config, const nlohmann::json& theirs, nlohmann::json& first);

class FedModel {
public:
    // The parts of `trainer`'s model (the KGE Trainer, GnnTrainer or TextTrainer). The trainer
    // must outlive this and keep its parameters (it does: checkpoints load into them in place).
    static FedModel of(ml::JobTrainer& trainer);
    // A fresh model of `config` with `entities` entity and `relations` relation rows (and a
    // transformer's `pieces` tokenizer pieces), drawn by the model's own initialiser under
    // torch's current seed: round 1's common start, and the widths the coordinator needs
    // (draw(config, 1, 1, pieces)).
    static FedModel draw(const ml::TrainConfig& config, int64_t entities, int64_t relations, int64_t pieces = 0);

    // Copies on the CPU.
    torch::Tensor entities() const { return rows(entities_); }
    torch::Tensor relations() const { return rows(relations_); }
    torch::Tensor dense() const; // [P], P = 0 for the KGE models
    int64_t denseSize() const;   // P, without copying
    int64_t entityWidth() const { return width(entities_); }
    int64_t relationWidth() const { return width(relations_); }
    // Writes tensors of the same shapes into the model's parameters.
    void setEntities(const torch::Tensor& rows) { setRows(entities_, rows); }
    void setRelations(const torch::Tensor& rows) { setRows(relations_, rows); }
    void setDense(const torch::Tensor& flat);

private:
    static torch::Tensor rows(const std::vector<torch::Tensor>& parts);
    static int64_t width(const std::vector<torch::Tensor>& parts);
    static void setRows(const std::vector<torch::Tensor>& parts, const torch::Tensor& rows);

    std::shared_ptr<torch::nn::Module> owner_; // a drawn model, kept alive for its views
    std::vector<torch::Tensor> entities_, relations_; // [N, w_i] slices, concatenated by column
    std::vector<torch::Tensor> dense_;                // any shape, flattened in this order
};

} // namespace kg::fed
