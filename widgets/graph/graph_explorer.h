// The graph explorer: a Graphviz-laid-out view of a growing subgraph of the project.
// Double-click expands a node (a page of `expansionCap` triples; again = "show more"),
// layouts run on LayoutWorker and are cached in the project, relation colours have a legend,
// paths can be highlighted, and the view exports to PNG, SVG, GraphML and TSV.
//
// Threading: the project passed in belongs to the GUI thread and is only used for small,
// indexed reads (one page of triples, labels). Big neighbourhood loads and layouts run on
// other threads with their own connections. Scene changes are applied in time-sliced chunks
// so the event loop never stalls on thousands of items.
#pragma once

#include <QHash>
#include <QSet>
#include <QWidget>
#include <deque>
#include <functional>
#include <memory>

#include "worker_thread.h"
#include "graph/subgraph.h"
#include "layout/graph_layout.h"
#include "graph/graph_export.h"

class QComboBox;
class QGraphicsScene;
class QLabel;
class QListWidget;
class QTimer;
class QSpinBox;
class QToolButton;
class QVBoxLayout;

namespace kg {
class Project;
}

namespace kgw {

class BulkEdgesItem;
class EdgeItem;
class GraphView;
class LayoutWorker;
class NodeItem;
class ProjectEditor;
struct LayoutOutcome;

class GraphExplorer : public QWidget {
    Q_OBJECT
public:
    explicit GraphExplorer(QWidget* parent = nullptr);
    ~GraphExplorer() override;

    void setProject(std::shared_ptr<kg::Project> project);
    void setEditor(ProjectEditor* editor) { editor_ = editor; }

    // Adds the entity and a first page of its triples, then lays out.
    void showEntity(qint64 entity);
    // Pages in the next `expansionCap()` triples of a node in the view.
    void expandNode(qint64 entity);
    // Replaces the view with the BFS neighbourhood of `seed` (loaded off the GUI thread).
    void loadNeighbourhood(qint64 seed, int maxNodes, int perNodeCap);
    void removeNode(qint64 entity);
    void clear();
    // keepPositions: nodes already laid out stay where they are and only new ones are placed
    // (neato/fdp pin them; sfdp runs as fdp; dot and circo, or over 1500 nodes, lay out anew).
    void relayout(bool keepPositions = false);
    void cancelLayout();
    // Highlights the triples (and their nodes); other edges are dimmed. Empty = none.
    void highlightTriples(const QList<qint64>& triples);
    // Adds these triples (and their ends) to the view and highlights them (explanation paths).
    void showAndHighlight(const QList<qint64>& triples);
    // Highlights the shortest path between two nodes in the view; false if none.
    bool highlightPath(qint64 from, qint64 to);
    // Re-reads labels and drops edges whose triples were deleted (after edits, undo, redo).
    void refreshFromProject();

    void setAlgorithm(kg::layout::Algorithm a);
    kg::layout::Algorithm algorithm() const { return algorithm_; }
    int expansionCap() const { return expansionCap_; }
    void setExpansionCap(int cap); // also shown in the toolbar's page-size box

    bool exportPng(const QString& path) const;
    bool exportSvg(const QString& path) const;
    bool exportGraphMl(const QString& path) const;
    bool exportTsv(const QString& path) const;

    // For tests and benchmarks.
    const kg::Subgraph& subgraph() const { return graph_; }
    GraphView* view() const { return view_; }
    QGraphicsScene* scene() const { return scene_; }
    NodeItem* nodeItem(qint64 entity) const { return nodes_.value(entity); }
    EdgeItem* edgeItem(qint64 triple) const { return edges_.value(triple); }
    QListWidget* legend() const { return legend_; }
    bool busy() const; // loading, laying out or applying
    bool bulkMode() const { return bulk_ != nullptr; }
    int edgesDrawn() const; // individual + bulk
    QList<qint64> selectedEntities() const;

Q_SIGNALS:
    void entitySelected(qint64 entity);
    void layoutApplied(qint64 elapsedMs, bool fromCache);
    void statusMessage(const QString& text);
    void renameRequested(qint64 entity);
    void addTripleRequested(qint64 head);

private:
    std::pair<std::vector<kg::graph::ExportNode>, std::vector<kg::graph::ExportEdge>> exportable() const;
    void buildToolbar(QVBoxLayout* layout);
    void syncScene();          // queue items for nodes/edges added to or removed from graph_
    void loadRelationLabels();
    // The item for a triple whose ends are in the scene (created if missing); null otherwise.
    EdgeItem* addEdgeItem(const kg::TripleRecord& t);
    void dropEdgeItem(EdgeItem* e); // detaches from its nodes and deletes; the caller updates edges_
    void schedule(std::function<void()> step);
    void suspendPainting(); // until the queue drains and no layout is pending
    void resumePainting();
    void runQueue();
    void onLayoutFinished(const LayoutOutcome& outcome);
    void applyPositions(std::shared_ptr<const kg::layout::LayoutResult> result);
    QString entityLabel(qint64 entity);
    QSizeF nodeSize(const QString& label) const;
    void updateLegend();
    void updateBadge(qint64 entity);
    void showNodeMenu(qint64 entity, QPoint pos);
    void showEdgeMenu(qint64 triple, QPoint pos);
    void exportDialog();
    void placeNear(NodeItem* item, qint64 anchor);

    std::shared_ptr<kg::Project> project_;
    ProjectEditor* editor_ = nullptr;
    kg::Subgraph graph_;
    QHash<qint64, QString> labels_, relationLabels_;
    QHash<qint64, qint64> remaining_; // entity -> triples not yet paged in
    // After an edit only what it touched enters the view: triples newer than lastTriple_
    // (added) and those the view lost to a deletion (restored by undo), not every triple
    // between nodes in view.
    qint64 lastTriple_ = 0;
    QSet<qint64> deletedInView_;
    QHash<qint64, NodeItem*> nodes_;
    QHash<qint64, EdgeItem*> edges_; // individual edge items (all of them in small views)
    BulkEdgesItem* bulk_ = nullptr;   // large views: every edge in one item
    QList<qint64> highlighted_;
    std::shared_ptr<const kg::layout::LayoutResult> lastLayout_;
    kg::layout::Algorithm algorithm_ = kg::layout::Algorithm::Sfdp;
    int expansionCap_ = 25;
    quint64 layoutToken_ = 0;
    quint64 loadToken_ = 0;
    bool loading_ = false;
    bool fitAfterLayout_ = true;

    std::deque<std::function<void()>> queue_;
    QTimer* queueTimer_;
    GraphView* view_;
    QGraphicsScene* scene_;
    LayoutWorker* worker_;
    QComboBox* algorithmBox_;
    QListWidget* legend_;
    QLabel* info_;
    QToolButton* cancelButton_;
    QSpinBox* pageSize_;
    // Loads neighbourhoods with its own read-only connection; last member, so it joins first.
    std::unique_ptr<WorkerThread> loader_ = std::make_unique<WorkerThread>(QStringLiteral("kgwb-graph-loader"));
};

} // namespace kgw
