// GraphExplorer: the relation legend, highlighting, refresh after edits, and the node/edge
// context menus.
#include "graph_explorer.h"

#include <QLabel>
#include <QListWidget>
#include <QMenu>

#include "core/error.h"
#include "graph_session.h"
#include "project_editor.h"
#include "relation_palette.h"
#include "scene_sync.h"

namespace kgw {

void GraphExplorer::updateLegend()
{
    QHash<qint64, int> counts;
    for (const auto& e : session_->graph().edges())
        ++counts[e.rel];
    legend_->clear();
    QList<qint64> rels = counts.keys();
    // Most frequent first; ties by name, so the legend does not reorder between identical views.
    QHash<qint64, QString> names;
    for (qint64 rel : rels)
        names[rel] = session_->relationLabel(rel);
    std::sort(rels.begin(), rels.end(), [&](qint64 a, qint64 b) {
        return counts[a] != counts[b] ? counts[a] > counts[b] : names[a].localeAwareCompare(names[b]) < 0;
    });
    for (qint64 rel : rels) {
        QPixmap swatch(14, 14);
        swatch.fill(relationColor(rel));
        auto* item = new QListWidgetItem(QIcon(swatch), QStringLiteral("%1 (%2)").arg(names[rel]).arg(counts[rel]));
        item->setData(Qt::UserRole, rel);
        legend_->addItem(item);
    }
}

void GraphExplorer::highlightTriples(const QList<qint64>& triples) { sync_->highlight(triples); }

void GraphExplorer::showAndHighlight(const QList<qint64>& triples)
{
    if (!session_->project())
        return;
    session_->addTriples(triples, [this, triples](bool added) {
        if (added) {
            fitAfterLayout_ = true;
            syncView();
            relayout(true);
        }
        sync_->schedule([this, triples] { highlightTriples(triples); }); // after the items exist
    });
}

bool GraphExplorer::highlightPath(qint64 from, qint64 to)
{
    const auto path = session_->graph().shortestPath(from, to);
    if (path.empty())
        return false;
    highlightTriples(QList<qint64>(path.begin(), path.end()));
    Q_EMIT statusMessage(tr("Path of %1 edges highlighted.").arg(path.size()));
    return true;
}

void GraphExplorer::refreshFromProject()
{
    if (session_->project())
        session_->refresh(); // ends in onRefreshed
}

void GraphExplorer::onRefreshed(bool changed)
{
    sync_->relabel();
    syncView();
    if (changed)
        relayout(true);
}

void GraphExplorer::showNodeMenu(qint64 entity, QPoint pos)
{
    QMenu menu(this);
    menu.addAction(tr("Expand"), this, [this, entity] { expandNode(entity); });
    const qint64 more = session_->remaining(entity);
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
        session_->removeEdge(triple);
        syncView();
    });
    if (editor_)
        menu.addAction(tr("Delete triple from project"), this, [this, triple] { editor_->deleteTriple(triple); });
    menu.exec(pos);
}

} // namespace kgw
