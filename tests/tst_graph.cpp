// Subgraph expansion and paths over a real project; real Graphviz layouts; the layout cache.
#include <QTest>
#include <cmath>
#include <thread>

#include <QFile>
#include <QXmlStreamReader>

#include "graph/graph_export.h"
#include "graph/subgraph.h"
#include "layout/graph_layout.h"
#include "layout/layout_cache.h"
#include "layout/layout_process.h"
#include <QElapsedTimer>
#include "store/project.h"
#include "store/sqlite.h"
#include "test_util.h"

using kgtest::s;
using namespace kg::layout;

namespace {

// A star: hub -> leaf0..leafN-1 ("has"), plus a chain leaf0 - x - y and a loop on y.
std::unique_ptr<kg::Project> starProject(const QTemporaryDir& dir, int leaves, int64_t* hub)
{
    auto p = kg::Project::open(s(dir.filePath("star.kgwb")));
    *hub = p->addEntity("hub");
    const int64_t has = p->addRelation("has"), next = p->addRelation("next");
    int64_t first = 0;
    for (int i = 0; i < leaves; ++i) {
        const int64_t leaf = p->addEntity("leaf" + std::to_string(i));
        if (i == 0)
            first = leaf;
        p->addTriple(*hub, has, leaf);
    }
    const int64_t x = p->addEntity("x"), y = p->addEntity("y");
    p->addTriple(first, next, x);
    p->addTriple(y, next, x); // incoming to x
    p->addTriple(y, next, y); // self-loop
    return p;
}

LayoutInput gridInput(Algorithm a, int n)
{
    LayoutInput in;
    in.algorithm = a;
    for (int i = 0; i < n; ++i)
        in.nodes.push_back({i + 1, 60, 30});
    for (int i = 0; i + 1 < n; ++i)
        in.edges.push_back({100 + i, i + 1, i + 2});
    in.edges.push_back({99, 1, n}); // a cycle
    in.edges.push_back({98, 1, 2}); // a parallel edge
    return in;
}

} // namespace

class TestGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exportWritersEscapeAndParse();
    void expandPagesThroughHubs();
    void pagesCoverEveryTripleInIdOrder();
    void neighbourhoodStopsAtMaxNodes();
    void shortestPathUsesRealEdges();
    void removeNodeDropsItsEdges();
    void everyAlgorithmPlacesEveryNode_data();
    void everyAlgorithmPlacesEveryNode();
    void layoutRejectsDanglingEdges();
    void pinnedNodesStayAndNewOnesDoNotOverlap();
    void concurrentLayoutsSerialise();
    void layoutKeyIsCanonical();
    void cacheRoundTripsAndEvicts();
    void helperProcessMatchesInProcess();
    void helperProcessIsCancelledAtOnce();
    void concurrentHelpersDoNotHoldEachOthersPipes();
};

void TestGraph::expandPagesThroughHubs()
{
    QTemporaryDir dir;
    int64_t hub = 0;
    auto p = starProject(dir, 25, &hub);
    QCOMPARE(p->degree(hub), int64_t(25));
    kg::Subgraph g;
    auto r = kg::expand(*p, g, hub, 10);
    QCOMPARE(r.added, 10);
    QCOMPARE(r.remaining, int64_t(15));
    QCOMPARE(g.nodes().size(), size_t(11));
    r = kg::expand(*p, g, hub, 10); // "show more"
    QCOMPARE(r.added, 10);
    QCOMPARE(r.remaining, int64_t(5));
    r = kg::expand(*p, g, hub, 10);
    QCOMPARE(r.added, 5);
    QCOMPARE(r.remaining, int64_t(0));
    QCOMPARE(g.edges().size(), size_t(25));
    r = kg::expand(*p, g, hub, 10);
    QCOMPARE(r.added, 0);
    // Self-loops come once; edges already shown (from another node's expansion) are not re-added.
    const int64_t y = p->entityByKey("y")->id, x = p->entityByKey("x")->id;
    QCOMPARE(p->degree(y), int64_t(2));
    r = kg::expand(*p, g, x, 10);
    QCOMPARE(r.added, 2);
    r = kg::expand(*p, g, y, 10);
    QCOMPARE(r.added, 1); // the loop; y -> x is there already
    QCOMPARE(g.edges().size(), size_t(28));

    // A page read apart (as the GUI's loader thread does) applies once, at the offset it was
    // read at: two reads of the same page, or a page that outlived a clear, add nothing.
    kg::Subgraph v;
    const auto first = kg::readPage(*p, hub, v.expandedOffset(hub), 10);
    const auto again = kg::readPage(*p, hub, v.expandedOffset(hub), 10);
    QCOMPARE(first.triples.size(), size_t(10));
    QCOMPARE(first.degree, int64_t(25));
    QCOMPARE(v.edges().size(), size_t(0)); // reading leaves the view alone
    const auto applied = kg::applyPage(v, first);
    QVERIFY(applied);
    QCOMPARE(applied->added, 10);
    QCOMPARE(applied->remaining, int64_t(15));
    QVERIFY(!kg::applyPage(v, again));
    QCOMPARE(v.expandedOffset(hub), int64_t(10));
    const auto next = kg::readPage(*p, hub, v.expandedOffset(hub), 10);
    v.clear();
    QVERIFY(!kg::applyPage(v, next));
    QCOMPARE(v.edges().size(), size_t(0));
}

// Pages through a node with outgoing, incoming and looping triples: every triple once, in id
// order, whatever the page size; a triple added after some pages were read comes on a later one.
void TestGraph::pagesCoverEveryTripleInIdOrder()
{
    QTemporaryDir dir;
    auto p = kg::Project::open(s(dir.filePath("pages.kgwb")));
    const int64_t a = p->addEntity("a"), r1 = p->addRelation("r1"), r2 = p->addRelation("r2");
    std::vector<int64_t> others;
    for (int i = 0; i < 6; ++i)
        others.push_back(p->addEntity("o" + std::to_string(i)));
    for (int i = 5; i >= 0; --i) // added out of order
        p->addTriple(a, i % 2 ? r1 : r2, others[static_cast<size_t>(i)]);
    p->addTriple(a, r1, a); // a loop: outgoing only
    for (int i = 0; i < 6; ++i)
        p->addTriple(others[static_cast<size_t>(i)], i < 3 ? r2 : r1, a);
    const auto all = p->triplesAround(a, 100);
    QCOMPARE(all.size(), size_t(13));
    for (size_t i = 0; i + 1 < all.size(); ++i)
        QVERIFY(all[i].id < all[i + 1].id);
    for (const int page : {1, 3, 4, 7, 12}) {
        std::vector<int64_t> seen;
        for (int64_t offset = 0;; offset += page) {
            const auto chunk = p->triplesAround(a, page, offset);
            QVERIFY(static_cast<int>(chunk.size()) <= page);
            for (const auto& t : chunk)
                seen.push_back(t.id);
            if (static_cast<int>(chunk.size()) < page)
                break;
        }
        QCOMPARE(seen.size(), all.size());
        for (size_t i = 0; i < all.size(); ++i)
            QCOMPARE(seen[i], all[i].id);
    }
    QCOMPARE(p->degree(a), int64_t(13));
    QCOMPARE(p->triplesAround(a, 10, 0).size(), size_t(10));
    const int64_t added = p->addTriple(others[0], r1, a);
    const auto rest = p->triplesAround(a, 10, 10);
    QCOMPARE(rest.size(), size_t(4));
    QCOMPARE(rest.back().id, added);
}

void TestGraph::neighbourhoodStopsAtMaxNodes()
{
    QTemporaryDir dir;
    int64_t hub = 0;
    auto p = starProject(dir, 40, &hub);
    const kg::Subgraph g = kg::neighbourhood(*p, hub, 12, 1000);
    QCOMPARE(g.nodes().size(), size_t(12));
    for (const auto& e : g.edges())
        QVERIFY(g.hasNode(e.head) && g.hasNode(e.tail));
    const kg::Subgraph all = kg::neighbourhood(*p, hub, 1000, 1000);
    QCOMPARE(all.nodes().size(), size_t(43)); // hub, 40 leaves, x, y
    QCOMPARE(all.edges().size(), size_t(43));
    const kg::Subgraph capped = kg::neighbourhood(*p, hub, 1000, 5);
    QVERIFY(capped.nodes().size() <= 1 + 5 + 5 * 5);
}

void TestGraph::shortestPathUsesRealEdges()
{
    QTemporaryDir dir;
    int64_t hub = 0;
    auto p = starProject(dir, 5, &hub);
    const kg::Subgraph g = kg::neighbourhood(*p, hub, 100, 100);
    const int64_t y = p->entityByKey("y")->id, leaf3 = p->entityByKey("leaf3")->id;
    const auto path = g.shortestPath(y, leaf3); // y -> x <- leaf0 <- hub -> leaf3, undirected
    QCOMPARE(path.size(), size_t(4));
    int64_t at = y;
    for (int64_t tripleId : path) {
        const auto t = p->triple(tripleId);
        QVERIFY(t);
        QVERIFY(t->head == at || t->tail == at);
        at = t->head == at ? t->tail : t->head;
    }
    QCOMPARE(at, leaf3);
    kg::Subgraph apart;
    apart.addNode(y);
    apart.addNode(leaf3);
    QVERIFY(apart.shortestPath(y, leaf3).empty());
    QVERIFY(g.shortestPath(y, 123456).empty());
}

void TestGraph::removeNodeDropsItsEdges()
{
    QTemporaryDir dir;
    int64_t hub = 0;
    auto p = starProject(dir, 5, &hub);
    kg::Subgraph g = kg::neighbourhood(*p, hub, 100, 100);
    const size_t edges = g.edges().size();
    g.removeNode(hub);
    QVERIFY(!g.hasNode(hub));
    QCOMPARE(g.edges().size(), edges - 5);
    for (const auto& e : g.edges())
        QVERIFY(g.hasEdge(e.id) && e.head != hub && e.tail != hub);
    const int64_t someEdge = g.edges().front().id;
    g.removeEdge(someEdge);
    QVERIFY(!g.hasEdge(someEdge));
    QVERIFY(g.hasEdge(g.edges().back().id));
}

void TestGraph::everyAlgorithmPlacesEveryNode_data()
{
    QTest::addColumn<int>("algorithm");
    for (Algorithm a : {Algorithm::Dot, Algorithm::Neato, Algorithm::Fdp, Algorithm::Sfdp, Algorithm::Circo})
        QTest::newRow(algorithmName(a)) << int(a);
}

void TestGraph::everyAlgorithmPlacesEveryNode()
{
    QFETCH(int, algorithm);
    const LayoutInput in = gridInput(Algorithm(algorithm), 30);
    const LayoutResult r = computeLayout(in);
    QCOMPARE(r.nodes.size(), in.nodes.size());
    QVERIFY(r.width > 60 && r.height > 30);
    // Inside the bounding box, and no two nodes on top of each other (overlap removal).
    for (const auto& [id, pt] : r.nodes) {
        QVERIFY2(pt.x >= -1 && pt.x <= r.width + 1 && pt.y >= -1 && pt.y <= r.height + 1, qPrintable(QString::number(id)));
        for (const auto& [id2, q] : r.nodes)
            if (id2 != id)
                QVERIFY2(std::abs(pt.x - q.x) >= 30 || std::abs(pt.y - q.y) >= 15,
                         qPrintable(QString("%1 and %2 overlap").arg(id).arg(id2)));
    }
    QCOMPARE(r.edges.size(), in.edges.size());
    if (Algorithm(algorithm) == Algorithm::Dot) {
        // dot routes splines: they start near the tail node and end near the head node.
        for (const auto& e : in.edges) {
            const auto& pts = r.edges.at(e.id);
            QVERIFY(pts.size() >= 4 && (pts.size() - 1) % 3 == 0);
            const Point a = r.nodes.at(e.from), b = r.nodes.at(e.to);
            QVERIFY(std::hypot(pts.front().x - a.x, pts.front().y - a.y) < 60);
            QVERIFY(std::hypot(pts.back().x - b.x, pts.back().y - b.y) < 60);
        }
    }
    // Same input, same layout. In-process sfdp keeps state between calls (the `sfdp` command
    // is deterministic, a second gvLayout in the same process moves nodes by a few points);
    // the project's layout cache is what keeps a view stable there.
    if (Algorithm(algorithm) != Algorithm::Sfdp) {
        const LayoutResult again = computeLayout(in);
        QCOMPARE(again.nodes.at(7).x, r.nodes.at(7).x);
    }
}

void TestGraph::pinnedNodesStayAndNewOnesDoNotOverlap()
{
    // A star laid out with 12 leaves, then 18 more: the first 13 nodes are pinned.
    auto star = [](int leaves) {
        LayoutInput in;
        in.algorithm = Algorithm::Sfdp;
        in.nodes.push_back({1, 56, 30});
        for (int i = 0; i < leaves; ++i) {
            in.nodes.push_back({i + 2, 56.0 + (i % 3) * 6, 30});
            in.edges.push_back({100 + i, 1, i + 2});
        }
        return in;
    };
    const LayoutResult first = computeLayout(star(12));
    for (const bool isolated : {false, true}) {
        LayoutInput more = star(30);
        for (auto& n : more.nodes)
            if (first.nodes.count(n.id))
                n.pinned = first.nodes.at(n.id);
        QVERIFY(layoutKey(more) != layoutKey(star(30))); // the cache tells them apart
        const LayoutResult r = isolated ? computeLayoutIsolated(more) : computeLayout(more);
        QCOMPARE(r.nodes.size(), size_t(31));
        for (const auto& [id, p] : first.nodes) {
            QVERIFY2(std::abs(r.nodes.at(id).x - p.x) < 0.5 && std::abs(r.nodes.at(id).y - p.y) < 0.5,
                     qPrintable(QString("node %1 moved").arg(id)));
        }
        for (size_t i = 0; i < more.nodes.size(); ++i)
            for (size_t j = i + 1; j < more.nodes.size(); ++j) {
                const auto &a = more.nodes[i], &b = more.nodes[j];
                if (a.pinned && b.pinned)
                    continue; // as the first layout left them
                const Point pa = r.nodes.at(a.id), pb = r.nodes.at(b.id);
                const bool overlap = std::abs(pa.x - pb.x) < (a.width + b.width) / 2 &&
                                     std::abs(pa.y - pb.y) < (a.height + b.height) / 2;
                QVERIFY2(!overlap, qPrintable(QString("nodes %1 and %2 overlap").arg(a.id).arg(b.id)));
            }
    }
}

void TestGraph::layoutRejectsDanglingEdges()
{
    LayoutInput in = gridInput(Algorithm::Sfdp, 3);
    in.edges.push_back({500, 1, 77});
    QVERIFY_THROWS_EXCEPTION(kg::Error, computeLayout(in));
    kg::CancelToken cancel;
    cancel.cancel();
    try {
        computeLayout(gridInput(Algorithm::Sfdp, 3), &cancel);
        QFAIL("cancelled layout ran");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Cancelled);
    }
    QVERIFY(computeLayout(LayoutInput{}).nodes.empty());
}

void TestGraph::concurrentLayoutsSerialise()
{
    // cgraph is not thread-safe; the owner's mutex makes concurrent callers safe.
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i)
                if (computeLayout(gridInput(t % 2 ? Algorithm::Sfdp : Algorithm::Dot, 20 + i)).nodes.size() ==
                    size_t(20 + i))
                    ++ok;
        });
    for (auto& t : threads)
        t.join();
    QCOMPARE(ok.load(), 20);
}

void TestGraph::layoutKeyIsCanonical()
{
    LayoutInput a = gridInput(Algorithm::Sfdp, 10);
    LayoutInput b = a;
    std::reverse(b.nodes.begin(), b.nodes.end());
    std::reverse(b.edges.begin(), b.edges.end());
    QCOMPARE(layoutKey(a), layoutKey(b));
    b.algorithm = Algorithm::Neato;
    QVERIFY(layoutKey(a) != layoutKey(b));
    b = a;
    b.nodes[3].width = 120; // a renamed entity's wider label gives a new layout
    QVERIFY(layoutKey(a) != layoutKey(b));
    b = a;
    b.edges.pop_back();
    QVERIFY(layoutKey(a) != layoutKey(b));
}

void TestGraph::cacheRoundTripsAndEvicts()
{
    QTemporaryDir dir;
    auto p = kg::Project::open(s(dir.filePath("c.kgwb")));
    LayoutCache cache(*p, 3);
    const LayoutInput in = gridInput(Algorithm::Dot, 8);
    const LayoutResult r = computeLayout(in);
    QVERIFY(!cache.find(layoutKey(in)));
    cache.store(layoutKey(in), in.algorithm, r);
    const auto back = cache.find(layoutKey(in));
    QVERIFY(back);
    QCOMPARE(back->nodes.size(), r.nodes.size());
    QVERIFY(std::abs(back->nodes.at(5).x - r.nodes.at(5).x) < 1e-6);
    QCOMPARE(back->edges.at(100).size(), r.edges.at(100).size());
    for (int i = 0; i < 5; ++i)
        cache.store("k" + std::to_string(i), Algorithm::Sfdp, r);
    QCOMPARE(cache.size(), 3);
    QVERIFY(cache.find("k4"));
    QVERIFY(!cache.find(layoutKey(in))); // least recently used went first
    // A damaged entry is a miss, not a crash; it is removed.
    p->withDatabase([](kg::sql::Database&) {});
    cache.store("bad", Algorithm::Sfdp, r);
    p->withDatabase([](kg::sql::Database& db) { db.exec("UPDATE layouts SET data = 'KGL1 1 1 999999' WHERE key = 'bad'"); });
    QVERIFY(!cache.find("bad"));
    QVERIFY_THROWS_EXCEPTION(kg::Error, deserialize("garbage"));
}

void TestGraph::helperProcessMatchesInProcess()
{
    QVERIFY(!layoutHelperPath().empty());
    const LayoutInput in = gridInput(Algorithm::Dot, 25);
    const LayoutInput back = deserializeInput(serializeInput(in));
    QCOMPARE(layoutKey(back), layoutKey(in));
    const LayoutResult a = computeLayout(in), b = computeLayoutIsolated(in);
    QCOMPARE(b.nodes.size(), a.nodes.size());
    for (const auto& [id, p] : a.nodes) {
        QVERIFY(std::abs(b.nodes.at(id).x - p.x) < 1e-3);
        QVERIFY(std::abs(b.nodes.at(id).y - p.y) < 1e-3);
    }
    QCOMPARE(b.edges.at(100).size(), a.edges.at(100).size());
    QVERIFY_THROWS_EXCEPTION(kg::Error, deserializeInput("KGI1 nope 1 0\n"));
    LayoutInput dangling = in;
    dangling.edges.push_back({999, 1, 4242});
    try {
        computeLayoutIsolated(dangling);
        QFAIL("the helper accepted a dangling edge");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Library);
    }
}

void TestGraph::helperProcessIsCancelledAtOnce()
{
    // A layout that takes seconds (dot on a dense graph), cancelled after 100 ms.
    LayoutInput in;
    in.algorithm = Algorithm::Dot;
    for (int i = 1; i <= 1500; ++i)
        in.nodes.push_back({i, 60, 30});
    for (int i = 1; i <= 1500; ++i)
        for (int k = 1; k <= 4; ++k)
            in.edges.push_back({i * 10 + k, i, (i * 7 + k * 131) % 1500 + 1});
    kg::CancelToken cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        cancel.cancel();
    });
    QElapsedTimer t;
    t.start();
    try {
        computeLayoutIsolated(in, &cancel);
        QFAIL("finished before it could be cancelled");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Cancelled);
    }
    canceller.join();
    QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
}

void TestGraph::concurrentHelpersDoNotHoldEachOthersPipes()
{
    // Regression: without O_CLOEXEC a helper started by one thread inherited the write end of
    // another request's stdin pipe, so that other helper saw end-of-input only when the first
    // one exited (and two at once could deadlock). A fake helper makes it deterministic:
    // request A is large (the parent is still writing it while the helper waits 1 s before
    // reading); request B starts meanwhile and its helper lives 4 s. A must not wait for B.
    QTemporaryDir dir;
    const QString script = kgtest::writeFile(dir, "fake-helper.sh",
                                             "#!/bin/sh\n"
                                             "sleep 1\n"
                                             "f=$(mktemp)\n"
                                             "cat > \"$f\"\n"
                                             "if head -1 \"$f\" | grep -q ' 2 0$'; then sleep 4; fi\n"
                                             "rm -f \"$f\"\n"
                                             "echo 'KGL1 0 0 0 0'\n");
    QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("KGWB_LAYOUT_HELPER", script.toLocal8Bit());
    LayoutInput a;
    a.algorithm = Algorithm::Sfdp;
    for (int i = 1; i <= 12000; ++i)
        a.nodes.push_back({i, 60, 30}); // > 64 KiB: the pipe fills until the helper reads
    LayoutInput b;
    b.algorithm = Algorithm::Sfdp;
    b.nodes = {{1, 60, 30}, {2, 60, 30}};
    qint64 aMs = -1;
    std::thread first([&] {
        QElapsedTimer t;
        t.start();
        computeLayoutIsolated(a);
        aMs = t.elapsed();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::thread second([&] { computeLayoutIsolated(b); });
    first.join();
    second.join();
    qunsetenv("KGWB_LAYOUT_HELPER");
    QVERIFY2(aMs >= 900 && aMs < 3000, qPrintable(QString("request A took %1 ms").arg(aMs)));
}

void TestGraph::exportWritersEscapeAndParse()
{
    QTemporaryDir dir;
    const std::vector<kg::graph::ExportNode> nodes{{1, "a&b", "A <&> \"B\" 'C'", 10.5, 20.25}, {2, "c", "C", {}, {}}};
    const std::vector<kg::graph::ExportEdge> edges{{7, 1, 2, "a&b", "rel<1>", "c", "#336699", "train"}};
    const QString graphml = dir.filePath("g.graphml"), tsv = dir.filePath("g.tsv");
    kg::graph::writeGraphMl(kgtest::s(graphml), nodes, edges);
    kg::graph::writeTsv(kgtest::s(tsv), edges);
    QFile f(graphml);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f); // a well-formed document, values unescaped back
    QStringList nodeIds, values;
    QString source;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("node"))
            nodeIds << xml.attributes().value(QStringLiteral("id")).toString();
        else if (xml.name() == QLatin1String("edge"))
            source = xml.attributes().value(QStringLiteral("source")).toString();
        else if (xml.name() == QLatin1String("data"))
            values << xml.readElementText();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(nodeIds, (QStringList{QStringLiteral("n1"), QStringLiteral("n2")}));
    // node 1: key, label, x, y; node 2: key, label (no position); edge: relation, color, split
    QCOMPARE(values.size(), 9);
    QCOMPARE(values[1], QStringLiteral("A <&> \"B\" 'C'"));
    QCOMPARE(values[2], QStringLiteral("10.50"));
    QCOMPARE(values[6], QStringLiteral("rel<1>"));
    QCOMPARE(source, QStringLiteral("n1"));
    QFile t(tsv);
    QVERIFY(t.open(QIODevice::ReadOnly));
    QCOMPARE(t.readAll(), QByteArray("a&b\trel<1>\tc\n"));
    try {
        kg::graph::writeTsv("/nonexistent-dir/x.tsv", edges);
        QFAIL("expected an error");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Io);
    }
}

QTEST_GUILESS_MAIN(TestGraph)
#include "tst_graph.moc"
