// Training configuration for knowledge-graph embedding models and the triple transformer.
// Torch-free, so that the GUI and the CLI can build and validate configs (one validate() for
// both); JSON round-trips with every field. Transformer settings live under "transformer".
#pragma once

#include <cstdint>
#include <string>

namespace kg::ml {

enum class ModelKind { TransE, DistMult, ComplEx, RotatE, Transformer, CompGCN };
enum class TextStage { Pretrain, Finetune };
enum class TrainMode { NegativeSampling, OneVsAll };
enum class LossKind { Margin, BCE, CE };
enum class SamplerKind { Uniform, Bernoulli };
enum class RegKind { None, L2, N3 };
// RowAdagrad: one Adagrad accumulator per table row (ml/row_adagrad.h), PyTorch-BigGraph's
// optimizer; almost no state beside the tables. Under negative sampling it updates only the
// rows a step used (unless updates is Dense).
enum class OptimizerKind { Adam, Adagrad, RowAdagrad };
// How Adam updates the entity table under negative sampling: Dense (every row every step, as
// torch's Adam), Rows (only the rows the step used, lazy Adam: a step's cost no longer grows
// with the table), Auto (Rows from kRowUpdateEntities entities on).
enum class UpdateKind { Auto, Dense, Rows };
constexpr int64_t kRowUpdateEntities = 100000;

// The transformer over triples (CoKE/HittER-style identity tokens, HittER-style context of the
// head's neighbour facts, optional sentencepiece pieces of the head's label). It shares dim,
// lr, batch_size, epochs, seed, threads, device and eval_batch with TrainConfig.
struct TransformerOptions {
    TextStage stage = TextStage::Finetune;
    int64_t initFrom = 0;       // run id whose kept model initialises this one (0 = none)
    int64_t heads = 4, layers = 2;
    int64_t ffn = 0;            // 0 = 2 x dim
    int64_t context = 16;       // neighbour facts of the head in the input (0 = none)
    bool useText = false;       // add the head's label pieces (sentencepiece) to the input
    int64_t textTokens = 8;     // at most this many pieces
    int vocabSize = 1000;       // sentencepiece vocabulary (trained on the project's text)
    double dropout = 0.1;
    double labelSmoothing = 0.1;
    double maskProbability = 0.15; // masked-token objective (pre-training and lambda_lm)
    double headMask = 0.3;      // fine-tuning: hide the head's identity token (HittER-style), so
                                // answers must also come from the context facts
    int loraRank = 0;           // > 0: LoRA adapters; base weights frozen
    double loraAlpha = 16;
    std::string loraTargets = "q,k,v,o"; // of q,k,v,o,ff1,ff2
    std::string loraEntities = "full";    // entity rows under LoRA: "full" (a trainable update of
                                          // every row: the output head) or "adapter" (rank-r, fewer
                                          // parameters on large graphs; runs stored before the option)
    double lambdaLm = 0, lambdaKge = 0, lambdaReason = 0;
    std::string targets = "one"; // fine-tuning target of (h, r, ?): "one" (the example's tail)
                                 // or "all" (every training tail of (h, r), KvsAll-style)
    bool bf16 = false;          // bf16 autocast for training steps (for GPUs; fp32 master weights)
    double warmup = 0;          // share of all steps with a linear learning-rate warmup
    bool cosineDecay = false;   // then a cosine decay of the learning rate to 0 at the last step
    bool shortcut = false;      // a bilinear path from the head and relation inputs to the score
    // The learning-rate schedule's horizon in epochs (0 = epochs). Not stored: a federation sets
    // it to rounds x local epochs, where training has no epoch budget of its own.
    int64_t scheduleEpochs = 0;
};

// The graph encoder (ml/gnn_model.h): CompGCN layers over the train graph, DistMult decoder,
// 1-vs-all cross-entropy over reciprocal queries. Shares dim, lr, batch_size (queries per
// step), epochs, seed, threads, device and eval_batch with TrainConfig.
struct GnnOptions {
    int64_t layers = 1;
    double dropout = 0.1;
    double labelSmoothing = 0.1;
};

struct TrainConfig {
    ModelKind model = ModelKind::ComplEx;
    int64_t dim = 200;      // real dimensions; ComplEx/RotatE use dim/2 complex components
    double gamma = 12.0;    // score offset of distance models (TransE, RotatE)
    int pNorm = 1;          // TransE distance norm
    TrainMode mode = TrainMode::OneVsAll;
    LossKind loss = LossKind::CE;
    SamplerKind sampler = SamplerKind::Uniform;
    int64_t negatives = 64;     // per positive (shared within a chunk)
    int64_t negChunk = 32;      // positives sharing one negative set (1 = independent)
    double advTemperature = 0;  // > 0: self-adversarial weighting of negatives (BCE loss)
    double margin = 1.0;        // Margin loss
    RegKind reg = RegKind::None;
    double regWeight = 0.0;
    OptimizerKind optimizer = OptimizerKind::Adam;
    UpdateKind updates = UpdateKind::Auto; // negative sampling with Adam only (see UpdateKind)
    double lr = 0.01;           // a config without "lr" gets defaultLearningRate(model)
    int64_t batchSize = 256;
    int64_t epochs = 50;
    uint64_t seed = 42;
    int threads = 0;            // 0 = all cores
    std::string device = "auto"; // auto | cpu | cuda | cuda:N
    int64_t evalBatch = 256;
    TransformerOptions transformer; // used when model == Transformer
    GnnOptions gnn;                 // used when model == CompGCN

    std::string toJson() const;
    // Throws Error(Errc::InvalidArgument) naming the bad field.
    static TrainConfig fromJson(const std::string& json);
    // Throws Error(Errc::InvalidArgument) for inconsistent settings.
    void validate() const;
};

// The learning rate a model starts from when none is given: 0.01 for the KGE models, 0.001
// for the transformer, 0.003 for CompGCN (the Training tab's presets use the same).
double defaultLearningRate(ModelKind model);

const char* modelName(ModelKind m);
ModelKind parseModel(const std::string& name); // throws InvalidArgument
const char* stageName(TextStage s);

} // namespace kg::ml
