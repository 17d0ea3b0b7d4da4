// Follows one job in the Training tab's queue for another panel (Ask, Candidates): its
// progress and its end, with the metrics of its Finished event. Events of other jobs are
// ignored.
#pragma once

#include <QObject>
#include <QString>

#include "ml/train_job.h"
#include "training_worker.h" // declares kg::ml::JobEvent as a metatype

namespace kgw {

class JobFollower : public QObject {
    Q_OBJECT
public:
    explicit JobFollower(QObject* parent = nullptr);
    void attach(TrainingWorker* worker);
    void follow(quint64 token); // 0: none
    bool active() const { return token_ != 0; }
    void cancel(); // the followed job, queued or running

Q_SIGNALS:
    // share: of the job done, 0..1 (ml/job.h shareDone), at Progress and Epoch events.
    void progressed(double share, const kg::ml::JobEvent& event);
    // status: finished | stopped_early | cancelled | failed; finishedEvent: its Finished
    // event (metrics of the run), default-constructed if it failed before one.
    void finished(qint64 runId, const QString& status, const QString& error, const kg::ml::JobEvent& finishedEvent);

private:
    TrainingWorker* worker_ = nullptr;
    quint64 token_ = 0;
    kg::ml::JobEvent last_;
};

} // namespace kgw
