#include "ml/job_trainer.h"

#include "ml/adam_step.h"
#include "ml/checkpoint.h"

#include <cstdio>
#include <thread>
#include <unistd.h>

#include "core/allocator.h"
#include "core/error.h"
#include "ml/cpu_block_cache.h"
#include "ml/text_trainer.h"
#include "ml/gnn_trainer.h"
#include "ml/trainer.h"
#include "ml/torch_compat.h"

namespace kg::ml {

torch::Device selectDevice(const std::string& spec)
{
    if (spec == "cpu")
        return torch::kCPU;
    if (spec == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    if (!torch::cuda::is_available())
        throw Error(Errc::InvalidArgument, "device '" + spec + "' requested but CUDA is not available");
    int index = 0;
    if (spec.size() > 5) {
        try {
            index = std::stoi(spec.substr(5));
        } catch (const std::exception&) {
            throw Error(Errc::InvalidArgument, "device '" + spec + "' is not cuda:N");
        }
    }
    if (index < 0 || index >= static_cast<int>(torch::cuda::device_count()))
        throw Error(Errc::InvalidArgument, "no CUDA device " + std::to_string(index));
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

int64_t JobTrainer::memoryInUse() const
{
    if (device().is_cuda()) {
        if (const auto bytes = compat::cudaAllocatedBytes(device().index()))
            return *bytes;
    }
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

std::chrono::steady_clock::duration JobTrainer::waitWhilePaused(const CancelToken* cancel) const
{
    const auto start = std::chrono::steady_clock::now();
    while (pause_ && pause_->load()) {
        if (cancel)
            cancel->throwIfCancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::chrono::steady_clock::now() - start;
}

void setTorchThreads(int threads)
{
    at::set_num_threads(threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

torch::Tensor JobTrainer::backwardAndStep(torch::optim::Optimizer& optimizer, const torch::Tensor& loss)
{
    loss.backward();
    stepOptimizer(optimizer);
    return loss.detach();
}

void JobTrainer::setDataParallel(int rank, int world, GradientSum sumGradients)
{
    if (world < 1 || rank < 0 || rank >= world || config().batchSize < world)
        throw Error(Errc::InvalidArgument, "data parallel: rank " + std::to_string(rank) + " of " + std::to_string(world) +
                                               " (the batch needs at least one example per rank)");
    rank_ = rank;
    world_ = world;
    sumGradients_ = std::move(sumGradients);
}

std::pair<int64_t, int64_t> JobTrainer::shareOf(int64_t batch) const
{
    const int64_t per = (batch + world_ - 1) / world_;
    const int64_t from = std::min(batch, rank_ * per);
    return {from, std::min(batch, from + per)};
}

torch::Tensor JobTrainer::parallelBackwardAndStep(torch::optim::Optimizer& optimizer, const torch::Tensor& shareLoss,
                                                  int64_t share, int64_t batch)
{
    if (share > 0)
        (shareLoss * (static_cast<double>(share) / static_cast<double>(batch))).backward();
    std::vector<torch::Tensor> grads; // the parameters' own gradient tensors, summed in place
    for (auto& group : optimizer.param_groups())
        for (auto& p : group.params()) {
            if (!p.grad().defined())
                p.mutable_grad() = torch::zeros_like(p);
            grads.push_back(p.mutable_grad());
        }
    sumGradients_(grads);
    stepOptimizer(optimizer);
    return share > 0 ? shareLoss.detach() : torch::zeros({}, grads.front().options());
}

double JobTrainer::optimizerStep(torch::optim::Optimizer& optimizer, const torch::Tensor& loss)
{
    return finiteLoss(backwardAndStep(optimizer, loss));
}

double JobTrainer::finiteLoss(const torch::Tensor& loss)
{
    const double value = loss.to(torch::kFloat64).item<double>(); // also under bf16 autocast
    if (!std::isfinite(value))
        throw Error(Errc::InvalidArgument, "training diverged (loss is " + std::to_string(value) +
                                               "); lower the learning rate");
    return value;
}

std::vector<EpochResult> JobTrainer::runEpochs(int64_t& epochsDone, const int64_t& steps, int64_t batchSize,
                                               const std::function<void()>& startEpoch,
                                               const std::function<torch::Tensor(int64_t)>& step,
                                               const std::function<void(const TrainProgress&)>& onProgress,
                                               const CancelToken* cancel,
                                               const std::function<bool(const EpochResult&)>& onEpoch)
{
    using Clock = std::chrono::steady_clock;
    keepFreedMemoryForReuse(); // each step frees and allocates the same tensors again
    const CpuBlockCacheScope largeBlocks; // ... and those above glibc's mmap threshold (ml/cpu_block_cache.h)
    std::vector<EpochResult> results;
    const int64_t perEpoch = stepsPerEpoch(), epochs = config().epochs;
    const auto start = Clock::now();
    auto lastReport = start - std::chrono::hours(1);
    Clock::duration pausedFor{}, inOnEpoch{};
    int64_t stepsThisRun = 0;
    const int64_t tokensAtStart = tokensRead();
    const int64_t planned = (epochs - epochsDone) * perEpoch;
    while (epochsDone < epochs) {
        startEpoch();
        // The epoch's loss is summed where it was computed and read (a device sync) only for a
        // progress report and at the epoch's end: between them a GPU runs ahead of the host.
        torch::Tensor sum;
        for (int64_t s = 0; s < perEpoch; ++s) {
            if (cancel)
                cancel->throwIfCancelled();
            pausedFor += waitWhilePaused(cancel); // ETA and throughput ignore pauses
            const torch::Tensor loss = step(s).to(torch::kFloat64);
            sum = sum.defined() ? sum + loss : loss;
            ++stepsThisRun;
            const auto now = Clock::now();
            if (onProgress && (s + 1 == perEpoch || now - lastReport >= progressInterval_)) {
                lastReport = now;
                // Throughput counts the steps' time alone; the ETA also the epoch-end work seen
                // so far (validation, checkpoints), which the epochs left will repeat.
                const double secs = std::chrono::duration<double>(now - start - pausedFor).count();
                const double training = std::chrono::duration<double>(now - start - pausedFor - inOnEpoch).count();
                TrainProgress p;
                p.epoch = epochsDone;
                p.epochs = epochs;
                p.step = steps;
                p.stepsPerEpoch = perEpoch;
                p.loss = finiteLoss(loss);
                p.triplesPerSecond = training > 0 ? static_cast<double>(stepsThisRun * batchSize) / training : 0;
                p.tokensPerSecond = training > 0 ? static_cast<double>(tokensRead() - tokensAtStart) / training : 0;
                p.etaSeconds = secs / static_cast<double>(stepsThisRun) * static_cast<double>(planned - stepsThisRun);
                onProgress(p);
            }
        }
        // Any step's non-finite loss makes the sum non-finite: the run fails before the epoch
        // counts (and before a checkpoint of it is written).
        const double total = sum.defined() ? finiteLoss(sum) : 0.0;
        results.push_back({epochsDone, total / static_cast<double>(std::max<int64_t>(1, perEpoch))});
        ++epochsDone;
        const auto epochEnd = Clock::now();
        const bool goOn = !onEpoch || onEpoch(results.back());
        inOnEpoch += Clock::now() - epochEnd;
        if (!goOn)
            break;
    }
    return results;
}

void JobTrainer::writeState(torch::serialize::OutputArchive& archive, const torch::nn::Module& model,
                            torch::optim::Optimizer& optimizer, const at::Generator& gen, int64_t steps)
{
    writeParameters(archive, model, "model.");
    torch::serialize::OutputArchive opt;
    optimizer.save(opt);
    archive.write("optimizer", opt);
    archive.write("rng", gen.get_state());
    archive.write("steps", torch::tensor(steps, torch::kInt64));
}

int64_t JobTrainer::readState(torch::serialize::InputArchive& archive, torch::nn::Module& model,
                              torch::optim::Optimizer& optimizer, at::Generator& gen, const std::string& source)
{
    auto fail = [&](const std::string& why) { throw Error(Errc::Format, "checkpoint '" + source + "': " + why); };
    readParameters(archive, model, "model.", fail);
    torch::serialize::InputArchive opt;
    torch::Tensor rng, steps;
    if (!archive.try_read("optimizer", opt) || !archive.try_read("rng", rng) || !archive.try_read("steps", steps))
        fail("missing optimizer or RNG state");
    try {
        optimizer.load(opt);
        gen.set_state(rng);
    } catch (const c10::Error& e) {
        fail(std::string("optimizer or RNG state does not fit: ") + e.what_without_backtrace());
    }
    return steps.item<int64_t>();
}

std::unique_ptr<JobTrainer> makeTrainer(const TrainConfig& config, const KgData& data, const std::string& projectPath,
                                        const std::string& tokenizerBytes)
{
    if (config.model == ModelKind::Transformer)
        return std::make_unique<TextTrainer>(config, data, projectPath, tokenizerBytes);
    if (config.model == ModelKind::CompGCN)
        return std::make_unique<GnnTrainer>(config, data);
    return std::make_unique<Trainer>(config, data);
}

} // namespace kg::ml
