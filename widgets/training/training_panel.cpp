#include "training_panel.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <array>

#include "core/error.h"
#include "launch_dialog.h"
#include "qt_convert.h"
#include "store/project.h"
#include "store/run_store.h"
#include "store/run_summary.h"
#include "federation_dialog.h"
#include "run_history_reader.h"
#include "training_charts.h"
#include "training_worker.h"

namespace kgw {
namespace {

QString formatSeconds(double s)
{
    if (s < 60)
        return TrainingPanel::tr("%1 s").arg(qRound(s));
    if (s < 3600)
        return TrainingPanel::tr("%1 min %2 s").arg(int(s) / 60).arg(int(s) % 60);
    return TrainingPanel::tr("%1 h %2 min").arg(int(s) / 3600).arg((int(s) % 3600) / 60);
}

} // namespace

TrainingPanel::TrainingPanel(QWidget* parent)
    : QWidget(parent)
    , worker_(new TrainingWorker(this))
    , lossChart_(makeChart(tr("Training loss"), tr("step"), tr("loss")))
    , validChart_(makeChart(tr("Validation (filtered)"), tr("epoch"), tr("metric")))
    , progress_(new QProgressBar(this))
    , status_(new QLabel(tr("No training running."), this))
    , rate_(new QLabel(this))
    , newRun_(new QPushButton(tr("New Run…"), this))
    , federated_(new QPushButton(tr("Federated Run…"), this))
    , pause_(new QPushButton(tr("Pause"), this))
    , cancel_(new QPushButton(tr("Cancel"), this))
    , resume_(new QPushButton(tr("Resume Selected…"), this))
    , compare_(new QPushButton(tr("Show / Compare"), this))
    , csv_(new QPushButton(tr("Curves to CSV…"), this))
    , png_(new QPushButton(tr("Charts to PNG…"), this))
    , embed_(new QPushButton(tr("Export Embeddings…"), this))
    , map_(new QPushButton(tr("Show on Map"), this))
    , explain_(new QPushButton(tr("Explain with It"), this))
    , runs_(new QTableWidget(0, 8, this))
    , history_(std::make_unique<RunHistoryReader>())
{
    liveLoss_ = addSeries(lossChart_, tr("loss"));
    liveMrr_ = addSeries(validChart_, tr("MRR"));
    liveHits_ = addSeries(validChart_, tr("Hits@10"));
    lossView_ = new QChartView(lossChart_, this);
    validView_ = new QChartView(validChart_, this);
    lossView_->setRenderHint(QPainter::Antialiasing);
    validView_->setRenderHint(QPainter::Antialiasing);

    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    for (QPushButton* b : {newRun_, federated_, pause_, cancel_})
        controls->addWidget(b);
    controls->addWidget(progress_, 1);
    layout->addLayout(controls);
    auto* labels = new QHBoxLayout;
    labels->addWidget(status_, 1);
    labels->addWidget(rate_);
    layout->addLayout(labels);
    auto* split = new QSplitter(Qt::Vertical, this);
    auto* charts = new QSplitter(Qt::Horizontal, split);
    charts->addWidget(lossView_);
    charts->addWidget(validView_);
    auto* history = new QWidget(split);
    auto* hl = new QVBoxLayout(history);
    hl->setContentsMargins(0, 0, 0, 0);
    // The title on its own line, so the buttons set the tab's narrowest width (a 1366-pixel
    // screen must fit the window).
    hl->addWidget(new QLabel(tr("Run history (select two to compare):"), history));
    auto* hb = new QHBoxLayout;
    for (QPushButton* b : {compare_, resume_, csv_, png_, embed_, map_, explain_})
        hb->addWidget(b);
    hb->addStretch(1);
    hl->addLayout(hb);
    hl->addWidget(runs_);
    split->addWidget(charts);
    split->addWidget(history);
    split->setSizes({380, 220});
    layout->addWidget(split, 1);

    runs_->setHorizontalHeaderLabels({tr("Run"), tr("Started"), tr("Status"), tr("Model"), tr("Epochs"),
                                      tr("Best valid MRR"), tr("Test MRR"), tr("Test Hits@10")});
    runs_->setSelectionBehavior(QAbstractItemView::SelectRows);
    runs_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    runs_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    runs_->horizontalHeader()->setStretchLastSection(true);
    runs_->verticalHeader()->hide();

    pause_->setToolTip(tr("Pause between steps; the ETA ignores paused time"));
    cancel_->setToolTip(tr("Stop the run; the last finished epoch stays resumable"));
    resume_->setToolTip(tr("Continue the selected run from its checkpoint (also after restarting the app)"));
    embed_->setToolTip(tr("Write vectors.tsv and metadata.tsv for the TensorBoard Embedding Projector"));
    map_->setToolTip(tr("Open the selected run's entity map in the Embeddings tab"));
    explain_->setToolTip(tr("Rank and explain answers with the selected run in the Explain tab"));

    connect(newRun_, &QPushButton::clicked, this, &TrainingPanel::launchDialog);
    connect(federated_, &QPushButton::clicked, this, [this] {
        auto* d = federationDialog();
        d->show();
        d->raise();
    });
    federated_->setToolTip(tr("Train one model across silo projects: only entity embeddings travel, averaged (FedE)"));
    connect(pause_, &QPushButton::clicked, this, [this] { pause(!worker_->paused()); });
    connect(cancel_, &QPushButton::clicked, this, &TrainingPanel::cancel);
    connect(compare_, &QPushButton::clicked, this, [this] { showRuns(selectedRuns()); });
    connect(runs_, &QTableWidget::itemSelectionChanged, this, &TrainingPanel::updateButtons);
    connect(resume_, &QPushButton::clicked, this, [this] {
        const auto sel = selectedRuns();
        if (sel.size() != 1)
            return;
        bool ok = false;
        const int more = QInputDialog::getInt(this, tr("Resume Run"), tr("Additional epochs (0 = finish the "
                                                                          "planned budget):"),
                                              0, 0, 100000, 1, &ok);
        if (ok && !resumeRun(sel.front(), more))
            status_->setText(tr("Run %1 has no resumable checkpoint.").arg(sel.front()));
    });
    connect(csv_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Curves"), QString(), tr("CSV (*.csv)"));
        if (!path.isEmpty())
            exportCurvesCsv(selectedRuns(), path);
    });
    connect(png_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Charts"), QString(), tr("PNG (*.png)"));
        if (!path.isEmpty() && !exportChartPng(path))
            status_->setText(tr("Could not write %1").arg(path));
    });
    connect(embed_, &QPushButton::clicked, this, [this] {
        if (exportCancel_) {
            cancelExport();
            return;
        }
        const auto sel = selectedRuns();
        if (sel.size() != 1)
            return;
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export Embeddings To"));
        if (dir.isEmpty())
            return;
        exportEmbeddings(sel.front(), dir);
    });
    connect(map_, &QPushButton::clicked, this, [this] {
        if (const auto sel = selectedRuns(); sel.size() == 1)
            Q_EMIT mapRequested(sel.front());
    });
    connect(explain_, &QPushButton::clicked, this, [this] {
        if (const auto sel = selectedRuns(); sel.size() == 1)
            Q_EMIT explainRequested(sel.front());
    });
    connect(worker_, &TrainingWorker::jobEvent, this, &TrainingPanel::onEvent);
    connect(worker_, &TrainingWorker::jobFinished, this, &TrainingPanel::onFinished);
    updateButtons();
}

FederationDialog* TrainingPanel::federationDialog()
{
    if (!federation_)
        federation_ = new FederationDialog(this);
    federation_->setProjectPath(project_ ? QString::fromStdString(project_->path()) : QString());
    return federation_;
}

TrainingPanel::~TrainingPanel() = default; // the worker cancels and joins in its destructor

void TrainingPanel::setProject(std::shared_ptr<kg::Project> project)
{
    project_ = std::move(project);
    runs_->setRowCount(0);
    knownRuns_.clear();
    ++curvesToken_; // curves of the previous project never land here
    if (!running()) { // another project: nothing of the previous one's charts or status stays
        clearCharts();
        liveLoss_->setName(tr("loss"));
        liveMrr_->setName(tr("MRR"));
        liveHits_->setName(tr("Hits@10"));
        progress_->setValue(0);
        rate_->clear();
        status_->setText(tr("No training running."));
    }
    refreshRuns();
    updateButtons();
}

bool TrainingPanel::running() const { return token_ != 0; }

QString TrainingPanel::checkpointPathFor() const
{
    const QFileInfo info(qs(project_->path()));
    QDir dir(info.absolutePath());
    const QString sub = info.completeBaseName() + QStringLiteral(".checkpoints");
    dir.mkpath(sub);
    return dir.filePath(sub + QStringLiteral("/run-") +
                        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")) +
                        QStringLiteral(".ckpt"));
}

void TrainingPanel::launchDialog()
{
    if (!project_ || running())
        return;
    LaunchDialog dialog(this);
    QList<QPair<qint64, QString>> transformers;
    for (const auto& run : knownRuns_)
        if (run.kind == "transformer" && run.status != "running" && run.status != "failed")
            transformers.append({run.id, tr("run %1 (%2)").arg(run.id).arg(qs(run.created))});
    dialog.setTransformerRuns(transformers);
    if (dialog.exec() == QDialog::Accepted)
        start(dialog.spec());
}

quint64 TrainingPanel::start(kg::ml::JobSpec spec)
{
    if (!project_ || running())
        return 0;
    if (spec.checkpoint.empty())
        spec.checkpoint = ss(checkpointPathFor());
    const qint64 continued = spec.continueRun;
    const quint64 token = startJob(std::make_shared<kg::ml::JobOf<kg::ml::TrainJob>>(project_->path(), spec), tr("MRR"), true);
    liveRun_ = continued;
    resumable_ = continued != 0; // a resumed run has its checkpoint already
    return token;
}

quint64 TrainingPanel::startJob(std::shared_ptr<kg::ml::Job> job, const QString& validationName, bool hits)
{
    if (!project_ || running())
        return 0;
    liveLoss_->clear();
    liveMrr_->clear();
    liveHits_->clear();
    liveMrr_->setName(validationName);
    ++curvesToken_; // stored curves still on their way must not land in this job's series
    liveHits_->setVisible(hits);
    progress_->setValue(0);
    liveRun_ = 0;
    resumable_ = false;
    status_->setText(tr("Starting…"));
    token_ = worker_->enqueue(std::move(job));
    updateButtons();
    return token_;
}

quint64 TrainingPanel::resumeRun(qint64 runId, int extraEpochs)
{
    if (!project_ || running())
        return 0;
    // The record as the history last showed it (read on the history worker): no SQL here.
    const auto run = std::find_if(knownRuns_.begin(), knownRuns_.end(),
                                  [runId](const kg::RunRecord& r) { return r.id == runId; });
    if (run == knownRuns_.end() || run->checkpoint.empty() ||
        !QFile::exists(qs(kg::ml::resumePath(run->checkpoint))))
        return 0;
    kg::ml::JobSpec spec;
    try {
        spec.config = kg::ml::TrainConfig::fromJson(run->config);
    } catch (const kg::Error& e) {
        status_->setText(qs(e.what()));
        return 0;
    }
    spec.config.epochs += extraEpochs;
    spec.checkpoint = run->checkpoint;
    spec.resumeFrom = kg::ml::resumePath(run->checkpoint);
    spec.continueRun = runId;
    const quint64 token = start(spec);
    showRuns({runId}); // the curve so far; live points append to it
    return token;
}

void TrainingPanel::pause(bool on)
{
    worker_->setPaused(on);
    pause_->setText(on ? tr("Resume") : tr("Pause"));
    if (running())
        status_->setText(on ? tr("Paused.") : tr("Running…"));
}

void TrainingPanel::cancel()
{
    if (token_)
        worker_->cancel(token_);
    worker_->setPaused(false);
}

void TrainingPanel::onEvent(quint64 token, const kg::ml::JobEvent& e)
{
    if (token != token_)
        return; // a job this panel no longer follows
    using K = kg::ml::JobEvent::Kind;
    liveRun_ = e.runId;
    // The job writes its resumable state right after each epoch. (A Checkpoint event alone
    // does not say so: at a cancel it is the kept model.)
    if (e.kind == K::Epoch)
        resumable_ = true;
    switch (e.kind) {
    case K::Preparing:
        progress_->setRange(0, 0); // busy: setup has no measurable share
        status_->setText(preparingText(e.text));
        break;
    case K::Started:
        progress_->setRange(0, 100);
        status_->setText(tr("Run %1 training on %2…").arg(e.runId).arg(qs(e.text)));
        refreshRuns();
        break;
    case K::Progress: {
        const double total = static_cast<double>(e.epochs * e.stepsPerEpoch);
        progress_->setValue(total > 0 ? qRound(100.0 * static_cast<double>(e.step) / total) : 0);
        liveLoss_->append(static_cast<double>(e.step), e.loss);
        fitAxes(lossChart_);
        if (worker_->paused()) // a step that was in flight when Pause was pressed
            status_->setText(tr("Paused at epoch %1/%2.").arg(e.epoch).arg(e.epochs));
        else
            status_->setText(tr("Run %1 · epoch %2/%3 · loss %4 · ETA %5")
                                 .arg(e.runId).arg(e.epoch).arg(e.epochs).arg(e.loss, 0, 'g', 4)
                                 .arg(formatSeconds(e.etaSeconds)));
        const double memoryMb = static_cast<double>(e.memoryBytes) / (1 << 20);
        if (e.tokensPerSecond > 0) // the transformer: its input tokens too
            rate_->setText(tr("%1 triples/s · %2 tokens/s · memory %3 MB")
                               .arg(e.triplesPerSecond, 0, 'f', 0)
                               .arg(e.tokensPerSecond, 0, 'f', 0)
                               .arg(memoryMb, 0, 'f', 0));
        else
            rate_->setText(tr("%1 triples/s · memory %2 MB").arg(e.triplesPerSecond, 0, 'f', 0).arg(memoryMb, 0, 'f', 0));
        break;
    }
    case K::Validation:
        liveMrr_->append(static_cast<double>(e.epoch), e.metrics.mrr);
        liveHits_->append(static_cast<double>(e.epoch), e.metrics.hits10);
        fitAxes(validChart_, 1.0);
        break;
    default:
        break;
    }
}

void TrainingPanel::onFinished(quint64 token, qint64 runId, const QString& status, const QString& error)
{
    if (token != token_)
        return;
    token_ = 0;
    worker_->setPaused(false);
    pause_->setText(tr("Pause"));
    progress_->setRange(0, 100);
    if (status == QLatin1String("cancelled") && runId == 0)
        status_->setText(tr("Cancelled before training began; no run was recorded."));
    else if (status == QLatin1String("failed"))
        status_->setText(tr("Run failed: %1").arg(error));
    else if (status == QLatin1String("cancelled"))
        status_->setText(!resumable_
                             ? tr("Run %1 cancelled before its first epoch finished; nothing to resume.").arg(runId)
                             : tr("Run %1 cancelled; its last finished epoch can be resumed.").arg(runId));
    else
        status_->setText(tr("Run %1 %2.").arg(runId).arg(status == QLatin1String("stopped_early")
                                                            ? tr("stopped early (validation stopped improving)")
                                                            : tr("finished")));
    if (status != QLatin1String("failed"))
        progress_->setValue(status == QLatin1String("cancelled") ? progress_->value() : 100);
    refreshRuns();
    updateButtons();
    Q_EMIT jobDone(runId, status);
}

QString TrainingPanel::preparingText(const std::string& stage)
{
    if (stage == "project")
        return tr("Preparing: reading the project's graph…");
    if (stage == "model")
        return tr("Preparing: building the model (a transformer first trains or loads its tokenizer)…");
    if (stage == "corpus")
        return tr("Preparing: reading the documents and their entity mentions…");
    return tr("Preparing…");
}

QString TrainingPanel::statusText(const QString& status)
{
    if (status == QLatin1String("running"))
        return tr("running");
    if (status == QLatin1String("finished"))
        return tr("finished");
    if (status == QLatin1String("stopped_early"))
        return tr("stopped early");
    if (status == QLatin1String("cancelled"))
        return tr("cancelled");
    if (status == QLatin1String("failed"))
        return tr("failed");
    if (status == QLatin1String("interrupted")) // its process died (killed, crashed)
        return tr("interrupted");
    return status;
}

void TrainingPanel::refreshRuns()
{
    const quint64 token = ++runsToken_;
    if (!project_) {
        runs_->setRowCount(0);
        knownRuns_.clear();
        return;
    }
    history_->runs(this, project_->path(), [this, token](RunHistoryReader::Runs read) {
        if (token != runsToken_)
            return;
        if (!read.error.isEmpty()) {
            status_->setText(tr("Could not read the run history: %1").arg(read.error));
            return;
        }
        showHistory(read);
    });
}

void TrainingPanel::showHistory(const RunHistoryReader::Runs& read)
{
    const auto& runs = read.runs;
    runs_->setRowCount(static_cast<int>(runs.size()));
    for (int r = 0; r < static_cast<int>(runs.size()); ++r) {
        const auto& run = runs[static_cast<size_t>(r)];
        const kg::RunSummary& sum = read.summaries[static_cast<size_t>(r)];
        auto num = [](double v) { return v >= 0 ? QString::number(v, 'f', 4) : QString(); };
        const QStringList cells = {QString::number(run.id),
                                   qs(run.created),
                                   statusText(qs(run.status)),
                                   QStringLiteral("%1 d%2").arg(qs(sum.model)).arg(sum.dim),
                                   QString::number(std::max<int64_t>(sum.epochs, 0)),
                                   num(sum.bestValidMrr),
                                   num(sum.testMrr),
                                   num(sum.testHits10)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setData(Qt::UserRole, QVariant::fromValue<qint64>(run.id));
            runs_->setItem(r, c, item);
        }
    }
    knownRuns_ = runs;
    updateButtons();
    Q_EMIT runsShown();
}

QList<qint64> TrainingPanel::selectedRuns() const
{
    QList<qint64> out;
    for (const QModelIndex& row : runs_->selectionModel()->selectedRows())
        out.append(runs_->item(row.row(), 0)->data(Qt::UserRole).toLongLong());
    return out;
}

void TrainingPanel::updateButtons()
{
    const bool busy = running();
    const int sel = static_cast<int>(selectedRuns().size());
    newRun_->setEnabled(project_ && !busy);
    pause_->setEnabled(busy);
    cancel_->setEnabled(busy);
    resume_->setEnabled(project_ && !busy && sel == 1);
    compare_->setEnabled(sel >= 1 && sel <= 2);
    csv_->setEnabled(sel >= 1);
    embed_->setEnabled(sel == 1 || exportCancel_); // while exporting it cancels the export
    bool mappable = false;
    if (sel == 1) {
        const qint64 id = selectedRuns().front();
        const auto run = std::find_if(knownRuns_.begin(), knownRuns_.end(), [id](const auto& r) { return r.id == id; });
        mappable = run != knownRuns_.end() && kg::keepsModel(*run, kg::summarize(*run)); // a stat of its checkpoint
    }
    map_->setEnabled(mappable);
    explain_->setEnabled(mappable); // the same runs rank answers (kg::keptModels)
}

void TrainingPanel::clearCharts()
{
    for (QChart* chart : {lossChart_, validChart_})
        for (QAbstractSeries* s : chart->series())
            if (s != liveLoss_ && s != liveMrr_ && s != liveHits_) {
                chart->removeSeries(s);
                delete s;
            }
    liveLoss_->clear();
    liveMrr_->clear();
    liveHits_->clear();
}

void TrainingPanel::showRuns(const QList<qint64>& runIds)
{
    if (!project_ || runIds.isEmpty())
        return;
    clearCharts();
    liveHits_->setVisible(true);
    std::vector<std::array<QLineSeries*, 3>> series; // loss, MRR, Hits@10 of each run
    for (qint64 id : runIds) {
        const bool first = id == runIds.front();
        auto* loss = first ? liveLoss_ : addSeries(lossChart_, tr("loss (run %1)").arg(id));
        auto* mrr = first ? liveMrr_ : addSeries(validChart_, tr("MRR (run %1)").arg(id));
        auto* hits = first ? liveHits_ : addSeries(validChart_, tr("Hits@10 (run %1)").arg(id));
        if (first) {
            loss->setName(tr("loss (run %1)").arg(id));
            mrr->setName(tr("MRR (run %1)").arg(id));
            hits->setName(tr("Hits@10 (run %1)").arg(id));
        }
        series.push_back({loss, mrr, hits});
    }
    // The series stay until the next clearCharts(), which takes a new token first (showRuns,
    // setProject, startJob), so they are alive whenever the token still matches.
    const quint64 token = ++curvesToken_;
    history_->curves(this, project_->path(), runIds, [this, token, runIds, series](RunHistoryReader::Curves read) {
        if (token != curvesToken_)
            return;
        if (!read.error.isEmpty()) {
            status_->setText(tr("Could not read the run history: %1").arg(read.error));
            return;
        }
        // Stored points go before any a resumed job appended meanwhile.
        auto put = [](QLineSeries* s, const std::vector<kg::MetricPoint>& points, bool byStep) {
            QList<QPointF> all;
            for (const auto& p : points)
                all.append(QPointF(static_cast<double>(byStep ? p.step : p.epoch), p.value));
            all.append(s->points());
            s->replace(all);
        };
        for (size_t i = 0; i < series.size(); ++i) {
            const auto& c = read.byRun[runIds[static_cast<qsizetype>(i)]];
            put(series[i][0], c.loss, true);
            put(series[i][1], c.mrr, false);
            put(series[i][2], c.hits10, false);
        }
        fitAxes(lossChart_);
        fitAxes(validChart_, 1.0);
        Q_EMIT curvesShown();
    });
}

} // namespace kgw
