#include "run_history_reader.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include "ml/embedding_export.h"
#include "qt_convert.h"
#include "store/project.h"
#include "store/run_summary.h"

namespace kgw {

void RunHistoryReader::runs(QObject* receiver, const std::string& project, std::function<void(Runs)> done)
{
    worker_.post<Runs>(
        receiver, project,
        [](kg::Project& p, Runs& out) {
            out.runs = kg::RunStore(p).runs();
            for (const auto& r : out.runs)
                out.summaries.push_back(kg::summarize(r));
        },
        std::move(done));
}

void RunHistoryReader::curves(QObject* receiver, const std::string& project, const QList<qint64>& runIds,
                              std::function<void(Curves)> done)
{
    worker_.post<Curves>(
        receiver, project,
        [runIds](kg::Project& p, Curves& out) {
            kg::RunStore store(p);
            for (qint64 id : runIds) {
                Curve& c = out.byRun[id];
                c.loss = store.metric(id, "loss");
                c.mrr = store.metric(id, "valid_mrr");
                c.hits10 = store.metric(id, "valid_hits@10");
            }
        },
        std::move(done));
}

void RunHistoryReader::exportCurves(QObject* receiver, const std::string& project, const QList<qint64>& runIds,
                                    const QString& file, std::function<void(Written)> done)
{
    worker_.post<Written>(
        receiver, project,
        [runIds, file](kg::Project& p, Written& out) {
            QFile f(file);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) {
                out.error = QCoreApplication::translate("kgw::TrainingPanel", "Could not write %1").arg(file);
                return;
            }
            QTextStream text(&f);
            text << "run,metric,step,epoch,value\n";
            kg::RunStore store(p);
            for (qint64 id : runIds)
                for (const auto& name : store.metricNames(id))
                    for (const auto& m : store.metric(id, name))
                        text << id << ',' << qs(name) << ',' << m.step << ',' << m.epoch << ','
                             << QString::number(m.value, 'g', 10) << '\n';
            text.flush();
            if (f.error() != QFile::NoError)
                out.error = QCoreApplication::translate("kgw::TrainingPanel", "Could not write %1").arg(file);
        },
        std::move(done));
}

void RunHistoryReader::exportEmbeddings(QObject* receiver, const std::string& project, qint64 runId,
                                        const QString& dir, std::shared_ptr<kg::CancelToken> cancel,
                                        std::function<void(qint64, qint64)> progress, std::function<void(Written)> done)
{
    worker_.post<Written>(
        receiver, project,
        [receiver, project, runId, dir, cancel, progress](kg::Project& p, Written& out) {
            // A transformer run keeps its model in the project; a KGE run, in its checkpoint file.
            const auto run = kg::RunStore(p).run(runId);
            if (!run || (run->kind != "transformer" && (run->checkpoint.empty() || !QFile::exists(qs(run->checkpoint))))) {
                out.error = QCoreApplication::translate("kgw::TrainingPanel", "Run %1 has no checkpoint.").arg(runId);
                return;
            }
            auto report = [receiver, progress](int64_t rows, int64_t total) {
                QMetaObject::invokeMethod(
                    receiver, [progress, rows, total] { progress(rows, total); }, Qt::QueuedConnection);
            };
            try {
                kg::ml::exportEmbeddings(project, kg::modelKey(runId), ss(dir), report, cancel.get());
            } catch (const kg::Error& e) {
                if (e.code() != kg::Errc::Cancelled)
                    throw; // its message becomes out.error
                out.cancelled = true;
            }
        },
        std::move(done));
}

} // namespace kgw
