// The transformer over verbalised triples ("head [SEP] relation [SEP] tail"): a sentencepiece
// tokenizer trained on the project's labels, descriptions and verbalised triples (stored in
// the project as artifact "tokenizer"), masked-token pre-training, then tail prediction for
// (head, relation, ?) scored against every entity, optionally with LoRA and a joint loss.
// Torch-free header (pimpl): the GUI includes it.
//
// Fine-tuning input: "[CLS] head label [SEP] relation label [SEP] [MASK]". The hidden state at
// [MASK], through a linear head, is compared (dot product) with entity embeddings E (one row
// per entity, initialised from the mean token embedding of the entity's label). Joint loss:
//   L = L_tail + λ_lm·L_mlm + λ_kge·L_kge + λ_reason·L_reason
// L_tail: cross-entropy over all entities; L_mlm: masked-token loss on verbalised triples of
// the batch; L_kge: DistMult 1-vs-all cross-entropy on the SHARED entity embeddings E (and
// relation embeddings R); L_reason: KL(p_rules || p_model), where p_rules is the noisy-or
// score of the tails that mined path rules derive from the head (see reason/rules.h),
// normalised over those tails, for queries where rules fire.
// LoRA: adapters on every attention/FFN projection; everything else is frozen (also E).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/rank_metrics.h"

namespace kg::ml {

struct TextModelConfig {
    int vocabSize = 2000;
    int64_t dim = 128, heads = 4, layers = 2, ffn = 256, maxLen = 48;
    double dropout = 0.1;
    double lr = 1e-3;
    int64_t batchSize = 64;
    double maskProbability = 0.15;
    int loraRank = 0; // > 0: fine-tune only LoRA adapters
    double loraAlpha = 16;
    double lambdaLm = 0, lambdaKge = 0, lambdaReason = 0;
    uint64_t seed = 1;
    int threads = 0;
};

struct AttentionMaps {
    std::vector<std::string> tokens;
    int layers = 0, heads = 0;
    std::vector<float> weights; // [layer][head][query][key], row-major
    float at(int layer, int head, int query, int key) const
    {
        const size_t T = tokens.size();
        return weights[((static_cast<size_t>(layer) * heads + head) * T + query) * T + key];
    }
};

struct TextTrainProgress {
    std::string phase; // "pretrain" | "finetune"
    int64_t epoch = 0, epochs = 0;
    double loss = 0;
};

class TextModel {
public:
    // Opens the project (its own connection), loads or trains the tokenizer (stored in the
    // project), and builds an untrained model. Throws kg::Error.
    TextModel(const std::string& projectPath, const TextModelConfig& config);
    ~TextModel();

    // Masked-token pre-training over verbalised train triples and entity descriptions.
    // Returns the mean loss of the last epoch.
    double pretrain(int epochs, const CancelToken* cancel = nullptr,
                    const std::function<void(const TextTrainProgress&)>& progress = {});
    // Tail prediction (with the config's LoRA and joint-loss settings). Returns last-epoch loss.
    double finetune(int epochs, const CancelToken* cancel = nullptr,
                    const std::function<void(const TextTrainProgress&)>& progress = {});
    // Filtered tail-prediction metrics on the valid or test split.
    RankMetrics evaluateTails(bool test = true);
    // Best k tails (project entity ids) with scores.
    std::vector<std::pair<int64_t, double>> rankTails(int64_t head, int64_t relation, int k = 10);
    // Attention of every layer and head for the query input (tail = 0: "[MASK]" as the tail).
    AttentionMaps attention(int64_t head, int64_t relation, int64_t tail = 0);

    // Parameter names that require gradients now (LoRA: only adapters).
    std::vector<std::string> trainableParameters() const;
    // Sum of squares of every parameter, by name (to check what training changed).
    std::vector<std::pair<std::string, double>> parameterNorms() const;

    // Weights and config as the project's artifact "transformer" (the tokenizer is there too),
    // so a later session can show attention without training again.
    void saveToProject();
    // The model stored by saveToProject(), or nullptr if the project has none. Throws
    // Error(Format) if the stored weights do not fit (every shape is checked).
    static std::unique_ptr<TextModel> fromProject(const std::string& projectPath);

    // Weights (with the tokenizer kept in the project): atomic write, checked on load.
    void save(const std::string& path) const;
    void load(const std::string& path); // throws Error(Format) on mismatched shapes
    // Copies parameters from a TorchScript module (torch.jit.save) whose named parameters use
    // this model's names; every shape is checked first. Returns how many were copied.
    // Throws Error(Format) naming the first missing or mismatched parameter.
    size_t importTorchScript(const std::string& path);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace kg::ml
