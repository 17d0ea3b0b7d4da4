#include "ml/train_job.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/kg_data.h"
#include "ml/trainer.h"
#include "store/project.h"
#include "store/run_store.h"

namespace kg::ml {
namespace {

int64_t residentBytes()
{
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

// Memory the job holds on its device: RSS on CPU; on CUDA the bytes of the parameters and
// their optimizer state (the caching allocator's totals are not in the public C++ API).
int64_t memoryInUse(const Trainer& trainer)
{
    if (!trainer.device().is_cuda())
        return residentBytes();
    int64_t bytes = 0;
    for (const auto& p : trainer.model()->parameters())
        bytes += p.numel() * p.element_size() * (trainer.config().optimizer == OptimizerKind::Adam ? 4 : 3);
    return bytes;
}

} // namespace

TrainJob::TrainJob(std::string projectPath, JobSpec spec)
    : projectPath_(std::move(projectPath))
    , spec_(std::move(spec))
{
}

TrainJob::~TrainJob() = default;

JobResult TrainJob::run(const std::function<void(const JobEvent&)>& onEvent)
{
    using Clock = std::chrono::steady_clock;
    const auto emit = [&](JobEvent e) {
        if (onEvent)
            onEvent(e);
    };
    auto project = Project::open(projectPath_, Project::OpenMode::MustExist);
    const KgData data = KgData::fromProject(*project);
    if (data.train.size(0) == 0)
        throw Error(Errc::InvalidArgument, "the project has no training triples");
    Trainer trainer(spec_.config, data);
    trainer.setPauseFlag(&paused_);
    if (!spec_.resumeFrom.empty())
        loadCheckpoint(spec_.resumeFrom, trainer);

    RunStore history(*project);
    JobResult result;
    std::optional<double> best;
    if (spec_.continueRun > 0) {
        history.reopenRun(spec_.continueRun, spec_.config.toJson());
        result.runId = spec_.continueRun;
        for (const auto& p : history.metric(result.runId, "valid_mrr"))
            if (!best || p.value > *best)
                best = p.value;
    } else {
        result.runId = history.createRun("kge", spec_.config.toJson());
    }
    result.checkpoint = spec_.checkpoint;
    const int64_t stepsPerEpoch = (data.train.size(0) + spec_.config.batchSize - 1) / spec_.config.batchSize;
    auto event = [&](JobEvent::Kind kind) {
        JobEvent e;
        e.kind = kind;
        e.runId = result.runId;
        e.epochs = spec_.config.epochs;
        e.stepsPerEpoch = stepsPerEpoch;
        e.epoch = trainer.epochsDone();
        e.step = trainer.epochsDone() * stepsPerEpoch;
        return e;
    };
    auto save = [&](const std::string& path) {
        saveCheckpoint(path, trainer);
        auto e = event(JobEvent::Kind::Checkpoint);
        e.text = path;
        emit(e);
    };
    {
        auto e = event(JobEvent::Kind::Started);
        e.text = trainer.device().str();
        emit(e);
    }

    const FilterIndex filter(data);
    int sinceBest = 0;
    result.status = "finished";
    auto lastProgress = Clock::now() - std::chrono::hours(1);
    auto onProgress = [&](const TrainProgress& p) {
        const auto now = Clock::now();
        const bool lastOfEpoch = (p.step % p.stepsPerEpoch) == 0;
        if (!lastOfEpoch && now - lastProgress < std::chrono::milliseconds(spec_.progressIntervalMs))
            return;
        lastProgress = now;
        JobEvent e = event(JobEvent::Kind::Progress);
        e.epoch = p.epoch + 1;
        e.step = p.step;
        e.loss = p.loss;
        e.triplesPerSecond = p.triplesPerSecond;
        e.etaSeconds = p.etaSeconds;
        e.memoryBytes = memoryInUse(trainer);
        emit(e);
    };
    auto onEpoch = [&](const EpochResult& r) {
        const int64_t epoch = r.epoch + 1;
        const int64_t step = epoch * stepsPerEpoch;
        history.addMetric(result.runId, step, epoch, "loss", r.meanLoss);
        JobEvent e = event(JobEvent::Kind::Epoch);
        e.loss = r.meanLoss;
        e.memoryBytes = memoryInUse(trainer);
        emit(e);
        if (!spec_.checkpoint.empty())
            save(resumePath(spec_.checkpoint)); // epoch boundary: resuming from here is bit-exact
        if (spec_.evalEvery <= 0 || epoch % spec_.evalEvery != 0 || data.valid.size(0) == 0)
            return true;
        const auto m = evaluate(trainer.model(), data.valid, filter, spec_.config.evalBatch, &cancel_);
        history.addMetric(result.runId, step, epoch, "valid_mrr", m.mrr);
        history.addMetric(result.runId, step, epoch, "valid_hits@1", m.hits1);
        history.addMetric(result.runId, step, epoch, "valid_hits@10", m.hits10);
        JobEvent v = event(JobEvent::Kind::Validation);
        v.metrics = m;
        emit(v);
        if (!best || m.mrr > *best) {
            best = m.mrr;
            sinceBest = 0;
            if (!spec_.checkpoint.empty())
                save(spec_.checkpoint);
            return true;
        }
        if (spec_.patience > 0 && ++sinceBest >= spec_.patience) {
            result.status = "stopped_early";
            return false;
        }
        return true;
    };

    try {
        trainer.run(onProgress, &cancel_, onEpoch);
        result.epochsDone = trainer.epochsDone();
        result.bestValidMrr = best;
        const bool haveBest = best && !spec_.checkpoint.empty() && std::filesystem::exists(spec_.checkpoint);
        if (!spec_.checkpoint.empty() && !haveBest)
            save(spec_.checkpoint);
        else if (haveBest)
            loadCheckpoint(spec_.checkpoint, trainer); // report test metrics of the kept model
        nlohmann::json final{{"epochs", result.epochsDone}};
        if (best)
            final["best_valid_mrr"] = *best;
        JobEvent done = event(JobEvent::Kind::Finished);
        done.epoch = result.epochsDone;
        if (spec_.evaluateTest && data.test.size(0) > 0) {
            result.test = evaluate(trainer.model(), data.test, filter, spec_.config.evalBatch, &cancel_);
            final["test"] = toJson(*result.test);
            done.metrics = *result.test;
        }
        history.finishRun(result.runId, result.status, final.dump(), spec_.checkpoint);
        done.text = result.status;
        emit(done);
        return result;
    } catch (const Error& e) {
        const bool cancelled = e.code() == Errc::Cancelled;
        result.epochsDone = trainer.epochsDone();
        result.bestValidMrr = best;
        if (cancelled && !spec_.checkpoint.empty() && !best) {
            try {
                save(spec_.checkpoint); // keep the work done so far as the usable model
            } catch (const Error&) {
                // the run is recorded as cancelled either way
            }
        }
        nlohmann::json final{{"epochs", result.epochsDone}};
        if (!cancelled)
            final["error"] = e.what();
        if (best)
            final["best_valid_mrr"] = *best;
        history.finishRun(result.runId, cancelled ? "cancelled" : "failed", final.dump(), spec_.checkpoint);
        if (!cancelled)
            throw;
        result.status = "cancelled";
        JobEvent done = event(JobEvent::Kind::Finished);
        done.text = result.status;
        emit(done);
        return result;
    } catch (const std::exception& e) { // LibTorch (c10::Error: e.g. out of memory) or std
        history.finishRun(result.runId, "failed",
                          nlohmann::json{{"epochs", trainer.epochsDone()}, {"error", e.what()}}.dump(),
                          spec_.checkpoint);
        throw Error(Errc::Library, std::string("training failed: ") + e.what());
    }
}

std::vector<std::string> availableDevices()
{
    std::vector<std::string> out{"cpu"};
    if (torch::cuda::is_available())
        for (size_t i = 0; i < torch::cuda::device_count(); ++i)
            out.push_back("cuda:" + std::to_string(i));
    return out;
}

} // namespace kg::ml
