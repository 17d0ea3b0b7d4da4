// The background engine thread for training. Jobs are queued and run one at a time on a
// dedicated QThread through the engine's job interface (ml/job.h): KGE and transformer
// TrainJobs, and the question-answering and relation-extraction jobs. Every event reaches the
// GUI as a queued signal tagged with the job's token; the receiver ignores tokens it does not
// know (stale results). Destroying the worker cancels the running job, drops queued ones and
// joins the thread, so closing the window mid-training leaves a consistent project (the run is
// recorded as cancelled and its last finished epoch is resumable).
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>

#include "ml/job.h"
#include "ml/train_job.h"
#include "worker_thread.h"

namespace kgw {

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override;

    // Queues a training job for the project file; returns its token (> 0).
    quint64 enqueue(const QString& projectPath, const kg::ml::JobSpec& spec);
    // Queues any job (built on this thread, run on the engine thread).
    quint64 enqueue(std::shared_ptr<kg::ml::Job> job);
    void cancel(quint64 token); // running or queued
    void cancelAll();
    void setPaused(bool paused); // the running job
    bool paused() const { return paused_.load(); }
    bool busy() const { return pending_.load() > 0; }
    quint64 runningToken() const { return running_.load(); }

Q_SIGNALS:
    void jobEvent(quint64 token, const kg::ml::JobEvent& event);
    // status: finished | stopped_early | cancelled | failed; error text for failures.
    void jobFinished(quint64 token, qint64 runId, const QString& status, const QString& error);

private:
    void runNext();

    WorkerThread thread_;
    std::mutex mutex_;
    std::shared_ptr<kg::ml::Job> current_; // guarded by mutex_
    std::atomic<quint64> running_{0};
    std::atomic<quint64> nextToken_{0};
    std::atomic<int> pending_{0};
    std::atomic<bool> paused_{false};
    std::atomic<bool> stopping_{false};
    std::deque<quint64> cancelled_; // queued tokens cancelled before they started; mutex_
};

} // namespace kgw

Q_DECLARE_METATYPE(kg::ml::JobEvent)
