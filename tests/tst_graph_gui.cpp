// The explorer: search, expansion, layouts and their cache, paths, editing with undo/redo,
// exports and the import wizard (see tst_graph_gui.h).
#include "tst_graph_gui.h"

using namespace kgtest;
using namespace graphgui;

void TestGraphGui::searchShowsEntityInGraph()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(openDemo(w, dir));
    QTest::keyClicks(w.search()->lineEdit(), "meitner");
    QTRY_COMPARE(w.search()->results()->count(), 1);
    QTest::keyClick(w.search()->lineEdit(), Qt::Key_Return);
    QVERIFY(w.search()->busy()); // the query runs on the search's worker
    QTRY_VERIFY(!w.search()->busy());
    QVERIFY(settle(w.graph()));
    const qint64 meitner = idOf(w, "meitner");
    QVERIFY(w.graph()->session().graph().hasNode(meitner));
    QVERIFY(w.graph()->sceneSync().nodeItem(meitner));
    QCOMPARE(w.graph()->scene()->items().size(),
             static_cast<qsizetype>(w.graph()->session().graph().nodes().size() + w.graph()->session().graph().edges().size()));
    QCOMPARE(static_cast<int64_t>(w.graph()->session().graph().edges().size()), w.project()->degree(meitner));
    QVERIFY(w.graph()->legend()->count() >= 3);
    // Every edge item joins the items of its triple's head and tail.
    for (const auto& t : w.graph()->session().graph().edges()) {
        auto* e = w.graph()->sceneSync().edgeItem(t.id);
        QVERIFY(e);
        QCOMPARE(e->from()->entity(), t.head);
        QCOMPARE(e->to()->entity(), t.tail);
    }
    const QImage shot = w.grab().toImage();
    QVERIFY(shot.save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("graph_explorer.png")));
}

void TestGraphGui::doubleClickExpandsAndHubsPage()
{
    QTemporaryDir dir;
    // A hub with 30 leaves; the cap pages through them.
    QByteArray tsv;
    for (int i = 0; i < 30; ++i)
        tsv += "hub\thas\tleaf" + QByteArray::number(i) + "\n";
    tsv += "leaf0\tnext\tfar\n";
    kgapp::MainWindow w;
    QVERIFY(w.openProject(projectFromTsv(dir, "hub", tsv)));
    w.show();
    auto* g = w.graph();
    g->setExpansionCap(12);
    auto* page = g->findChild<QSpinBox*>();
    QVERIFY(page);
    QCOMPARE(page->value(), 12); // the toolbar's page size follows, and drives the cap
    page->setValue(30);
    QCOMPARE(g->expansionCap(), 30);
    page->setValue(12);
    g->showEntity(idOf(w, "hub"));
    g->expandNode(idOf(w, "hub")); // the first page loads off the GUI thread: this asks nothing
    QVERIFY(g->busy());
    QVERIFY(settle(g));
    QCOMPARE(g->session().graph().edges().size(), size_t(12));
    QCOMPARE(g->sceneSync().nodeItem(idOf(w, "hub"))->moreAvailable(), qint64(18));
    // Double-click the hub in the view: "show more".
    g->view()->centerOn(g->sceneSync().nodeItem(idOf(w, "hub")));
    const QPoint at = g->view()->mapFromScene(g->sceneSync().nodeItem(idOf(w, "hub"))->pos());
    QTest::mouseDClick(g->view()->viewport(), Qt::LeftButton, {}, at);
    QVERIFY(settle(g));
    QCOMPARE(g->session().graph().edges().size(), size_t(24));
    QCOMPARE(g->sceneSync().nodeItem(idOf(w, "hub"))->moreAvailable(), qint64(6));
    g->expandNode(idOf(w, "hub"));
    QVERIFY(settle(g));
    QCOMPARE(g->session().graph().edges().size(), size_t(30));
    QCOMPARE(g->sceneSync().nodeItem(idOf(w, "hub"))->moreAvailable(), qint64(0));
    // A node removed while its page loads does not come back with it.
    g->expandNode(idOf(w, "leaf0"));
    g->removeNode(idOf(w, "leaf0"));
    QVERIFY(settle(g));
    QVERIFY(!g->session().graph().hasNode(idOf(w, "leaf0")));
    QVERIFY(!g->session().graph().hasNode(idOf(w, "far")));
    g->expandNode(idOf(w, "leaf0"));
    QVERIFY(settle(g));
    QVERIFY(g->session().graph().hasNode(idOf(w, "far")));
    g->removeNode(idOf(w, "leaf0"));
    QVERIFY(settle(g));
    QVERIFY(!g->sceneSync().nodeItem(idOf(w, "leaf0")));
    QCOMPARE(g->session().graph().edges().size(), size_t(29));
    QCOMPARE(g->scene()->items().size(), static_cast<qsizetype>(g->session().graph().nodes().size() + 29));
}

void TestGraphGui::expansionsAndEditsKeepTheView()
{
    QTemporaryDir dir;
    // A hub whose leaves are also chained: triples between nodes in view that no expansion
    // showed.
    QByteArray tsv;
    for (int i = 0; i < 30; ++i)
        tsv += "hub\thas\tleaf" + QByteArray::number(i) + "\nleaf" + QByteArray::number(i) + "\tnext\tleaf" +
               QByteArray::number(i + 1) + "\n";
    kgapp::MainWindow w;
    QVERIFY(w.openProject(projectFromTsv(dir, "chain", tsv)));
    w.show();
    auto* g = w.graph();
    g->setExpansionCap(12);
    const qint64 hub = idOf(w, "hub");
    g->showEntity(hub);
    QVERIFY(settle(g));
    const size_t shown = g->session().graph().edges().size();
    QCOMPARE(shown, size_t(12));
    QHash<qint64, QPointF> before;
    for (int64_t n : g->session().graph().nodes())
        before[n] = g->sceneSync().nodeItem(n)->pos();

    // "Show more": the nodes already there stay put; only the new ones are placed.
    g->expandNode(hub);
    QVERIFY(settle(g));
    QVERIFY(g->session().graph().nodes().size() > before.size());
    for (auto it = before.begin(); it != before.end(); ++it) {
        const QPointF now = g->sceneSync().nodeItem(it.key())->pos();
        QVERIFY2(QLineF(now, it.value()).length() < 1.0,
                 qPrintable(QString("node %1 moved from (%2, %3) to (%4, %5)")
                                .arg(it.key()).arg(it.value().x()).arg(it.value().y()).arg(now.x()).arg(now.y())));
    }

    // ... and no two nodes overlap.
    const auto nodes = g->session().graph().nodes();
    for (size_t i = 0; i < nodes.size(); ++i)
        for (size_t j = i + 1; j < nodes.size(); ++j) {
            const auto* a = g->sceneSync().nodeItem(nodes[i]);
            const auto* b = g->sceneSync().nodeItem(nodes[j]);
            const QRectF ra = a->mapRectToScene(a->shape().boundingRect()), rb = b->mapRectToScene(b->shape().boundingRect());
            QVERIFY2(!ra.intersects(rb),
                     qPrintable(a->label() + " overlaps " + b->label() + QString(" (%1, %2 %3x%4) (%5, %6 %7x%8)")
                                                                   .arg(a->pos().x()).arg(a->pos().y())
                                                                   .arg(a->boundingRect().width()).arg(a->boundingRect().height())
                                                                   .arg(b->pos().x()).arg(b->pos().y())
                                                                   .arg(b->boundingRect().width()).arg(b->boundingRect().height())));
        }
    if (qEnvironmentVariableIsSet("KGWB_SCREENSHOT_DIR")) {
        g->view()->fitAll();
        g->grab().save(qEnvironmentVariable("KGWB_SCREENSHOT_DIR") + "/tst_graph_gui_incremental.png");
    }

    // A rename changes the label only: no edges between nodes in view appear with it.
    const size_t edges = g->session().graph().edges().size();
    QVERIFY(w.editor()->renameEntity(hub, "The Hub"));
    QVERIFY(settle(g));
    QCOMPARE(g->sceneSync().nodeItem(hub)->label(), QString("The Hub"));
    QCOMPARE(g->session().graph().edges().size(), edges);
    // A triple added between two nodes in view does appear.
    QVERIFY(w.editor()->addTripleByKeys("leaf0", "likes", "leaf5"));
    QVERIFY(settle(g));
    QCOMPARE(g->session().graph().edges().size(), edges + 1);
}

void TestGraphGui::layoutCacheAndAlgorithms()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(openDemo(w, dir, false));
    w.show();
    auto* g = w.graph();
    QSignalSpy applied(g, &kgw::GraphExplorer::layoutApplied);
    g->loadNeighbourhood(idOf(w, "curie"), 40, 20);
    QVERIFY(settle(g));
    QCOMPARE(applied.count(), 1);
    QCOMPARE(applied.last().at(1).toBool(), false); // computed
    QCOMPARE(g->session().graph().nodes().size(), size_t(40));
    // Positions come from Graphviz: distinct, and the view shows them all after fit.
    QSet<QPair<int, int>> seen;
    for (int64_t n : g->session().graph().nodes()) {
        const QPointF p = g->sceneSync().nodeItem(n)->pos();
        seen.insert({qRound(p.x()), qRound(p.y())});
    }
    QCOMPARE(seen.size(), 40);
    g->relayout();
    QVERIFY(settle(g));
    QCOMPARE(applied.count(), 2);
    QCOMPARE(applied.last().at(1).toBool(), true); // the same graph comes from the project's cache
    for (auto a : {kg::layout::Algorithm::Dot, kg::layout::Algorithm::Neato, kg::layout::Algorithm::Fdp,
                   kg::layout::Algorithm::Circo}) {
        g->setAlgorithm(a);
        g->relayout();
        QVERIFY(settle(g));
        QCOMPARE(applied.last().at(1).toBool(), false);
    }
    // A superseded request's result is dropped: two requests, one application.
    const int before = applied.count();
    g->setAlgorithm(kg::layout::Algorithm::Sfdp);
    g->relayout();
    g->setAlgorithm(kg::layout::Algorithm::Neato);
    g->relayout();
    QVERIFY(settle(g));
    QTest::qWait(100);
    QCOMPARE(applied.count(), before + 1);
}

void TestGraphGui::pathHighlighting()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(openDemo(w, dir, false));
    auto* g = w.graph();
    g->loadNeighbourhood(idOf(w, "curie"), 64, 100);
    QVERIFY(settle(g));
    const qint64 a = idOf(w, "meitner"), b = idOf(w, "pierre_curie");
    QVERIFY(g->highlightPath(a, b));
    int highlighted = 0;
    for (const auto& t : g->session().graph().edges())
        if (g->sceneSync().edgeItem(t.id)->highlighted()) {
            ++highlighted;
            QVERIFY(g->sceneSync().nodeItem(t.head)->highlighted() && g->sceneSync().nodeItem(t.tail)->highlighted());
        }
    QCOMPARE(static_cast<size_t>(highlighted), g->session().graph().shortestPath(a, b).size());
    QVERIFY(g->sceneSync().nodeItem(a)->highlighted() && g->sceneSync().nodeItem(b)->highlighted());
    g->highlightTriples({});
    QVERIFY(!g->sceneSync().nodeItem(a)->highlighted());
}

void TestGraphGui::undoRedoRoundTrip()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(openDemo(w, dir, false));
    auto* g = w.graph();
    auto* ed = w.editor();
    const qint64 curie = idOf(w, "curie");
    g->showEntity(curie);
    QVERIFY(settle(g));
    const int64_t triples = w.project()->tripleCount();
    const int depth = ed->stack()->count();

    // Add a triple to a new entity from the graph's node: it shows up in the view.
    QVERIFY(ed->addTripleByKeys("curie", "friend_of", "new_friend"));
    QCOMPARE(w.project()->tripleCount(), triples + 1);
    QCOMPARE(ed->stack()->count(), depth + 1); // one undo step for entity + relation + triple
    const qint64 friendId = idOf(w, "new_friend");
    g->expandNode(curie);
    QVERIFY(settle(g));
    QVERIFY(g->session().graph().hasNode(friendId));

    // Rename shows in the node label; undo restores it.
    QVERIFY(ed->renameEntity(curie, "Maria Skłodowska-Curie"));
    QVERIFY(settle(g));
    QCOMPARE(g->sceneSync().nodeItem(curie)->label(), QString("Maria Skłodowska-Curie"));
    w.editor()->stack()->undo();
    QVERIFY(settle(g));
    QCOMPARE(g->sceneSync().nodeItem(curie)->label(), QString("Marie Curie"));
    QCOMPARE(QString::fromStdString(w.project()->entity(curie)->label), QString("Marie Curie"));

    // Undo the add: triple, relation and entity go, and the node leaves the view.
    w.editor()->stack()->undo();
    QVERIFY(settle(g));
    QCOMPARE(w.project()->tripleCount(), triples);
    QVERIFY(!w.project()->entityByKey("new_friend"));
    QVERIFY(!g->session().graph().hasNode(friendId));
    // Redo brings back the same ids.
    w.editor()->stack()->redo();
    QVERIFY(settle(g));
    QCOMPARE(w.project()->tripleCount(), triples + 1);
    QCOMPARE(idOf(w, "new_friend"), friendId);

    // Delete a triple shown in the graph; undo puts the edge back in the view.
    const kg::TripleRecord edge = g->session().graph().edges().front();
    QVERIFY(ed->deleteTriple(edge.id));
    QVERIFY(settle(g));
    QVERIFY(!g->sceneSync().edgeItem(edge.id));
    w.editor()->stack()->undo();
    QVERIFY(settle(g));
    QVERIFY(w.project()->triple(edge.id));
    QVERIFY(g->sceneSync().edgeItem(edge.id));

    // A refused edit changes nothing and says why.
    QSignalSpy failed(ed, &kgw::ProjectEditor::failed);
    QVERIFY(!ed->addTriple(edge.head, edge.rel, edge.tail));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(w.project()->tripleCount(), triples + 1);
}

void TestGraphGui::editsAreReadOffTheGuiThread()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(openDemo(w, dir, false));
    auto* g = w.graph();
    const qint64 curie = idOf(w, "curie");
    g->showEntity(curie);
    QVERIFY(settle(g));
    QSignalSpy refreshed(&g->session(), &kgw::GraphSession::refreshed);

    // An edit returns before the view changes: what it changed is read on the loader thread.
    const kg::TripleRecord edge = g->session().graph().edges().front();
    QVERIFY(w.editor()->deleteTriple(edge.id));
    QVERIFY(g->session().loading());
    QVERIFY(g->session().graph().hasEdge(edge.id));
    QVERIFY(settle(g));
    QVERIFY(!g->session().graph().hasEdge(edge.id));
    QCOMPARE(refreshed.count(), 1);

    // Two edits before either read lands: only the later read applies, and it sees both.
    refreshed.clear();
    QVERIFY(w.editor()->renameEntity(curie, "M. Curie"));
    QVERIFY(w.editor()->renameEntity(curie, "Maria Curie"));
    QVERIFY(settle(g));
    QCOMPARE(refreshed.count(), 1);
    QCOMPARE(g->sceneSync().nodeItem(curie)->label(), QString("Maria Curie"));

    // A read overtaken by a new view is dropped: undo's restored edge does not enter it.
    refreshed.clear();
    const qint64 einstein = idOf(w, "einstein");
    w.editor()->stack()->undo(); // the second rename
    w.editor()->stack()->undo(); // the first
    w.editor()->stack()->undo(); // the deletion: the edge is back in the project
    g->loadNeighbourhood(einstein, 1, 0);
    QVERIFY(settle(g));
    QCOMPARE(refreshed.count(), 0);
    QCOMPARE(g->session().graph().nodes(), std::vector<int64_t>{einstein});
    QVERIFY(w.project()->triple(edge.id));

    // Triples shown for an explanation arrive with their ends' labels.
    g->showAndHighlight({edge.id});
    QVERIFY(settle(g));
    QVERIFY(g->sceneSync().edgeItem(edge.id) && g->sceneSync().edgeItem(edge.id)->highlighted());
    QCOMPARE(g->sceneSync().nodeItem(curie)->label(), QString("Marie Curie"));
}

void TestGraphGui::historySurvivesReopen()
{
    QTemporaryDir dir;
    kgapp::ensureDemoProject(dir.filePath("demo.kgwb"));
    qint64 curie = 0;
    {
        kgapp::MainWindow w;
        QVERIFY(w.openProject(dir.filePath("demo.kgwb")));
        curie = idOf(w, "curie");
        QVERIFY(w.editor()->renameEntity(curie, "M. Curie"));
    }
    kgapp::MainWindow w;
    QVERIFY(w.openProject(dir.filePath("demo.kgwb")));
    QVERIFY(w.editor()->stack()->canUndo());
    QCOMPARE(w.editor()->stack()->undoText(), QString("rename entity"));
    w.editor()->stack()->undo();
    QCOMPARE(QString::fromStdString(w.project()->entity(curie)->label), QString("Marie Curie"));
}

void TestGraphGui::exportsParse()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(openDemo(w, dir, false));
    auto* g = w.graph();
    g->loadNeighbourhood(idOf(w, "einstein"), 30, 50);
    QVERIFY(settle(g));
    const size_t nodes = g->session().graph().nodes().size(), edges = g->session().graph().edges().size();

    QVERIFY(g->exportPng(dir.filePath("g.png")));
    QImage png(dir.filePath("g.png"));
    QVERIFY(!png.isNull() && png.width() > 200);

    QVERIFY(g->exportSvg(dir.filePath("g.svg")));
    QSvgRenderer svg(dir.filePath("g.svg"));
    QVERIFY(svg.isValid());
    QFile svgFile(dir.filePath("g.svg"));
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QVERIFY(svgFile.readAll().contains("Albert Einstein"));

    QVERIFY(g->exportGraphMl(dir.filePath("g.graphml")));
    QFile ml(dir.filePath("g.graphml"));
    QVERIFY(ml.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&ml);
    size_t mlNodes = 0, mlEdges = 0;
    QSet<QString> ids;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("node")) {
            ++mlNodes;
            ids.insert(xml.attributes().value("id").toString());
        }
        if (xml.isStartElement() && xml.name() == QLatin1String("edge")) {
            ++mlEdges;
            QVERIFY(ids.contains(xml.attributes().value("source").toString()));
            QVERIFY(ids.contains(xml.attributes().value("target").toString()));
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(mlNodes, nodes);
    QCOMPARE(mlEdges, edges);

    // TSV re-imports into a fresh project as the same subgraph.
    QVERIFY(g->exportTsv(dir.filePath("g.tsv")));
    auto copy = kg::Project::open(s(dir.filePath("copy.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(dir.filePath("g.tsv"))};
    const auto report = kg::import::runImport(*copy, req);
    QCOMPARE(report.triplesAdded, static_cast<uint64_t>(edges));
    QCOMPARE(static_cast<size_t>(copy->stats().entities), nodes);
}

void TestGraphGui::importWizardPreview()
{
    QTemporaryDir dir;
    kgw::ImportWizard wizard;
    wizard.addTripleFile(writeFile(dir, "good.tsv", "head\trelation\ttail\na\tr\tb\nc\tr\td\n"));
    wizard.addTripleFile(writeFile(dir, "bad.nt", "<http://x/a> <http://x/r> <http://x/b> .\nnot rdf at all\n"),
                         kg::Split::Test);
    wizard.addLabelFile(writeFile(dir, "labels.tsv", "a\tAlpha\tfirst letter\n"));
    wizard.showPreview(0);
    QCOMPARE(wizard.previewTable()->rowCount(), 2); // header detected and skipped
    QCOMPARE(wizard.previewTable()->item(1, 0)->text(), QString("c"));
    QVERIFY(wizard.previewStatus()->text().contains("delimited"));
    wizard.showPreview(1);
    QCOMPARE(wizard.previewTable()->rowCount(), 1);
    QVERIFY2(wizard.previewStatus()->text().contains("bad.nt:2:"), qPrintable(wizard.previewStatus()->text()));
    wizard.showPreview(2);
    QCOMPARE(wizard.previewTable()->item(0, 1)->text(), QString("Alpha"));
    const auto req = wizard.request();
    QCOMPARE(req.tripleFiles.size(), size_t(2));
    QCOMPARE(*req.tripleFiles[1].split, kg::Split::Test);
    QCOMPARE(req.labelFiles.size(), size_t(1));
    // A label file can be taken out again.
    auto* labels = wizard.findChild<QListWidget*>();
    QVERIFY(labels);
    labels->setCurrentRow(0);
    auto* remove = wizard.findChild<QPushButton*>(QStringLiteral("removeLabelFile"));
    QVERIFY(remove);
    remove->click();
    QCOMPARE(wizard.request().labelFiles.size(), size_t(0));
}

// This process links LibTorch, whose dependencies interpose Graphviz' normalize(): fdp would
// crash in-process. The explorer's layouts go through the kgwb-layout helper instead.
void TestGraphGui::fdpRunsInTheHelperBesideLibTorch()
{
    QVERIFY(!kg::layout::layoutHelperPath().empty());
    kg::layout::LayoutInput in;
    in.algorithm = kg::layout::Algorithm::Fdp;
    for (int i = 1; i <= 40; ++i)
        in.nodes.push_back({i, 70, 30});
    for (int i = 1; i <= 40; ++i)
        in.edges.push_back({i, i, i % 40 + 1});
    in.edges.push_back({100, 1, 1});
    QCOMPARE(kg::layout::computeLayoutIsolated(in).nodes.size(), size_t(40));
}

void TestGraphGui::addTripleDialogCompletesKeys()
{
    QTemporaryDir dir;
    kgapp::ensureDemoProject(dir.filePath("demo.kgwb"));
    auto project = std::shared_ptr<kg::Project>(kg::Project::open(s(dir.filePath("demo.kgwb"))));
    kgw::AddTripleDialog dialog(project);
    dialog.show();
    QTest::keyClicks(dialog.headEdit(), "meit");
    auto* model = dialog.headEdit()->completer()->model();
    // The search runs on the completer's worker: nothing has landed while typing, on the GUI
    // thread, returns; then only the last query's keys land ("me" and "mei" are dropped).
    QCOMPARE(model->rowCount(), 0);
    auto* completer = dialog.headEdit()->findChild<kgw::EntityCompleter*>();
    QVERIFY(completer && completer->busy());
    QTRY_VERIFY(!completer->busy());
    QVERIFY(model->rowCount() >= 1);
    QCOMPARE(model->index(0, 0).data().toString(), QString("meitner"));
    QTRY_VERIFY(!dialog.loadingRelations());
    QVERIFY(dialog.relationBox()->findText("citizen_of") >= 0); // relation keys offered
}

QTEST_MAIN(TestGraphGui)
