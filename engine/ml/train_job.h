// A training job: a JSON spec in, progress events out. This is the one place that composes
// Trainer, evaluation, checkpoints and the project's run history; the CLI and the GUI's engine
// thread both drive it. The header is torch-free so Qt code can include it.
//
// Threading contract: run() executes on the calling thread and opens its own connection to the
// project file (never share a Project across the job and the GUI). cancel() and setPaused()
// may be called from any thread. Events are delivered on the job's thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/rank_metrics.h"
#include "ml/train_config.h"

namespace kg {
class Project;
class RunStore;
}

namespace kg::ml {

struct JobSpec {
    TrainConfig config;
    // Model to keep: the best by validation MRR when validation runs, else the latest.
    std::string checkpoint;
    // The latest full state is kept at resumePath(checkpoint) every epoch and on cancel.
    std::string resumeFrom;  // checkpoint file to continue from ("" = fresh start)
    int64_t continueRun = 0; // append to this run record instead of creating one
    int evalEvery = 1;       // validate every N epochs (0 = never)
    int patience = 0;        // early stop after N validations without improvement (0 = never)
    bool evaluateTest = true;
    int progressIntervalMs = 200; // Progress events at most this often

    std::string toJson() const;
    // Throws Error(InvalidArgument) naming the bad field; "config" is a TrainConfig object.
    static JobSpec fromJson(const std::string& json);
};

// Where the job keeps the resumable latest state for a given checkpoint path.
std::string resumePath(const std::string& checkpoint);

// Events in order: Preparing (one per setup stage), Started, then Progress / Epoch /
// Validation / Checkpoint, and Finished. Preparing's text names the stage: "project" (reading
// the graph), "model" (building the model; for a transformer or a QA reasoner with pieces this
// trains or loads the tokenizer and encodes the entities' text) or "corpus" (extraction:
// documents and their mention pairs). A cancel during setup takes effect when the stage ends;
// the job then returns "cancelled" with run id 0, and no run is recorded.
struct JobEvent {
    enum class Kind { Preparing, Started, Progress, Epoch, Validation, Checkpoint, Finished };
    Kind kind = Kind::Progress;
    int64_t runId = 0;
    int64_t epoch = 0; // 1-based epochs completed (Epoch/Validation) or in progress (Progress)
    int64_t epochs = 0;
    int64_t step = 0;  // optimizer steps since the run began (Progress, Epoch, Validation)
    int64_t stepsPerEpoch = 0;
    double loss = 0; // last step (Progress) or epoch mean (Epoch)
    double triplesPerSecond = 0;
    double tokensPerSecond = 0; // transformer: input tokens per second (0 for the other models)
    double etaSeconds = 0;
    int64_t memoryBytes = 0; // process RSS on CPU; parameters + optimizer state on CUDA
    RankMetrics metrics;     // Validation: valid split; Finished: test split (if evaluated)
    std::string text;        // Preparing: stage; Started: device; Checkpoint: path; Finished: status

    static JobEvent preparing(const char* stage, int64_t epochs = 0);
    std::string toJson() const;
};

const char* eventKindName(JobEvent::Kind kind);

struct JobResult {
    int64_t runId = 0;
    std::string status; // finished | stopped_early | cancelled
    int64_t epochsDone = 0;
    std::optional<double> bestValidMrr;
    std::optional<RankMetrics> test;
    std::string checkpoint;
};

class TrainJob {
public:
    TrainJob(std::string projectPath, JobSpec spec);
    ~TrainJob();

    // Runs to completion, early stop or cancellation (status "cancelled"; not an exception).
    // Other failures are recorded as status "failed" and rethrown as kg::Error.
    JobResult run(const std::function<void(const JobEvent&)>& onEvent);

    void cancel() { cancel_.cancel(); }
    void setPaused(bool paused) { paused_.store(paused); }
    bool paused() const { return paused_.load(); }

private:
    std::string projectPath_;
    JobSpec spec_;
    CancelToken cancel_;
    std::atomic<bool> paused_{false};
};

// "cpu" plus "cuda:N" for every CUDA device LibTorch can use.
std::vector<std::string> availableDevices();
// "cuda:0 — NVIDIA H200, 139.8 GiB" for each CUDA device; empty without CUDA.
std::vector<std::string> deviceDescriptions();

// The checkpoint bytes of the model a run kept: the project's artifact for transformer runs,
// else the run's checkpoint file. Throws Error(NotFound).
std::string keptModelBytes(Project& project, int64_t run);

// A run's validations: each recorded in its history (valid_mrr, valid_hits@1, valid_hits@10),
// the best MRR so far, and early stopping after `patience` validations without a better one
// (0 = never). TrainJob and data-parallel training (fed/data_parallel.h) each keep one.
class Validations {
public:
    Validations(RunStore& history, int64_t run, int patience);
    // Counts the run's validations recorded before (a continued run) towards the best.
    void resumeFromHistory();
    // Records `m` at (step, epoch); true when it is the best so far (keep that model).
    bool record(int64_t step, int64_t epoch, const RankMetrics& m);
    // Whether `patience` validations in a row were no better than the best.
    bool exhausted() const { return patience_ > 0 && sinceBest_ >= patience_; }
    const std::optional<double>& best() const { return best_; }

private:
    RunStore& history_;
    int64_t run_;
    int patience_;
    int sinceBest_ = 0;
    std::optional<double> best_;
};
// Stores a transformer run's kept model (checkpoint bytes) in the project, for keptModelBytes.
void storeKeptModel(Project& project, int64_t run, const std::string& checkpointBytes, int64_t epochs);

} // namespace kg::ml
