#include "graph_explorer.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QGraphicsScene>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/error.h"
#include "graph_items.h"
#include "graph_session.h"
#include "graph_view.h"
#include "layout_worker.h"
#include "qt_convert.h"
#include "scene_sync.h"
#include "store/project.h"

namespace kgw {

GraphExplorer::GraphExplorer(QWidget* parent)
    : QWidget(parent)
    , session_(new GraphSession(this))
    , scene_(new QGraphicsScene(this))
    , view_(new GraphView(scene_, this))
    , sync_(new SceneSync(session_, scene_, view_, this))
    , worker_(new LayoutWorker(this))
    , algorithmBox_(new QComboBox(this))
    , legend_(new QListWidget(this))
    , info_(new QLabel(this))
    , cancelButton_(new QToolButton(this))
    , pageSize_(new QSpinBox(this))
{
    // Items move in bulk when a layout lands: a BSP index would be rebuilt over and over.
    scene_->setItemIndexMethod(QGraphicsScene::NoIndex);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    buildToolbar(layout);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(view_);
    auto* side = legendSide_ = new QWidget(this);
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
    connect(session_, &GraphSession::neighbourhoodLoaded, this, &GraphExplorer::onNeighbourhoodLoaded);
    connect(session_, &GraphSession::pageAdded, this, &GraphExplorer::onPageAdded);
    connect(session_, &GraphSession::refreshed, this, &GraphExplorer::onRefreshed);
    connect(session_, &GraphSession::loadFailed, this, &GraphExplorer::statusMessage);
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
            for (const auto& e : session_->graph().edges())
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
    for (QObject* child : std::initializer_list<QObject*>{session_, scene_, view_, legend_, worker_})
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
    legendButton_ = button(tr("Legend"), tr("Show or hide the relations in view"),
                           [this] { setLegendVisible(legendButton_->isChecked()); });
    legendButton_->setCheckable(true);
    legendButton_->setChecked(true);
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

void GraphExplorer::setLegendVisible(bool visible)
{
    legendSide_->setVisible(visible);
    legendButton_->setChecked(visible);
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
    session_->setProject(std::move(project));
}

void GraphExplorer::clear()
{
    selectAfterPage_ = 0;
    session_->clear();
    sync_->clear();
    cancelLayout(); // after the queue is gone, so painting resumes
    legend_->clear();
}

void GraphExplorer::showEntity(qint64 entity)
{
    if (!session_->project())
        return;
    fitAfterLayout_ = true;
    const kg::Subgraph& graph = session_->graph();
    if (!graph.hasNode(entity) || graph.expandedOffset(entity) == 0) {
        selectAfterPage_ = entity; // selected when its page lands
        expandNode(entity);
        return;
    }
    if (auto* item = sync_->nodeItem(entity)) { // null while its item is still queued
        view_->centerOn(item);
        scene_->clearSelection();
        item->setSelected(true);
    }
}

void GraphExplorer::expandNode(qint64 entity)
{
    if (session_->project() && !session_->requestPage(entity, expansionCap_))
        Q_EMIT statusMessage(tr("Still loading the triples of this node…"));
}

void GraphExplorer::onPageAdded(qint64 entity, int added, qint64 remaining)
{
    Q_EMIT statusMessage(remaining > 0 ? tr("Added %1 triples; %2 more — double-click again to show more.")
                                             .arg(added).arg(remaining)
                                       : tr("Added %1 triples.").arg(added));
    syncView();
    sync_->updateBadge(entity);
    if (entity == selectAfterPage_) {
        selectAfterPage_ = 0;
        sync_->schedule([this, entity] {
            if (auto* item = sync_->nodeItem(entity)) {
                scene_->clearSelection();
                item->setSelected(true);
            }
        });
    }
    relayout(true);
}

void GraphExplorer::loadNeighbourhood(qint64 seed, int maxNodes, int perNodeCap)
{
    if (!session_->project())
        return;
    clear();
    info_->setText(tr("Loading the neighbourhood…"));
    session_->loadNeighbourhood(seed, maxNodes, perNodeCap);
}

void GraphExplorer::onNeighbourhoodLoaded(qint64 seed)
{
    QElapsedTimer dbg;
    dbg.start();
    fitAfterLayout_ = true;
    syncView();
    sync_->schedule([this, seed] {
        if (auto* item = sync_->nodeItem(seed))
            item->setSelected(true);
    });
    const qint64 synced = dbg.elapsed();
    relayout();
    if (qEnvironmentVariableIsSet("KGWB_DEBUG_STALLS"))
        qWarning("graph explorer: neighbourhood applied in %lld ms (sync %lld ms)", static_cast<long long>(dbg.elapsed()),
                 static_cast<long long>(synced));
}

void GraphExplorer::removeNode(qint64 entity)
{
    session_->removeNode(entity);
    syncView();
    relayout(true);
}

void GraphExplorer::syncView()
{
    sync_->sync();
    sync_->schedule([this] {
        updateLegend();
        const kg::Subgraph& graph = session_->graph();
        info_->setText(tr("%1 nodes, %2 edges in view").arg(graph.nodes().size()).arg(graph.edges().size()));
    });
}

bool GraphExplorer::busy() const { return session_->loading() || worker_->busy() || sync_->busy() || layoutToken_ != 0; }

QList<qint64> GraphExplorer::selectedEntities() const { return sync_->selectedEntities(); }

void GraphExplorer::relayout(bool keepPositions)
{
    const kg::Subgraph& graph = session_->graph();
    if (graph.empty())
        return;
    kg::layout::LayoutInput in;
    in.algorithm = algorithm_;
    in.nodes.reserve(graph.nodes().size());
    const bool pin = keepPositions && sync_->hasLayout() && graph.nodes().size() <= 1500 && kg::layout::canPin(algorithm_);
    for (int64_t n : graph.nodes()) {
        const QSizeF s = sync_->nodeSize(session_->entityLabel(n));
        kg::layout::LayoutNode node{n, s.width(), s.height(), std::nullopt};
        if (pin && sync_->wasLaidOut(n))
            if (const NodeItem* item = sync_->nodeItem(n)) // where it is now (the user may have moved it)
                node.pinned = kg::layout::Point{item->pos().x(), item->pos().y()};
        in.nodes.push_back(node);
    }
    for (const auto& e : graph.edges())
        in.edges.push_back({e.id, e.head, e.tail});
    const kg::Project* project = session_->project();
    layoutToken_ = worker_->request(in, project ? qs(project->path()) : QString());
    sync_->setLayoutPending(true);
    cancelButton_->setEnabled(true);
    info_->setText(tr("Laying out %1 nodes with %2…").arg(in.nodes.size()).arg(algorithmBox_->currentText()));
}

void GraphExplorer::cancelLayout()
{
    worker_->cancel();
    layoutToken_ = 0;
    cancelButton_->setEnabled(false);
    sync_->setLayoutPending(false);
}

void GraphExplorer::onLayoutFinished(const LayoutOutcome& outcome)
{
    if (outcome.token != layoutToken_)
        return; // superseded or cancelled
    layoutToken_ = 0;
    cancelButton_->setEnabled(false);
    sync_->setLayoutPending(false);
    if (!outcome.result) {
        if (!outcome.cancelled)
            Q_EMIT statusMessage(tr("Layout failed: %1").arg(outcome.error));
        return;
    }
    sync_->applyLayout(outcome.result);
    const qint64 ms = outcome.elapsedMs;
    const bool cached = outcome.fromCache;
    sync_->schedule([this, ms, cached] {
        if (fitAfterLayout_)
            view_->fitAll();
        fitAfterLayout_ = false;
        view_->minimap()->refresh();
        const kg::Subgraph& graph = session_->graph();
        info_->setText(tr("%1 nodes, %2 edges — %3 layout %4")
                           .arg(graph.nodes().size())
                           .arg(graph.edges().size())
                           .arg(algorithmBox_->currentText())
                           .arg(cached ? tr("from the project's cache") : tr("in %1 ms").arg(ms)));
        Q_EMIT layoutApplied(ms, cached);
    });
}

} // namespace kgw
