// The Candidates tab: documents imported from the GUI (a bad one refused, nothing written),
// the extractor trained and run off the GUI thread, candidates reviewed with the keyboard
// (A accepts, R rejects) and with an edited tail, decisions undone and redone from the Edit
// stack, provenance in the entity inspector. Real widgets offscreen, real LibTorch training.
#include <QComboBox>
#include <QLineSeries>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTabWidget>
#include <QTest>
#include <QTextBrowser>
#include <QUndoStack>

#include "candidates_panel.h"
#include "entity_inspector.h"
#include "main_window.h"
#include "project_editor.h"
#include "store/candidate_store.h"
#include "store/doc_store.h"
#include "training_panel.h"
#include "gui_test_util.h"
#include "test_util.h"

using namespace kgtest;

class TestExtractGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void importTrainExtractAndReview();
};

void TestExtractGui::importTrainExtractAndReview()
{
    QTemporaryDir dir;
    const Biographies b = writeBiographies(dir, 5);
    kgapp::MainWindow w;
    QVERIFY(w.openProject(QString::fromStdString(b.project)));
    w.resize(1400, 860);
    w.show();
    auto* panel = w.candidates();
    QVERIFY(panel);
    w.tabs()->setCurrentWidget(panel);
    QSignalSpy done(panel, &kgw::CandidatesPanel::jobFinished);

    // A bad document refuses the import; nothing is written.
    const QString good = writeFile(dir, "more.md", "# Notes\n\nAlva Brookes visited Oslo.\n");
    const QString bad = writeFile(dir, "bad.txt", QByteArray("\x89PNG\0\0", 6));
    panel->importDocuments({good, bad});
    QVERIFY(done.wait(20000));
    QCOMPARE(done.last().at(0).toBool(), false);
    QVERIFY2(panel->status()->text().contains(QStringLiteral("bad.txt")), qPrintable(panel->status()->text()));
    {
        auto p = kg::Project::open(b.project, kg::Project::OpenMode::MustExist);
        QCOMPARE(kg::DocStore(*p).counts().documents, int64_t(1));
    }
    panel->importDocuments({good});
    QVERIFY(done.wait(20000));
    QCOMPARE(done.last().at(0).toBool(), true);

    panel->epochsBox()->setValue(8);
    panel->train();
    QVERIFY(done.wait(240000));
    QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
    QVERIFY2(done.last().at(1).toString().contains(QStringLiteral("F1")), qPrintable(done.last().at(1).toString()));
    // It ran in the Training tab's queue: its run is in the run history there.
    // (The history lands from its worker.)
    QTRY_VERIFY_WITH_TIMEOUT(kgtest::tableContains(w.training()->runTable(), QStringLiteral("relation-transformer")), 10000);
    // Its live loss curve runs along the job's steps (one point per progress event, in order).
    const auto points = w.training()->lossSeries()->points();
    QVERIFY(points.size() >= 2);
    for (int i = 1; i < points.size(); ++i)
        QVERIFY2(points[i].x() > points[i - 1].x(), qPrintable(QString::number(i)));
    w.tabs()->setCurrentWidget(w.training());
    w.grab().save(QStringLiteral(KGWB_SCREENSHOT_DIR "/training_extract.png"));
    w.tabs()->setCurrentWidget(panel);
    QSignalSpy shown(panel, &kgw::CandidatesPanel::listShown);
    panel->minScoreBox()->setValue(0.3);
    panel->extract();
    QVERIFY(done.wait(120000));
    QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
    if (panel->table()->rowCount() == 0)
        QVERIFY(shown.wait(10000));
    const int before = panel->table()->rowCount();
    QVERIFY2(before >= 3, qPrintable(panel->status()->text()));
    // The evidence shows both mentions highlighted.
    panel->table()->setCurrentCell(0, 0);
    QVERIFY(panel->evidence()->toHtml().contains(QStringLiteral("background-color:#cfe3ff")));
    QVERIFY(panel->evidence()->toHtml().contains(QStringLiteral("background-color:#ffe0b3")));
    const QString firstHead = panel->headEdit()->text();

    auto counts = [&] {
        auto p = kg::Project::open(b.project, kg::Project::OpenMode::MustExist);
        return std::make_pair(kg::CandidateStore(*p).counts(), p->tripleCount());
    };
    const int64_t triples = counts().second;
    // A accepts the selected candidate, and the next one is selected.
    panel->table()->setFocus();
    QTest::keyClick(panel->table(), Qt::Key_A);
    QCOMPARE(counts().first.accepted, int64_t(1));
    QCOMPARE(counts().second, triples + 1);
    QCOMPARE(panel->table()->currentRow(), 0);
    // R rejects the next.
    QTest::keyClick(panel->table(), Qt::Key_R);
    QCOMPARE(counts().first.rejected, int64_t(1));
    // An edited tail: the triple added is the edited one.
    panel->tailEdit()->setText(QStringLiteral("bern"));
    const QString head = panel->headEdit()->text();
    const qint64 relation = panel->relationBox()->currentData().toLongLong();
    panel->acceptSelected();
    {
        auto p = kg::Project::open(b.project, kg::Project::OpenMode::MustExist);
        const auto h = p->entityByKey(head.toStdString());
        const auto t = p->entityByKey("bern");
        bool found = false;
        for (const auto& x : p->triplesAround(h->id, 100))
            found = found || (x.rel == relation && x.tail == t->id);
        QVERIFY(found);
    }
    // Undo and redo from the edit stack restore the candidates' decisions.
    auto* stack = w.findChild<kgw::ProjectEditor*>()->stack();
    stack->undo(); // the edited acceptance
    stack->undo(); // the rejection
    QCOMPARE(counts().first.rejected, int64_t(0));
    QCOMPARE(counts().first.accepted, int64_t(1));
    stack->redo();
    QCOMPARE(counts().first.rejected, int64_t(1));

    // The inspector shows where the accepted triple came from.
    {
        auto p = kg::Project::open(b.project, kg::Project::OpenMode::MustExist);
        w.findChild<kgw::EntityInspector*>()->showEntity(p->entityByKey(firstHead.toStdString())->id);
    }
    QTRY_VERIFY(!w.findChild<kgw::EntityInspector*>()->busy()); // read on the inspector's worker
    QVERIFY2(w.findChild<kgw::EntityInspector*>()->provenance()->text().contains(QStringLiteral("bios.txt")),
             qPrintable(w.findChild<kgw::EntityInspector*>()->provenance()->text()));
    QVERIFY(shown.wait(5000) || panel->table()->rowCount() > 0);
    w.grab().save(QStringLiteral(KGWB_SCREENSHOT_DIR "/candidates.png"));
}

QTEST_MAIN(TestExtractGui)
#include "tst_extract_gui.moc"
