// GraphExplorer: export of what is shown (PNG and SVG rendered from the scene; GraphML and TSV
// through the engine's writers) and the export dialog.
#include "graph_explorer.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSettings>
#include <QSvgGenerator>

#include "core/error.h"
#include "graph_items.h"
#include "graph_session.h"
#include "graph_view.h"
#include "project_editor.h"
#include "qt_convert.h"
#include "relation_palette.h"
#include "scene_sync.h"
#include "store/project.h"
#include "graph/graph_export.h"

namespace kgw {
namespace {

// Drawn from their pixmap caches, nodes would come out as bitmaps in an SVG and at the view's
// zoom in a PNG: while it lives, every item draws anew.
class UncachedItems {
public:
    explicit UncachedItems(QGraphicsScene* scene)
    {
        for (QGraphicsItem* item : scene->items())
            if (item->cacheMode() != QGraphicsItem::NoCache) {
                cached_.push_back({item, item->cacheMode()});
                item->setCacheMode(QGraphicsItem::NoCache);
            }
    }
    ~UncachedItems()
    {
        for (const auto& [item, mode] : cached_)
            item->setCacheMode(mode);
    }
    UncachedItems(const UncachedItems&) = delete;
    UncachedItems& operator=(const UncachedItems&) = delete;

private:
    std::vector<std::pair<QGraphicsItem*, QGraphicsItem::CacheMode>> cached_;
};

} // namespace

void GraphExplorer::exportDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("graph/exportDir")).toString();
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Graph"), dir,
        tr("PNG image (*.png);;SVG image (*.svg);;GraphML (*.graphml);;Triples as TSV (*.tsv)"), &filter);
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("graph/exportDir"), QFileInfo(path).absolutePath());
    const QString ext = QFileInfo(path).suffix().toLower();
    const bool ok = ext == QLatin1String("svg")       ? exportSvg(path)
                    : ext == QLatin1String("graphml") ? exportGraphMl(path)
                    : ext == QLatin1String("tsv")     ? exportTsv(path)
                                                      : exportPng(path);
    Q_EMIT statusMessage(ok ? tr("Exported to %1").arg(path) : tr("Could not write %1").arg(path));
}

bool GraphExplorer::exportPng(const QString& path) const
{
    const QRectF source = scene_->itemsBoundingRect().adjusted(-20, -20, 20, 20);
    if (source.isEmpty())
        return false;
    const double scale = std::min(2.0, 6000.0 / std::max(source.width(), source.height()));
    QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    const UncachedItems uncached(scene_);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    scene_->render(&p, QRectF(QPointF(0, 0), source.size() * scale), source);
    p.end();
    return image.save(path, "PNG");
}

bool GraphExplorer::exportSvg(const QString& path) const
{
    const QRectF source = scene_->itemsBoundingRect().adjusted(-20, -20, 20, 20);
    if (source.isEmpty())
        return false;
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(source.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), source.size()));
    svg.setTitle(tr("KG Workbench graph"));
    const UncachedItems uncached(scene_);
    QPainter p;
    if (!p.begin(&svg))
        return false;
    scene_->render(&p, QRectF(QPointF(0, 0), source.size()), source);
    return p.end();
}

// The subgraph as shown, for the engine's writers (graph/graph_export.h).
std::pair<std::vector<kg::graph::ExportNode>, std::vector<kg::graph::ExportEdge>> GraphExplorer::exportable() const
{
    std::vector<kg::graph::ExportNode> nodes;
    std::vector<kg::graph::ExportEdge> edges;
    kg::Project& project = *session_->project();
    const kg::Subgraph& graph = session_->graph();
    for (int64_t n : graph.nodes()) {
        const auto e = project.entity(n);
        kg::graph::ExportNode node{n, e ? e->key : std::string(), e ? e->displayName() : std::string(), {}, {}};
        if (const NodeItem* item = sync_->nodeItem(n)) {
            node.x = item->pos().x();
            node.y = item->pos().y();
        }
        nodes.push_back(std::move(node));
    }
    for (const auto& t : graph.edges()) {
        const auto h = project.entity(t.head), r = project.relation(t.rel), tl = project.entity(t.tail);
        edges.push_back({t.id, t.head, t.tail, h ? h->key : std::string(), r ? r->key : std::string(),
                         tl ? tl->key : std::string(), ss(relationColor(t.rel).name()), kg::splitName(t.split)});
    }
    return {std::move(nodes), std::move(edges)};
}

bool GraphExplorer::exportGraphMl(const QString& path) const
{
    if (!session_->project())
        return false;
    try {
        const auto [nodes, edges] = exportable();
        kg::graph::writeGraphMl(ss(path), nodes, edges);
        return true;
    } catch (const kg::Error&) {
        return false;
    }
}

bool GraphExplorer::exportTsv(const QString& path) const
{
    if (!session_->project())
        return false;
    try {
        kg::graph::writeTsv(ss(path), exportable().second);
        return true;
    } catch (const kg::Error&) {
        return false;
    }
}

} // namespace kgw
