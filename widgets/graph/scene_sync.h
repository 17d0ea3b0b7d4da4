// Keeps the scene's items in line with a GraphSession's subgraph: node and edge items (or one
// BulkEdgesItem for large views), layout positions, highlights and "+N more" badges.
//
// Scene work runs in time-sliced steps on the GUI thread's event loop, so thousands of items
// never stall it; painting is suspended while a big batch or a pending layout would otherwise
// show items piled up. GUI thread only.
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QRectF>
#include <QSizeF>
#include <deque>
#include <functional>
#include <memory>

#include "layout/graph_layout.h"

class QGraphicsScene;
class QTimer;

namespace kg {
struct TripleRecord;
}

namespace kgw {

class BulkEdgesItem;
class EdgeItem;
class GraphSession;
class GraphView;
class NodeItem;

class SceneSync : public QObject {
    Q_OBJECT
public:
    // The session, scene and view outlive this object (the explorer owns all four).
    SceneSync(GraphSession* session, QGraphicsScene* scene, GraphView* view, QObject* parent);

    // Removes items the subgraph lost now; queues items for what it gained, in chunks.
    void sync();
    // Deletes every item and drops queued steps and the last layout.
    void clear();
    // Queues a step after the ones already queued (e.g. "after the items exist").
    void schedule(std::function<void()> step);
    bool busy() const { return !queue_.empty(); }

    // While a layout is pending, painting stays suspended once suspended (items placed before
    // their layout lands would be painted piled up); clearing it resumes an idle view.
    void setLayoutPending(bool pending);
    void suspendPainting();
    // Moves nodes and routes edges in queued chunks; nodes added later start at these spots.
    void applyLayout(std::shared_ptr<const kg::layout::LayoutResult> result);
    bool hasLayout() const { return lastLayout_ != nullptr; }
    bool wasLaidOut(qint64 entity) const;

    // Highlights these triples and their ends and dims the other edges (empty = none). In bulk
    // mode only highlighted edges get items of their own (with labels).
    void highlight(const QList<qint64>& triples);
    // Queues moving the edge labels off each other and off the nodes (edge_labels.h). Runs
    // after every layout, sync and highlight, and when the user has dragged nodes.
    void placeLabels();
    // Labels the last finished placement left overlapping a node or another label.
    int labelsCrowded() const { return labelsCrowded_; }
    void relabel();               // every node's label, re-read from the session
    void updateBadge(qint64 entity); // "+N more" from the session, now or once the item exists
    QSizeF nodeSize(const QString& label) const;

    NodeItem* nodeItem(qint64 entity) const { return nodes_.value(entity); }
    EdgeItem* edgeItem(qint64 triple) const { return edges_.value(triple); }
    bool bulkMode() const { return bulk_ != nullptr; }
    int edgesDrawn() const; // individual + bulk
    QList<qint64> selectedEntities() const;

private:
    // The item for a triple whose ends are in the scene (created if missing); null otherwise.
    EdgeItem* addEdgeItem(const kg::TripleRecord& t);
    void dropEdgeItem(EdgeItem* e); // detaches from its nodes and deletes; the caller updates edges_
    void placeNear(NodeItem* item, qint64 anchor);
    QRectF paddedItemsRect() const; // what the scene rect covers: the items and a margin
    void runQueue();
    void resumePainting();

    GraphSession* session_;
    QGraphicsScene* scene_;
    GraphView* view_;
    QHash<qint64, NodeItem*> nodes_;
    QHash<qint64, EdgeItem*> edges_; // individual edge items (all of them in small views)
    BulkEdgesItem* bulk_ = nullptr;   // large views: every edge in one item
    QList<qint64> highlighted_;
    std::shared_ptr<const kg::layout::LayoutResult> lastLayout_;
    bool layoutPending_ = false;
    int labelsCrowded_ = 0;
    quint64 labelGeneration_ = 0;
    std::deque<std::function<void()>> queue_;
    QTimer* queueTimer_;
};

} // namespace kgw
