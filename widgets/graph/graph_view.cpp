#include "graph_view.h"

#include <QContextMenuEvent>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include "graph_items.h"

namespace kgw {

GraphView::GraphView(QGraphicsScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent)
    , minimap_(new Minimap(this, scene))
{
    setRenderHint(QPainter::Antialiasing);
    setDragMode(ScrollHandDrag);
    setTransformationAnchor(AnchorUnderMouse);
    setViewportUpdateMode(SmartViewportUpdate);
    setBackgroundBrush(QColor(252, 252, 250));
    // Dragging pans and the minimap shows what is off screen (as in Gephi and Cytoscape): scroll
    // bars would only take room from small views, such as the Explain tab's, and show a scroll
    // range on a fitted view (the scene rect keeps a margin to pan into).
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(scene, &QGraphicsScene::sceneRectChanged, minimap_, &Minimap::refresh);
}

void GraphView::paintEvent(QPaintEvent* e)
{
    static const bool debug = qEnvironmentVariableIsSet("KGWB_DEBUG_STALLS");
    QElapsedTimer t;
    t.start();
    QGraphicsView::paintEvent(e);
    if (debug && t.elapsed() > 20)
        qWarning("graph view: paint took %lld ms", static_cast<long long>(t.elapsed()));
}

void GraphView::zoomBy(double factor)
{
    const double z = zoom() * factor;
    if (z < 0.02 || z > 20)
        return;
    scale(factor, factor);
    minimap_->viewport()->update();
    updateMinimap();
    Q_EMIT viewChanged();
}

void GraphView::fitAll()
{
    if (!scene() || scene()->items().isEmpty())
        return;
    QRectF all = scene()->itemsBoundingRect();
    all.adjust(-30, -30, 30, 30);
    if (!scene()->sceneRect().contains(all)) // else the view could not centre on it
        scene()->setSceneRect(scene()->sceneRect().united(all));
    fitInView(all, Qt::KeepAspectRatio);
    if (zoom() > 1.5) { // a handful of nodes: do not blow them up
        const double f = 1.5 / zoom();
        scale(f, f);
    }
    minimap_->refresh();
    Q_EMIT viewChanged();
}

void GraphView::setMinimapVisible(bool on)
{
    minimapWanted_ = on;
    updateMinimap();
}

void GraphView::updateMinimap()
{
    // An overview of what is already all on screen only covers part of it.
    const QRectF content = minimap_->content();
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    minimap_->setVisible(minimapWanted_ && !content.isEmpty() && !visible.contains(content));
}

void GraphView::wheelEvent(QWheelEvent* e)
{
    const double steps = e->angleDelta().y() / 120.0;
    zoomBy(std::pow(1.15, steps));
    e->accept();
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* e)
{
    if (auto* node = qgraphicsitem_cast<NodeItem*>(itemAt(e->pos()))) {
        Q_EMIT nodeActivated(node->entity());
        e->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(e);
}

void GraphView::mousePressEvent(QMouseEvent* e)
{
    // Shift-drag selects with a rubber band; a plain drag on the background pans.
    setDragMode(e->modifiers() & Qt::ShiftModifier ? RubberBandDrag : ScrollHandDrag);
    pressedOnNode_ = e->button() == Qt::LeftButton && qgraphicsitem_cast<NodeItem*>(itemAt(e->pos()));
    pressPos_ = e->pos();
    QGraphicsView::mousePressEvent(e);
}

void GraphView::mouseReleaseEvent(QMouseEvent* e)
{
    QGraphicsView::mouseReleaseEvent(e);
    setDragMode(ScrollHandDrag);
    if (pressedOnNode_ && e->button() == Qt::LeftButton && (e->pos() - pressPos_).manhattanLength() > 2)
        Q_EMIT nodesMoved();
    pressedOnNode_ = false;
}

void GraphView::contextMenuEvent(QContextMenuEvent* e)
{
    QGraphicsItem* item = itemAt(e->pos());
    if (auto* node = qgraphicsitem_cast<NodeItem*>(item)) {
        if (!node->isSelected()) {
            scene()->clearSelection();
            node->setSelected(true);
        }
        Q_EMIT nodeContextMenu(node->entity(), e->globalPos());
    } else if (auto* edge = qgraphicsitem_cast<EdgeItem*>(item)) {
        Q_EMIT edgeContextMenu(edge->triple(), e->globalPos());
    } else {
        Q_EMIT backgroundContextMenu(e->globalPos());
    }
    e->accept();
}

void GraphView::resizeEvent(QResizeEvent* e)
{
    QGraphicsView::resizeEvent(e);
    placeMinimap();
}

void GraphView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    minimap_->viewport()->update();
    updateMinimap();
}

void GraphView::placeMinimap()
{
    const QSize s(std::min(200, width() / 4), std::min(140, height() / 4));
    minimap_->setGeometry(width() - s.width() - 18, height() - s.height() - 18, s.width(), s.height());
    minimap_->refresh();
}

Minimap::Minimap(GraphView* main, QGraphicsScene* scene)
    : QGraphicsView(scene, main)
    , main_(main)
{
    setInteractive(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::Box);
    setBackgroundBrush(QColor(240, 240, 236, 230));
    setRenderHint(QPainter::Antialiasing, false);
    setToolTip(tr("Overview: click or drag to move the view"));
}

void Minimap::refresh()
{
    if (!scene())
        return;
    content_ = scene()->itemsBoundingRect();
    if (!content_.isEmpty())
        fitInView(content_.adjusted(-20, -20, 20, 20), Qt::KeepAspectRatio);
    viewport()->update();
    main_->updateMinimap();
}

void Minimap::drawForeground(QPainter* p, const QRectF&)
{
    const QRectF visible = main_->mapToScene(main_->viewport()->rect()).boundingRect();
    p->setPen(QPen(QColor(20, 90, 200), 0));
    p->setBrush(QColor(20, 90, 200, 40));
    p->drawRect(visible);
}

void Minimap::mousePressEvent(QMouseEvent* e)
{
    main_->centerOn(mapToScene(e->pos()));
    viewport()->update();
}

void Minimap::wheelEvent(QWheelEvent* e) { e->ignore(); } // the main view zooms

void Minimap::mouseMoveEvent(QMouseEvent* e)
{
    if (e->buttons() & Qt::LeftButton)
        mousePressEvent(e);
}

} // namespace kgw
