#include "scene_sync.h"

#include <QElapsedTimer>
#include <QFontMetrics>
#include <QGraphicsScene>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include "edge_labels.h"
#include "graph_items.h"
#include "graph_session.h"
#include "graph_view.h"
#include "relation_palette.h"

namespace kgw {
namespace {

constexpr int kItemsPerStep = 150;
constexpr size_t kBulkEdges = 3000; // above this, edges are drawn by one BulkEdgesItem
constexpr qint64 kSliceMs = 12; // time budget per event-loop turn for scene work
constexpr qsizetype kLabelsPerStep = 200; // edge labels placed per step (a few ms when crowded)

} // namespace

SceneSync::SceneSync(GraphSession* session, QGraphicsScene* scene, GraphView* view, QObject* parent)
    : QObject(parent)
    , session_(session)
    , scene_(scene)
    , view_(view)
    , queueTimer_(new QTimer(this))
{
    queueTimer_->setSingleShot(true);
    queueTimer_->setInterval(0);
    connect(queueTimer_, &QTimer::timeout, this, &SceneSync::runQueue);
    connect(view_, &GraphView::nodesMoved, this, [this] {
        // Dragged nodes may lie outside the scene rect, where the view cannot scroll or fit.
        scene_->setSceneRect(scene_->sceneRect().united(paddedItemsRect()));
        view_->minimap()->refresh();
        placeLabels();
    });
}

QSizeF SceneSync::nodeSize(const QString& label) const
{
    const int w = QFontMetrics(view_->font()).horizontalAdvance(label) + 24;
    return QSizeF(std::clamp(w, 56, 180), 30);
}

EdgeItem* SceneSync::addEdgeItem(const kg::TripleRecord& t)
{
    NodeItem *a = nodes_.value(t.head), *b = nodes_.value(t.tail);
    if (!a || !b || edges_.contains(t.id))
        return edges_.value(t.id);
    const QString label = session_->relationLabel(t.rel);
    auto* item = new EdgeItem(t.id, t.rel, label, relationColor(t.rel), a, b,
                              EdgeItem::labelBox(label, QFontMetricsF(view_->font())));
    scene_->addItem(item);
    edges_.insert(t.id, item);
    return item;
}

void SceneSync::dropEdgeItem(EdgeItem* e)
{
    e->from()->removeEdge(e);
    e->to()->removeEdge(e);
    delete e;
}

void SceneSync::clear()
{
    queue_.clear();
    highlighted_.clear();
    lastLayout_.reset();
    nodes_.clear();
    edges_.clear();
    bulk_ = nullptr; // deleted by scene_->clear()
    scene_->clear();
    scene_->setSceneRect(QRectF());
}

void SceneSync::placeNear(NodeItem* item, qint64 anchor)
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

void SceneSync::sync()
{
    const kg::Subgraph& graph = session_->graph();
    const bool bulk = graph.edges().size() > kBulkEdges;
    // Removals are immediate (few); additions are queued in chunks.
    for (auto it = edges_.begin(); it != edges_.end();) {
        if (!graph.hasEdge(it.key()) || (bulk && !highlighted_.contains(it.key()))) {
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
        bulk_->removeIf([&graph](qint64 triple) { return !graph.hasEdge(triple); });
    for (auto it = nodes_.begin(); it != nodes_.end();) {
        if (!graph.hasNode(it.key())) {
            delete it.value(); // its edges are gone already
            it = nodes_.erase(it);
        } else {
            ++it;
        }
    }
    std::vector<qint64> newNodes;
    for (int64_t n : graph.nodes())
        if (!nodes_.contains(n))
            newNodes.push_back(n);
    std::vector<kg::TripleRecord> newEdges;
    for (const auto& e : graph.edges())
        if (bulk ? !bulk_->contains(e.id) : !edges_.contains(e.id))
            newEdges.push_back(e);
    if (newNodes.size() + newEdges.size() > 1000)
        suspendPainting();
    for (size_t i = 0; i < newNodes.size(); i += kItemsPerStep) {
        std::vector<qint64> chunk(newNodes.begin() + static_cast<std::ptrdiff_t>(i),
                                  newNodes.begin() + static_cast<std::ptrdiff_t>(std::min(newNodes.size(), i + kItemsPerStep)));
        schedule([this, chunk] {
            const kg::Subgraph& g = session_->graph();
            for (qint64 id : chunk) {
                if (nodes_.contains(id) || !g.hasNode(id))
                    continue;
                const QString label = session_->entityLabel(id);
                auto* item = new NodeItem(id, label, nodeSize(label));
                scene_->addItem(item);
                nodes_.insert(id, item);
                placeNear(item, g.nodes().front());
            }
        });
    }
    const size_t perStep = bulk ? kItemsPerStep * 20 : kItemsPerStep;
    for (size_t i = 0; i < newEdges.size(); i += perStep) {
        std::vector<kg::TripleRecord> chunk(newEdges.begin() + static_cast<std::ptrdiff_t>(i),
                                            newEdges.begin() + static_cast<std::ptrdiff_t>(std::min(newEdges.size(), i + perStep)));
        schedule([this, chunk] {
            for (const auto& t : chunk) {
                if (!session_->graph().hasEdge(t.id))
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
        placeLabels();
    });
}

QRectF SceneSync::paddedItemsRect() const
{
    constexpr double kMargin = 200; // room to pan past the outermost items
    return scene_->itemsBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin);
}

void SceneSync::placeLabels()
{
    // In chunks, like the other scene work: thousands of crowded labels take tens of ms. A newer
    // placement makes the queued chunks of an older one stop.
    const quint64 generation = ++labelGeneration_;
    QList<EdgeItem*> order = edges_.values();
    auto placer = std::make_shared<EdgeLabelPlacer>(nodes_.values(), order);
    EdgeLabelPlacer::order(order);
    QList<qint64> ids;
    ids.reserve(order.size());
    for (EdgeItem* e : std::as_const(order))
        ids.append(e->triple());
    for (qsizetype i = 0; i < ids.size(); i += kLabelsPerStep)
        schedule([this, placer, generation, chunk = ids.mid(i, kLabelsPerStep)] {
            if (generation != labelGeneration_)
                return;
            for (qint64 id : chunk)
                if (EdgeItem* e = edges_.value(id)) // dropped meanwhile: nothing to place
                    placer->place(e);
        });
    schedule([this, placer, generation] {
        if (generation == labelGeneration_)
            labelsCrowded_ = placer->crowded();
    });
}

int SceneSync::edgesDrawn() const { return static_cast<int>(edges_.size()) + (bulk_ ? bulk_->count() : 0); }

void SceneSync::suspendPainting()
{
    view_->viewport()->setUpdatesEnabled(false);
    view_->minimap()->viewport()->setUpdatesEnabled(false);
}

void SceneSync::resumePainting()
{
    if (view_->viewport()->updatesEnabled())
        return;
    view_->viewport()->setUpdatesEnabled(true);
    view_->minimap()->viewport()->setUpdatesEnabled(true);
    view_->viewport()->update();
}

void SceneSync::setLayoutPending(bool pending)
{
    layoutPending_ = pending;
    if (!pending && queue_.empty())
        resumePainting();
}

void SceneSync::schedule(std::function<void()> step)
{
    queue_.push_back(std::move(step));
    if (!queueTimer_->isActive())
        queueTimer_->start();
}

void SceneSync::runQueue()
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
    if (!layoutPending_)
        resumePainting();
}

bool SceneSync::wasLaidOut(qint64 entity) const { return lastLayout_ && lastLayout_->nodes.count(entity) > 0; }

void SceneSync::applyLayout(std::shared_ptr<const kg::layout::LayoutResult> result)
{
    lastLayout_ = result;
    if (result->nodes.size() > 500)
        suspendPainting(); // one repaint when every item is in place, not one per chunk
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
    schedule([this] {
        if (bulk_)
            bulk_->refresh();
        placeLabels();
        scene_->setSceneRect(paddedItemsRect());
    });
}

void SceneSync::highlight(const QList<qint64>& triples)
{
    highlighted_ = triples;
    const QSet<qint64> on(triples.begin(), triples.end());
    const kg::Subgraph& graph = session_->graph();
    if (bulk_) {
        for (auto it = edges_.begin(); it != edges_.end();) {
            if (!on.contains(it.key())) {
                dropEdgeItem(it.value());
                it = edges_.erase(it);
            } else {
                ++it;
            }
        }
        for (const auto& t : graph.edges())
            if (on.contains(t.id))
                addEdgeItem(t);
    }
    QSet<qint64> onNodes;
    for (const auto& e : graph.edges())
        if (on.contains(e.id)) {
            onNodes.insert(e.head);
            onNodes.insert(e.tail);
        }
    for (auto it = edges_.begin(); it != edges_.end(); ++it) {
        it.value()->setHighlighted(on.contains(it.key()));
        it.value()->setDimmed(!on.isEmpty());
    }
    for (auto it = nodes_.begin(); it != nodes_.end(); ++it)
        it.value()->setHighlighted(onNodes.contains(it.key()));
    placeLabels(); // highlighted labels choose first
}

void SceneSync::relabel()
{
    for (auto it = nodes_.begin(); it != nodes_.end(); ++it)
        if (session_->graph().hasNode(it.key()))
            it.value()->setLabel(session_->entityLabel(it.key()));
}

void SceneSync::updateBadge(qint64 entity)
{
    if (NodeItem* n = nodes_.value(entity)) {
        n->setMoreAvailable(session_->remaining(entity));
        return;
    }
    schedule([this, entity] { // the item is created by a queued step
        if (NodeItem* n = nodes_.value(entity))
            n->setMoreAvailable(session_->remaining(entity));
    });
}

QList<qint64> SceneSync::selectedEntities() const
{
    QList<qint64> out;
    for (QGraphicsItem* item : scene_->selectedItems())
        if (auto* n = qgraphicsitem_cast<NodeItem*>(item))
            out.append(n->entity());
    return out;
}

} // namespace kgw
