// Explanations in the GUI and the CLI on the demo graph: ranked answers, reasoning paths that
// are real edges and ground mined rules, the chosen path highlighted in the graph, and the
// transformer's attention heatmap. Real widgets offscreen, real rule mining and LibTorch.
#include <limits>

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QLocale>
#include <QTest>

#include <QLineEdit>
#include <QSpinBox>

#include "ask_panel.h"
#include "attention_heatmap.h"
#include "demo_project.h"
#include "explain_panel.h"
#include "graph_explorer.h"
#include "graph_view.h"
#include "graph_session.h"
#include "scene_sync.h"
#include "graph_items.h"
#include "main_window.h"
#include "ml/train_job.h"
#include "store/project.h"
#include "gui_test_util.h"
#include "test_util.h"
#include "training_panel.h"

using namespace kgtest;

class TestExplainGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void answersPathsHighlightAndAttention();
    void cliExplainJson();
    void askImportTrainAnswerAndCorrect();
};

void TestExplainGui::askImportTrainAnswerAndCorrect()
{
    QTemporaryDir dir;
    writeQaWorld(dir);
    {
        auto p = kg::Project::open(s(dir.filePath("world.kgwb")));
        kg::import::ImportRequest req;
        req.tripleFiles = {s(dir.filePath("world.tsv"))};
        kg::import::runImport(*p, req);
    }
    kgapp::MainWindow w;
    QVERIFY(w.openProject(dir.filePath("world.kgwb")));
    w.resize(1400, 860);
    w.show();
    auto* panel = w.ask();
    QVERIFY(panel);
    w.tabs()->setCurrentWidget(panel);
    QCOMPARE(panel->modelBox()->count(), 0); // nothing trained yet
    // No transformer run yet: the encoder is words only, or words + pieces, from scratch.
    QCOMPARE(panel->encoderBox()->count(), 2);
    QCOMPARE(panel->encoderBox()->currentData().toLongLong(), qint64(-1));

    QSignalSpy jobs(panel, &kgw::AskPanel::jobFinished);
    panel->importQuestions(dir.filePath("questions.tsv")); // the sibling split file is used
    QVERIFY(jobs.wait(30000));
    QCOMPARE(jobs.last().at(0).toBool(), true);
    QVERIFY2(panel->status()->text().contains("160"), qPrintable(panel->status()->text()));
    panel->epochsBox()->setValue(12);
    panel->train();
    QVERIFY(panel->cancelButton()->isVisible());
    QVERIFY(jobs.wait(120000));
    QVERIFY2(jobs.last().at(0).toBool(), qPrintable(panel->status()->text()));
    QTRY_COMPARE_WITH_TIMEOUT(panel->modelBox()->count(), 1, 10000); // the lists are read on a worker
    QCOMPARE(panel->completionBox()->count(), 1); // no CompGCN run: the graph only
    QVERIFY(!panel->cancelButton()->isVisible());
    // The run went through the Training tab's queue: it is in the run history there.
    // (The history lands from its worker.)
    QTRY_VERIFY_WITH_TIMEOUT(kgtest::tableContains(w.training()->runTable(), QStringLiteral("qa-chain")), 10000);

    QSignalSpy shown(panel, &kgw::AskPanel::answersShown);
    const qint64 spouse = w.project()->relationByKey("spouse")->id, job = w.project()->relationByKey("job")->id;
    panel->ask(QStringLiteral("what is the occupation of person_5 's wife ?"));
    QVERIFY(shown.wait(30000));
    QVERIFY(panel->answers()->rowCount() >= 1);
    QCOMPARE(panel->answers()->item(0, 1)->text(), QStringLiteral("job_0")); // person_4's job: (4*5)%4
    QCOMPARE(panel->answers()->item(0, 3)->text(), QStringLiteral("spouse > job"));
    QVERIFY(panel->answers()->item(0, 4)->text().contains("person_4"));
    // The hops table: one row per hop, one column per question word, the relation words
    // carrying each hop's attention.
    QCOMPARE(panel->hops()->rowCount(), 2);
    const auto words = QStringList{"what", "is", "the", "occupation", "of", "person", "5", "s", "wife"};
    QCOMPARE(panel->hops()->columnCount(), 2 + static_cast<int>(words.size()));
    auto attention = [&](int hop, const QString& word) {
        return panel->hops()->item(hop, 2 + static_cast<int>(words.indexOf(word)))->text().toDouble();
    };
    QVERIFY(attention(0, "wife") > attention(0, "occupation"));
    QVERIFY(attention(1, "occupation") > attention(1, "wife"));
    // The walk is highlighted in the graph view.
    QTRY_VERIFY_WITH_TIMEOUT(!w.graph()->busy(), 20000);
    int highlighted = 0;
    for (const auto& t : w.graph()->session().graph().edges())
        if (auto* e = w.graph()->sceneSync().edgeItem(t.id); e && e->highlighted())
            ++highlighted;
    QCOMPARE(highlighted, 2);
    QVERIFY(w.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("ask_panel.png")));

    // A person corrects the model: an alternative path, double-clicked, is answered along.
    QVERIFY(panel->alternatives()->rowCount() >= 1);
    const QString alternative = panel->alternatives()->item(0, 0)->text();
    Q_EMIT panel->alternatives()->cellDoubleClicked(0, 0);
    QVERIFY(shown.wait(30000));
    QCOMPARE(panel->answers()->item(0, 3)->text(), alternative);
    // ... or names the topic.
    panel->topicEdit()->setText(QStringLiteral("person_9"));
    Q_EMIT panel->topicEdit()->returnPressed();
    QVERIFY(shown.wait(30000));
    QVERIFY(panel->answers()->item(0, 4)->text().startsWith("person_9"));
    QVERIFY(panel->status()->text().contains("given"));
    // A topic key no entity has: looked up on the worker, which says so (nothing is asked).
    panel->topicEdit()->setText(QStringLiteral("nobody_here"));
    Q_EMIT panel->topicEdit()->returnPressed();
    QCOMPARE(panel->status()->text(), QStringLiteral("Asking…"));
    QTRY_COMPARE(panel->status()->text(), QStringLiteral("No entity has the key nobody_here."));
    Q_UNUSED(spouse);
    Q_UNUSED(job);
}

void TestExplainGui::answersPathsHighlightAndAttention()
{
    QTemporaryDir dir;
    kgapp::ensureDemoProject(dir.filePath("demo.kgwb"));
    kgapp::MainWindow w;
    QVERIFY(w.openProject(dir.filePath("demo.kgwb")));
    w.resize(1400, 860);
    w.show();
    auto* panel = w.explain();
    QVERIFY(panel);
    w.tabs()->setCurrentWidget(panel);
    const qint64 curie = w.project()->entityByKey("curie")->id;
    const qint64 citizen = w.project()->relationByKey("citizen_of")->id;
    const qint64 poland = w.project()->entityByKey("poland")->id;

    QSignalSpy answers(panel, &kgw::ExplainPanel::answersShown);
    QSignalSpy explained(panel, &kgw::ExplainPanel::explanationShown);
    QSignalSpy mining(panel->worker(), &kgw::ExplainWorker::miningProgress);
    panel->query(curie, citizen);
    QVERIFY(answers.wait(60000));
    QVERIFY(panel->answers()->rowCount() >= 2);
    QVERIFY(mining.count() > 0); // the first rules query mines them, with progress
    QVERIFY(!panel->stopMiningButton()->isVisible()); // done: the Stop button is gone
    // Typed into the form, the head is resolved on the worker (key, else best full-text match):
    // nothing that matches says so; a label ranks for its entity, whose key the form then shows.
    panel->headEdit()->setText(QStringLiteral("zzqxv"));
    QTest::keyClick(panel->headEdit(), Qt::Key_Return);
    QTRY_VERIFY(panel->status()->text().contains(QStringLiteral("No entity matches “zzqxv”")));
    QCOMPARE(panel->answers()->rowCount(), 0);
    panel->headEdit()->setText(QStringLiteral("Marie Curie"));
    QTest::keyClick(panel->headEdit(), Qt::Key_Return);
    QCOMPARE(panel->headEdit()->text(), QStringLiteral("Marie Curie")); // not resolved on the GUI thread
    QVERIFY(answers.wait(60000));
    QCOMPARE(panel->headEdit()->text(), QStringLiteral("curie"));
    QVERIFY(panel->answers()->rowCount() >= 2);
    int polandRow = -1;
    for (int r = 0; r < panel->answers()->rowCount(); ++r)
        if (panel->answers()->item(r, 0)->data(Qt::UserRole).toLongLong() == poland)
            polandRow = r;
    QVERIFY2(polandRow >= 0, "poland is a rule-derived answer (born in Warsaw, located in Poland)");

    panel->answers()->selectRow(polandRow);
    QVERIFY(explained.count() > 0 || explained.wait(60000));
    QVERIFY(panel->paths()->rowCount() >= 1);
    // The best path is born_in -> located_in, grounding a mined rule with confidence.
    const QString best = panel->paths()->item(0, 0)->text();
    QVERIFY2(best.contains("Warsaw") && best.contains("Poland"), qPrintable(best));
    QVERIFY(!panel->paths()->item(0, 1)->text().isEmpty());
    QVERIFY(panel->paths()->item(0, 1)->text().toDouble() > 0);
    // Highlighted in the panel's graph view and in the main graph.
    QTRY_VERIFY_WITH_TIMEOUT(!panel->pathGraph()->busy(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.graph()->busy(), 20000);
    int highlighted = 0;
    for (const auto& t : w.graph()->session().graph().edges())
        if (auto* e = w.graph()->sceneSync().edgeItem(t.id); e && e->highlighted())
            ++highlighted;
    QCOMPARE(highlighted, 2);
    QVERIFY(w.graph()->sceneSync().nodeItem(w.project()->entityByKey("warsaw")->id)->highlighted());

    // A transformer run (the job the Training tab launches) becomes a scorer: its ranking,
    // attention and attributions come from one forward pass.
    // An older KGE run first: a new session must rank with the newest run, not the oldest.
    int64_t kgeRunId = 0;
    {
        kg::ml::JobSpec kge;
        kge.config.model = kg::ml::ModelKind::DistMult;
        kge.config.dim = 8;
        kge.config.epochs = 1;
        kge.config.threads = 1;
        kge.config.device = "cpu";
        kge.checkpoint = kgtest::s(dir.filePath("older.ckpt"));
        const auto result = kg::ml::TrainJob(w.project()->path(), kge).run({});
        QCOMPARE(QString::fromStdString(result.status), QString("finished"));
        kgeRunId = result.runId;
    }
    kg::ml::JobSpec spec;
    spec.config.model = kg::ml::ModelKind::Transformer;
    spec.config.dim = 32;
    spec.config.epochs = 3;
    spec.config.batchSize = 16;
    spec.config.threads = 2;
    spec.config.device = "cpu";
    spec.config.transformer.heads = 2;
    spec.config.transformer.context = 6;
    spec.config.transformer.shortcut = true; // the status line splits the answer's score
    const auto run = kg::ml::TrainJob(w.project()->path(), spec).run({});
    // The lists are read on the worker: the newest run ranks unless one was picked before.
    QSignalSpy lists(panel, &kgw::ExplainPanel::listsShown);
    panel->refreshModels();
    QVERIFY(lists.wait(10000));
    const int runIndex = panel->modelBox()->findData(QStringLiteral("run:%1").arg(run.runId));
    QVERIFY(runIndex >= 0);
    QCOMPARE(panel->modelBox()->currentIndex(), 0); // the rules were in use: they stay
    panel->modelBox()->setCurrentIndex(runIndex);
    // Ranks (curie, citizen of, ?) with the run and explains the top answer.
    auto explainTopWith = [&](int64_t runId) {
        panel->worker()->configure(dir.filePath("demo.kgwb"), QStringLiteral("run:%1").arg(runId));
        answers.clear();
        panel->query(curie, citizen);
        if (!answers.wait(60000))
            return false;
        explained.clear();
        panel->explainAnswer(0);
        return explained.wait(60000);
    };
    QVERIFY(explainTopWith(run.runId));
    QVERIFY(panel->facts()->item(0, 1)->text().toDouble() != 0 || panel->facts()->item(1, 1)->text().toDouble() != 0);
    { // its paths: scored by their first fact's drop (one of the context facts'), "—" after them
        QCOMPARE(panel->paths()->horizontalHeaderItem(3)->text(), QStringLiteral("Score drop without it"));
        QVERIFY(panel->paths()->rowCount() >= 1);
        QStringList drops;
        for (int i = 0; i < panel->facts()->rowCount(); ++i)
            drops << panel->facts()->item(i, 1)->text();
        bool unscored = false;
        int scored = 0;
        for (int i = 0; i < panel->paths()->rowCount(); ++i) {
            const QString text = panel->paths()->item(i, 3)->text();
            if (text == QStringLiteral("—")) {
                unscored = true;
                continue;
            }
            QVERIFY2(!unscored, "scored paths come first");
            const double v = text.toDouble();
            QVERIFY2(std::any_of(drops.begin(), drops.end(),
                                 [&](const QString& d) { return std::abs(d.toDouble() - v) <= 1e-2 * std::abs(v) + 1e-6; }),
                     qPrintable(text + QStringLiteral(" not among ") + drops.join(QLatin1Char(' '))));
            ++scored;
        }
        QVERIFY(scored > 0);
    }
    panel->facts()->selectRow(1); // a fact chosen: its column in the heatmap is outlined
    const int marked = panel->heatmap()->markedToken();
    QVERIFY2(marked >= 4 && marked < static_cast<int>(panel->heatmap()->maps().tokens.size()), qPrintable(QString::number(marked)));
    panel->facts()->clearSelection();
    { // kgwb explain with the same run lists the context facts with the same three weights
        QProcess cli;
        cli.start(QStringLiteral(KGWB_CLI_PATH), {"explain", dir.filePath("demo.kgwb"), "curie", "citizen_of", "--run",
                                                  QString::number(run.runId)});
        QVERIFY(cli.waitForFinished(120000));
        const QString text = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(cli.exitCode() == 0 && text.contains(QStringLiteral("context facts in the transformer's input")) &&
                     text.contains(QStringLiteral("drop without it")),
                 qPrintable(text + QString::fromUtf8(cli.readAllStandardError())));
    }
    const auto& maps = panel->heatmap()->maps();
    QVERIFY(maps.layers > 0 && maps.heads > 0 && maps.tokens.size() > 4);
    QCOMPARE(maps.tokens.front(), std::string("[CLS]"));
    QCOMPARE(maps.tokens[3], std::string("[MASK]"));
    QCOMPARE(maps.answerToken, 3); // outlined in the heatmap
    QVERIFY(panel->facts()->rowCount() > 0); // the head's context facts, strongest support first
    QVERIFY2(panel->status()->text().contains(QStringLiteral("through the encoder")) &&
                 panel->status()->text().contains(QStringLiteral("from head × relation directly")),
             qPrintable(panel->status()->text()));
    QVERIFY(panel->facts()->item(0, 0)->text().contains(QStringLiteral("Curie")));
    for (int layer : {-1, 0}) // averaged and one layer, averaged over heads and one head
        for (int head : {-1, 1}) {
            panel->heatmap()->select(layer, head);
            const auto m = panel->heatmap()->shownMatrix();
            const int T = static_cast<int>(maps.tokens.size());
            for (int q = 0; q < T; ++q) {
                double sum = 0;
                for (int k = 0; k < T; ++k)
                    sum += m[static_cast<size_t>(q * T + k)];
                QVERIFY(std::abs(sum - 1) < 1e-3);
            }
        }
    panel->heatmap()->select(maps.layers - 1, -1);
    { // a cell's tooltip: both tokens and the weight shown
        const int T = static_cast<int>(maps.tokens.size());
        const QString tip = panel->heatmap()->cellText(3, T - 1);
        const double weight = panel->heatmap()->shownMatrix()[static_cast<size_t>(3 * T + T - 1)];
        QVERIFY2(tip.startsWith(QStringLiteral("[MASK] attends to ") + QString::fromStdString(maps.tokens.back())) &&
                     tip.endsWith(QLocale().toString(weight, 'f', 3)),
                 qPrintable(tip));
        QVERIFY(panel->heatmap()->cellText(T, 0).isEmpty());
    }
    QTRY_VERIFY_WITH_TIMEOUT(!panel->pathGraph()->busy(), 20000);
    QVERIFY(!panel->pathGraph()->legend()->isVisible()); // the small graph view takes the width
    QVERIFY(panel->pathGraph()->view()->width() > panel->heatmap()->width() / 2);
    // The window, with every tab filled, fits a 1366 x 768 screen (a common laptop).
    QVERIFY2(w.minimumSizeHint().width() <= 1366 && w.minimumSizeHint().height() <= 768,
             qPrintable(QStringLiteral("%1 x %2").arg(w.minimumSizeHint().width()).arg(w.minimumSizeHint().height())));
    QVERIFY(w.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("explain_panel.png")));

    // Necessary facts of the transformer's answer: removed from its context, re-ranked.
    QSignalSpy factsShown(panel, &kgw::ExplainPanel::factsShown);
    QVERIFY(panel->findFactsButton()->isEnabled());
    panel->findFactsButton()->click();
    QVERIFY(factsShown.wait(60000));
    QVERIFY2(panel->factSummary()->text().contains(QStringLiteral("rank")), qPrintable(panel->factSummary()->text()));
    QVERIFY(panel->factSearch()->rowCount() > 0);
    // The first row is the explanation: "necessary" when removing it drops the answer.
    const bool dropped = !panel->factSummary()->text().startsWith(QStringLiteral("No set"));
    QCOMPARE(panel->factSearch()->item(0, 1)->text(),
             dropped ? QStringLiteral("necessary") : QStringLiteral("strongest (not enough)"));
    QVERIFY(panel->factSearch()->item(0, 0)->text().contains(QStringLiteral("Curie")));
    // Sufficient facts too: the head's supporting facts put in other entities' context.
    QVERIFY2(panel->factSummary()->text().contains(QStringLiteral("Copied onto 10 other entities")),
             qPrintable(panel->factSummary()->text()));
    int sufficientRows = 0;
    for (int row = 0; row < panel->factSearch()->rowCount(); ++row)
        sufficientRows += panel->factSearch()->item(row, 1)->text() == QStringLiteral("sufficient");
    QVERIFY(sufficientRows > 0);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->pathGraph()->busy(), 20000);
    QVERIFY(w.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("explain_necessary.png")));

    // The transformer run is kept in the project: a new session shows its attention at once.
    kgapp::MainWindow again;
    QSignalSpy lists2(again.explain(), &kgw::ExplainPanel::listsShown);
    QVERIFY(again.openProject(dir.filePath("demo.kgwb")));
    QSignalSpy answers2(again.explain(), &kgw::ExplainPanel::answersShown);
    QSignalSpy explained2(again.explain(), &kgw::ExplainPanel::explanationShown);
    again.explain()->query(curie, citizen);
    QVERIFY(answers2.wait(60000));
    again.explain()->explainAnswer(0);
    QVERIFY(explained2.count() > 0 || explained2.wait(60000));
    QCOMPARE(again.explain()->heatmap()->maps().tokens.front(), std::string("[CLS]"));
    QVERIFY(lists2.count() > 0 || lists2.wait(10000));
    QCOMPARE(again.explain()->modelBox()->count(), 3); // rules, the transformer, the older KGE run
    QCOMPARE(again.explain()->modelBox()->currentData().toString(), QStringLiteral("run:%1").arg(run.runId));

    // A transformer trained without context (the rank-answers preset's input): attention has
    // only the query's tokens, and the status line says why no facts are listed.
    spec.config.transformer.context = 0;
    spec.config.epochs = 1;
    const auto plain = kg::ml::TrainJob(w.project()->path(), spec).run({});
    QCOMPARE(QString::fromStdString(plain.status), QString("finished"));
    QVERIFY(explainTopWith(plain.runId));
    QCOMPARE(panel->heatmap()->maps().tokens.size(), size_t(4)); // [CLS] head relation [MASK]
    QCOMPARE(panel->facts()->rowCount(), 0);
    QVERIFY2(panel->status()->text().contains(QStringLiteral("trained without context")), qPrintable(panel->status()->text()));
    QTRY_VERIFY_WITH_TIMEOUT(!panel->pathGraph()->busy(), 20000);
    QVERIFY(w.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("explain_no_context.png")));

    // The KGE run's paths: ordered by the answer's score drop with the path's fact of the head
    // left out of post-training (measured for the best composed paths; the rest "—", after).
    panel->modelBox()->setCurrentIndex(panel->modelBox()->findData(QStringLiteral("run:%1").arg(kgeRunId)));
    QVERIFY(explainTopWith(kgeRunId));
    QCOMPARE(panel->paths()->horizontalHeaderItem(3)->text(), QStringLiteral("Score drop without it"));
    {
        double previous = std::numeric_limits<double>::infinity();
        bool unscored = false;
        int scored = 0;
        for (int i = 0; i < panel->paths()->rowCount(); ++i) {
            const auto* item = panel->paths()->item(i, 3);
            if (item->text() == QStringLiteral("—")) {
                unscored = true;
                QVERIFY(item->toolTip().contains(QStringLiteral("Not measured")));
                continue;
            }
            QVERIFY2(!unscored, "scored paths come first");
            QVERIFY(item->text().toDouble() <= previous);
            previous = item->text().toDouble();
            ++scored;
        }
        QVERIFY(scored > 0);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!panel->pathGraph()->busy(), 20000);
    QVERIFY(w.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("explain_kge_paths.png")));
    { // A second answer's explanation stops the first one's post-training; the second completes.
        QSignalSpy done(panel->worker(), &kgw::ExplainWorker::finished);
        const qint64 first = panel->answers()->item(0, 0)->data(Qt::UserRole).toLongLong();
        const qint64 second = panel->answers()->item(1, 0)->data(Qt::UserRole).toLongLong();
        const quint64 a = panel->worker()->explain(curie, citizen, first);
        const quint64 b = panel->worker()->explain(curie, citizen, second);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 60000);
        const auto ra = done.at(0).at(0).value<kgw::ExplainResult>();
        const auto rb = done.at(1).at(0).value<kgw::ExplainResult>();
        QCOMPARE(ra.token, a);
        QVERIFY(ra.cancelled);
        QCOMPARE(rb.token, b);
        QVERIFY2(!rb.cancelled && rb.error.isEmpty() && !rb.paths.isEmpty(), qPrintable(rb.error));
    }

    // A CompGCN run ranks too; its necessary facts come from occlusion in its graph, and its
    // sufficient facts from copies of the head's facts in that graph.
    kg::ml::JobSpec gnn;
    gnn.config.model = kg::ml::ModelKind::CompGCN;
    gnn.config.dim = 16;
    gnn.config.epochs = 5;
    gnn.config.threads = 2;
    gnn.config.device = "cpu";
    gnn.checkpoint = kgtest::s(dir.filePath("gnn.ckpt"));
    const auto gnnRun = kg::ml::TrainJob(w.project()->path(), gnn).run({});
    QCOMPARE(QString::fromStdString(gnnRun.status), QString("finished"));
    QSignalSpy gnnLists(panel, &kgw::ExplainPanel::listsShown);
    panel->refreshModels();
    QVERIFY(gnnLists.wait(10000));
    const int gnnIndex = panel->modelBox()->findData(QStringLiteral("run:%1").arg(gnnRun.runId));
    QVERIFY(gnnIndex >= 0); // CompGCN runs are scorers
    panel->modelBox()->setCurrentIndex(gnnIndex);
    Q_EMIT panel->modelBox()->activated(gnnIndex); // as a user's choice
    answers.clear();
    panel->query(curie, citizen);
    QVERIFY(answers.wait(60000));
    QVERIFY2(panel->status()->text().contains(QStringLiteral("ranked by the CompGCN encoder")),
             qPrintable(panel->status()->text()));
    explained.clear();
    panel->explainAnswer(0);
    QVERIFY(explained.wait(60000));
    QCOMPARE(panel->facts()->rowCount(), 0); // no context facts: attention is the transformer's
    // Its paths carry its own scores (the answer's score drop without the path's edges), in
    // their order.
    QVERIFY(panel->paths()->rowCount() >= 1);
    QCOMPARE(panel->paths()->horizontalHeaderItem(3)->text(), QStringLiteral("Score drop without it"));
    for (int i = 0; i < panel->paths()->rowCount(); ++i) {
        bool number = false;
        const double score = panel->paths()->item(i, 3)->text().toDouble(&number);
        QVERIFY2(number, qPrintable(panel->paths()->item(i, 3)->text()));
        if (i > 0)
            QVERIFY(panel->paths()->item(i - 1, 3)->text().toDouble() >= score);
    }
    if (auto* tabs = panel->findChild<QTabWidget*>())
        tabs->setCurrentIndex(0); // the paths
    QTRY_VERIFY_WITH_TIMEOUT(!panel->pathGraph()->busy(), 20000);
    QVERIFY(w.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("explain_compgcn_paths.png")));
    factsShown.clear();
    panel->findFactsButton()->click();
    QVERIFY(factsShown.wait(60000));
    QVERIFY2(panel->factSummary()->text().contains(QStringLiteral("rank")) &&
                 !panel->factSummary()->text().contains(QStringLiteral("up to 5 ")), // the search tries up to 8
             qPrintable(panel->factSummary()->text()));
    QVERIFY(panel->factSearch()->rowCount() > 0);
    QVERIFY2(panel->factSummary()->text().contains(QStringLiteral("Copied onto")), // sufficient facts, in its graph
             qPrintable(panel->factSummary()->text()));
    QTRY_VERIFY_WITH_TIMEOUT(!panel->pathGraph()->busy(), 20000);
    QVERIFY(w.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("explain_compgcn.png")));
}

void TestExplainGui::cliExplainJson()
{
    QTemporaryDir dir;
    kgapp::ensureDemoProject(dir.filePath("demo.kgwb"));
    QProcess p;
    p.start(QStringLiteral(KGWB_CLI_PATH), {"explain", dir.filePath("demo.kgwb"), "curie", "citizen_of", "poland", "--json"});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto doc = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(doc["scorer"].toString(), QString("rules"));
    QCOMPARE(doc["explained"].toObject()["key"].toString(), QString("poland"));
    QVERIFY(doc["answers"].toArray().size() >= 2);
    const auto paths = doc["paths"].toArray();
    QVERIFY(!paths.isEmpty());
    auto project = kg::Project::open(s(dir.filePath("demo.kgwb")));
    for (const auto& pv : paths) { // every step is a real triple walked in the stated direction
        QString at = "curie";
        for (const auto& sv : pv.toObject()["steps"].toArray()) {
            const auto st = sv.toObject();
            const auto t = project->triple(st["triple"].toInteger());
            QVERIFY(t);
            const QString from = st["from"].toObject()["key"].toString(), to = st["to"].toObject()["key"].toString();
            QCOMPARE(from, at);
            const auto h = project->entity(t->head), tl = project->entity(t->tail);
            if (st["inverse"].toBool())
                QVERIFY(QString::fromStdString(tl->key) == from && QString::fromStdString(h->key) == to);
            else
                QVERIFY(QString::fromStdString(h->key) == from && QString::fromStdString(tl->key) == to);
            at = to;
        }
        QCOMPARE(at, QString("poland"));
    }
    QVERIFY(paths.first().toObject()["rule_confidence"].toDouble() > 0);

    // With a trained checkpoint the model ranks the answers and scores every path.
    const QString ckpt = dir.filePath("demo.ckpt");
    p.start(QStringLiteral(KGWB_CLI_PATH), {"train", dir.filePath("demo.kgwb"), "--model", "complex", "--dim", "16",
                                             "--epochs", "5", "--threads", "1", "--device", "cpu", "--checkpoint", ckpt,
                                             "--quiet"});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    p.start(QStringLiteral(KGWB_CLI_PATH),
            {"explain", dir.filePath("demo.kgwb"), "curie", "citizen_of", "poland", "--checkpoint", ckpt, "--json"});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto model = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(model["scorer"].toString(), QString("model"));
    double previous = 1e300;
    for (const auto& a : model["answers"].toArray()) {
        QVERIFY(a.toObject()["score"].toDouble() <= previous);
        previous = a.toObject()["score"].toDouble();
    }
    QVERIFY(!model["paths"].toArray().isEmpty());
    previous = 1e300;
    for (const auto& pv : model["paths"].toArray()) { // ordered by support (its model score)
        const auto path = pv.toObject();
        QVERIFY(path.contains("model_score") && path.contains("composition_score"));
        QCOMPARE(path["support"].toDouble(), path["model_score"].toDouble());
        QVERIFY(path["support"].toDouble() <= previous);
        previous = path["support"].toDouble();
    }
    // Necessary and sufficient facts (post-training the head's embedding).
    p.start(QStringLiteral(KGWB_CLI_PATH), {"explain", dir.filePath("demo.kgwb"), "curie", "citizen_of", "poland",
                                             "--checkpoint", ckpt, "--necessary", "--sufficient", "--json"});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto facts = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const auto necessary = facts["necessary"].toObject();
    QVERIFY(!necessary["facts"].toArray().isEmpty());
    QVERIFY(necessary["rank_before"].toDouble() >= 1);
    for (const auto& f : necessary["facts"].toArray()) // the head's own facts
        QVERIFY(f.toObject()["head"].toObject()["key"].toString() == "curie" ||
                f.toObject()["tail"].toObject()["key"].toString() == "curie");
    QVERIFY(facts["sufficient"].toObject().contains("converted_share"));
    // Without a model they are a usage error.
    p.start(QStringLiteral(KGWB_CLI_PATH), {"explain", dir.filePath("demo.kgwb"), "curie", "citizen_of", "--necessary"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    // A checkpoint of another graph is refused with a reason.
    p.start(QStringLiteral(KGWB_CLI_PATH), {"explain", dir.filePath("demo.kgwb"), "curie", "citizen_of", "--checkpoint",
                                             kgtest::writeFile(dir, "bad.ckpt", "junk")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("not a KG Workbench checkpoint"));
    // Unknown keys are clear errors.
    p.start(QStringLiteral(KGWB_CLI_PATH), {"explain", dir.filePath("demo.kgwb"), "nobody", "citizen_of"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("no entity with key 'nobody'"));
}

QTEST_MAIN(TestExplainGui)
#include "tst_explain_gui.moc"
