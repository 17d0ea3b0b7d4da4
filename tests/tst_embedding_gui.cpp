// The Embeddings tab on a model trained in the same window: the map of the run just trained,
// choosing and finding entities on it, t-SNE, export, and the Training tab's buttons that open
// a run on the map or in the Explain tab. The engine side is tst_embedding_map.
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QWheelEvent>
#include <QXmlStreamReader>

#include "embedding_panel.h"
#include "embedding_scatter.h"
#include "entity_inspector.h"
#include "explain_panel.h"
#include "graph_explorer.h"
#include "job_spec_util.h"
#include "main_window.h"
#include "store/project.h"
#include "test_util.h"
#include "training_panel.h"
#include "training_worker.h"

using namespace kgtest;

namespace {

// The points `at` in one colour, with ids 1, 2, ... and names p0, p1, ...
void setNumberedPoints(kgw::EmbeddingScatter& scatter, const QVector<QPointF>& at, const QColor& colour)
{
    QVector<qint64> ids;
    QStringList names;
    for (int i = 0; i < at.size(); ++i) {
        ids.append(i + 1);
        names.append(QStringLiteral("p%1").arg(i));
    }
    scatter.setPoints(at, QVector<QColor>(at.size(), colour), names, ids);
}

} // namespace

class TestEmbeddingGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void embeddingMapOfTheTrainedModel();
    void mapKeepsAZoomWhileTheLayoutMoves();
    void keptDotsFollowEveryChange();
    void slowMapsPanAsAnImage();
    void slowMapsZoomAsAnImage();
};

// The Embeddings tab maps the run just trained when the user opens it; a click on a point
// rings it, lists its nearest entities (cosines falling) and shows it in the inspector; Find
// marks matching names and Enter chooses the exact one; a double-click shows it in the graph.
void TestEmbeddingGui::embeddingMapOfTheTrainedModel()
{
    QTemporaryDir dir;
    const std::string path = importRingProject(dir);
    kgapp::MainWindow w;
    QVERIFY(w.openProject(QString::fromStdString(path)));
    w.resize(1280, 800);
    w.show();
    auto* map = w.embeddings();
    QVERIFY(map);
    QSignalSpy shown(map, &kgw::EmbeddingPanel::mapShown);
    kg::ml::JobSpec spec = slowSpec(3);
    spec.config.model = kg::ml::ModelKind::ComplEx;
    spec.config.batchSize = 16;
    spec.checkpoint = s(dir.filePath("c.ckpt"));
    QSignalSpy done(w.training(), &kgw::TrainingPanel::jobDone);
    w.training()->start(spec);
    QVERIFY(done.wait(60000));
    QVERIFY(QTest::qWaitFor([&] { return map->modelBox()->count() == 1; }, 10000));
    QCOMPARE(shown.count(), 0); // nothing computed for a tab not yet opened
    w.tabs()->setCurrentWidget(map);
    QVERIFY(shown.wait(30000));
    QCOMPARE(shown.front().at(0).toString(), QString());
    auto* scatter = map->scatter();
    QCOMPARE(scatter->count(), 40);
    QVERIFY(map->legend()->count() >= 1);
    QVERIFY2(map->status()->text().contains(QStringLiteral("40 entities")), qPrintable(map->status()->text()));

    auto project = kg::Project::open(path, kg::Project::OpenMode::ReadOnly);
    const qint64 e5 = project->entityByKey("e5")->id;
    QVERIFY2(scatter->isInView(e5), qPrintable(QStringLiteral("%1,%2 in %3x%4").arg(scatter->positionOf(e5).x()).arg(scatter->positionOf(e5).y()).arg(scatter->width()).arg(scatter->height())));
    QSignalSpy near(map, &kgw::EmbeddingPanel::neighboursShown);
    // A click on the point (the nearest within a few pixels: points may overlap).
    const QPoint at = scatter->positionOf(e5);
    const qint64 clicked = scatter->idAt(at);
    QVERIFY(clicked != 0);
    QTest::mouseClick(scatter, Qt::LeftButton, {}, at);
    QVERIFY(near.wait(10000));
    QCOMPARE(scatter->selected(), clicked);
    QCOMPARE(w.inspector()->entityId(), clicked);
    auto* table = map->neighbours();
    QCOMPARE(table->rowCount(), kgw::EmbeddingPanel::kNeighbours);
    for (int r = 1; r < table->rowCount(); ++r)
        QVERIFY(QLocale().toDouble(table->item(r - 1, 1)->text()) >= QLocale().toDouble(table->item(r, 1)->text()));
    for (int r = 0; r < table->rowCount(); ++r)
        QVERIFY(table->item(r, 0)->data(Qt::UserRole).toLongLong() != clicked);
    QVERIFY(w.grab().save(QDir(QStringLiteral(KGWB_SCREENSHOT_DIR)).filePath("embedding_map.png")));

    // Find: e1, e10..e19 match "e1"; Enter chooses the exact name first, then the next match.
    QTest::keyClicks(map->findEdit(), QStringLiteral("e1"));
    QCOMPARE(scatter->matches().size(), 11);
    QTest::keyClick(map->findEdit(), Qt::Key_Return);
    QCOMPARE(scatter->selected(), project->entityByKey("e1")->id);
    QVERIFY(near.wait(10000));
    QTest::keyClick(map->findEdit(), Qt::Key_Return);
    QVERIFY(scatter->selected() != project->entityByKey("e1")->id);

    // t-SNE: the same entities placed again, the selection kept; back to PCA at once.
    const qint64 chosen = scatter->selected();
    QSignalSpy placed(map, &kgw::EmbeddingPanel::projectionShown);
    map->setProjection(1);
    QVERIFY(placed.wait(30000));
    QCOMPARE(placed.back().at(0).toString(), QString());
    QCOMPARE(scatter->count(), 40);
    QCOMPARE(scatter->selected(), chosen);
    QVERIFY2(map->status()->text().contains(QStringLiteral("t-SNE")), qPrintable(map->status()->text()));
    map->setProjection(0);
    QCOMPARE(placed.size(), 2); // PCA needs no work
    QVERIFY2(map->status()->text().contains(QStringLiteral("principal components")), qPrintable(map->status()->text()));
    scatter->zoomBy(1e12); // clamped: coordinates stay finite
    QVERIFY(std::abs(scatter->positionOf(chosen).x()) < 100000000);
    scatter->fit();
    QVERIFY(scatter->isInView(chosen));

    // Export: a PNG of the view, and an SVG with vector dots (no embedded bitmaps) that parses.
    QVERIFY(map->exportMap(dir.filePath("map.png")));
    QCOMPARE(QImage(dir.filePath("map.png")).size(), scatter->size() * scatter->devicePixelRatio());
    QVERIFY(map->exportMap(dir.filePath("map.svg")));
    QFile svg(dir.filePath("map.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray xml = svg.readAll();
    QXmlStreamReader reader(xml);
    while (!reader.atEnd())
        reader.readNext();
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    QVERIFY(!xml.contains("<image"));
    QVERIFY(!map->exportMap(dir.filePath("missing/dir/map.png"))); // an unwritable path fails

    // A double-click on a point shows that entity in the graph tab.
    QTest::mouseDClick(scatter, Qt::LeftButton, {}, scatter->positionOf(e5));
    QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(w.graph()));

    // "Show on Map" in the Training tab opens the Embeddings tab on the selected run, here a
    // second one that the tab's list has not read yet; a cancelled run has no map to show.
    const qint64 first = done.front().at(0).toLongLong();
    spec.config.model = kg::ml::ModelKind::DistMult;
    spec.checkpoint = s(dir.filePath("d.ckpt"));
    w.training()->start(spec);
    QVERIFY(done.wait(60000));
    const qint64 second = done.back().at(0).toLongLong();
    w.tabs()->setCurrentWidget(w.training());
    spec.config.epochs = 40;
    spec.checkpoint = s(dir.filePath("cancelled.ckpt"));
    // Cancelled once training began: a cancel while the job sets up records no run. (Events
    // reach this thread queued: the worker emits them on its own.)
    bool started = false;
    const auto watch = connect(
        w.training()->worker(), &kgw::TrainingWorker::jobEvent, &w,
        [&](quint64, const kg::ml::JobEvent& e) { started = started || e.kind == kg::ml::JobEvent::Kind::Started; },
        Qt::QueuedConnection);
    w.training()->start(spec);
    w.training()->pause(true); // 40 epochs of this graph can end within a second: held at its first step
    QVERIFY(QTest::qWaitFor([&] { return started; }, 30000));
    disconnect(watch);
    w.training()->cancel();
    QVERIFY(done.wait(60000));
    QCOMPARE(done.back().at(1).toString(), QString("cancelled"));
    auto* runs = w.training()->runTable();
    auto selectRun = [&](qint64 id) {
        for (int r = 0; r < runs->rowCount(); ++r)
            if (runs->item(r, 0)->data(Qt::UserRole).toLongLong() == id) {
                runs->selectRow(r);
                return true;
            }
        return false;
    };
    QVERIFY(QTest::qWaitFor([&] { return runs->rowCount() == 3; }, 10000));
    QVERIFY(selectRun(done.back().at(0).toLongLong()));
    QVERIFY(!w.training()->mapButton()->isEnabled());
    QVERIFY(selectRun(second));
    QVERIFY(w.training()->mapButton()->isEnabled());
    shown.clear();
    QTest::mouseClick(w.training()->mapButton(), Qt::LeftButton);
    QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(map));
    QVERIFY(shown.wait(30000));
    QCOMPARE(shown.back().at(0).toString(), QString());
    QCOMPARE(map->modelBox()->currentData().toString(), QStringLiteral("run:%1").arg(second));
    QCOMPARE(shown.size(), 1); // only the asked run was mapped
    // A run whose checkpoint file is gone: the map stays, the status line says why.
    QVERIFY(QFile::remove(dir.filePath("c.ckpt")));
    QSignalSpy lists(map, &kgw::EmbeddingPanel::listsShown);
    map->showRun(first);
    QVERIFY(lists.wait(10000));
    QVERIFY2(map->status()->text().contains(QStringLiteral("no model to map")), qPrintable(map->status()->text()));
    QCOMPARE(map->modelBox()->currentData().toString(), QStringLiteral("run:%1").arg(second));
    QCOMPARE(scatter->count(), 40);

    // "Explain with It": the Explain tab ranks with the selected run; a run without its
    // checkpoint leaves the scorer as it was and says why.
    auto* explain = w.explain();
    QSignalSpy explainLists(explain, &kgw::ExplainPanel::listsShown);
    w.tabs()->setCurrentWidget(w.training());
    QVERIFY(selectRun(second));
    QVERIFY(w.training()->explainButton()->isEnabled());
    QTest::mouseClick(w.training()->explainButton(), Qt::LeftButton);
    QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(explain));
    QVERIFY(QTest::qWaitFor([&] { return explain->modelBox()->currentData().toString() == QStringLiteral("run:%1").arg(second); }, 10000));
    QVERIFY2(explain->status()->text().contains(QStringLiteral("ranked by run")), qPrintable(explain->status()->text()));
    explainLists.clear();
    explain->useRun(first);
    QVERIFY(explainLists.wait(10000));
    QVERIFY2(explain->status()->text().contains(QStringLiteral("no model to rank with")), qPrintable(explain->status()->text()));
    QCOMPARE(explain->modelBox()->currentData().toString(), QStringLiteral("run:%1").arg(second));
}

void TestEmbeddingGui::mapKeepsAZoomWhileTheLayoutMoves()
{
    // t-SNE redraws its places every 50 iterations: an untouched view follows them (fitted),
    // a zoomed one keeps its zoom, centred on the selected point.
    kgw::EmbeddingScatter scatter;
    scatter.resize(400, 300);
    QVector<QPointF> at;
    for (int i = 0; i < 20; ++i)
        at.append(QPointF(i, i % 5));
    setNumberedPoints(scatter, at, Qt::red);
    scatter.show();
    auto spread = [&] { return scatter.positionOf(20).x() - scatter.positionOf(1).x(); };
    const int fitted = spread();
    QVector<QPointF> wider;
    for (const QPointF& p : at)
        wider.append(p * 10 + QPointF(100, -50)); // the layout grows and moves (early exaggeration)
    scatter.setPositions(wider, kgw::EmbeddingScatter::View::KeepZoom);
    QVERIFY(std::abs(spread() - fitted) <= 1); // untouched: fitted again
    scatter.setSelected(8);
    scatter.zoomBy(4);
    const int zoomed = spread();
    QVERIFY(zoomed > 3 * fitted);
    scatter.setPositions(at, kgw::EmbeddingScatter::View::KeepZoom);
    QVERIFY(std::abs(spread() - zoomed) <= 1);                         // the zoom lasts
    QVERIFY((scatter.positionOf(8) - QPoint(200, 150)).manhattanLength() <= 2); // on the selection
    QVERIFY(scatter.isInView(8));
    scatter.setPositions(wider); // a new projection: fitted
    QVERIFY(std::abs(spread() - fitted) <= 1);
}

// The dots are kept as an image between repaints: a selection draws over them and leaves them
// as they were once cleared; a filter, new places and a pan draw them again.
void TestEmbeddingGui::keptDotsFollowEveryChange()
{
    kgw::EmbeddingScatter scatter;
    scatter.resize(300, 200);
    QVector<QPointF> at;
    for (int i = 0; i < 30; ++i)
        at.append(QPointF(i % 6, i / 6));
    setNumberedPoints(scatter, at, Qt::blue);
    const QImage plain = scatter.grab().toImage();
    scatter.setSelected(8);
    const QImage selected = scatter.grab().toImage();
    QVERIFY(selected != plain);
    scatter.setSelected(0);
    QCOMPARE(scatter.grab().toImage(), plain);
    QCOMPARE(scatter.setFilter(QStringLiteral("p1")), 11); // p1, p10-p19
    const QImage filtered = scatter.grab().toImage();
    QVERIFY(filtered != plain);
    scatter.setFilter(QString());
    QCOMPARE(scatter.grab().toImage(), plain);
    QVector<QPointF> moved = at;
    moved[0] = QPointF(2.5, 2.5); // one point moves inside the same bounds
    scatter.setPositions(moved);
    QVERIFY(scatter.grab().toImage() != plain);
    scatter.setPositions(at);
    QCOMPARE(scatter.grab().toImage(), plain);
    scatter.centreOn(1);
    QVERIFY(scatter.grab().toImage() != plain);
}

// A map whose dots are slow to draw pans as its kept image while the button is down (the strip
// it uncovers stays empty) and is drawn again where the drag left it on release: the same as a
// map that redraws on every move.
void TestEmbeddingGui::slowMapsPanAsAnImage()
{
    kgw::EmbeddingScatter moved, redrawn;
    QVector<QPointF> at;
    for (int i = 0; i < 400; ++i)
        at.append(QPointF(i % 20, i / 20));
    for (auto* s : {&moved, &redrawn}) {
        s->resize(300, 200);
        setNumberedPoints(*s, at, Qt::darkGreen);
        s->zoomBy(3); // points beyond every edge
        s->show();
    }
    moved.setSlowDrawMs(0);           // always moved as an image
    redrawn.setSlowDrawMs(1000000);   // never
    QVERIFY(QTest::qWaitForWindowExposed(&moved));
    const QImage before = moved.grab().toImage();
    for (auto* s : {&moved, &redrawn}) {
        QTest::mousePress(s, Qt::LeftButton, {}, QPoint(150, 100));
        QTest::mouseMove(s, QPoint(190, 100));
    }
    const QImage dragging = moved.grab().toImage(), live = redrawn.grab().toImage();
    auto empty = [](const QImage& strip) {
        for (int y = 0; y < strip.height(); ++y)
            for (int x = 0; x < strip.width(); ++x)
                if (strip.pixelColor(x, y) != QColor(252, 252, 250))
                    return false;
        return true;
    };
    QVERIFY(empty(dragging.copy(0, 0, 40, 200))); // the uncovered strip
    QVERIFY(!empty(live.copy(0, 0, 40, 200)));    // redrawn: the dots that came into view
    QCOMPARE(dragging.copy(40, 0, 260, 200), before.copy(0, 0, 260, 200)); // the rest: the image moved 40 px
    for (auto* s : {&moved, &redrawn})
        QTest::mouseRelease(s, Qt::LeftButton, {}, QPoint(190, 100));
    QCOMPARE(moved.grab().toImage(), redrawn.grab().toImage());
    QCOMPARE(moved.positionOf(1), redrawn.positionOf(1));
}

void TestEmbeddingGui::slowMapsZoomAsAnImage()
{
    // The wheel zooms a slow map's kept image (its dots grow with it) until the wheel rests;
    // then the dots are drawn again, as on a map that redraws at every step. Few points, far
    // apart, so a dot found at a place is that point's.
    kgw::EmbeddingScatter scaled, redrawn;
    QVector<QPointF> at;
    for (int i = 0; i < 9; ++i)
        at.append(QPointF(i % 3, i / 3));
    for (auto* s : {&scaled, &redrawn}) {
        s->resize(300, 200);
        setNumberedPoints(*s, at, Qt::darkGreen);
        s->show();
    }
    scaled.setSlowDrawMs(0);         // always zoomed as an image
    redrawn.setSlowDrawMs(1000000);  // never
    QVERIFY(QTest::qWaitForWindowExposed(&scaled) && QTest::qWaitForWindowExposed(&redrawn));
    QCOMPARE(scaled.grab().toImage(), redrawn.grab().toImage());
    QList<QPoint> before;
    for (qint64 id = 1; id <= 9; ++id)
        before.append(scaled.positionOf(id));
    const QPointF pointer(200, 80);
    for (auto* s : {&scaled, &redrawn}) { // 1.15^4: about 1.75 times closer
        QWheelEvent wheel(pointer, s->mapToGlobal(pointer), QPoint(), QPoint(0, 480), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(s, &wheel);
    }
    QCOMPARE(scaled.positionOf(1), redrawn.positionOf(1)); // the same view either way
    const QImage zooming = scaled.grab().toImage(), live = redrawn.grab().toImage();
    QVERIFY(zooming != live); // the kept image, scaled: larger, blurred dots
    const QColor background(252, 252, 250);
    int moved = 0;
    for (qint64 id = 1; id <= 9; ++id) {
        const QPoint now = scaled.positionOf(id), was = before[static_cast<int>(id - 1)];
        if (!scaled.rect().contains(now))
            continue;
        QVERIFY2(zooming.pixelColor(now) != background, qPrintable(QString::number(id))); // a dot where the point is
        bool free = true; // `was` far from every point's new place: no dot may be left there
        for (qint64 other = 1; other <= 9; ++other)
            free = free && (scaled.positionOf(other) - was).manhattanLength() > 20;
        if (free && scaled.rect().contains(was)) {
            QVERIFY2(zooming.pixelColor(was) == background, qPrintable(QString::number(id)));
            ++moved;
        }
    }
    QVERIFY(moved >= 2);
    QTest::qWait(kgw::EmbeddingScatter::kSettleMs + 100); // the wheel rests: the dots drawn again
    QCOMPARE(scaled.grab().toImage(), live);
}

QTEST_MAIN(TestEmbeddingGui)
#include "tst_embedding_gui.moc"
