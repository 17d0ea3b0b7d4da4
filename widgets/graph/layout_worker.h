// Runs Graphviz layouts on a worker thread. Requests carry a token; results come back through
// a queued signal with that token, so the GUI drops results of superseded requests (stale-
// result tokens, as in DB Browser for SQLite). The worker opens its own connection to the
// project for the layout cache (one connection per thread).
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>
#include <memory>

#include "core/cancel.h"
#include "layout/graph_layout.h"
#include "worker_thread.h"

namespace kg {
class Project;
}

namespace kgw {

struct LayoutOutcome {
    quint64 token = 0;
    std::shared_ptr<const kg::layout::LayoutResult> result; // null on error or cancel
    bool cancelled = false;
    bool fromCache = false;
    QString error;
    qint64 elapsedMs = 0;
};

class LayoutWorker : public QObject {
    Q_OBJECT
public:
    explicit LayoutWorker(QObject* parent = nullptr);
    ~LayoutWorker() override; // cancels and joins the thread

    // Empty projectPath = no cache. Returns the request's token; an earlier request still
    // running is cancelled (its result will be dropped).
    quint64 request(const kg::layout::LayoutInput& input, const QString& projectPath);
    void cancel();
    bool busy() const { return running_.load() > 0; }

Q_SIGNALS:
    void finished(const kgw::LayoutOutcome& outcome);

private:
    // The layout cache's connection, opened once per project on the worker thread.
    kg::Project* cacheProject(const QString& path);

    WorkerThread thread_; // requests run there, in order
    std::atomic<quint64> nextToken_{0};
    std::shared_ptr<kg::CancelToken> current_;
    std::atomic<int> running_{0};
    std::unique_ptr<kg::Project> cache_; // worker thread only
    QString cachePath_;                  // worker thread only
};

} // namespace kgw

Q_DECLARE_METATYPE(kgw::LayoutOutcome)
