// The Training tab's reads of a project's run history (the runs, their stored curves) and its
// exports (curves as CSV, embeddings for the TensorBoard projector), run on a worker with its
// own read-only connection: the tab runs no SQL and no export on the GUI thread. Each result
// comes back queued to the receiver, in the order asked; stale ones are the receiver's to drop.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "read_worker.h"
#include "store/run_store.h"
#include "store/run_summary.h"

namespace kgw {

class RunHistoryReader {
public:
    struct Runs {
        std::vector<kg::RunRecord> runs; // newest first
        std::vector<kg::RunSummary> summaries; // one per run
        QString error;
    };
    struct Curve {
        std::vector<kg::MetricPoint> loss, mrr, hits10;
    };
    struct Curves {
        std::map<qint64, Curve> byRun;
        QString error;
    };
    struct Written { // an export: error empty on success
        QString error;
        bool cancelled = false; // the export stopped at the caller's request; nothing was written
    };

    void runs(QObject* receiver, const std::string& project, std::function<void(Runs)> done);
    void curves(QObject* receiver, const std::string& project, const QList<qint64>& runIds,
                std::function<void(Curves)> done);
    // run,metric,step,epoch,value rows of every stored metric of the runs.
    void exportCurves(QObject* receiver, const std::string& project, const QList<qint64>& runIds, const QString& file,
                      std::function<void(Written)> done);
    // progress(rows written, rows) comes queued to the receiver now and then; `cancel` stops the
    // export between rows and leaves an earlier export in `dir` as it was.
    void exportEmbeddings(QObject* receiver, const std::string& project, qint64 runId, const QString& dir,
                          std::shared_ptr<kg::CancelToken> cancel, std::function<void(qint64, qint64)> progress,
                          std::function<void(Written)> done);

private:
    ReadWorker worker_{QStringLiteral("kgwb-run-history")};
};

} // namespace kgw
