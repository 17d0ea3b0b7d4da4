// Training dashboard and run history. Launches jobs (LaunchDialog) on the TrainingWorker's
// engine thread and shows live loss and validation charts (QtCharts), progress with ETA,
// throughput and memory, with pause/resume/cancel; lists the project's runs, compares the
// curves of two selected runs, exports curves (CSV, PNG) and embeddings (TensorBoard
// projector TSV), and resumes a cancelled run from its checkpoint after a restart.
#pragma once

#include <QHash>
#include <QWidget>
#include <memory>

#include "ml/job.h"
#include "ml/train_job.h"
#include "run_history_reader.h"
#include "store/run_store.h"

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace kg {
class Project;
}

namespace kgw {

class TrainingWorker;
class FederationDialog;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    ~TrainingPanel() override;
    void setProject(std::shared_ptr<kg::Project> project);

    // Starts a job now (the dialog calls this; tests call it directly). Returns the token.
    quint64 start(kg::ml::JobSpec spec);
    // Starts another kind of job (question answering, relation extraction) on the same engine
    // thread, with the same live charts, pause and cancel; its Validation events' metrics.mrr
    // is plotted as `validationName` (and metrics.hits10 as Hits@10 with `hits`). Returns the
    // token (0 when a job is running already).
    quint64 startJob(std::shared_ptr<kg::ml::Job> job, const QString& validationName, bool hits = false);
    // Continues a cancelled/finished run from its resumable checkpoint; 0 if it has none or the
    // run is not in the history as last shown (runsShown).
    quint64 resumeRun(qint64 runId, int extraEpochs = 0);
    void pause(bool on);
    void cancel();
    bool running() const;

    // Reads the run history on the history worker; the table shows it when it lands (runsShown).
    void refreshRuns();
    // Shows the stored curves of these runs in the charts (1 or 2 runs: compare): the charts
    // clear now, and the curves, read on the history worker, land later (curvesShown).
    void showRuns(const QList<qint64>& runIds);
    // Exports on the history worker; exportFinished says how it went.
    void exportCurvesCsv(const QList<qint64>& runIds, const QString& path);
    bool exportChartPng(const QString& path) const;
    // The Export button turns into Cancel Export until exportFinished; progress: exportProgress.
    void exportEmbeddings(qint64 runId, const QString& dir);
    void cancelExport();

    TrainingWorker* worker() const { return worker_; }
    QTableWidget* runTable() const { return runs_; }
    QPushButton* mapButton() const { return map_; }         // "Show on Map" (mapRequested)
    QPushButton* explainButton() const { return explain_; } // "Explain with It" (explainRequested)
    QProgressBar* progress() const { return progress_; }
    QLabel* statusLabel() const { return status_; }
    QLabel* rateLabel() const { return rate_; } // throughput and memory of the running job
    QLineSeries* lossSeries() const { return liveLoss_; }
    // The "Federated Run" window (created on first use; kept, so a running federation stays).
    FederationDialog* federationDialog();

    // A run's stored status ("cancelled", ...) as shown to the user, translated.
    static QString statusText(const QString& status);
    // The status line for a JobEvent::Preparing stage ("project", "model", "corpus").
    static QString preparingText(const std::string& stage);

Q_SIGNALS:
    void jobDone(qint64 runId, const QString& status);
    void runsShown();
    void curvesShown();
    void exportFinished(const QString& error); // "" on success
    void exportProgress(qint64 rows, qint64 total);
    void mapRequested(qint64 runId);     // "Show on Map": the window opens the Embeddings tab on it
    void explainRequested(qint64 runId); // "Explain with It": the Explain tab ranks with it

private:
    void launchDialog();
    void onEvent(quint64 token, const kg::ml::JobEvent& e);
    void onFinished(quint64 token, qint64 runId, const QString& status, const QString& error);
    void updateButtons();
    void clearCharts(); // compared runs removed, the live series emptied
    void showHistory(const RunHistoryReader::Runs& read);
    QList<qint64> selectedRuns() const;
    QString checkpointPathFor() const;

    std::shared_ptr<kg::Project> project_;
    TrainingWorker* worker_;
    quint64 token_ = 0;
    qint64 liveRun_ = 0;
    bool resumable_ = false; // an epoch of the job has finished (or it continues a run that has one)
    QChart *lossChart_, *validChart_;
    QChartView *lossView_, *validView_;
    QLineSeries *liveLoss_, *liveMrr_, *liveHits_;
    QProgressBar* progress_;
    FederationDialog* federation_ = nullptr;
    QLabel *status_, *rate_;
    QPushButton *newRun_, *federated_, *pause_, *cancel_, *resume_, *compare_, *csv_, *png_, *embed_, *map_, *explain_;
    QTableWidget* runs_;
    std::vector<kg::RunRecord> knownRuns_; // the history as last shown (the launch dialog's runs)
    std::shared_ptr<kg::CancelToken> exportCancel_; // set while an embedding export runs
    quint64 runsToken_ = 0, curvesToken_ = 0; // a later read or another project drops earlier results
    std::unique_ptr<RunHistoryReader> history_; // last: its worker joins before the rest goes
};

} // namespace kgw
