#include "ml/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unistd.h>

#include "core/error.h"
#include "ml/adam_step.h"
#include "ml/evaluator.h"
#include "ml/row_adagrad.h"
#include "ml/to_device.h"

namespace kg::ml {
namespace {

// RotatE has no GEMM form: a 1-vs-all step keeps [batch, entities, dim / 2] differences and
// moduli for the backward pass (about four float tensors of that shape). On the CPU a batch
// that cannot fit in the machine's memory fails here, naming the remedy, instead of being
// killed by the kernel part-way into the first step (fb15k-237 at batch 4,096, dim 200: 24 GB
// per tensor). A GPU's out-of-memory error is caught where the step runs.
void checkRotatEOneVsAllFits(const TrainConfig& config, int64_t entities)
{
    const double perRow = static_cast<double>(entities) * static_cast<double>(config.dim / 2) * sizeof(float) * 4;
    const double need = perRow * static_cast<double>(config.batchSize);
    const double have = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE));
    if (have <= 0 || need <= have)
        return;
    char msg[320];
    std::snprintf(msg, sizeof msg,
                  "RotatE with 1-vs-all scoring needs about %.1f GiB per step at batch %lld (%lld entities, "
                  "dim %lld), more than this machine's %.1f GiB: use a batch of at most %lld, or negative sampling",
                  need / (1 << 30), static_cast<long long>(config.batchSize), static_cast<long long>(entities),
                  static_cast<long long>(config.dim), have / (1 << 30),
                  static_cast<long long>(std::max(1.0, std::floor(have / 2 / perRow))));
    throw Error(Errc::InvalidArgument, msg);
}

} // namespace

Trainer::Trainer(TrainConfig config, const KgData& data)
    : config_(std::move(config))
    , data_(data)
    , device_(selectDevice(config_.device))
    , gen_(at::make_generator<at::CPUGeneratorImpl>(config_.seed))
{
    config_.validate();
    if (config_.model == ModelKind::RotatE && config_.mode == TrainMode::OneVsAll && device_.is_cpu())
        checkRotatEOneVsAllFits(config_, data_.numEntities);
    setTorchThreads(config_.threads);
    torch::manual_seed(config_.seed);
    model_ = KgeModel(config_, data_.numEntities, data_.numRelations);
    model_->to(device_);
    // Row-wise updates: a step touches a few thousand rows; dense Adam would pass over all of
    // them (1M entities at dim 200: seconds per step and a dense gradient the table's size).
    // Adam does so when told, or by itself on large tables; row-wise Adagrad unless told Dense.
    bool rows = false;
    if (config_.mode == TrainMode::NegativeSampling && config_.optimizer == OptimizerKind::Adam)
        rows = config_.updates == UpdateKind::Rows ||
               (config_.updates == UpdateKind::Auto && data_.numEntities >= kRowUpdateEntities);
    else if (config_.mode == TrainMode::NegativeSampling && config_.optimizer == OptimizerKind::RowAdagrad)
        rows = config_.updates != UpdateKind::Dense;
    model_->setSparseEntityGradients(rows);
    switch (config_.optimizer) {
    case OptimizerKind::Adam:
        optimizer_ = std::make_unique<torch::optim::Adam>(model_->parameters(), torch::optim::AdamOptions(config_.lr));
        break;
    case OptimizerKind::Adagrad:
        optimizer_ = std::make_unique<torch::optim::Adagrad>(model_->parameters(),
                                                             torch::optim::AdagradOptions(config_.lr));
        break;
    case OptimizerKind::RowAdagrad:
        optimizer_ = std::make_unique<RowAdagrad>(model_->parameters(), config_.lr);
        break;
    }
    if (config_.sampler == SamplerKind::Bernoulli)
        headProbability_ = bernoulliHeadProbability(data_.trainInt64().to(torch::kCPU), data_.numRelations).to(device_);
}

torch::Tensor bernoulliHeadProbability(const torch::Tensor& train, int64_t numRelations)
{
    const int64_t R = numRelations;
    const auto rel = train.select(1, 1);
    // Distinct (entity in col, relation) pairs per relation, by sorting the pair keys (a
    // hash-based unique over 20M triples took minutes and gigabytes).
    auto distinct = [&](int col) {
        const auto sorted = std::get<0>(torch::sort(train.select(1, col) * R + rel));
        const auto uniq = std::get<0>(torch::unique_consecutive(sorted));
        return torch::zeros({R}, torch::kFloat64).index_add_(0, uniq % R, torch::ones({uniq.size(0)}, torch::kFloat64));
    };
    const auto perRel = torch::zeros({R}, torch::kFloat64).index_add_(0, rel, torch::ones({train.size(0)}, torch::kFloat64));
    const auto tph = perRel / distinct(0).clamp_min(1);
    const auto hpt = perRel / distinct(2).clamp_min(1);
    return (tph / (tph + hpt)).nan_to_num(0.5).to(torch::kFloat32);
}

torch::Tensor Trainer::lossNegativeSampling(const torch::Tensor& batch)
{
    const int64_t B = batch.size(0);
    const int64_t S = std::min(config_.negChunk, B);
    const int64_t C = (B + S - 1) / S;
    const int64_t K = config_.negatives;
    // Pad the batch to C*S rows by repeating its first rows; padded rows get weight 0. Built
    // on the device: nothing to copy there.
    const auto rows = torch::arange(C * S, torch::TensorOptions().dtype(torch::kInt64).device(device_));
    const auto weight = (rows < B).to(torch::kFloat32);
    const auto pos = batch.index_select(0, rows % B);
    const auto h = pos.select(1, 0), r = pos.select(1, 1), t = pos.select(1, 2);
    // Shared negatives: C sets of K entities; scoring is a batched GEMM / cdist.
    const auto negIds = toDevice(torch::randint(0, data_.numEntities, {C * K}, gen_, torch::kInt64), device_);
    // One gather of every entity row the step uses: its backward writes one dense gradient
    // of the entity table instead of one per gather (then summed); split's backward
    // concatenates the pieces' gradients. Per-positive negatives (S = 1) of a model that
    // compares in place are read where they lie instead (no [B, K, D] copy).
    const bool inPlace = S == 1 && model_->comparesInPlace();
    std::vector<torch::Tensor> ids{h, t};
    std::vector<int64_t> sizes{C * S, C * S};
    if (!inPlace)
        ids.push_back(negIds), sizes.push_back(C * K);
    const auto parts = model_->entities(torch::cat(ids)).split_with_sizes(sizes);
    const auto &he = parts[0], &te = parts[1];
    const auto qt = model_->tailQueryRows(he, r);
    const auto qh = model_->headQueryRows(r, te);
    const auto posScore = model_->compareRows(qt, te);
    const int64_t D = qt.size(1);
    // Each row corrupts one side: its head query (?, r, t) or its tail query (h, r, ?) meets
    // the negatives, in one batched compare (scoring both and keeping one did twice the work).
    const auto p = config_.sampler == SamplerKind::Bernoulli ? headProbability_.index_select(0, r)
                                                             : torch::full({C * S}, 0.5, weight.options());
    const auto coin = toDevice(torch::rand({C * S}, gen_, torch::kFloat32), device_);
    const auto query = torch::where((coin < p).unsqueeze(1), qh, qt);
    const auto neg = inPlace ? model_->compareInPlace(query, negIds.view({C, K}))
                             : model_->compare(query.view({C, S, D}), parts[2].view({C, K, -1})).view({C * S, K});

    torch::Tensor perRow;
    switch (config_.loss) {
    case LossKind::Margin:
        perRow = torch::relu(config_.margin - posScore.unsqueeze(1) + neg).mean(1);
        break;
    case LossKind::BCE: {
        auto negTerm = torch::softplus(neg); // -log sigmoid(-neg)
        if (config_.advTemperature > 0) {
            const auto w = torch::softmax(neg * config_.advTemperature, 1).detach();
            perRow = torch::softplus(-posScore) + (w * negTerm).sum(1);
        } else {
            perRow = torch::softplus(-posScore) + negTerm.mean(1);
        }
        break;
    }
    case LossKind::CE:
        perRow = torch::logsumexp(torch::cat({posScore.unsqueeze(1), neg}, 1), 1) - posScore;
        break;
    }
    return (perRow * weight).sum() / static_cast<double>(B);
}

torch::Tensor Trainer::lossOneVsAll(const torch::Tensor& batch)
{
    const auto h = batch.select(1, 0), r = batch.select(1, 1), t = batch.select(1, 2);
    const auto tailScores = model_->scoreAllTails(h, r);
    const auto headScores = model_->scoreAllHeads(r, t);
    if (config_.loss == LossKind::CE)
        return 0.5 * (torch::nn::functional::cross_entropy(tailScores, t) +
                      torch::nn::functional::cross_entropy(headScores, h));
    const auto E = data_.numEntities;
    const auto tailTarget = torch::nn::functional::one_hot(t, E).to(tailScores.dtype());
    const auto headTarget = torch::nn::functional::one_hot(h, E).to(headScores.dtype());
    return 0.5 * (torch::binary_cross_entropy_with_logits(tailScores, tailTarget) +
                  torch::binary_cross_entropy_with_logits(headScores, headTarget)) * static_cast<double>(E);
}

torch::Tensor Trainer::batchLoss(const torch::Tensor& batch)
{
    auto loss = config_.mode == TrainMode::OneVsAll ? lossOneVsAll(batch) : lossNegativeSampling(batch);
    if (config_.reg != RegKind::None && config_.regWeight > 0)
        loss = loss + config_.regWeight * model_->regularizer(batch, config_.reg);
    return loss;
}

torch::Tensor Trainer::step(const torch::Tensor& batch)
{
    model_->train();
    // Gradients set to none rather than zeroed: backward then hands over its dense table
    // gradient instead of adding it to a zeroed one (two passes over the table saved).
    for (auto& p : model_->parameters())
        p.mutable_grad() = torch::Tensor();
    const auto loss = batchLoss(batch);
    ++steps_;
    return backwardAndStep(*optimizer_, loss);
}

void Trainer::setDataParallel(int rank, int world, GradientSum sumGradients)
{
    JobTrainer::setDataParallel(rank, world, std::move(sumGradients));
    if (world > 1) {
        model_->setSparseEntityGradients(false); // the all-reduce sums dense gradients
        gen_.set_current_seed(config_.seed + 7919 * static_cast<uint64_t>(rank));
    }
}

torch::Tensor Trainer::parallelStep(const torch::Tensor& globalBatch)
{
    const int64_t b = globalBatch.size(0);
    const auto [from, to] = shareOf(b);
    model_->train();
    optimizer_->zero_grad();
    torch::Tensor loss;
    if (to > from)
        loss = batchLoss(globalBatch.narrow(0, from, to - from));
    ++steps_;
    return parallelBackwardAndStep(*optimizer_, loss, to - from, b);
}

std::vector<EpochResult> Trainer::run(const std::function<void(const TrainProgress&)>& onProgress,
                                      const CancelToken* cancel,
                                      const std::function<bool(const EpochResult&)>& onEpoch)
{
    const int64_t n = data_.train.size(0);
    const auto train = data_.train.to(device_);
    torch::Tensor order;
    // The epoch's order in 32-bit ids where they fit: the same permutation as in int64 (one
    // draw per position either way) at half the memory, 80 MB less at 20M triples.
    const auto orderType = n <= std::numeric_limits<int32_t>::max() ? torch::kInt32 : torch::kInt64;
    return runEpochs(
        epochsDone_, steps_, config_.batchSize,
        [&] {
            if (!dataParallel()) {
                order = torch::randperm(n, gen_, orderType).to(device_);
                return;
            }
            auto epochGen = at::make_generator<at::CPUGeneratorImpl>(config_.seed * 1000003 + epochsDone_ + 1);
            order = torch::randperm(n, epochGen, orderType).to(device_);
        },
        [&](int64_t s) {
            const int64_t from = s * config_.batchSize;
            // A compact (int32) train widens here, one batch at a time.
            const auto batch = train.index_select(0, order.narrow(0, from, std::min(config_.batchSize, n - from)))
                                   .to(torch::kInt64);
            return dataParallel() ? parallelStep(batch) : step(batch);
        },
        onProgress, cancel, onEpoch);
}

RankMetrics Trainer::evaluate(const torch::Tensor& triples, const FilterIndex& filter, const CancelToken* cancel)
{
    return ml::evaluate(model_, triples, filter, config_.evalBatch, cancel);
}

} // namespace kg::ml

namespace kg::ml {

void Trainer::saveState(torch::serialize::OutputArchive& archive) const
{
    writeState(archive, *model_, *optimizer_, gen_, steps_);
}

void Trainer::loadState(torch::serialize::InputArchive& archive, int64_t epochsDone, const std::string& source)
{
    steps_ = readState(archive, *model_, *optimizer_, gen_, source);
    epochsDone_ = epochsDone;
}

} // namespace kg::ml
