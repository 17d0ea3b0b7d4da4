// The graph explorer: a Graphviz-laid-out view of a growing subgraph of the project.
// Double-click expands a node (a page of `expansionCap` triples; again = "show more"),
// layouts run on LayoutWorker and are cached in the project, relation colours have a legend,
// paths can be highlighted, and the view exports to PNG, SVG, GraphML and TSV.
//
// The widget is thin: GraphSession holds what is shown (subgraph, labels, neighbourhood loads),
// SceneSync turns it into items in time-sliced steps, LayoutWorker lays it out, and the
// exporters live in the engine (graph/graph_export.h). Threading: GUI thread; loads and layouts
// run on other threads with their own connections.
#pragma once

#include <QWidget>
#include <memory>

#include "graph/graph_export.h"
#include "layout/graph_layout.h"

class QComboBox;
class QGraphicsScene;
class QLabel;
class QListWidget;
class QSpinBox;
class QToolButton;
class QVBoxLayout;

namespace kg {
class Project;
}

namespace kgw {

class GraphSession;
class GraphView;
class LayoutWorker;
class ProjectEditor;
class SceneSync;
struct LayoutOutcome;

class GraphExplorer : public QWidget {
    Q_OBJECT
public:
    explicit GraphExplorer(QWidget* parent = nullptr);
    ~GraphExplorer() override;

    void setProject(std::shared_ptr<kg::Project> project);
    void setEditor(ProjectEditor* editor) { editor_ = editor; }

    // Adds the entity and a first page of its triples (loaded off the GUI thread), then lays
    // out and selects it.
    void showEntity(qint64 entity);
    // Pages in the next `expansionCap()` triples of a node (loaded off the GUI thread).
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
    // Adds these triples (and their ends) to the view and highlights them (explanation paths),
    // once the session has read them off the GUI thread.
    void showAndHighlight(const QList<qint64>& triples);
    // Highlights the shortest path between two nodes in the view; false if none.
    bool highlightPath(qint64 from, qint64 to);
    // Re-reads labels and drops edges whose triples were deleted (after edits, undo, redo); the
    // reads run on the session's loader thread, the view changes when they land.
    void refreshFromProject();

    void setAlgorithm(kg::layout::Algorithm a);
    kg::layout::Algorithm algorithm() const { return algorithm_; }
    int expansionCap() const { return expansionCap_; }
    void setExpansionCap(int cap); // also shown in the toolbar's page-size box
    // The "Relations in view" side list, also toggled by the toolbar's Legend button (a small
    // view, as in the Explain tab, gives its width to the graph instead).
    void setLegendVisible(bool visible);

    bool exportPng(const QString& path) const;
    bool exportSvg(const QString& path) const;
    bool exportGraphMl(const QString& path) const;
    bool exportTsv(const QString& path) const;

    // For tests and benchmarks: what is shown (session) and the items drawn (sceneSync).
    const GraphSession& session() const { return *session_; }
    const SceneSync& sceneSync() const { return *sync_; }
    GraphView* view() const { return view_; }
    QGraphicsScene* scene() const { return scene_; }
    QListWidget* legend() const { return legend_; }
    bool busy() const; // loading, laying out or applying
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
    void syncView(); // scene items to the session, then the legend and the counts
    void onNeighbourhoodLoaded(qint64 seed);
    void onPageAdded(qint64 entity, int added, qint64 remaining);
    void onRefreshed(bool changed);
    void onLayoutFinished(const LayoutOutcome& outcome);
    void updateLegend();
    void showNodeMenu(qint64 entity, QPoint pos);
    void showEdgeMenu(qint64 triple, QPoint pos);
    void exportDialog();

    ProjectEditor* editor_ = nullptr;
    GraphSession* session_;
    QGraphicsScene* scene_;
    GraphView* view_;
    SceneSync* sync_;
    LayoutWorker* worker_;
    kg::layout::Algorithm algorithm_ = kg::layout::Algorithm::Sfdp;
    int expansionCap_ = 25;
    quint64 layoutToken_ = 0;
    bool fitAfterLayout_ = true;
    qint64 selectAfterPage_ = 0; // showEntity's node, selected when its first page lands
    QComboBox* algorithmBox_;
    QListWidget* legend_;
    QWidget* legendSide_ = nullptr; // the legend and its title
    QToolButton* legendButton_ = nullptr;
    QLabel* info_;
    QToolButton* cancelButton_;
    QSpinBox* pageSize_;
};

} // namespace kgw
