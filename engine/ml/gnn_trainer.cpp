#include "ml/gnn_trainer.h"


#include "ml/evaluator.h"

namespace kg::ml {

GnnTrainer::GnnTrainer(TrainConfig config, const KgData& data)
    : config_(std::move(config))
    , data_(data)
    , device_(selectDevice(config_.device))
    , gen_(at::make_generator<at::CPUGeneratorImpl>(config_.seed))
{
    config_.validate();
    if (config_.model != ModelKind::CompGCN)
        throw Error(Errc::InvalidArgument, "GnnTrainer trains CompGCN models");
    setTorchThreads(config_.threads);
    torch::manual_seed(config_.seed);
    graph_ = GnnGraph::fromTriples(data_.trainInt64(), data_.numEntities, data_.numRelations).to(device_);
    model_ = CompGcn(data_.numEntities, data_.numRelations, config_.dim, config_.gnn.layers, config_.gnn.dropout);
    model_->to(device_);
    optimizer_ = std::make_unique<torch::optim::Adam>(model_->parameters(), torch::optim::AdamOptions(config_.lr));
}

void GnnTrainer::setDataParallel(int, int, GradientSum)
{
    throw Error(Errc::InvalidArgument, "CompGCN encodes the whole graph at every step, so every rank would repeat "
                                       "that work: it has no data-parallel training; train it in one process");
}

int64_t GnnTrainer::stepsPerEpoch() const
{
    return (2 * data_.train.size(0) + config_.batchSize - 1) / config_.batchSize;
}

std::vector<EpochResult> GnnTrainer::run(const std::function<void(const TrainProgress&)>& onProgress,
                                         const CancelToken* cancel, const std::function<bool(const EpochResult&)>& onEpoch)
{
    // Reciprocal queries: (h, r, t) and (t, r + R, h).
    const auto train = data_.trainInt64();
    const auto R = data_.numRelations;
    const auto queries =
        torch::cat({train, torch::stack({train.select(1, 2), train.select(1, 1) + R, train.select(1, 0)}, 1)}).to(device_);
    const int64_t n = queries.size(0);
    torch::Tensor order;
    return runEpochs(
        epochsDone_, steps_, config_.batchSize, [&] { order = torch::randperm(n, gen_, torch::kInt64).to(device_); },
        [&](int64_t s) {
            const int64_t from = s * config_.batchSize;
            const auto batch = queries.index_select(0, order.narrow(0, from, std::min(config_.batchSize, n - from)));
            model_->train();
            optimizer_->zero_grad();
            const auto [x, z] = model_->encode(graph_);
            const auto q = CompGcnImpl::query(x, z, batch.select(1, 0), batch.select(1, 1));
            const auto logits = torch::matmul(q, x.t()) + model_->bias;
            const auto loss = torch::nn::functional::cross_entropy(
                logits, batch.select(1, 2),
                torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(config_.gnn.labelSmoothing));
            ++steps_;
            return backwardAndStep(*optimizer_, loss);
        },
        onProgress, cancel, onEpoch);
}

std::pair<torch::Tensor, torch::Tensor> GnnTrainer::states()
{
    torch::NoGradGuard noGrad;
    model_->eval();
    auto out = model_->encode(graph_);
    model_->train();
    return {out.first.detach(), out.second.detach()};
}

RankMetrics GnnTrainer::evaluate(const torch::Tensor& triples, const FilterIndex& filter, const CancelToken* cancel)
{
    torch::NoGradGuard noGrad;
    model_->eval();
    const auto [x, z] = model_->encode(graph_);
    const auto m = rankReciprocalQueries(
        triples, filter, data_.numRelations, config_.evalBatch,
        [&, x = x, z = z](const torch::Tensor& h, const torch::Tensor& r) { return CompGcnImpl::query(x, z, h, r); }, x,
        model_->bias, cancel);
    model_->train();
    return m;
}

void GnnTrainer::saveState(torch::serialize::OutputArchive& archive) const
{
    writeState(archive, *model_, *optimizer_, gen_, steps_);
}

void GnnTrainer::loadState(torch::serialize::InputArchive& archive, int64_t epochsDone, const std::string& source)
{
    steps_ = readState(archive, *model_, *optimizer_, gen_, source);
    epochsDone_ = epochsDone;
}

} // namespace kg::ml
