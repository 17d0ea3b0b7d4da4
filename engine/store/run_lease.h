// Says that a training run is alive: while a RunLease exists, this process holds an
// open-file-description lock on byte `run` of "<project>-runs.lock". The kernel drops it when
// the process dies, even by kill -9, so RunStore::markInterrupted() can tell a run that is
// still training (in this or another process) from one whose process is gone.
#pragma once

#include <cstdint>
#include <string>

namespace kg {

class RunLease {
public:
    RunLease() = default;
    // Throws Error(Io) if the lock file cannot be opened or the run is already held.
    RunLease(const std::string& projectPath, int64_t run);
    ~RunLease();
    RunLease(RunLease&& other) noexcept;
    RunLease& operator=(RunLease&& other) noexcept;
    RunLease(const RunLease&) = delete;
    RunLease& operator=(const RunLease&) = delete;

    // Whether any process (this one included) holds the run's lease.
    static bool held(const std::string& projectPath, int64_t run);
    static std::string lockPath(const std::string& projectPath) { return projectPath + "-runs.lock"; }

private:
    int fd_ = -1;
};

} // namespace kg
