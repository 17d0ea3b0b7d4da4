#include "training_worker.h"

#include <QMetaObject>
#include <algorithm>

#include "core/error.h"
#include "qt_convert.h"

namespace kgw {

TrainingWorker::TrainingWorker(QObject* parent)
    : QObject(parent)
    , thread_(QStringLiteral("engine"))
{
    qRegisterMetaType<kg::ml::JobEvent>();
}

TrainingWorker::~TrainingWorker()
{
    stopping_ = true;
    cancelAll();
    thread_.stop();
}

quint64 TrainingWorker::enqueue(const QString& projectPath, const kg::ml::JobSpec& spec)
{
    return enqueue(std::make_shared<kg::ml::JobOf<kg::ml::TrainJob>>(ss(projectPath), spec));
}

quint64 TrainingWorker::enqueue(std::shared_ptr<kg::ml::Job> queued)
{
    const quint64 token = ++nextToken_;
    ++pending_;
    // Jobs run in order on the engine thread: post() queues them in its event loop.
    thread_.post([this, queued, token] {
        {
            std::lock_guard lock(mutex_);
            const auto it = std::find(cancelled_.begin(), cancelled_.end(), token);
            if (stopping_ || it != cancelled_.end()) {
                if (it != cancelled_.end())
                    cancelled_.erase(it);
                --pending_;
                Q_EMIT jobFinished(token, 0, QStringLiteral("cancelled"), QString());
                return;
            }
            current_ = queued;
            current_->setPaused(paused_);
        }
        running_ = token;
        std::shared_ptr<kg::ml::Job> job = current_;
        QString status, error;
        qint64 runId = 0;
        try {
            const auto result = job->run([this, token, &runId](const kg::ml::JobEvent& e) {
                runId = e.runId;
                Q_EMIT jobEvent(token, e);
            });
            status = qs(result.status);
            runId = result.runId;
        } catch (const kg::Error& e) {
            // A job cancelled while it set up may end with Errc::Cancelled instead of a result.
            status = e.code() == kg::Errc::Cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed");
            if (e.code() != kg::Errc::Cancelled)
                error = qs(e.what());
        } catch (const std::exception& e) {
            status = QStringLiteral("failed");
            error = QString::fromLocal8Bit(e.what());
        }
        {
            std::lock_guard lock(mutex_);
            current_.reset();
        }
        running_ = 0;
        --pending_;
        Q_EMIT jobFinished(token, runId, status, error);
    });
    return token;
}

void TrainingWorker::cancel(quint64 token)
{
    std::lock_guard lock(mutex_);
    if (running_.load() == token && current_)
        current_->cancel();
    else
        cancelled_.push_back(token);
}

void TrainingWorker::cancelAll()
{
    std::lock_guard lock(mutex_);
    if (current_)
        current_->cancel();
    for (quint64 t = running_.load() + 1; t <= nextToken_.load(); ++t)
        cancelled_.push_back(t);
}

void TrainingWorker::setPaused(bool paused)
{
    paused_ = paused;
    std::lock_guard lock(mutex_);
    if (current_)
        current_->setPaused(paused);
}

} // namespace kgw
