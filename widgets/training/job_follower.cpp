#include "job_follower.h"

#include "ml/job.h"

namespace kgw {

JobFollower::JobFollower(QObject* parent)
    : QObject(parent)
{
}

void JobFollower::attach(TrainingWorker* worker)
{
    worker_ = worker;
    connect(worker_, &TrainingWorker::jobEvent, this, [this](quint64 token, const kg::ml::JobEvent& e) {
        if (token != token_ || token == 0)
            return;
        if (e.kind == kg::ml::JobEvent::Kind::Finished)
            last_ = e;
        const double share = kg::ml::shareDone(e);
        if (share >= 0)
            Q_EMIT progressed(share, e);
    });
    connect(worker_, &TrainingWorker::jobFinished, this,
            [this](quint64 token, qint64 runId, const QString& status, const QString& error) {
                if (token != token_ || token == 0)
                    return;
                token_ = 0;
                const kg::ml::JobEvent last = last_;
                last_ = {};
                Q_EMIT finished(runId, status, error, last);
            });
}

void JobFollower::follow(quint64 token)
{
    token_ = token;
    last_ = {};
}

void JobFollower::cancel()
{
    if (worker_ && token_)
        worker_->cancel(token_);
}

} // namespace kgw
