// Any long training job the GUI's engine thread queues: KGE and transformer runs (TrainJob),
// question answering (QaJob) and relation extraction (ExtractJob) behind one torch-free
// interface, so one queue runs them in order with the same events, pause and cancel.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "ml/train_job.h"

namespace kg::ml {

class Job {
public:
    struct Outcome {
        int64_t runId = 0;
        std::string status; // finished | stopped_early | cancelled (failures throw kg::Error)
    };
    virtual ~Job() = default;
    // Runs on the calling thread; events as TrainJob's (ml/train_job.h).
    virtual Outcome run(const std::function<void(const JobEvent&)>& onEvent) = 0;
    // Both may be called from any thread.
    virtual void cancel() = 0;
    virtual void setPaused(bool paused) = 0;
};

// The share of a job done (0..1) at a Progress or Epoch event; -1 for other events.
inline double shareDone(const JobEvent& e)
{
    if (e.kind != JobEvent::Kind::Progress && e.kind != JobEvent::Kind::Epoch)
        return -1;
    if (e.epochs <= 0)
        return 0;
    if (e.kind == JobEvent::Kind::Epoch || e.stepsPerEpoch <= 0)
        return static_cast<double>(e.epoch) / static_cast<double>(e.epochs);
    const double done = static_cast<double>(e.step) / static_cast<double>(e.epochs * e.stepsPerEpoch);
    return done < 1 ? done : 1;
}

// A Job over a concrete job class J (run() returning a result with runId and status,
// cancel(), setPaused()); J is built in place from the arguments.
template <class J>
class JobOf final : public Job {
public:
    template <class... Args>
    explicit JobOf(Args&&... args)
        : job_(std::forward<Args>(args)...)
    {
    }
    Outcome run(const std::function<void(const JobEvent&)>& onEvent) override
    {
        const auto r = job_.run(onEvent);
        return {r.runId, r.status};
    }
    void cancel() override { job_.cancel(); }
    void setPaused(bool paused) override { job_.setPaused(paused); }

private:
    J job_;
};

} // namespace kg::ml
