// QGraphicsView for the graph: wheel zoom around the cursor, drag to pan (rubber-band select
// with Shift), fit, and a minimap in the corner that shows and moves the visible area.
#pragma once

#include <QGraphicsView>

namespace kgw {

class Minimap;

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(QGraphicsScene* scene, QWidget* parent = nullptr);
    void zoomBy(double factor);
    void fitAll();
    double zoom() const { return transform().m11(); }
    Minimap* minimap() const { return minimap_; }
    // The minimap shows while part of the graph is off screen (and `on`, the default).
    void setMinimapVisible(bool on);
    void updateMinimap(); // after the view or the graph's extent changed

Q_SIGNALS:
    void nodeActivated(qint64 entity);          // double-click on a node
    void nodeContextMenu(qint64 entity, QPoint globalPos);
    void edgeContextMenu(qint64 triple, QPoint globalPos);
    void backgroundContextMenu(QPoint globalPos);
    void viewChanged();
    void nodesMoved(); // the user dragged nodes and let go

protected:
    void wheelEvent(QWheelEvent* e) override;
    void paintEvent(QPaintEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void contextMenuEvent(QContextMenuEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void placeMinimap();
    Minimap* minimap_;
    bool minimapWanted_ = true;
    bool pressedOnNode_ = false;
    QPoint pressPos_;
};

// Overview of the whole scene with the main view's visible area as a rectangle; clicking or
// dragging recentres the main view.
class Minimap : public QGraphicsView {
    Q_OBJECT
public:
    Minimap(GraphView* main, QGraphicsScene* scene);
    void refresh();                              // re-reads the items' extent and fits it
    QRectF content() const { return content_; } // the items' extent at the last refresh

protected:
    void drawForeground(QPainter* p, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;

private:
    GraphView* main_;
    QRectF content_;
};

} // namespace kgw
