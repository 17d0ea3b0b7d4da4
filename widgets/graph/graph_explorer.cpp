#include "graph_explorer.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QGraphicsScene>
#include <QHBoxLayout>
#include <QToolBar>
#include <QLabel>
#include <QListWidget>
#include <QRandomGenerator>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/error.h"
#include "graph_items.h"
#include "graph_view.h"
#include "layout_worker.h"
#include "project_editor.h"
#include "qt_convert.h"
#include "relation_palette.h"
#include "store/project.h"

namespace kgw {
namespace {

constexpr int kItemsPerStep = 150;
constexpr size_t kBulkEdges = 3000; // above this, edges are drawn by one BulkEdgesItem
constexpr qint64 kSliceMs = 12; // time budget per event-loop turn for scene work

struct Neighbourhood {
    kg::Subgraph graph;
    QHash<qint64, QString> labels;
    QString error;
};

} // namespace

GraphExplorer::GraphExplorer(QWidget* parent)
    : QWidget(parent)
    , queueTimer_(new QTimer(this))
    , scene_(new QGraphicsScene(this))
    , worker_(new LayoutWorker(this))
    , algorithmBox_(new QComboBox(this))
    , legend_(new QListWidget(this))
    , info_(new QLabel(this))
    , cancelButton_(new QToolButton(this))
    , pageSize_(new QSpinBox(this))
{
    view_ = new GraphView(scene_, this);
    // Items move in bulk when a layout lands: a BSP index would be rebuilt over and over.
    scene_->setItemIndexMethod(QGraphicsScene::NoIndex);
    queueTimer_->setSingleShot(true);
    queueTimer_->setInterval(0);
    connect(queueTimer_, &QTimer::timeout, this, &GraphExplorer::runQueue);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    buildToolbar(layout);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(view_);
    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(2, 0, 0, 0);
    sideLayout->addWidget(new QLabel(tr("Relations in view"), side));
    sideLayout->addWidget(legend_);
    legend_->setToolTip(tr("Click a relation to highlight its edges; click again to clear"));
    split->addWidget(side);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setCollapsible(0, false);
    side->setMaximumWidth(320);
    split->setSizes({900, 200});
    layout->addWidget(split, 1);
    info_->setText(tr("Search for an entity and press Enter, or double-click a node to expand it."));
    layout->addWidget(info_);

    QSettings settings;
    setAlgorithm(kg::layout::parseAlgorithm(ss(settings.value(QStringLiteral("graph/algorithm"), "sfdp").toString()))
                     .value_or(kg::layout::Algorithm::Sfdp));
    setExpansionCap(std::clamp(settings.value(QStringLiteral("graph/expansionCap"), 25).toInt(), 1, 1000));

    connect(worker_, &LayoutWorker::finished, this, &GraphExplorer::onLayoutFinished);
    connect(view_, &GraphView::nodeActivated, this, &GraphExplorer::expandNode);
    connect(view_, &GraphView::nodeContextMenu, this, &GraphExplorer::showNodeMenu);
    connect(view_, &GraphView::edgeContextMenu, this, &GraphExplorer::showEdgeMenu);
    connect(scene_, &QGraphicsScene::selectionChanged, this, [this] {
        const auto sel = selectedEntities();
        if (sel.size() == 1)
            Q_EMIT entitySelected(sel.front());
    });
    connect(legend_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const qint64 rel = item->data(Qt::UserRole).toLongLong();
        const bool wasOn = item->data(Qt::UserRole + 1).toBool();
        for (int i = 0; i < legend_->count(); ++i)
            legend_->item(i)->setData(Qt::UserRole + 1, false);
        QList<qint64> triples;
        if (!wasOn) {
            item->setData(Qt::UserRole + 1, true);
            for (const auto& e : graph_.edges())
                if (e.rel == rel)
                    triples.append(e.id);
        }
        highlightTriples(triples);
    });
}

GraphExplorer::~GraphExplorer()
{
    // ~QWidget deletes the children after this body: their last signals (the scene's
    // selectionChanged as it deletes its items) must not reach a half-destroyed GraphExplorer.
    for (QObject* child : std::initializer_list<QObject*>{scene_, view_, legend_, worker_})
        disconnect(child, nullptr, this, nullptr);
}

void GraphExplorer::buildToolbar(QVBoxLayout* layout)
{
    // A QToolBar, not a row layout: on a narrow window the buttons that do not fit move into
    // its overflow menu instead of forcing the window wider than the screen.
    auto* bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto button = [&](const QString& text, const QString& tip, auto fn) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        connect(b, &QToolButton::clicked, this, fn);
        bar->addWidget(b);
        return b;
    };
    bar->addWidget(new QLabel(tr("Layout:"), this));
    for (auto a : {kg::layout::Algorithm::Sfdp, kg::layout::Algorithm::Neato, kg::layout::Algorithm::Fdp,
                   kg::layout::Algorithm::Dot, kg::layout::Algorithm::Circo})
        algorithmBox_->addItem(QString::fromLatin1(kg::layout::algorithmName(a)), static_cast<int>(a));
    algorithmBox_->setToolTip(tr("Graphviz layout engine: sfdp and fdp for large graphs, neato for "
                                 "small ones, dot for hierarchies, circo for cycles"));
    connect(algorithmBox_, &QComboBox::activated, this, [this] {
        algorithm_ = static_cast<kg::layout::Algorithm>(algorithmBox_->currentData().toInt());
        QSettings().setValue(QStringLiteral("graph/algorithm"), algorithmBox_->currentText());
        relayout();
    });
    bar->addWidget(algorithmBox_);
    button(tr("Re-layout"), tr("Compute the layout again"), [this] { relayout(); });
    cancelButton_->setText(tr("Cancel"));
    cancelButton_->setToolTip(tr("Cancel the running layout"));
    cancelButton_->setEnabled(false);
    connect(cancelButton_, &QToolButton::clicked, this, &GraphExplorer::cancelLayout);
    bar->addWidget(cancelButton_);
    bar->addSeparator();
    button(tr("Fit"), tr("Fit the whole graph in the view"), [this] { view_->fitAll(); });
    button(tr("Zoom in"), tr("Zoom in (or use the mouse wheel)"), [this] { view_->zoomBy(1.25); });
    button(tr("Zoom out"), tr("Zoom out"), [this] { view_->zoomBy(0.8); });
    button(tr("Path"), tr("Highlight the shortest path between the two selected nodes"), [this] {
        const auto sel = selectedEntities();
        if (sel.size() != 2 || !highlightPath(sel[0], sel[1]))
            Q_EMIT statusMessage(tr("Select two connected nodes (Ctrl+click) to highlight a path."));
    });
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Page:"), this));
    pageSize_->setRange(1, 1000);
    pageSize_->setToolTip(tr("Triples added per double-click (hub nodes page through their triples)"));
    connect(pageSize_, &QSpinBox::valueChanged, this, [this](int v) {
        expansionCap_ = v;
        QSettings().setValue(QStringLiteral("graph/expansionCap"), v);
    });
    bar->addWidget(pageSize_);
    button(tr("Clear"), tr("Remove everything from the view"), [this] { clear(); });
    button(tr("Export…"), tr("Export the view as PNG or SVG, or the subgraph as GraphML or TSV"),
           [this] { exportDialog(); });
    layout->addWidget(bar);
}

void GraphExplorer::setExpansionCap(int cap)
{
    expansionCap_ = std::clamp(cap, 1, 1000);
    QSignalBlocker quiet(pageSize_); // a programmatic change is not a user preference
    pageSize_->setValue(expansionCap_);
}

void GraphExplorer::setAlgorithm(kg::layout::Algorithm a)
{
    algorithm_ = a;
    algorithmBox_->setCurrentIndex(algorithmBox_->findData(static_cast<int>(a)));
}

void GraphExplorer::setProject(std::shared_ptr<kg::Project> project)
{
    clear();
    project_ = std::move(project);
    deletedInView_.clear();
    lastTriple_ = project_ ? project_->lastTripleId() : 0;
    loadRelationLabels();
}

void GraphExplorer::loadRelationLabels()
{
    relationLabels_.clear();
    if (project_)
        for (const auto& r : project_->relations())
            relationLabels_[r.id] = qs(r.displayName());
}

EdgeItem* GraphExplorer::addEdgeItem(const kg::TripleRecord& t)
{
    NodeItem *a = nodes_.value(t.head), *b = nodes_.value(t.tail);
    if (!a || !b || edges_.contains(t.id))
        return edges_.value(t.id);
    auto* item = new EdgeItem(t.id, t.rel, relationLabels_.value(t.rel, QStringLiteral("#%1").arg(t.rel)),
                              relationColor(t.rel), a, b);
    scene_->addItem(item);
    edges_.insert(t.id, item);
    return item;
}

void GraphExplorer::dropEdgeItem(EdgeItem* e)
{
    e->from()->removeEdge(e);
    e->to()->removeEdge(e);
    delete e;
}

void GraphExplorer::clear()
{
    ++loadToken_;
    loading_ = false;
    cancelLayout();
    queue_.clear();
    graph_.clear();
    remaining_.clear();
    highlighted_.clear();
    lastLayout_.reset();
    nodes_.clear();
    edges_.clear();
    bulk_ = nullptr; // deleted by scene_->clear()
    scene_->clear();
    scene_->setSceneRect(QRectF());
    legend_->clear();
}

QString GraphExplorer::entityLabel(qint64 entity)
{
    auto it = labels_.find(entity);
    if (it != labels_.end())
        return *it;
    QString label = QStringLiteral("#%1").arg(entity);
    if (project_)
        if (auto e = project_->entity(entity))
            label = qs(e->displayName());
    labels_.insert(entity, label);
    return label;
}

QSizeF GraphExplorer::nodeSize(const QString& label) const
{
    const int w = QFontMetrics(font()).horizontalAdvance(label) + 24;
    return QSizeF(std::clamp(w, 56, 180), 30);
}

void GraphExplorer::showEntity(qint64 entity)
{
    if (!project_)
        return;
    fitAfterLayout_ = true;
    if (!graph_.hasNode(entity) || graph_.expandedOffset(entity) == 0) {
        expandNode(entity);
    } else {
        view_->centerOn(nodes_.value(entity));
    }
    if (auto* item = nodes_.value(entity)) {
        scene_->clearSelection();
        item->setSelected(true);
    }
}

void GraphExplorer::expandNode(qint64 entity)
{
    if (!project_)
        return;
    try {
        const auto r = kg::expand(*project_, graph_, entity, expansionCap_);
        remaining_[entity] = r.remaining;
        Q_EMIT statusMessage(r.remaining > 0
                                 ? tr("Added %1 triples; %2 more — double-click again to show more.")
                                       .arg(r.added).arg(r.remaining)
                                 : tr("Added %1 triples.").arg(r.added));
    } catch (const kg::Error& e) {
        Q_EMIT statusMessage(qs(e.what()));
        return;
    }
    syncScene();
    updateBadge(entity);
    relayout(true);
}

void GraphExplorer::loadNeighbourhood(qint64 seed, int maxNodes, int perNodeCap)
{
    if (!project_)
        return;
    clear();
    const quint64 token = ++loadToken_;
    loading_ = true;
    info_->setText(tr("Loading the neighbourhood…"));
    const std::string path = project_->path();
    auto apply = [this, token, seed](Neighbourhood n) {
        if (token != loadToken_)
            return; // superseded
        loading_ = false;
        QElapsedTimer dbg;
        dbg.start();
        if (!n.error.isEmpty()) {
            Q_EMIT statusMessage(n.error);
            return;
        }
        graph_ = std::move(n.graph);
        labels_.insert(n.labels);
        remaining_.clear();
        fitAfterLayout_ = true;
        syncScene();
        if (auto* item = nodes_.value(seed))
            item->setSelected(true);
        const qint64 synced = dbg.elapsed();
        relayout();
        if (qEnvironmentVariableIsSet("KGWB_DEBUG_STALLS"))
            qWarning("graph explorer: neighbourhood applied in %lld ms (sync %lld ms)", static_cast<long long>(dbg.elapsed()),
                     static_cast<long long>(synced));
    };
    loader_->post([this, apply, path, seed, maxNodes, perNodeCap] {
        Neighbourhood out;
        try {
            auto p = kg::Project::open(path, kg::Project::OpenMode::ReadOnly); // this thread's own connection
            out.graph = kg::neighbourhood(*p, seed, static_cast<size_t>(maxNodes), perNodeCap);
            for (int64_t id : out.graph.nodes())
                if (auto e = p->entity(id))
                    out.labels.insert(id, qs(e->displayName()));
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [apply, out = std::move(out)]() mutable { apply(std::move(out)); },
                                  Qt::QueuedConnection);
    });
}

void GraphExplorer::removeNode(qint64 entity)
{
    graph_.removeNode(entity);
    remaining_.remove(entity);
    syncScene();
    relayout(true);
}

void GraphExplorer::placeNear(NodeItem* item, qint64 anchor)
{
    if (lastLayout_) {
        const auto it = lastLayout_->nodes.find(item->entity());
        if (it != lastLayout_->nodes.end()) {
            item->setPos(it->second.x, it->second.y);
            return;
        }
    }
    QPointF c;
    if (auto* a = nodes_.value(anchor))
        c = a->pos();
    auto* rng = QRandomGenerator::global();
    item->setPos(c + QPointF(rng->bounded(160) - 80, rng->bounded(120) - 60));
}

void GraphExplorer::syncScene()
{
    const bool bulk = graph_.edges().size() > kBulkEdges;
    // Removals are immediate (few); additions are queued in chunks.
    for (auto it = edges_.begin(); it != edges_.end();) {
        if (!graph_.hasEdge(it.key()) || (bulk && !highlighted_.contains(it.key()))) {
            dropEdgeItem(it.value());
            it = edges_.erase(it);
        } else {
            ++it;
        }
    }
    if (bulk && !bulk_) {
        bulk_ = new BulkEdgesItem;
        scene_->addItem(bulk_);
    }
    if (!bulk && bulk_) {
        delete bulk_;
        bulk_ = nullptr;
    }
    if (bulk_)
        bulk_->removeIf([this](qint64 triple) { return !graph_.hasEdge(triple); });
    for (auto it = nodes_.begin(); it != nodes_.end();) {
        if (!graph_.hasNode(it.key())) {
            delete it.value(); // its edges are gone already
            it = nodes_.erase(it);
        } else {
            ++it;
        }
    }
    std::vector<qint64> newNodes;
    for (int64_t n : graph_.nodes())
        if (!nodes_.contains(n))
            newNodes.push_back(n);
    std::vector<kg::TripleRecord> newEdges;
    for (const auto& e : graph_.edges())
        if (bulk ? !bulk_->contains(e.id) : !edges_.contains(e.id))
            newEdges.push_back(e);
    if (newNodes.size() + newEdges.size() > 1000)
        suspendPainting();
    for (size_t i = 0; i < newNodes.size(); i += kItemsPerStep) {
        std::vector<qint64> chunk(newNodes.begin() + static_cast<std::ptrdiff_t>(i),
                                  newNodes.begin() + static_cast<std::ptrdiff_t>(std::min(newNodes.size(), i + kItemsPerStep)));
        schedule([this, chunk] {
            for (qint64 id : chunk) {
                if (nodes_.contains(id) || !graph_.hasNode(id))
                    continue;
                const QString label = entityLabel(id);
                auto* item = new NodeItem(id, label, nodeSize(label));
                scene_->addItem(item);
                nodes_.insert(id, item);
                placeNear(item, graph_.nodes().front());
            }
        });
    }
    const size_t perStep = bulk ? kItemsPerStep * 20 : kItemsPerStep;
    for (size_t i = 0; i < newEdges.size(); i += perStep) {
        std::vector<kg::TripleRecord> chunk(newEdges.begin() + static_cast<std::ptrdiff_t>(i),
                                            newEdges.begin() + static_cast<std::ptrdiff_t>(std::min(newEdges.size(), i + perStep)));
        schedule([this, chunk] {
            for (const auto& t : chunk) {
                if (!graph_.hasEdge(t.id))
                    continue;
                NodeItem *a = nodes_.value(t.head), *b = nodes_.value(t.tail);
                if (bulk_ && a && b)
                    bulk_->add(t.id, a, b, relationColor(t.rel));
                else if (!bulk_)
                    addEdgeItem(t);
            }
        });
    }
    schedule([this] {
        if (bulk_)
            bulk_->refresh();
        updateLegend();
        info_->setText(tr("%1 nodes, %2 edges in view").arg(graph_.nodes().size()).arg(graph_.edges().size()));
    });
}

int GraphExplorer::edgesDrawn() const { return static_cast<int>(edges_.size()) + (bulk_ ? bulk_->count() : 0); }

void GraphExplorer::suspendPainting()
{
    view_->viewport()->setUpdatesEnabled(false);
    view_->minimap()->viewport()->setUpdatesEnabled(false);
}

void GraphExplorer::schedule(std::function<void()> step)
{
    queue_.push_back(std::move(step));
    if (!queueTimer_->isActive())
        queueTimer_->start();
}

void GraphExplorer::runQueue()
{
    QElapsedTimer slice;
    slice.start();
    static const bool debug = qEnvironmentVariableIsSet("KGWB_DEBUG_STALLS");
    while (!queue_.empty() && slice.elapsed() < kSliceMs) {
        auto step = std::move(queue_.front());
        queue_.pop_front();
        QElapsedTimer t;
        t.start();
        step();
        if (debug && t.elapsed() > 20)
            qWarning("graph explorer: a scene step took %lld ms", static_cast<long long>(t.elapsed()));
    }
    if (!queue_.empty()) {
        queueTimer_->start();
        return;
    }
    // Items placed before their layout lands would be painted piled up at full detail (one
    // slow frame): painting resumes once a pending layout has been applied too.
    if (layoutToken_ == 0)
        resumePainting();
}

void GraphExplorer::resumePainting()
{
    if (view_->viewport()->updatesEnabled())
        return;
    view_->viewport()->setUpdatesEnabled(true);
    view_->minimap()->viewport()->setUpdatesEnabled(true);
    view_->viewport()->update();
}

bool GraphExplorer::busy() const { return loading_ || worker_->busy() || !queue_.empty() || layoutToken_ != 0; }

void GraphExplorer::relayout(bool keepPositions)
{
    if (graph_.empty())
        return;
    kg::layout::LayoutInput in;
    in.algorithm = algorithm_;
    in.nodes.reserve(graph_.nodes().size());
    const bool pin = keepPositions && lastLayout_ && graph_.nodes().size() <= 1500 && kg::layout::canPin(algorithm_);
    for (int64_t n : graph_.nodes()) {
        const QSizeF s = nodeSize(entityLabel(n));
        kg::layout::LayoutNode node{n, s.width(), s.height(), std::nullopt};
        if (pin && lastLayout_->nodes.count(n))
            if (const NodeItem* item = nodes_.value(n)) // where it is now (the user may have moved it)
                node.pinned = kg::layout::Point{item->pos().x(), item->pos().y()};
        in.nodes.push_back(node);
    }
    for (const auto& e : graph_.edges())
        in.edges.push_back({e.id, e.head, e.tail});
    layoutToken_ = worker_->request(in, project_ ? qs(project_->path()) : QString());
    cancelButton_->setEnabled(true);
    info_->setText(tr("Laying out %1 nodes with %2…").arg(in.nodes.size()).arg(algorithmBox_->currentText()));
}

void GraphExplorer::cancelLayout()
{
    worker_->cancel();
    layoutToken_ = 0;
    cancelButton_->setEnabled(false);
    if (queue_.empty())
        resumePainting();
}

void GraphExplorer::onLayoutFinished(const LayoutOutcome& outcome)
{
    if (outcome.token != layoutToken_)
        return; // superseded or cancelled
    layoutToken_ = 0;
    cancelButton_->setEnabled(false);
    if (!outcome.result) {
        if (!outcome.cancelled)
            Q_EMIT statusMessage(tr("Layout failed: %1").arg(outcome.error));
        if (queue_.empty())
            resumePainting();
        return;
    }
    lastLayout_ = outcome.result;
    if (outcome.result->nodes.size() > 500)
        suspendPainting(); // one repaint when every item is in place, not one per chunk
    applyPositions(outcome.result);
    const qint64 ms = outcome.elapsedMs;
    const bool cached = outcome.fromCache;
    schedule([this, ms, cached] {
        if (bulk_)
            bulk_->refresh();
        scene_->setSceneRect(scene_->itemsBoundingRect().adjusted(-200, -200, 200, 200));
        if (fitAfterLayout_)
            view_->fitAll();
        fitAfterLayout_ = false;
        view_->minimap()->refresh();
        info_->setText(tr("%1 nodes, %2 edges — %3 layout %4")
                           .arg(graph_.nodes().size())
                           .arg(graph_.edges().size())
                           .arg(algorithmBox_->currentText())
                           .arg(cached ? tr("from the project's cache") : tr("in %1 ms").arg(ms)));
        Q_EMIT layoutApplied(ms, cached);
    });
}

void GraphExplorer::applyPositions(std::shared_ptr<const kg::layout::LayoutResult> result)
{
    std::vector<qint64> ids(result->nodes.size());
    size_t k = 0;
    for (const auto& [id, p] : result->nodes)
        ids[k++] = id;
    for (size_t i = 0; i < ids.size(); i += kItemsPerStep * 2) {
        schedule([this, result, ids, i] {
            for (size_t j = i; j < std::min(ids.size(), i + kItemsPerStep * 2); ++j)
                if (NodeItem* n = nodes_.value(ids[j])) {
                    const auto& p = result->nodes.at(ids[j]);
                    n->setPos(p.x, p.y);
                }
        });
    }
    std::vector<qint64> edgeIds;
    for (const auto& [id, pts] : result->edges)
        edgeIds.push_back(id);
    for (size_t i = 0; i < edgeIds.size(); i += kItemsPerStep * 2) {
        schedule([this, result, edgeIds, i] {
            for (size_t j = i; j < std::min(edgeIds.size(), i + kItemsPerStep * 2); ++j)
                if (EdgeItem* e = edges_.value(edgeIds[j])) {
                    QVector<QPointF> route;
                    for (const auto& p : result->edges.at(edgeIds[j]))
                        route.append(QPointF(p.x, p.y));
                    e->setRoute(route);
                }
        });
    }
}

} // namespace kgw
