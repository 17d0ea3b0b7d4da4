// The view: edges drawn in bulk, edge labels kept clear of each other, the minimap, panning
// (see tst_graph_gui.h).
#include "tst_graph_gui.h"

using namespace kgtest;
using namespace graphgui;

void TestGraphGui::largeViewsDrawEdgesInBulk()
{
    // 3,600 edges among 60 nodes: above the bulk threshold (3,000).
    QTemporaryDir dir;
    QByteArray tsv;
    for (int i = 0; i < 60; ++i)
        for (int k = 1; k <= 60; ++k)
            tsv += "n" + QByteArray::number(i) + "\tr" + QByteArray::number(k % 3) + "\tn" + QByteArray::number((i + k) % 60) +
                   "\n";
    kgapp::MainWindow w;
    QVERIFY(w.openProject(projectFromTsv(dir, "dense", tsv)));
    auto* g = w.graph();
    g->loadNeighbourhood(idOf(w, "n0"), 100, 1000);
    QVERIFY(settle(g));
    const size_t edges = g->session().graph().edges().size();
    QVERIFY(edges > 3000);
    QVERIFY(g->sceneSync().bulkMode());
    QCOMPARE(g->sceneSync().edgesDrawn(), static_cast<int>(edges)); // every edge, in one item
    QVERIFY(!g->sceneSync().edgeItem(g->session().graph().edges().front().id));
    // Highlighted edges get their own items on top, and lose them when cleared.
    const auto t = g->session().graph().edges().front();
    g->highlightTriples({t.id});
    QVERIFY(g->sceneSync().edgeItem(t.id) && g->sceneSync().edgeItem(t.id)->highlighted());
    g->highlightTriples({});
    QVERIFY(!g->sceneSync().edgeItem(t.id));
    // Removing a node drops its edges from the bulk item too; below the threshold, items again.
    g->removeNode(idOf(w, "n1"));
    QVERIFY(settle(g));
    QCOMPARE(g->sceneSync().edgesDrawn(), static_cast<int>(g->session().graph().edges().size()));
    for (int i = 2; g->session().graph().edges().size() > 3000; ++i) {
        g->removeNode(idOf(w, qPrintable(QString("n%1").arg(i))));
        QVERIFY(settle(g));
    }
    QVERIFY(!g->sceneSync().bulkMode());
    QCOMPARE(g->sceneSync().edgesDrawn(), static_cast<int>(g->session().graph().edges().size()));
    for (const auto& e : g->session().graph().edges())
        QVERIFY(g->sceneSync().edgeItem(e.id));
}

namespace {

// Pairs of edge labels that overlap each other, and with `nodes`, labels that overlap a node.
int labelClashes(kgw::GraphExplorer* g, bool nodes)
{
    QList<QRectF> labels, boxes;
    for (const auto& e : g->session().graph().edges())
        labels.append(g->sceneSync().edgeItem(e.id)->labelRect());
    for (int64_t n : g->session().graph().nodes())
        boxes.append(g->sceneSync().nodeItem(n)->sceneBoundingRect());
    int clashes = 0;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        for (qsizetype j = i + 1; j < labels.size(); ++j)
            clashes += labels[i].intersects(labels[j]);
        for (const QRectF& n : boxes)
            clashes += nodes && labels[i].intersects(n);
    }
    return clashes;
}

} // namespace

void TestGraphGui::edgeLabelsStayClear()
{
    // Three edges between a and b (two one way, one back): their middles are close or, drawn
    // straight, the same point.
    QTemporaryDir dir;
    const QByteArray tsv = "a\tfirst relation\tb\nb\tsecond relation\ta\na\tthird relation\tb\n"
                           "a\tfourth\tc\na\tfifth\td\nc\tsixth\td\n";
    kgapp::MainWindow w;
    QVERIFY(w.openProject(projectFromTsv(dir, "parallel", tsv)));
    w.resize(1280, 760);
    w.show();
    auto* g = w.graph();
    g->loadNeighbourhood(idOf(w, "a"), 100, 100);
    QVERIFY(settle(g));
    QCOMPARE(g->session().graph().edges().size(), size_t{6});

    // After the Graphviz layout: a and b are closer than "second relation" is long, so labels
    // may reach over the nodes, but not over each other.
    const auto& sync = g->sceneSync();
    QCOMPARE(labelClashes(g, false), 0);

    // Drag b away from a, as a user would: the three edges become one straight line, where
    // labels in the middle would sit on each other.
    auto* a = sync.nodeItem(idOf(w, "a"));
    auto* b = sync.nodeItem(idOf(w, "b"));
    sync.nodeItem(idOf(w, "c"))->setPos(a->pos() + QPointF(0, 400));
    sync.nodeItem(idOf(w, "d"))->setPos(a->pos() + QPointF(300, 400));
    g->view()->centerOn(a->pos() + QPointF(170, 0));
    QSignalSpy moved(g->view(), &kgw::GraphView::nodesMoved);
    const QPoint from = g->view()->mapFromScene(b->pos());
    QTest::mousePress(g->view()->viewport(), Qt::LeftButton, {}, from);
    const QPoint to = g->view()->mapFromScene(a->pos() + QPointF(420, 0));
    for (int i = 1; i <= 4; ++i)
        QTest::mouseMove(g->view()->viewport(), from + (to - from) * i / 4);
    QTest::mouseRelease(g->view()->viewport(), Qt::LeftButton, {}, to);
    QVERIFY(QLineF(b->pos(), a->pos() + QPointF(420, 0)).length() < 5); // dragged there
    QCOMPARE(moved.count(), 1);
    QVERIFY(settle(g)); // placement runs in queued steps
    QList<QRectF> middles;
    for (const auto& e : g->session().graph().edges())
        if (e.head != idOf(w, "c") && e.head != idOf(w, "d") && e.tail != idOf(w, "c") && e.tail != idOf(w, "d"))
            middles.append(sync.edgeItem(e.id)->labelRect(0.5));
    QCOMPARE(middles.size(), 3);
    QVERIFY(middles[0].intersects(middles[1]) && middles[1].intersects(middles[2])); // the case is real
    QCOMPARE(sync.labelsCrowded(), 0); // nothing overlaps: labels, nodes, arrowheads
    QCOMPARE(labelClashes(g, true), 0);
    // Dragged past the scene rect as it was: the view can still fit and show every node.
    QVERIFY(g->scene()->sceneRect().contains(b->sceneBoundingRect()));
    g->view()->fitAll();
    const QRectF shown = g->view()->mapToScene(g->view()->viewport()->rect()).boundingRect();
    for (int64_t n : g->session().graph().nodes())
        QVERIFY(shown.contains(sync.nodeItem(n)->sceneBoundingRect()));
    const QImage shot = g->grab().toImage();
    QVERIFY(shot.save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("graph_edge_labels.png")));
}

void TestGraphGui::minimapOnlyWhileSomethingIsOffScreen()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(openDemo(w, dir));
    auto* g = w.graph();
    g->loadNeighbourhood(idOf(w, "curie"), 100, 100);
    QVERIFY(settle(g));
    g->view()->fitAll();
    QVERIFY(!g->view()->minimap()->isVisible()); // the whole graph is on screen
    g->view()->zoomBy(4);
    QVERIFY(g->view()->minimap()->isVisible());
    g->view()->setMinimapVisible(false); // the user's choice wins
    QVERIFY(!g->view()->minimap()->isVisible());
    g->view()->setMinimapVisible(true);
    QVERIFY(g->view()->minimap()->isVisible());
    g->view()->fitAll();
    QVERIFY(!g->view()->minimap()->isVisible());
}

// No scroll bars (they took room from small views, such as the Explain tab's, and showed a
// range on a fitted view): a drag on the background pans instead, and Fit shows all again.
void TestGraphGui::viewPansWithoutScrollBars()
{
    QTemporaryDir dir;
    kgapp::MainWindow w;
    QVERIFY(openDemo(w, dir));
    auto* g = w.graph();
    g->loadNeighbourhood(idOf(w, "curie"), 100, 100);
    QVERIFY(settle(g));
    auto* v = g->view();
    auto noScrollBars = [v] {
        QTest::qWait(50); // the scroll area shows or hides its bars in a later layout pass
        return !v->horizontalScrollBar()->isVisible() && !v->verticalScrollBar()->isVisible();
    };
    v->fitAll();
    QVERIFY(noScrollBars());
    v->zoomBy(3);
    QVERIFY(noScrollBars());
    QPoint from(-1, -1); // a spot of background, left of the centre
    for (int y = 40; y < v->viewport()->height() - 40 && from.x() < 0; y += 10)
        for (int x = 40; x < v->viewport()->width() / 2 && from.x() < 0; x += 10)
            if (!v->itemAt(QPoint(x, y)) && !v->minimap()->geometry().contains(QPoint(x, y)))
                from = QPoint(x, y);
    QVERIFY(from.x() >= 0);
    const QPointF before = v->mapToScene(v->viewport()->rect().center());
    const QPoint to = from + QPoint(120, 60);
    QTest::mousePress(v->viewport(), Qt::LeftButton, {}, from);
    for (int i = 1; i <= 4; ++i)
        QTest::mouseMove(v->viewport(), from + (to - from) * i / 4);
    QTest::mouseRelease(v->viewport(), Qt::LeftButton, {}, to);
    const QPointF after = v->mapToScene(v->viewport()->rect().center());
    // The content follows the pointer: the view's centre moves the other way.
    QVERIFY2(after.x() < before.x() - 10 && after.y() < before.y() - 5,
             qPrintable(QStringLiteral("%1,%2 -> %3,%4").arg(before.x()).arg(before.y()).arg(after.x()).arg(after.y())));
    v->fitAll();
    const QRectF shown = v->mapToScene(v->viewport()->rect()).boundingRect();
    for (auto* item : g->scene()->items())
        if (qgraphicsitem_cast<kgw::NodeItem*>(item))
            QVERIFY(shown.contains(item->sceneBoundingRect()));
}
