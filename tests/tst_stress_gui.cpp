// Cancel stress: many cycles of start / pause / resume / cancel of real LibTorch jobs from the
// Training tab, while the run history refreshes every few milliseconds, entities are renamed
// through the editor and the graph view loads and lays out neighbourhoods on its threads.
// Nothing may crash, every run must end recorded with a sane row, and the project must pass
// PRAGMA integrity_check. KGWB_STRESS_CYCLES overrides the 200 cycles.
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include "core/error.h"
#include "graph_explorer.h"
#include "guarded_application.h"
#include "main_window.h"
#include "project_editor.h"
#include "store/project.h"
#include "store/run_store.h"
#include "store/sqlite.h"
#include "test_util.h"
#include "training_panel.h"
#include "training_worker.h"

using namespace kgtest;

class TestStressGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void startPauseResumeCancelCycles();
    void exceptionsInSlotsBecomeMessages();
};

void TestStressGui::exceptionsInSlotsBecomeMessages()
{
    auto* app = qobject_cast<kgapp::GuardedApplication*>(QCoreApplication::instance());
    QVERIFY(app);
    app->setDialogsEnabled(false);
    QSignalSpy caught(app, &kgapp::GuardedApplication::errorCaught);
    QTimer::singleShot(0, app, [] { throw kg::Error(kg::Errc::Database, "database disk image is malformed (test)"); });
    QTimer::singleShot(0, app, [] { throw std::runtime_error("c10-like failure (test)"); });
    QTRY_COMPARE_WITH_TIMEOUT(caught.count(), 2, 5000);
    QVERIFY(caught.at(0).at(0).toString().contains(QStringLiteral("malformed")));
    bool alive = false; // the event loop still runs
    QTimer::singleShot(0, app, [&] { alive = true; });
    QTRY_VERIFY(alive);
}

void TestStressGui::startPauseResumeCancelCycles()
{
    const int cycles = qEnvironmentVariableIsSet("KGWB_STRESS_CYCLES") ? qEnvironmentVariableIntValue("KGWB_STRESS_CYCLES")
                                                                        : 200;
    QTemporaryDir dir;
    const QString path = QString::fromStdString(importRingProject(dir, 60));
    kgapp::MainWindow w;
    QVERIFY(w.openProject(path));
    w.resize(1400, 860);
    w.show();
    auto* panel = w.training();
    QVERIFY(panel);
    QList<qint64> entities;
    for (int i = 0; i < 20; ++i)
        entities.append(w.project()->entityByKey("e" + std::to_string(i))->id);
    QVERIFY(entities.size() >= 10);

    QTimer refresher; // history refreshes racing the engine thread's writes
    connect(&refresher, &QTimer::timeout, panel, &kgw::TrainingPanel::refreshRuns);
    refresher.start(3);
    QSignalSpy events(panel->worker(), &kgw::TrainingWorker::jobEvent);
    QSignalSpy done(panel, &kgw::TrainingPanel::jobDone);

    kg::ml::JobSpec spec;
    spec.config.model = kg::ml::ModelKind::DistMult;
    spec.config.dim = 8;
    spec.config.batchSize = 4;
    spec.config.epochs = 1000;
    spec.config.threads = 1;
    spec.config.device = "cpu";
    spec.progressIntervalMs = 1;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < cycles; ++i) {
        events.clear();
        panel->start(spec);
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 30000); // the engine thread has started the job
        panel->pause(true);
        QTest::qWait(i % 4);
        w.editor()->renameEntity(entities[i % entities.size()], QStringLiteral("renamed %1").arg(i));
        if (i % 10 == 0)
            w.graph()->showEntity(entities[(i / 10) % entities.size()]); // neighbourhood + layout threads
        panel->pause(false);
        QTest::qWait(i % 3);
        panel->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), i + 1, 30000);
        const QString status = done.last().at(1).toString();
        QVERIFY2(status == QLatin1String("cancelled") || status == QLatin1String("finished"), qPrintable(status));
    }
    refresher.stop();
    qInfo("%d cycles in %.1f s", cycles, static_cast<double>(timer.elapsed()) / 1000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.graph()->busy(), 30000);

    // Every row of the history is whole: an id, a timestamp, a known status, a model.
    // A cancel that comes while the job still prepares records no run (run id 0).
    int recorded = 0;
    for (const auto& args : done)
        recorded += args.at(0).toLongLong() > 0;
    QVERIFY(recorded >= cycles / 2);
    qInfo("%d of %d cycles recorded a run", recorded, cycles);
    QSignalSpy shown(panel, &kgw::TrainingPanel::runsShown);
    panel->refreshRuns();
    QVERIFY(shown.wait(10000));
    QCOMPARE(panel->runTable()->rowCount(), recorded);
    const QRegularExpression timestamp(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$"));
    for (int r = 0; r < recorded; ++r) {
        QVERIFY2(timestamp.match(panel->runTable()->item(r, 1)->text()).hasMatch(),
                 qPrintable(panel->runTable()->item(r, 1)->text()));
        const QString shown = panel->runTable()->item(r, 2)->text();
        QVERIFY2(shown == kgw::TrainingPanel::statusText(QStringLiteral("cancelled")) ||
                     shown == kgw::TrainingPanel::statusText(QStringLiteral("finished")),
                 qPrintable(shown));
        QCOMPARE(panel->runTable()->item(r, 3)->text(), QStringLiteral("distmult d8"));
    }
    {
        kg::sql::Database db(s(path), kg::sql::Database::Mode::ReadOnly);
        auto check = db.prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), std::string("ok"));
    }
    auto p = kg::Project::open(s(path), kg::Project::OpenMode::ReadOnly);
    const auto runs = kg::RunStore(*p).runs();
    QCOMPARE(static_cast<int>(runs.size()), recorded);
    for (const auto& run : runs)
        QVERIFY(run.status == "cancelled" || run.status == "finished");
    QCOMPARE(QString::fromStdString(p->entity(entities[(cycles - 1) % entities.size()])->label),
             QStringLiteral("renamed %1").arg(cycles - 1));
}

int main(int argc, char** argv)
{
    kgapp::GuardedApplication app(argc, argv); // the application class the GUI runs with
    TestStressGui test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_stress_gui.moc"
