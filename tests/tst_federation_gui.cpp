// The "Federated Run" window: a whole federation on this machine (real kgwb processes on
// loopback), its rounds in the table, Stop, and a join refused before anything starts.
#include <QCheckBox>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

#include "fed/silo_split.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "test_util.h"
#include "training/federation_dialog.h"

using namespace kgtest;

namespace {

QStringList makeSilos(const QTemporaryDir& dir, int clients)
{
    auto project = kg::Project::open(importRelationRings(dir), kg::Project::OpenMode::ReadOnly);
    kg::fed::SiloSplitOptions o;
    o.clients = clients;
    QStringList out;
    for (const auto& s : kg::fed::splitIntoSilos(*project, kgtest::s(dir.filePath("silos")), o))
        out << QString::fromStdString(s.path);
    return out;
}

// The dialog set up for a local federation of `silos` (the first as the open project).
void setUpLocal(kgw::FederationDialog& d, const QStringList& silos, int rounds)
{
    d.setCliPath(QStringLiteral(KGWB_CLI_PATH));
    d.setProjectPath(silos[0]);
    for (int i = 1; i < silos.size(); ++i)
        d.addSilo(silos[i]);
    d.rounds()->setValue(rounds);
    d.port()->setValue(freeLoopbackPort());
}

} // namespace

class TestFederationGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsAFederationOfSilos();
    void runsATransformerFederation();
    void transformerReadsLabelsWithSilo1sTokenizer();
    void stopEndsEveryProcess();
    void joinNeedsItsSettings();
};

void TestFederationGui::runsAFederationOfSilos()
{
    QTemporaryDir dir;
    const QStringList silos = makeSilos(dir, 2);
    kgw::FederationDialog d;
    setUpLocal(d, silos, 3);
    d.addSilo(silos[1]); // listed once
    d.show();
    QSignalSpy done(&d, &kgw::FederationDialog::finished);
    d.start();
    QVERIFY(d.running());
    QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 120000);
    QVERIFY2(done.first().first().toBool(), qPrintable(d.statusLabel()->text()));
    QCOMPARE(d.roundTable()->rowCount(), 3);
    QCOMPARE(d.roundTable()->item(2, 0)->text(), QStringLiteral("3/3"));
    QVERIFY2(d.statusLabel()->text().contains("test MRR"), qPrintable(d.statusLabel()->text()));
    d.grab().save(QStringLiteral(KGWB_SCREENSHOT_DIR "/federation_dialog.png"));
}

void TestFederationGui::runsATransformerFederation()
{
    // The transformer from the dialog: its learning rate follows the model, the coordinator
    // runs the rank preset, and the encoder travels with the rows (more MB than entity rows).
    QTemporaryDir dir;
    const QStringList silos = makeSilos(dir, 2);
    kgw::FederationDialog d;
    setUpLocal(d, silos, 2);
    d.model()->setCurrentIndex(d.model()->findData(QStringLiteral("transformer")));
    QCOMPARE(d.learningRate()->value(), 0.001);
    d.show();
    QSignalSpy done(&d, &kgw::FederationDialog::finished);
    d.start();
    QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 120000);
    QVERIFY2(done.first().first().toBool(), qPrintable(d.statusLabel()->text()));
    QCOMPARE(d.roundTable()->rowCount(), 2);
    QVERIFY2(d.statusLabel()->text().contains("test MRR"), qPrintable(d.statusLabel()->text()));
    d.grab().save(QStringLiteral(KGWB_SCREENSHOT_DIR "/federation_dialog_transformer.png"));
}

void TestFederationGui::transformerReadsLabelsWithSilo1sTokenizer()
{
    // "Read entity labels": silo 1's tokenizer goes to silo 2 before the first round (kgwb
    // tokenizer export, then import), and the coordinator reads text with it.
    QTemporaryDir dir;
    const QStringList silos = makeSilos(dir, 2);
    kgw::FederationDialog d;
    setUpLocal(d, silos, 2);
    QVERIFY(!d.readText()->isEnabled()); // KGE models read no text
    d.model()->setCurrentIndex(d.model()->findData(QStringLiteral("transformer")));
    QVERIFY(d.readText()->isEnabled());
    QVERIFY(!d.vocabularySize()->isEnabled());
    d.readText()->setChecked(true);
    QVERIFY(d.vocabularySize()->isEnabled());
    d.vocabularySize()->setValue(320);
    auto tokenizer = [](const QString& silo) {
        auto p = kg::Project::open(s(silo), kg::Project::OpenMode::ReadOnly);
        const auto a = kg::ArtifactStore(*p).get("tokenizer");
        return a ? a->data : std::string();
    };
    QVERIFY(tokenizer(silos[1]).empty());
    d.show();
    QSignalSpy done(&d, &kgw::FederationDialog::finished);
    d.start();
    QVERIFY(d.running());
    QVERIFY(!d.readText()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 180000);
    const QString log = d.findChild<QPlainTextEdit*>()->toPlainText();
    QVERIFY2(done.first().first().toBool(), qPrintable(d.statusLabel()->text() + "\n" + log));
    QCOMPARE(d.roundTable()->rowCount(), 2);
    QVERIFY2(log.contains("--use-text --vocab-size 320"), qPrintable(log)); // the import's own words
    QVERIFY(!tokenizer(silos[0]).empty());
    QVERIFY(tokenizer(silos[1]) == tokenizer(silos[0]));
    d.grab().save(QStringLiteral(KGWB_SCREENSHOT_DIR "/federation_dialog_text.png"));

    // A silo that cannot take it (not a project) ends the start before any round, with the reason.
    kgw::FederationDialog bad;
    setUpLocal(bad, {silos[0], dir.filePath("missing.kgwb")}, 2);
    bad.model()->setCurrentIndex(bad.model()->findData(QStringLiteral("transformer")));
    bad.readText()->setChecked(true);
    bad.vocabularySize()->setValue(320);
    QSignalSpy badDone(&bad, &kgw::FederationDialog::finished);
    bad.start();
    QTRY_VERIFY_WITH_TIMEOUT(!badDone.isEmpty(), 60000);
    QCOMPARE(badDone.first().first().toBool(), false);
    QVERIFY2(bad.statusLabel()->text().startsWith("Failed:"), qPrintable(bad.statusLabel()->text()));
    QCOMPARE(bad.roundTable()->rowCount(), 0);
    QVERIFY(!bad.running());
}

void TestFederationGui::stopEndsEveryProcess()
{
    QTemporaryDir dir;
    const QStringList silos = makeSilos(dir, 2);
    kgw::FederationDialog d;
    setUpLocal(d, silos, 100000);
    QSignalSpy done(&d, &kgw::FederationDialog::finished);
    d.start();
    QTRY_VERIFY_WITH_TIMEOUT(d.roundTable()->rowCount() >= 1, 60000);
    d.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!d.running(), 10000);
    QCOMPARE(done.size(), 1);
    QCOMPARE(done.first().first().toBool(), false);
    QCOMPARE(d.statusLabel()->text(), QStringLiteral("Stopped."));
}

void TestFederationGui::joinNeedsItsSettings()
{
    kgw::FederationDialog d;
    d.setCliPath(QStringLiteral(KGWB_CLI_PATH));
    d.setProjectPath(QStringLiteral("/nonexistent/p.kgwb"));
    d.joinMode()->setChecked(true);
    d.start(); // no coordinator, no secret: refused before any process starts
    QVERIFY(!d.running());
    QVERIFY(d.statusLabel()->text().contains("shared secret"));
}

QTEST_MAIN(TestFederationGui)
#include "tst_federation_gui.moc"
