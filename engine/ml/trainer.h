// Trains a KgeModel on KgData with negative sampling or 1-vs-all. Seeded and deterministic
// on CPU for a fixed thread count. Runs on the calling thread; progress goes to a callback
// and cancellation is cooperative (checked between steps).
#pragma once

#include <torch/torch.h>

#include <atomic>
#include <functional>
#include <memory>

#include "core/cancel.h"
#include "ml/kg_data.h"
#include "ml/kge_model.h"
#include "ml/train_config.h"

namespace kg::ml {

struct TrainProgress {
    int64_t epoch = 0; // 0-based epoch in progress
    int64_t epochs = 0;
    int64_t step = 0;  // global optimizer steps so far
    int64_t stepsPerEpoch = 0;
    double loss = 0;   // mean loss of the last step
    double triplesPerSecond = 0;
    double etaSeconds = 0;
};

struct EpochResult {
    int64_t epoch = 0;
    double meanLoss = 0;
};

// Picks the device from config.device ("auto" = CUDA when present). Throws InvalidArgument.
torch::Device selectDevice(const std::string& spec);

class Trainer {
public:
    Trainer(TrainConfig config, const KgData& data);

    KgeModel model() const { return model_; }
    torch::Device device() const { return device_; }
    const TrainConfig& config() const { return config_; }

    // One optimizer step on a batch of training triples [B, 3]; returns its loss.
    double step(const torch::Tensor& batch);
    // Runs the remaining epochs. onEpoch may return false to stop early (e.g. validation).
    // Throws Error(Errc::Cancelled) when `cancel` fires; the model keeps its last state.
    std::vector<EpochResult> run(const std::function<void(const TrainProgress&)>& onProgress = {},
                                 const CancelToken* cancel = nullptr,
                                 const std::function<bool(const EpochResult&)>& onEpoch = {});
    int64_t epochsDone() const { return epochsDone_; }
    // While *flag is true, run() waits between steps (cancel still works). nullptr = none.
    void setPauseFlag(const std::atomic<bool>* flag) { pause_ = flag; }
    int64_t numRelations() const { return data_.numRelations; }

    // Model, optimizer and RNG state for checkpoints (see ml/checkpoint.h).
    void saveState(torch::serialize::OutputArchive& archive) const;
    // Checks every tensor's shape against this trainer's before copying; Error(Errc::Format).
    void loadState(torch::serialize::InputArchive& archive, int64_t epochsDone, const std::string& source);

private:
    torch::Tensor lossNegativeSampling(const torch::Tensor& batch);
    torch::Tensor lossOneVsAll(const torch::Tensor& batch);

    TrainConfig config_;
    const KgData& data_;
    torch::Device device_;
    KgeModel model_{nullptr};
    std::unique_ptr<torch::optim::Optimizer> optimizer_;
    at::Generator gen_;
    torch::Tensor headProbability_; // per relation, P(corrupt head) for the Bernoulli sampler
    int64_t epochsDone_ = 0;
    int64_t steps_ = 0;
    const std::atomic<bool>* pause_ = nullptr;
};

} // namespace kg::ml
