// Training run history kept in the project (tables runs, run_metrics; schema v2).
// Torch-free, so the GUI can list and compare runs without linking LibTorch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/run_lease.h"

namespace kg {

class Project;

struct RunRecord {
    int64_t id = 0;
    std::string created, finished; // SQLite datetime text, UTC
    std::string kind, status, config, finalMetrics, checkpoint;
};

struct MetricPoint {
    int64_t step = 0;
    int64_t epoch = 0;
    double value = 0;
};

class RunStore {
public:
    explicit RunStore(Project& project);

    // A new 'running' run. With `lease`, the run's lease is taken before the row is visible to
    // other connections, so markInterrupted() never sees it running without an owner.
    int64_t createRun(const std::string& kind, const std::string& configJson, RunLease* lease = nullptr);
    // Marks a finished, cancelled, failed or interrupted run as running again with an updated
    // config (resuming from its checkpoint), leased like createRun. Throws NotFound.
    void reopenRun(int64_t run, const std::string& configJson, RunLease* lease = nullptr);
    // Runs marked 'running' whose lease no process holds (killed, crashed, power lost) become
    // 'interrupted'. Returns their ids. Called when a project is opened for writing.
    std::vector<int64_t> markInterrupted();
    // Where the run keeps its checkpoints (known from the start, so an interrupted run can resume).
    void setCheckpoint(int64_t run, const std::string& checkpoint);
    void addMetric(int64_t run, int64_t step, int64_t epoch, const std::string& name, double value);
    // Sets status, final metrics (JSON) and checkpoint path, and stamps the finish time.
    void finishRun(int64_t run, const std::string& status, const std::string& finalMetricsJson,
                   const std::string& checkpoint = {});
    std::vector<RunRecord> runs();
    std::optional<RunRecord> run(int64_t id);
    std::vector<MetricPoint> metric(int64_t run, const std::string& name);
    std::vector<std::string> metricNames(int64_t run);
    // Whether the run stored any point of this metric (one index probe).
    bool hasMetric(int64_t run, const std::string& name);
    void deleteRun(int64_t run);

private:
    Project& project_;
};

} // namespace kg
