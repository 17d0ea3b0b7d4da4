// Runs kg::import::runImport off the GUI thread. It opens its own Project connection on the
// worker thread and reports through queued signals. Every job gets a token; results carry
// it, so a receiver can drop reports from a job it no longer cares about (stale results).
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

#include "core/cancel.h"
#include "import/importer.h"
#include "worker_thread.h"

namespace kgw {

struct ImportOutcome {
    quint64 token = 0;
    bool ok = false;
    bool cancelled = false;
    QString error; // "file:line:col: reason" on failure
    kg::import::ImportReport report;
};

class ImportWorker : public QObject {
    Q_OBJECT
public:
    explicit ImportWorker(QObject* parent = nullptr);
    ~ImportWorker() override; // cancels and waits for a running job

    // Starts a job; returns its token. Only one job runs at a time (returns 0 if busy).
    quint64 start(const QString& projectPath, kg::import::ImportRequest request);
    void cancel();
    bool busy() const { return busy_.load(); }
    // Blocks until the running job (if any) has finished; for shutdown and tests.
    void wait();

Q_SIGNALS:
    // percent of bytes read over all files; triples added so far
    void progress(quint64 token, int percent, qint64 triples, const QString& file);
    void finished(const kgw::ImportOutcome& outcome);

private:
    struct Job;
    std::shared_ptr<Job> job_;
    std::unique_ptr<WorkerThread> thread_; // one import at a time, off the GUI thread
    std::atomic<bool> busy_{false};
    quint64 nextToken_ = 1;
};

} // namespace kgw

Q_DECLARE_METATYPE(kgw::ImportOutcome)
