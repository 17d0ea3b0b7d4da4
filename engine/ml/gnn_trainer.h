// Trains the CompGCN encoder with its DistMult decoder (ml/gnn_model.h) as a JobTrainer, so
// it runs through TrainJob like the KGE models: queue, events, charts, checkpoints,
// pause/cancel/resume and run history. Each step encodes the whole train graph (sparse
// message passing), then scores a batch of reciprocal queries (h, r, ?) and (t, r⁻¹, ?)
// against every entity with cross-entropy and label smoothing.
#pragma once

#include "ml/gnn_model.h"
#include "ml/job_trainer.h"

namespace kg::ml {

class GnnTrainer : public JobTrainer {
public:
    GnnTrainer(TrainConfig config, const KgData& data);
    const TrainConfig& config() const override { return config_; }
    torch::Device device() const override { return device_; }
    int64_t epochsDone() const override { return epochsDone_; }
    int64_t numEntities() const override { return data_.numEntities; }
    int64_t numRelations() const override { return data_.numRelations; }
    int64_t stepsPerEpoch() const override;
    // Refused (Error(InvalidArgument)): every step encodes the whole graph, which each rank
    // would repeat.
    void setDataParallel(int rank, int world, GradientSum sumGradients) override;
    std::vector<EpochResult> run(const std::function<void(const TrainProgress&)>& onProgress = {},
                                 const CancelToken* cancel = nullptr,
                                 const std::function<bool(const EpochResult&)>& onEpoch = {}) override;
    RankMetrics evaluate(const torch::Tensor& triples, const FilterIndex& filter,
                         const CancelToken* cancel = nullptr) override;
    void saveState(torch::serialize::OutputArchive& archive) const override;
    void loadState(torch::serialize::InputArchive& archive, int64_t epochsDone, const std::string& source) override;
    CompGcn model() const { return model_; }
    // Encoded entity [N, D] and relation [2R + 1, D] states in eval mode, without gradients.
    std::pair<torch::Tensor, torch::Tensor> states();
    // The train graph every step encodes (on the training device).
    const GnnGraph& graph() const { return graph_; }

private:
    TrainConfig config_;
    const KgData& data_;
    torch::Device device_;
    GnnGraph graph_;
    CompGcn model_{nullptr};
    std::unique_ptr<torch::optim::Adam> optimizer_;
    at::Generator gen_;
    int64_t epochsDone_ = 0, steps_ = 0;
};

} // namespace kg::ml
