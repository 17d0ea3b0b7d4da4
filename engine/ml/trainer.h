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
#include "ml/job_trainer.h"
#include "ml/kge_model.h"
#include "ml/train_config.h"

namespace kg::ml {

class Trainer : public JobTrainer {
public:
    Trainer(TrainConfig config, const KgData& data);

    KgeModel model() const { return model_; }
    torch::Device device() const override { return device_; }
    const TrainConfig& config() const override { return config_; }
    int64_t numEntities() const override { return data_.numEntities; }
    int64_t numRelations() const override { return data_.numRelations; }
    int64_t stepsPerEpoch() const override { return (data_.train.size(0) + config_.batchSize - 1) / config_.batchSize; }

    // One optimizer step on a batch of training triples [B, 3]; returns its loss, detached, on
    // the device (not yet read back or checked: see JobTrainer::runEpochs).
    torch::Tensor step(const torch::Tensor& batch);
    // Runs the remaining epochs. onEpoch may return false to stop early (e.g. validation).
    // Throws Error(Errc::Cancelled) when `cancel` fires; the model keeps its last state.
    std::vector<EpochResult> run(const std::function<void(const TrainProgress&)>& onProgress = {},
                                 const CancelToken* cancel = nullptr,
                                 const std::function<bool(const EpochResult&)>& onEpoch = {}) override;
    int64_t epochsDone() const override { return epochsDone_; }
    // Data parallel (JobTrainer::setDataParallel): each epoch's order comes from a generator
    // seeded by (seed, epoch), the same on every rank whatever each drew for its negatives,
    // and each rank's negatives from its own stream; sparse entity gradients are off.
    void setDataParallel(int rank, int world, GradientSum sumGradients) override;
    RankMetrics evaluate(const torch::Tensor& triples, const FilterIndex& filter,
                         const CancelToken* cancel = nullptr) override;

    // Model, optimizer and RNG state for checkpoints (see ml/checkpoint.h).
    void saveState(torch::serialize::OutputArchive& archive) const override;
    // Checks every tensor's shape against this trainer's before copying; Error(Errc::Format).
    void loadState(torch::serialize::InputArchive& archive, int64_t epochsDone, const std::string& source) override;

private:
    torch::Tensor lossNegativeSampling(const torch::Tensor& batch);
    torch::Tensor batchLoss(const torch::Tensor& batch); // the mode's loss plus regularisation
    torch::Tensor parallelStep(const torch::Tensor& globalBatch);
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
};

// Per relation, the chance the Bernoulli sampler (Wang et al. 2014) corrupts the head:
// tph / (tph + hpt) over `train` [N, 3] (dense ids, CPU); 0.5 for a relation with no triples.
torch::Tensor bernoulliHeadProbability(const torch::Tensor& train, int64_t numRelations);

} // namespace kg::ml
