// Text-to-triples off the GUI thread: candidate lists read on the "candidates" thread (its
// own project connection; requests carry tokens, stale answers are dropped by the panel), and
// document imports and extraction on the "extract-job" thread with progress and cancel.
// Training the extractor is a job in the Training tab's queue (TrainingPanel::startJob);
// decisions (accept/reject) are edits and go through ProjectEditor.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>
#include <mutex>

#include "core/cancel.h"
#include "worker_thread.h"

namespace kg {
class Project;
}

namespace kgw {

struct EvidenceRow {
    QString text, document;
    int headBegin = 0, headEnd = 0, tailBegin = 0, tailEnd = 0; // UTF-16 offsets into text
    double score = 0;
};

struct CandidateRow {
    qint64 id = 0, head = 0, relation = 0, tail = 0;
    QString headLabel, headKey, relationLabel, tailLabel, tailKey, status;
    double score = 0;
    QList<EvidenceRow> evidence;
};

struct CandidatePage {
    quint64 token = 0;
    QString error;
    QList<CandidateRow> rows;
    qint64 pending = 0, accepted = 0, rejected = 0;
    qint64 documents = 0, sentences = 0;
    QList<QPair<qint64, QString>> extractRuns, kgeRuns; // (run id, description), newest first
    QList<QPair<qint64, QString>> relations;            // (id, shown name), when asked for
};

class CandidateWorker : public QObject {
    Q_OBJECT
public:
    explicit CandidateWorker(QObject* parent = nullptr);
    ~CandidateWorker() override;

    void configure(const QString& projectPath);
    // Candidates with `status` ("" = any) scoring >= minScore, best first, at most `limit`;
    // with `relations`, also the project's relations (the edit form's, read once per project).
    quint64 list(const QString& status, double minScore, int limit, bool relations = false);

    void importDocuments(const QStringList& files, bool descriptions);
    void extract(qint64 run, qint64 kgeRun, double minScore);
    void cancelJob();

Q_SIGNALS:
    void listed(const kgw::CandidatePage& page);
    void jobProgress(int percent, const QString& text);
    void jobDone(bool ok, const QString& summary);

private:
    // Runs fn(project path, fresh cancel token) on the job thread; its text becomes
    // jobDone(true), a failure jobDone(false).
    void postJob(const QString& failurePrefix, std::function<QString(const std::string&, const kg::CancelToken&)> fn);
    WorkerThread listThread_, jobThread_;
    std::atomic<quint64> next_{0};
    QString path_;                         // GUI thread; jobs get a copy
    std::unique_ptr<kg::Project> project_; // the list thread's connection
    std::mutex jobMutex_;
    std::shared_ptr<kg::CancelToken> cancel_; // of the import/extraction running, under jobMutex_
};

} // namespace kgw

Q_DECLARE_METATYPE(kgw::CandidatePage)
