#include "ml/train_job.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <nlohmann/json.hpp>

#include "ml/checkpoint.h"
#include "ml/cpu_block_cache.h"
#include "ml/evaluator.h"
#include "ml/kg_data.h"
#include "ml/text_trainer.h"
#include "ml/torch_compat.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "store/run_store.h"

namespace kg::ml {
namespace {

// The kept model of a finished transformer run lives in the project under this name.
std::string keptModelName(int64_t run) { return "model.run." + std::to_string(run); }

void storeKept(Project& project, int64_t run, const std::string& bytes, const JobTrainer& trainer)
{
    storeKeptModel(project, run, bytes, trainer.epochsDone());
}

// LibTorch's message without its backtrace; for an out-of-memory error, what to try instead.
std::string withRemedy(const c10::Error& e, const char* remedy)
{
    std::string what = e.what_without_backtrace();
    if (what.find("out of memory") != std::string::npos)
        what += std::string(" (try ") + remedy + ")";
    return what;
}

} // namespace

void storeKeptModel(Project& project, int64_t run, const std::string& checkpointBytes, int64_t epochs)
{
    ArtifactStore(project).put(keptModelName(run), "kgwb-checkpoint", checkpointBytes,
                               nlohmann::json{{"run", run}, {"epochs", epochs}}.dump());
}

OpenedCheckpoint readInitFrom(Project& project, int64_t run)
{
    const std::string name = "run " + std::to_string(run);
    auto opened = openCheckpoint(keptModelBytes(project, run), name);
    if (opened.info.config.model != ModelKind::Transformer)
        throw Error(Errc::InvalidArgument, name + " trained " + modelName(opened.info.config.model) + ", not the transformer");
    return opened;
}

Validations::Validations(RunStore& history, int64_t run, int patience)
    : history_(history)
    , run_(run)
    , patience_(patience)
{
}

void Validations::resumeFromHistory()
{
    for (const auto& p : history_.metric(run_, "valid_mrr"))
        if (!best_ || p.value > *best_)
            best_ = p.value;
}

bool Validations::record(int64_t step, int64_t epoch, const RankMetrics& m)
{
    history_.addMetric(run_, step, epoch, "valid_mrr", m.mrr);
    history_.addMetric(run_, step, epoch, "valid_hits@1", m.hits1);
    history_.addMetric(run_, step, epoch, "valid_hits@10", m.hits10);
    if (!best_ || m.mrr > *best_) {
        best_ = m.mrr;
        sinceBest_ = 0;
        return true;
    }
    ++sinceBest_;
    return false;
}

std::string keptModelBytes(Project& project, int64_t run)
{
    if (auto a = ArtifactStore(project).get(keptModelName(run)))
        return a->data;
    const auto record = RunStore(project).run(run);
    if (!record)
        throw Error(Errc::NotFound, "there is no run " + std::to_string(run));
    if (record->checkpoint.empty() || !std::filesystem::exists(record->checkpoint))
        throw Error(Errc::NotFound, "run " + std::to_string(run) + " kept no model (no checkpoint file)");
    return readCheckpointFile(record->checkpoint);
}


TrainJob::TrainJob(std::string projectPath, JobSpec spec)
    : projectPath_(std::move(projectPath))
    , spec_(std::move(spec))
{
}

TrainJob::~TrainJob() = default;

JobResult TrainJob::run(const std::function<void(const JobEvent&)>& onEvent)
{
    const auto emit = [&](JobEvent e) {
        if (onEvent)
            onEvent(e);
    };
    auto project = Project::open(projectPath_, Project::OpenMode::MustExist);
    // Setup, stage by stage; a cancel takes effect at the end of a stage (see JobEvent).
    auto prepare = [&](const char* stage) { emit(JobEvent::preparing(stage, spec_.config.epochs)); };
    JobResult cancelledEarly;
    cancelledEarly.status = "cancelled";
    prepare("project");
    // Train in int32, half the memory: the KGE trainer widens it batch by batch, the others
    // read it through trainInt64().
    KgData::Load load;
    load.tripleIds = false;
    load.compactTrain = true;
    const KgData data = KgData::fromProject(*project, load);
    if (data.train.size(0) == 0)
        throw Error(Errc::InvalidArgument, "the project has no training triples");
    if (cancel_.cancelled())
        return cancelledEarly;
    prepare("model");
    std::unique_ptr<JobTrainer> owned;
    const bool transformer = spec_.config.model == ModelKind::Transformer;
    // The model it resumes or starts from, read once: its tokenizer builds the model, then it loads.
    std::optional<OpenedCheckpoint> resume;
    if (!spec_.resumeFrom.empty())
        resume = openCheckpoint(readCheckpointFile(spec_.resumeFrom), spec_.resumeFrom);
    const int64_t initRun = transformer && !resume ? spec_.config.transformer.initFrom : 0;
    std::optional<OpenedCheckpoint> init;
    if (initRun > 0)
        init = readInitFrom(*project, initRun);
    // A transformer reads text with the tokenizer of the model it resumes or starts from.
    const std::string tokenizer = !transformer || !needsText(spec_.config) ? std::string()
                                  : resume               ? resume->tokenizer
                                  : init                 ? init->tokenizer
                                                         : std::string();
    try {
        owned = makeTrainer(spec_.config, data, projectPath_, tokenizer);
    } catch (const c10::Error& e) {
        throw Error(Errc::Library, "cannot build the model: " + withRemedy(e, "a smaller dim"));
    }
    if (cancel_.cancelled())
        return cancelledEarly;
    JobTrainer& trainer = *owned;
    trainer.setPauseFlag(&paused_);
    trainer.setProgressInterval(std::chrono::milliseconds(spec_.progressIntervalMs));
    if (resume) {
        loadCheckpoint(*resume, spec_.resumeFrom, trainer);
    } else if (init) {
        static_cast<TextTrainer&>(trainer).initFrom(init->archive, "run " + std::to_string(initRun));
    }
    std::string keptBytes; // transformer: the kept model, stored in the project at the end

    RunStore history(*project);
    RunLease lease; // held until the job returns; a killed process leaves the run 'interrupted'
    JobResult result;
    if (spec_.continueRun > 0) {
        history.reopenRun(spec_.continueRun, spec_.config.toJson(), &lease);
        result.runId = spec_.continueRun;
    } else {
        result.runId = history.createRun(transformer ? "transformer" : "kge", spec_.config.toJson(), &lease);
    }
    Validations validations(history, result.runId, spec_.patience);
    if (spec_.continueRun > 0)
        validations.resumeFromHistory();
    const std::optional<double>& best = validations.best();
    result.checkpoint = spec_.checkpoint;
    if (!spec_.checkpoint.empty())
        history.setCheckpoint(result.runId, spec_.checkpoint);
    const int64_t stepsPerEpoch = trainer.stepsPerEpoch();
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
    auto keep = [&] {
        if (transformer)
            keptBytes = checkpointBytes(trainer);
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

    std::optional<FilterIndex> filterIndex; // built at the first evaluation (none without valid/test)
    auto filter = [&]() -> const FilterIndex& {
        if (!filterIndex)
            filterIndex.emplace(data);
        return *filterIndex;
    };
    result.status = "finished";
    auto onProgress = [&](const TrainProgress& p) { // at most every progressIntervalMs (setProgressInterval)
        JobEvent e = event(JobEvent::Kind::Progress);
        e.epoch = p.epoch + 1;
        e.step = p.step;
        e.loss = p.loss;
        e.triplesPerSecond = p.triplesPerSecond;
        e.tokensPerSecond = p.tokensPerSecond;
        e.etaSeconds = p.etaSeconds;
        e.memoryBytes = trainer.memoryInUse();
        emit(e);
    };
    auto onEpoch = [&](const EpochResult& r) {
        const int64_t epoch = r.epoch + 1;
        const int64_t step = epoch * stepsPerEpoch;
        history.addMetric(result.runId, step, epoch, "loss", r.meanLoss);
        JobEvent e = event(JobEvent::Kind::Epoch);
        e.loss = r.meanLoss;
        e.memoryBytes = trainer.memoryInUse();
        emit(e);
        if (!spec_.checkpoint.empty())
            save(resumePath(spec_.checkpoint)); // epoch boundary: resuming from here is bit-exact
        if (spec_.evalEvery <= 0 || epoch % spec_.evalEvery != 0 || data.valid.size(0) == 0)
            return true;
        const auto m = trainer.evaluate(data.valid, filter(), &cancel_);
        const bool better = validations.record(step, epoch, m);
        JobEvent v = event(JobEvent::Kind::Validation);
        v.metrics = m;
        emit(v);
        if (better) {
            keep();
            if (!spec_.checkpoint.empty())
                save(spec_.checkpoint);
            return true;
        }
        if (validations.exhausted()) {
            result.status = "stopped_early";
            return false;
        }
        return true;
    };

    try {
        const CpuBlockCacheScope largeBlocks; // the steps, validations and the test evaluation
        trainer.run(onProgress, &cancel_, onEpoch);
        result.epochsDone = trainer.epochsDone();
        result.bestValidMrr = best;
        const bool haveBest = best && !spec_.checkpoint.empty() && std::filesystem::exists(spec_.checkpoint);
        if (!spec_.checkpoint.empty() && !haveBest)
            save(spec_.checkpoint);
        else if (haveBest)
            loadCheckpoint(spec_.checkpoint, trainer); // report test metrics of the kept model
        else if (!keptBytes.empty())
            loadCheckpointBytes(keptBytes, "the kept model", trainer);
        if (keptBytes.empty())
            keep();
        if (transformer)
            storeKept(*project, result.runId, keptBytes, trainer);
        nlohmann::json final{{"epochs", result.epochsDone}};
        if (best)
            final["best_valid_mrr"] = *best;
        JobEvent done = event(JobEvent::Kind::Finished);
        done.epoch = result.epochsDone;
        if (spec_.evaluateTest && data.test.size(0) > 0) {
            result.test = trainer.evaluate(data.test, filter(), &cancel_);
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
        if (cancelled && transformer && trainer.epochsDone() > 0) {
            try {
                if (keptBytes.empty())
                    keep();
                storeKept(*project, result.runId, keptBytes, trainer);
            } catch (const Error&) {
                // as above
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
    } catch (const c10::Error& e) { // LibTorch: e.g. out of memory
        const std::string what = withRemedy(e, "a smaller batch_size or eval_batch, or a smaller dim");
        history.finishRun(result.runId, "failed",
                          nlohmann::json{{"epochs", trainer.epochsDone()}, {"error", what}}.dump(), spec_.checkpoint);
        throw Error(Errc::Library, "training failed: " + what);
    } catch (const std::exception& e) {
        history.finishRun(result.runId, "failed",
                          nlohmann::json{{"epochs", trainer.epochsDone()}, {"error", e.what()}}.dump(),
                          spec_.checkpoint);
        throw Error(Errc::Library, std::string("training failed: ") + e.what());
    }
}

std::vector<std::string> availableDevices()
{
    std::vector<std::string> out{"cpu"};
    // device_count() is size_t in LibTorch 1.13, a signed DeviceIndex in 2.x.
    const auto count = torch::cuda::is_available() ? static_cast<int64_t>(torch::cuda::device_count()) : 0;
    for (int64_t i = 0; i < count; ++i)
        out.push_back("cuda:" + std::to_string(i));
    return out;
}

std::vector<std::string> deviceDescriptions()
{
    std::vector<std::string> out;
    const auto count = torch::cuda::is_available() ? static_cast<int64_t>(torch::cuda::device_count()) : 0;
    for (int64_t i = 0; i < count; ++i)
        out.push_back("cuda:" + std::to_string(i) + " — " + compat::cudaDeviceDescription(static_cast<int>(i)));
    return out;
}

} // namespace kg::ml
