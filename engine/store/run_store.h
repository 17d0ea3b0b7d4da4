// Training run history kept in the project (tables runs, run_metrics; schema v2).
// Torch-free, so the GUI can list and compare runs without linking LibTorch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

    int64_t createRun(const std::string& kind, const std::string& configJson);
    // Marks a finished, cancelled or failed run as running again with an updated config
    // (resuming from its checkpoint). Throws NotFound.
    void reopenRun(int64_t run, const std::string& configJson);
    void addMetric(int64_t run, int64_t step, int64_t epoch, const std::string& name, double value);
    // Sets status, final metrics (JSON) and checkpoint path, and stamps the finish time.
    void finishRun(int64_t run, const std::string& status, const std::string& finalMetricsJson,
                   const std::string& checkpoint = {});
    std::vector<RunRecord> runs();
    std::optional<RunRecord> run(int64_t id);
    std::vector<MetricPoint> metric(int64_t run, const std::string& name);
    std::vector<std::string> metricNames(int64_t run);
    void deleteRun(int64_t run);

private:
    Project& project_;
};

} // namespace kg
