// Training from the GUI with real LibTorch jobs on a small generated graph: progress signals
// arrive through the engine thread, pause holds, cancel then resume continues the same run,
// closing the window mid-training leaves a consistent project, and exports parse.
#include <QChart>
#include <QComboBox>
#include <QSpinBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QApplication>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTabWidget>
#include <QTest>

#include "import/importer.h"
#include "ml/train_presets.h"
#include "main_window.h"
#include "store/project.h"
#include "store/run_store.h"
#include "store/sqlite.h"
#include "test_util.h"
#include "job_spec_util.h"
#include "entity_inspector.h"
#include "graph_explorer.h"
#include "launch_dialog.h"
#include "training_panel.h"
#include "training_worker.h"

using namespace kgtest;
using Kind = kg::ml::JobEvent::Kind;

namespace {

bool sawKind(const QSignalSpy& spy, Kind kind)
{
    for (const auto& args : spy)
        if (args.at(1).value<kg::ml::JobEvent>().kind == kind)
            return true;
    return false;
}

int lastEpochSeen(const QSignalSpy& spy)
{
    int epoch = 0;
    for (const auto& args : spy) {
        const auto e = args.at(1).value<kg::ml::JobEvent>();
        if (e.kind == Kind::Epoch)
            epoch = static_cast<int>(e.epoch);
    }
    return epoch;
}

} // namespace

class TestTrainingGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void progressCancelAndResume();
    void pauseHoldsTheJob();
    void closeWhileTrainingIsSafe();
    void exportsAndCompare();
    void launchDialogPresets();
    void transformerShowsTokensPerSecond();
};

void TestTrainingGui::progressCancelAndResume()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(w.openProject(QString::fromStdString(importRingProject(dir))));
    w.resize(1280, 800);
    w.show();
    auto* panel = w.training();
    QVERIFY(panel);
    w.tabs()->setCurrentWidget(panel);
    QSignalSpy events(panel->worker(), &kgw::TrainingWorker::jobEvent);
    QSignalSpy done(panel, &kgw::TrainingPanel::jobDone);
    // Progress arrives through queued signals: the bar moves and the loss chart fills. At
    // epoch 3 the dashboard is captured and the run cancelled (in the signal's own slot, so a
    // fast machine cannot finish all 40 epochs first).
    int progressSeen = 0;
    qsizetype lossPoints = 0;
    QString statusSeen;
    QImage shot;
    auto c = connect(panel->worker(), &kgw::TrainingWorker::jobEvent, this,
                     [&](quint64, const kg::ml::JobEvent& e) {
                         if (e.kind != Kind::Epoch || e.epoch < 3 || !shot.isNull())
                             return;
                         progressSeen = panel->progress()->value();
                         lossPoints = panel->lossSeries()->count();
                         statusSeen = panel->statusLabel()->text();
                         shot = w.grab().toImage();
                         panel->cancel();
                     });
    QVERIFY(panel->start(slowSpec(40)) > 0);
    QVERIFY(panel->running());
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
    disconnect(c);
    QVERIFY(progressSeen > 0);
    QVERIFY(lossPoints > 3);
    QVERIFY2(statusSeen.contains("ETA"), qPrintable(statusSeen));
    QVERIFY(shot.save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("training_dashboard.png")));
    QCOMPARE(done.last().at(1).toString(), QString("cancelled"));
    const qint64 run = done.last().at(0).toLongLong();
    QVERIFY(!panel->running());
    const int epochsBefore = lastEpochSeen(events);
    QVERIFY(epochsBefore < 40);
    QTRY_COMPARE_WITH_TIMEOUT(panel->runTable()->rowCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(panel->runTable()->item(0, 2)->text(), QString("cancelled"), 10000);

    // Resume the same run from its checkpoint: it finishes the planned 40 epochs.
    events.clear();
    QVERIFY(panel->resumeRun(run) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 120000);
    QCOMPARE(done.last().at(0).toLongLong(), run);
    QCOMPARE(done.last().at(1).toString(), QString("finished"));
    int firstResumedEpoch = 0;
    for (const auto& args : events) {
        const auto e = args.at(1).value<kg::ml::JobEvent>();
        if (e.kind == Kind::Epoch && !firstResumedEpoch)
            firstResumedEpoch = static_cast<int>(e.epoch);
    }
    QVERIFY(firstResumedEpoch >= 2 && firstResumedEpoch <= epochsBefore + 1);
    kg::RunStore store(*w.project());
    QCOMPARE(store.run(run)->status, std::string("finished"));
    QCOMPARE(store.metric(run, "loss").size(), size_t(40)); // one point per epoch, none twice
    QCOMPARE(panel->runTable()->rowCount(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->runTable()->item(0, 6)->text().isEmpty(), 10000); // test MRR
}

void TestTrainingGui::pauseHoldsTheJob()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(w.openProject(QString::fromStdString(importRingProject(dir))));
    auto* panel = w.training();
    QSignalSpy events(panel->worker(), &kgw::TrainingWorker::jobEvent);
    QSignalSpy done(panel, &kgw::TrainingPanel::jobDone);
    panel->start(slowSpec(200));
    QTRY_VERIFY_WITH_TIMEOUT(lastEpochSeen(events) >= 1, 60000);
    panel->pause(true);
    // Let in-flight events land (a step in progress finishes first): wait for 400 ms of quiet.
    qsizetype seen = -1;
    for (int i = 0; i < 25 && seen != events.count(); ++i) {
        seen = events.count();
        QTest::qWait(400);
    }
    const qsizetype held = events.count();
    QTest::qWait(700);
    QCOMPARE(events.count(), held);
    QVERIFY2(panel->statusLabel()->text().startsWith(QStringLiteral("Paused")), qPrintable(panel->statusLabel()->text()));
    QVERIFY(panel->running());
    panel->pause(false);
    QTRY_VERIFY_WITH_TIMEOUT(events.count() > held, 10000);
    panel->cancel();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);

    // Cancelled before any epoch finished: nothing is offered for resuming.
    done.clear();
    events.clear();
    panel->start(slowSpec(200));
    // Wait for Started, which follows the run's creation: Preparing events come before there is a
    // run, and a cancel then records none and says so instead (what CI saw on a slower machine).
    QTRY_VERIFY_WITH_TIMEOUT(sawKind(events, Kind::Started), 60000);
    panel->cancel();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
    if (lastEpochSeen(events) == 0) // (a very fast machine may finish epoch 1 first)
        QVERIFY2(panel->statusLabel()->text().contains(QStringLiteral("nothing to resume")),
                 qPrintable(panel->statusLabel()->text()));
}

void TestTrainingGui::closeWhileTrainingIsSafe()
{
    QTemporaryDir dir;
    const QString path = QString::fromStdString(importRingProject(dir));
    {
        auto* w = new kgapp::MainWindow;
        QVERIFY(w->openProject(path));
        w->show();
        QSignalSpy events(w->training()->worker(), &kgw::TrainingWorker::jobEvent);
        w->training()->start(slowSpec(500));
        QTRY_VERIFY_WITH_TIMEOUT(events.count() > 3, 60000);
        // Quitting during a job asks first: "No" keeps the window and the job.
        auto answer = [](QMessageBox::StandardButton button) {
            QTimer::singleShot(200, [button] {
                auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
                QVERIFY(box);
                box->button(button)->click();
            });
        };
        answer(QMessageBox::No);
        QVERIFY(!w->close());
        QVERIFY(w->isVisible());
        QVERIFY(w->training()->running());
        answer(QMessageBox::Yes);
        QVERIFY(w->close());
        delete w; // cancels and joins the engine thread
    }
    kg::sql::Database db(s(path), kg::sql::Database::Mode::ReadOnly);
    auto check = db.prepare("PRAGMA integrity_check");
    QVERIFY(check.step());
    QCOMPARE(check.text(0), std::string("ok"));
    auto p = kg::Project::open(s(path));
    const auto runs = kg::RunStore(*p).runs();
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(runs.front().status, std::string("cancelled"));
    QVERIFY(p->tripleCount() > 0);
}

void TestTrainingGui::exportsAndCompare()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(w.openProject(QString::fromStdString(importRingProject(dir))));
    auto* panel = w.training();
    QSignalSpy done(panel, &kgw::TrainingPanel::jobDone);
    auto spec = slowSpec(3);
    spec.config.batchSize = 32;
    panel->start(spec);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
    spec.config.model = kg::ml::ModelKind::ComplEx;
    panel->start(spec);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 60000);
    const qint64 a = done.at(0).at(0).toLongLong(), b = done.at(1).at(0).toLongLong();

    // The history and the curves are read on the history worker, not the GUI thread.
    QSignalSpy curves(panel, &kgw::TrainingPanel::curvesShown);
    panel->showRuns({a, b});
    QCOMPARE(panel->lossSeries()->chart()->series().size(), 2); // one loss curve per run
    QCOMPARE(curves.count(), 0);
    QVERIFY(curves.wait(10000));
    QCOMPARE(panel->lossSeries()->count(), 3); // run a's loss, one point per epoch

    // Another project shows nothing of this one's curves or status; back again, the history.
    {
        QTemporaryDir other;
        const QString otherPath = QString::fromStdString(importRingProject(other));
        panel->showRuns({a, b}); // asked for, then another project at once: they never land there
        QVERIFY(w.openProject(otherPath));
        QCOMPARE(panel->lossSeries()->chart()->series().size(), 1);
        QCOMPARE(panel->lossSeries()->count(), 0);
        QVERIFY(!curves.wait(500));
        QCOMPARE(panel->lossSeries()->count(), 0);
        QCOMPARE(panel->runTable()->rowCount(), 0);
        QCOMPARE(panel->progress()->value(), 0);
        QVERIFY(w.openProject(QString::fromStdString(s(dir.filePath("ring.kgwb")))));
        QCOMPARE(panel->runTable()->rowCount(), 0); // until the history lands
        QTRY_COMPARE_WITH_TIMEOUT(panel->runTable()->rowCount(), 2, 10000);
        panel->showRuns({a, b});
        QVERIFY(curves.wait(10000));
    }

    QSignalSpy exported(panel, &kgw::TrainingPanel::exportFinished);
    panel->exportCurvesCsv({a, b}, dir.filePath("curves.csv"));
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.last().at(0).toString(), QString());
    QFile csv(dir.filePath("curves.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.front(), QByteArray("run,metric,step,epoch,value"));
    // 3 loss + 3 x 3 validation points per run.
    QCOMPARE(lines.size(), 1 + 2 * (3 + 9));
    QVERIFY(panel->exportChartPng(dir.filePath("charts.png")));
    QVERIFY(!QImage(dir.filePath("charts.png")).isNull());

    const QString out = dir.filePath("projector");
    QSignalSpy exportRows(panel, &kgw::TrainingPanel::exportProgress);
    panel->exportEmbeddings(a, out);
    auto buttonText = [panel](const QString& text) {
        for (auto* b : panel->findChildren<QPushButton*>())
            if (b->text() == text)
                return b->isEnabled();
        return false;
    };
    QVERIFY(buttonText(QStringLiteral("Cancel Export"))); // the export button cancels meanwhile
    QVERIFY(exported.wait(30000));
    QCOMPARE(exported.last().at(0).toString(), QString());
    // Rows were reported, the last of them all the project's entities.
    QVERIFY(!exportRows.isEmpty());
    QCOMPARE(exportRows.last().at(1).toLongLong(), static_cast<qint64>(w.project()->stats().entities));
    QVERIFY(!buttonText(QStringLiteral("Cancel Export")));
    QFile vectors(out + "/vectors.tsv"), meta(out + "/metadata.tsv");
    QVERIFY(vectors.open(QIODevice::ReadOnly) && meta.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = vectors.readAll().trimmed().split('\n');
    const QList<QByteArray> metaRows = meta.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), static_cast<qsizetype>(w.project()->stats().entities));
    QCOMPARE(metaRows.size(), rows.size() + 1); // header
    QCOMPARE(metaRows.front(), QByteArray("key\tlabel\tdegree"));
    for (const QByteArray& r : rows) {
        const auto cells = r.split('\t');
        QCOMPARE(cells.size(), 16);
        bool ok = false;
        cells.front().toDouble(&ok);
        QVERIFY(ok);
    }
    // Cancelled at once: either it stopped before writing (the earlier files stay as they were)
    // or it had already finished; never a half-written pair.
    QFile before(out + "/vectors.tsv");
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray vectorsBefore = before.readAll();
    before.close();
    panel->exportEmbeddings(a, out);
    panel->cancelExport();
    QVERIFY(exported.wait(30000));
    const QString cancelled = exported.last().at(0).toString();
    QVERIFY2(cancelled.isEmpty() || cancelled.contains(QStringLiteral("cancelled")), qPrintable(cancelled));
    QVERIFY(before.open(QIODevice::ReadOnly));
    QCOMPARE(before.readAll().size(), vectorsBefore.size());
    QCOMPARE(QDir(out).entryList(QDir::Files).size(), qsizetype(2));
    panel->exportEmbeddings(9999, out);
    QVERIFY(exported.wait(10000));
    QVERIFY(!exported.last().at(0).toString().isEmpty());
    QCOMPARE(panel->statusLabel()->text(), exported.last().at(0).toString());
    panel->exportCurvesCsv({a}, dir.filePath("no-such-dir/curves.csv"));
    QVERIFY(exported.wait(10000));
    QVERIFY(exported.last().at(0).toString().contains(QStringLiteral("no-such-dir")));
}

void TestTrainingGui::launchDialogPresets()
{
    kgw::LaunchDialog dialog;
    dialog.show();
    QVERIFY(dialog.presets()->count() >= 4);
    // The box lists the engine's presets (ml/train_presets.h), each in the dialog's own words,
    // and each comes out of the form as the engine's config (the device is the form's).
    const auto& engine = kg::ml::trainPresets();
    QCOMPARE(dialog.presets()->count(), static_cast<int>(engine.size()));
    for (int i = 0; i < dialog.presets()->count(); ++i) {
        const auto& preset = engine[static_cast<size_t>(i)];
        QCOMPARE(dialog.presets()->itemData(i).toString(), QString::fromStdString(preset.id));
        QVERIFY2(dialog.presets()->itemText(i) != QString::fromStdString(preset.summary), preset.id.c_str());
        QVERIFY(!dialog.presets()->itemData(i, Qt::ToolTipRole).toString().isEmpty()); // every preset explains itself
        dialog.applyPreset(i);
        const auto spec = dialog.spec();
        spec.config.validate(); // every preset is a valid configuration
        auto expected = preset.config;
        expected.device = spec.config.device;
        QCOMPARE(QString::fromStdString(spec.config.toJson()), QString::fromStdString(expected.toJson()));
        const auto back = kg::ml::JobSpec::fromJson(spec.toJson());
        QCOMPARE(back.config.toJson(), spec.config.toJson());
    }
    dialog.applyPreset(1); // RotatE, self-adversarial
    QCOMPARE(dialog.spec().config.model, kg::ml::ModelKind::RotatE);
    QVERIFY(dialog.spec().config.advTemperature > 0);
    dialog.epochs()->setValue(7);
    QCOMPARE(dialog.spec().config.epochs, int64_t(7));
    auto rowWise = dialog.spec(); // the row-wise optimizer goes in and comes back out
    rowWise.config.optimizer = kg::ml::OptimizerKind::RowAdagrad;
    dialog.setSpec(rowWise);
    QCOMPARE(dialog.spec().config.optimizer, kg::ml::OptimizerKind::RowAdagrad);
    // The ranking transformer preset's targets, N3 and shortcut pass through the form (all
    // three are on it).
    for (int i = 0; i < dialog.presets()->count(); ++i)
        if (dialog.presets()->itemData(i).toString() == QStringLiteral("transformer-rank"))
            dialog.applyPreset(i);
    auto ranking = dialog.spec();
    QCOMPARE(ranking.config.transformer.targets, std::string("all"));
    QCOMPARE(ranking.config.reg, kg::ml::RegKind::N3);
    QVERIFY(ranking.config.transformer.shortcut);
    ranking.config.transformer.targets = "one";
    ranking.config.reg = kg::ml::RegKind::L2;
    ranking.config.transformer.shortcut = false;
    ranking.config.transformer.headMask = 0.5;
    dialog.setSpec(ranking);
    QCOMPARE(dialog.spec().config.transformer.headMask, 0.5); // on the form too
    QCOMPARE(dialog.spec().config.transformer.targets, std::string("one"));
    QCOMPARE(dialog.spec().config.reg, kg::ml::RegKind::L2);
    QVERIFY(!dialog.spec().config.transformer.shortcut);
    // The large-graph preset's dropout shows on the form and an edit of it comes out.
    for (int i = 0; i < dialog.presets()->count(); ++i)
        if (dialog.presets()->itemData(i).toString() == QStringLiteral("transformer-rank-large"))
            dialog.applyPreset(i);
    QCOMPARE(dialog.spec().config.dim, int64_t(256));
    QCOMPARE(dialog.spec().config.transformer.dropout, 0.3);
    QDoubleSpinBox* dropout = nullptr;
    for (auto* box : dialog.findChildren<QDoubleSpinBox*>())
        if (box->toolTip().contains(QStringLiteral("Dropout")))
            dropout = box;
    QVERIFY(dropout && dropout->isVisible());
    dropout->setValue(0.2);
    QCOMPARE(dialog.spec().config.transformer.dropout, 0.2);
    QVERIFY(dialog.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("launch_dialog.png")));

    // Transformer presets: the transformer rows show, fine-tuning can start from a run, and a
    // bad config is refused by the engine's validate() (the dialog stays open).
    dialog.setTransformerRuns({{7, QStringLiteral("run 7 (pre-train)")}});
    int lora = -1;
    for (int i = 0; i < dialog.presets()->count(); ++i)
        if (dialog.presets()->itemText(i).contains(QStringLiteral("LoRA")))
            lora = i;
    QVERIFY(lora >= 0);
    dialog.applyPreset(lora);
    dialog.initFrom()->setCurrentIndex(dialog.initFrom()->findData(QVariant::fromValue<qint64>(7)));
    const auto t = dialog.spec().config;
    QCOMPARE(t.model, kg::ml::ModelKind::Transformer);
    QVERIFY(t.transformer.loraRank > 0);
    QCOMPARE(t.transformer.loraEntities, std::string("full"));
    dialog.loraEntities()->setCurrentIndex(dialog.loraEntities()->findData(QStringLiteral("adapter")));
    QCOMPARE(dialog.spec().config.transformer.loraEntities, std::string("adapter"));
    QCOMPARE(t.transformer.initFrom, int64_t(7));
    QVERIFY(dialog.initFrom()->isVisible());
    QVERIFY(dialog.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("launch_dialog_transformer.png")));
}

void TestTrainingGui::transformerShowsTokensPerSecond()
{
    // A transformer job's dashboard gives its input tokens per second beside triples per second;
    // a KGE job's (progressCancelAndResume) does not.
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(w.openProject(QString::fromStdString(importRingProject(dir))));
    w.resize(1280, 800);
    w.show();
    auto* panel = w.training();
    w.tabs()->setCurrentWidget(panel);
    QSignalSpy done(panel, &kgw::TrainingPanel::jobDone);
    QString rate;
    QImage shot;
    auto c = connect(panel->worker(), &kgw::TrainingWorker::jobEvent, this, [&](quint64, const kg::ml::JobEvent& e) {
        if (e.kind == Kind::Epoch && shot.isNull()) {
            rate = panel->rateLabel()->text();
            shot = w.grab().toImage();
        }
    });
    auto spec = slowSpec(2);
    spec.config.model = kg::ml::ModelKind::Transformer;
    spec.config.batchSize = 16;
    spec.config.transformer.heads = 2;
    spec.config.transformer.layers = 1;
    spec.config.transformer.context = 4;
    QVERIFY(panel->start(spec) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
    disconnect(c);
    QCOMPARE(done.last().at(1).toString(), QString("finished"));
    QVERIFY2(rate.contains("triples/s") && rate.contains("tokens/s") && rate.contains("memory"), qPrintable(rate));
    QVERIFY(shot.save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("training_dashboard_transformer.png")));
}


QTEST_MAIN(TestTrainingGui)
#include "tst_training_gui.moc"
