// What a training job needs from a trainer, whatever the model: the KGE Trainer and the
// transformer's TextTrainer both implement it, so TrainJob, checkpoints, the CLI and the GUI
// drive either through one path (events, best and resumable checkpoints, pause/cancel/resume).
// Runs on the calling thread; cancellation is cooperative (checked between steps).
#pragma once

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/kg_data.h"
#include "ml/rank_metrics.h"
#include "ml/train_config.h"

namespace kg::ml {

class FilterIndex;

struct TrainProgress {
    int64_t epoch = 0; // 0-based epoch in progress
    int64_t epochs = 0;
    int64_t step = 0;  // global optimizer steps so far
    int64_t stepsPerEpoch = 0;
    double loss = 0;   // mean loss of the last step
    double triplesPerSecond = 0;
    double tokensPerSecond = 0; // input tokens the encoder read (transformer; 0 for the others)
    double etaSeconds = 0;
};

struct EpochResult {
    int64_t epoch = 0;
    double meanLoss = 0;
};

class JobTrainer {
public:
    virtual ~JobTrainer() = default;
    virtual const TrainConfig& config() const = 0;
    virtual torch::Device device() const = 0;
    virtual int64_t epochsDone() const = 0;
    virtual int64_t numEntities() const = 0;
    virtual int64_t numRelations() const = 0;
    virtual int64_t stepsPerEpoch() const = 0;
    // Input tokens (padding excluded) the trainer's encoder has read in training steps so far;
    // 0 for models without a token sequence. Drives TrainProgress::tokensPerSecond.
    virtual int64_t tokensRead() const { return 0; }
    // Runs the remaining epochs. onEpoch may return false to stop early (e.g. validation).
    // Throws Error(Errc::Cancelled) when `cancel` fires; the model keeps its last state.
    virtual std::vector<EpochResult> run(const std::function<void(const TrainProgress&)>& onProgress = {},
                                         const CancelToken* cancel = nullptr,
                                         const std::function<bool(const EpochResult&)>& onEpoch = {}) = 0;
    // Filtered head and tail prediction on `triples` (dense ids). Error(Cancelled) if cancelled.
    virtual RankMetrics evaluate(const torch::Tensor& triples, const FilterIndex& filter,
                                 const CancelToken* cancel = nullptr) = 0;
    // Model, optimizer and RNG state for checkpoints (see ml/checkpoint.h).
    virtual void saveState(torch::serialize::OutputArchive& archive) const = 0;
    // Checks every tensor's shape against this trainer's before copying; Error(Errc::Format).
    virtual void loadState(torch::serialize::InputArchive& archive, int64_t epochsDone, const std::string& source) = 0;
    // While *flag is true, run() waits between steps (cancel still works). nullptr = none.
    void setPauseFlag(const std::atomic<bool>* flag) { pause_ = flag; }
    // run() reports progress at most this often, and after each epoch's last step; 0 (the
    // default) = every step. Each report reads the step's loss back from the device (a sync).
    void setProgressInterval(std::chrono::milliseconds interval) { progressInterval_ = interval; }
    // Data-parallel training (fed/data_parallel.h): this trainer is `rank` of `world`. Every
    // rank draws the same global batches of config().batchSize and takes its contiguous share
    // (shareOf); its share's mean loss is weighted by share / batch, and `sumGradients` must
    // sum the trainable parameters' gradients over the ranks in place (an all-reduce) before
    // each step, so all ranks apply the whole batch's gradient and stay identical. The losses
    // run() reports are this rank's. Error(InvalidArgument) where the model has no such path.
    using GradientSum = std::function<void(std::vector<torch::Tensor>&)>;
    virtual void setDataParallel(int rank, int world, GradientSum sumGradients);
    // Bytes the job holds on its device: allocator statistics on CUDA, RSS on CPU.
    int64_t memoryInUse() const;
    // Backpropagates `loss`, steps the optimizer and returns the loss; a non-finite loss is
    // Error(InvalidArgument) ("training diverged"). Every trainer's step (and the
    // question-answering job's) ends here.
    static double optimizerStep(torch::optim::Optimizer& optimizer, const torch::Tensor& loss);
    // The same without reading the loss back: returns it detached, where it was computed (no
    // device sync). The epoch loop checks it (runEpochs).
    static torch::Tensor backwardAndStep(torch::optim::Optimizer& optimizer, const torch::Tensor& loss);
    // The loss as a double; a non-finite one is Error(InvalidArgument) ("training diverged").
    static double finiteLoss(const torch::Tensor& loss);

protected:
    // Blocks while paused; returns how long it waited. Throws Error(Cancelled).
    std::chrono::steady_clock::duration waitWhilePaused(const CancelToken* cancel) const;
    // The epoch loop both trainers share: for each epoch left (epochsDone < config().epochs),
    // startEpoch(), then step(s) for s in [0, stepsPerEpoch) returning that step's loss (a
    // scalar tensor on the device, read back only when reported); cancel, pause (excluded from
    // ETA and throughput; onEpoch's time, e.g. validation, from throughput only), progress,
    // the divergence check and onEpoch handled here. `steps` is the trainer's global step
    // count (step() advances it); epochsDone advances per epoch.
    std::vector<EpochResult> runEpochs(int64_t& epochsDone, const int64_t& steps, int64_t batchSize,
                                       const std::function<void()>& startEpoch,
                                       const std::function<torch::Tensor(int64_t)>& step,
                                       const std::function<void(const TrainProgress&)>& onProgress,
                                       const CancelToken* cancel, const std::function<bool(const EpochResult&)>& onEpoch);
    // The state of a trainer with one module, one optimizer and one generator: parameters
    // ("model.<name>"), "optimizer", "rng" and "steps". readState checks every tensor's shape
    // before copying (Error(Format) naming it and `source`) and returns the steps.
    bool dataParallel() const { return static_cast<bool>(sumGradients_); }
    // This rank's rows [first, second) of a global batch of `batch` (all of it when not parallel).
    std::pair<int64_t, int64_t> shareOf(int64_t batch) const;
    // The data-parallel step: backpropagates `shareLoss` (the mean over this rank's `share` of
    // a global batch of `batch`; undefined for an empty share) weighted by share / batch, sums
    // the gradients of the optimizer's parameters over the ranks and steps. Returns the loss,
    // detached (zero for an empty share).
    torch::Tensor parallelBackwardAndStep(torch::optim::Optimizer& optimizer, const torch::Tensor& shareLoss,
                                          int64_t share, int64_t batch);
    static void writeState(torch::serialize::OutputArchive& archive, const torch::nn::Module& model,
                           torch::optim::Optimizer& optimizer, const at::Generator& gen, int64_t steps);
    static int64_t readState(torch::serialize::InputArchive& archive, torch::nn::Module& model,
                             torch::optim::Optimizer& optimizer, at::Generator& gen, const std::string& source);
    const std::atomic<bool>* pause_ = nullptr;
    std::chrono::milliseconds progressInterval_{0};
    int rank_ = 0, world_ = 1;
    GradientSum sumGradients_;
};

// The trainer for config.model: Trainer (KGE) or TextTrainer (transformer). For a transformer
// `projectPath` supplies the text, and the tokenizer unless `tokenizerBytes` (the one of the
// model it will load or start from: openCheckpoint(...).tokenizer) is given; `initFrom` is the run to
// start from (its kept model's weights), resolved by the caller.
std::unique_ptr<JobTrainer> makeTrainer(const TrainConfig& config, const KgData& data, const std::string& projectPath,
                                        const std::string& tokenizerBytes = {});

// LibTorch's intra-op threads for a job: `threads`, or every core when 0.
void setTorchThreads(int threads);

// Picks the device from config.device ("auto" = CUDA when present). Throws InvalidArgument.
torch::Device selectDevice(const std::string& spec);

} // namespace kg::ml
