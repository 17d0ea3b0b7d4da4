// Training and inference of the triple transformer (ml/transformer.h) on a project: one epoch
// loop for both stages, driven by TrainJob like the KGE Trainer.
//   pretrain: masked tokens over the triples (with context) and over entity descriptions;
//   finetune: answer prediction for (h, r, ?) and (t, r^-1, ?) against every entity
//             (1-vs-all cross-entropy with label smoothing; the target is the example's
//             tail, or with targets "all" every training tail of (h, r)), plus the joint terms
//             L = L_tail + λ_lm·L_mlm + λ_kge·L_kge + λ_reason·L_reason, where L_kge is a
//             DistMult 1-vs-all loss on the shared token table and L_reason is
//             KL(p_rules ‖ p_model) for queries where mined rules fire.
// LoRA (finetune): adapters on the chosen projections and on the entity rows, a full update
// of the relation-direction rows; the output bias, LayerNorms and role biases train too;
// every other tensor is frozen.
// Seeded and deterministic on CPU for a fixed thread count; resume is bit-exact.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <optional>
#include <random>
#include <unordered_map>

#include "ml/checkpoint.h"
#include "ml/job_trainer.h"
#include "ml/text_corpus.h"
#include "ml/transformer.h"

namespace kg {
class Project;
}

namespace kg::ml {

// One forward pass over a query, kept for explanations (inference.cpp).
struct QueryPass {
    Sequence sequence;
    torch::Tensor logits;                  // [E] entity scores
    std::vector<torch::Tensor> attentions; // per layer [H, T, T]
    torch::Tensor attribution;             // [T] gradient x input of the answer's score
    // The answer's score split by path (they sum to it): through the encoder's [MASK] row,
    // through the head x relation shortcut (0 without one), and the answer's output bias.
    double encoderPart = 0, shortcutPart = 0, biasPart = 0;
};

// Whether a run of `config` reads the project's text (label pieces, or descriptions to pre-train on).
bool needsText(const TrainConfig& config);
// The encoder of a run of `config` over `entities` entities, `relations` base relations and
// `pieces` sentencepiece pieces.
EncoderConfig encoderConfig(const TrainConfig& config, int64_t entities, int64_t relations, int64_t pieces);

class TextTrainer : public JobTrainer {
public:
    // Reads text (when the config asks for it) with `tokenizerBytes`, or when empty with the
    // project's tokenizer of config.transformer.vocabSize (TextCorpus::load). A model loaded
    // or started from a checkpoint must be built with that checkpoint's tokenizer.
    TextTrainer(TrainConfig config, const KgData& data, const std::string& projectPath,
                const std::string& tokenizerBytes = {});
    ~TextTrainer() override;

    const TrainConfig& config() const override { return config_; }
    torch::Device device() const override { return device_; }
    int64_t epochsDone() const override { return epochsDone_; }
    int64_t numEntities() const override { return data_.numEntities; }
    int64_t numRelations() const override { return data_.numRelations; }
    int64_t stepsPerEpoch() const override;
    int64_t tokensRead() const override { return tokens_; }
    std::vector<EpochResult> run(const std::function<void(const TrainProgress&)>& onProgress = {},
                                 const CancelToken* cancel = nullptr,
                                 const std::function<bool(const EpochResult&)>& onEpoch = {}) override;
    RankMetrics evaluate(const torch::Tensor& triples, const FilterIndex& filter,
                         const CancelToken* cancel = nullptr) override;
    void saveState(torch::serialize::OutputArchive& archive) const override;
    void loadState(torch::serialize::InputArchive& archive, int64_t epochsDone, const std::string& source) override;

    // Starts from another run's kept model: every non-adapter parameter it needs must be there
    // with the same shape (checked before anything is copied); adapters keep their start.
    void initFrom(torch::serialize::InputArchive& archive, const std::string& source);
    // Copies parameters with this model's names from a TorchScript file, shapes checked first.
    size_t importTorchScript(const std::string& path);

    // Mean loss of one optimizer step on training examples (rows of examples()); a
    // non-finite one is Error(InvalidArgument). stepLoss: the same step, its loss left on the
    // device unread and unchecked (the epoch loop reads it; no sync per step on a GPU).
    double step(const std::vector<int64_t>& exampleIds);
    torch::Tensor stepLoss(const std::vector<int64_t>& exampleIds);
    // Scores of every entity for queries (h, r) with r in [0, 2R): [B, E] (eval mode).
    // excludeRows[i]: training rows left out of query i's context (empty: none);
    // firstFacts[i]: facts put first in its context (SequenceBuilder::build).
    torch::Tensor scoreQueries(const std::vector<std::array<int64_t, 2>>& queries,
                               const std::vector<std::vector<int64_t>>& excludeRows = {},
                               const std::vector<std::vector<NeighbourFact>>& firstFacts = {});
    const NeighbourIndex& neighbours() const { return neighbours_; }
    // The forward pass for (h, r, ?) with attentions, and the attribution of `answer` (dense).
    QueryPass explainQuery(int64_t h, int64_t r, int64_t answer);
    // Occlusion: the score of `answer` (dense) for `s` with each of `tokens` left out alone,
    // nothing in its place (the rest of the input as it was). One batch; no gradients.
    std::vector<double> scoresWithout(const Sequence& s, const std::vector<int>& tokens, int64_t answer);
    // Display text of each token of a sequence.
    std::vector<std::string> tokenNames(const Sequence& s) const;

    std::vector<std::string> trainableParameters() const;
    int64_t parameterCount(bool trainableOnly) const;
    std::vector<std::pair<std::string, double>> parameterNorms() const;
    const KgData& data() const { return data_; }
    TripleTransformer model() const { return model_; }
    // The entity rows of the token table as the model scores answers (adapter applied): [E, D], CPU.
    torch::Tensor entityVectors() const;
    const TextCorpus* corpus() const { return corpus_ ? &*corpus_ : nullptr; }

private:
    struct Example {
        int64_t h, r, t, row; // row >= 0: training triple; -1 - i: description i (pretrain)
        // Training tails of (h, r): answerTails_[tailsFrom, tailsTo) (KvsAll targets only).
        int64_t tailsFrom = 0, tailsTo = 0;
    };
    struct Batch {
        torch::Tensor ids, aux, roles, positions;
    };
    Batch collate(const std::vector<Sequence>& seqs) const;
    torch::Tensor longs(const std::vector<int64_t>& values) const; // int64 on the device (toDevice)
    // collate() for a training step's encoder pass: also counts its tokens (tokensRead()).
    Batch trainingBatch(const std::vector<Sequence>& seqs);
    // Masks tokens of the given roles in place; returns labels (-100 = not a target).
    std::vector<int64_t> mask(Sequence& s);
    struct Masked {
        std::vector<Sequence> seqs;               // with [MASK] in place
        std::vector<std::vector<int64_t>> labels; // per token: the masked id, -100 elsewhere
    };
    // Masks every sequence (the RNG moves for all, as on every data-parallel rank).
    Masked maskAll(std::vector<Sequence> seqs);
    // The masked-token loss of rows [from, to) (a data-parallel rank's share, or all rows).
    torch::Tensor mlmLoss(const Masked& m, int64_t from, int64_t to);
    // The fine-tuning loss of a step's rows, the joint terms included; `full` holds the whole
    // global batch's masked inputs for the MLM term, of which rows [from, to) are these.
    torch::Tensor finetuneLoss(const std::vector<Example>& batch, const std::vector<Sequence>& seqs,
                               const std::vector<int64_t>& targets, const Masked& full, int64_t from, int64_t to);
    torch::Tensor reasonLoss(const std::vector<Example>& batch, const torch::Tensor& logits);
    void buildRuleTargets();
    void freezeForLora();
    // Fine-tuning with KvsAll targets: the steps read answerTails_, so the constructor builds it.
    bool kvsAllTargets() const
    {
        return config_.transformer.stage == TextStage::Finetune && config_.transformer.targets == "all";
    }
    // Fills answerTails_ and each training example's range in it (one pass over the index).
    void indexAnswerTails();

    TrainConfig config_;
    const KgData& data_;
    std::string projectPath_;
    torch::Device device_;
    std::optional<TextCorpus> corpus_;
    NeighbourIndex neighbours_;
    SequenceBuilder builder_;
    TripleTransformer model_{nullptr};
    std::unique_ptr<torch::optim::Adam> optimizer_;
    std::mt19937_64 rng_;
    std::vector<Example> examples_;
    // int64 on the device: tails grouped by (h, r), each group in the neighbour index's order
    torch::Tensor answerTails_;
    int64_t epochsDone_ = 0, steps_ = 0;
    int64_t tokens_ = 0; // input tokens of the training steps' encoder passes (tokensRead())
    // (h, base r) -> rule-derived tail distribution (dense tail, probability)
    std::unordered_map<int64_t, std::vector<std::pair<int64_t, float>>> ruleTargets_;
    bool ruleTargetsReady_ = false;
};

// The transformer kept by `run` in `project`, read once, for a run to start from
// (--init-from): build the trainer with its tokenizer so its piece rows keep their meaning,
// then call its initFrom(archive, ...). Error(InvalidArgument) when that run trained another
// model (ml/train_job.cpp).
OpenedCheckpoint readInitFrom(Project& project, int64_t run);

} // namespace kg::ml
