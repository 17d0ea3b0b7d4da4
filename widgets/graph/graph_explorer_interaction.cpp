// GraphExplorer: the relation legend, "+N more" badges, highlighting, selection, refresh after
// edits, and the node/edge context menus.
#include "graph_explorer.h"

#include <QLabel>
#include <QListWidget>
#include <QMenu>

#include "core/error.h"
#include "graph_items.h"
#include "graph_view.h"
#include "project_editor.h"
#include "qt_convert.h"
#include "relation_palette.h"
#include "store/project.h"

namespace kgw {

void GraphExplorer::updateLegend()
{
    QHash<qint64, int> counts;
    for (const auto& e : graph_.edges())
        ++counts[e.rel];
    legend_->clear();
    QList<qint64> rels = counts.keys();
    std::sort(rels.begin(), rels.end(), [&](qint64 a, qint64 b) { return counts[a] > counts[b]; });
    for (qint64 rel : rels) {
        QPixmap swatch(14, 14);
        swatch.fill(relationColor(rel));
        auto* item = new QListWidgetItem(QIcon(swatch), QStringLiteral("%1 (%2)")
                                                           .arg(relationLabels_.value(rel, QStringLiteral("#%1").arg(rel)))
                                                           .arg(counts[rel]));
        item->setData(Qt::UserRole, rel);
        legend_->addItem(item);
    }
}

void GraphExplorer::updateBadge(qint64 entity)
{
    if (NodeItem* n = nodes_.value(entity)) {
        n->setMoreAvailable(remaining_.value(entity));
        return;
    }
    schedule([this, entity] { // the item is created by a queued step
        if (NodeItem* n = nodes_.value(entity))
            n->setMoreAvailable(remaining_.value(entity));
    });
}

void GraphExplorer::highlightTriples(const QList<qint64>& triples)
{
    highlighted_ = triples;
    const QSet<qint64> on(triples.begin(), triples.end());
    if (bulk_) { // large view: only highlighted edges get their own (labelled) items
        for (auto it = edges_.begin(); it != edges_.end();) {
            if (!on.contains(it.key())) {
                dropEdgeItem(it.value());
                it = edges_.erase(it);
            } else {
                ++it;
            }
        }
        for (const auto& t : graph_.edges())
            if (on.contains(t.id))
                addEdgeItem(t);
    }
    QSet<qint64> onNodes;
    for (const auto& e : graph_.edges())
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
}

void GraphExplorer::showAndHighlight(const QList<qint64>& triples)
{
    if (!project_)
        return;
    bool added = false;
    for (qint64 id : triples)
        if (const auto t = project_->triple(id))
            added = graph_.addEdge(*t) || added;
    if (added) {
        fitAfterLayout_ = true;
        syncScene();
        relayout(true);
    }
    schedule([this, triples] { highlightTriples(triples); }); // after the items exist
}

bool GraphExplorer::highlightPath(qint64 from, qint64 to)
{
    const auto path = graph_.shortestPath(from, to);
    if (path.empty())
        return false;
    highlightTriples(QList<qint64>(path.begin(), path.end()));
    Q_EMIT statusMessage(tr("Path of %1 edges highlighted.").arg(path.size()));
    return true;
}

QList<qint64> GraphExplorer::selectedEntities() const
{
    QList<qint64> out;
    for (QGraphicsItem* item : scene_->selectedItems())
        if (auto* n = qgraphicsitem_cast<NodeItem*>(item))
            out.append(n->entity());
    return out;
}

void GraphExplorer::refreshFromProject()
{
    if (!project_)
        return;
    loadRelationLabels();
    bool changed = false;
    for (const auto& e : std::vector<kg::TripleRecord>(graph_.edges()))
        if (!project_->triple(e.id)) {
            graph_.removeEdge(e.id);
            deletedInView_.insert(e.id);
            changed = true;
        }
    for (int64_t n : std::vector<int64_t>(graph_.nodes()))
        if (!project_->entity(n)) {
            graph_.removeNode(n);
            changed = true;
        }
    // Triples between nodes in view that the edit touched: just added, or restored by undo.
    const qint64 last = project_->lastTripleId();
    if (graph_.nodes().size() <= 300 && (last > lastTriple_ || !deletedInView_.isEmpty()))
        for (int64_t n : std::vector<int64_t>(graph_.nodes()))
            for (const auto& t : project_->triplesAround(n, 200))
                if ((t.id > lastTriple_ || deletedInView_.contains(t.id)) && graph_.hasNode(t.head) &&
                    graph_.hasNode(t.tail) && graph_.addEdge(t)) {
                    deletedInView_.remove(t.id);
                    changed = true;
                }
    lastTriple_ = last;
    labels_.clear();
    for (auto it = nodes_.begin(); it != nodes_.end(); ++it)
        if (graph_.hasNode(it.key()))
            it.value()->setLabel(entityLabel(it.key()));
    syncScene();
    if (changed)
        relayout(true);
}

void GraphExplorer::showNodeMenu(qint64 entity, QPoint pos)
{
    QMenu menu(this);
    menu.addAction(tr("Expand"), this, [this, entity] { expandNode(entity); });
    const qint64 more = remaining_.value(entity);
    if (more > 0)
        menu.addAction(tr("Show %1 more").arg(std::min<qint64>(more, expansionCap_)), this,
                       [this, entity] { expandNode(entity); });
    menu.addAction(tr("Neighbourhood (500 nodes)"), this, [this, entity] { loadNeighbourhood(entity, 500, 50); });
    const auto sel = selectedEntities();
    if (sel.size() == 2)
        menu.addAction(tr("Highlight path between the selected nodes"), this,
                       [this, sel] { highlightPath(sel[0], sel[1]); });
    menu.addSeparator();
    menu.addAction(tr("Rename…"), this, [this, entity] { Q_EMIT renameRequested(entity); });
    menu.addAction(tr("Add triple from here…"), this, [this, entity] { Q_EMIT addTripleRequested(entity); });
    menu.addSeparator();
    menu.addAction(tr("Remove from view"), this, [this, entity] { removeNode(entity); });
    menu.exec(pos);
}

void GraphExplorer::showEdgeMenu(qint64 triple, QPoint pos)
{
    QMenu menu(this);
    menu.addAction(tr("Highlight"), this, [this, triple] { highlightTriples({triple}); });
    menu.addAction(tr("Remove from view"), this, [this, triple] {
        graph_.removeEdge(triple);
        syncScene();
    });
    if (editor_)
        menu.addAction(tr("Delete triple from project"), this, [this, triple] { editor_->deleteTriple(triple); });
    menu.exec(pos);
}

} // namespace kgw
