// Scene items of the graph view. Painting skips text when zoomed out (level of detail), so
// thousands of items stay smooth.
#pragma once

#include <QGraphicsItem>
#include <QHash>
#include <functional>
#include <QPainterPath>

class QFontMetricsF;

namespace kgw {

class EdgeItem;

class NodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    NodeItem(qint64 entity, const QString& label, QSizeF size);
    int type() const override { return Type; }
    qint64 entity() const { return entity_; }
    QString label() const { return label_; }
    void setLabel(const QString& label);
    void setHighlighted(bool on);
    bool highlighted() const { return highlighted_; }
    void setMoreAvailable(qint64 remaining); // draws a "+N" badge for unexpanded triples
    qint64 moreAvailable() const { return more_; }
    void addEdge(EdgeItem* e) { edges_.append(e); }
    void removeEdge(EdgeItem* e) { edges_.removeAll(e); }
    const QList<EdgeItem*>& edges() const { return edges_; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    qint64 entity_;
    QString label_;
    QSizeF size_;
    bool highlighted_ = false;
    qint64 more_ = 0;
    QList<EdgeItem*> edges_;
};

class EdgeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };
    // labelSize: the label's box in the view's font (labelBox()).
    EdgeItem(qint64 triple, qint64 relation, const QString& label, const QColor& color, NodeItem* from, NodeItem* to,
             QSizeF labelSize);
    int type() const override { return Type; }
    static QSizeF labelBox(const QString& label, const QFontMetricsF& fm); // text (elided) plus padding
    qint64 triple() const { return triple_; }
    qint64 relation() const { return relation_; }
    NodeItem* from() const { return from_; }
    NodeItem* to() const { return to_; }
    // Graphviz Bézier points in scene coordinates (1 + 3k); empty = straight line.
    void setRoute(const QVector<QPointF>& bezier);
    void adjust(); // recompute the path after a node moved
    void setHighlighted(bool on);
    bool highlighted() const { return highlighted_; }
    void setDimmed(bool on);
    // Where the label sits: a share of the path's length (0.5 = the middle; see edge_labels.h).
    void setLabelAt(double share);
    QRectF labelRect(double share) const; // the label's box, centred on the path at `share` (scene)
    QRectF labelRect() const { return labelRect(labelAt_); }
    double length() const { return path_.length(); }
    QRectF arrowRect() const { return arrow_.boundingRect(); } // the arrowhead (scene)

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    qint64 triple_, relation_;
    QString label_;
    QColor color_;
    NodeItem *from_, *to_;
    QSizeF labelSize_;
    double labelAt_ = 0.5;
    QVector<QPointF> route_;
    QPainterPath path_;
    QPolygonF arrow_;
    bool highlighted_ = false, dimmed_ = false;
};

// All edges of a large view in one item: drawn as hairlines batched by relation colour, which
// is one paint call instead of tens of thousands (QGraphicsView's per-item cost dominates
// there). Used instead of EdgeItems when a view has more than a few thousand edges.
class BulkEdgesItem : public QGraphicsItem {
public:
    enum { Type = UserType + 3 };
    BulkEdgesItem();
    int type() const override { return Type; }
    void add(qint64 triple, NodeItem* from, NodeItem* to, const QColor& color);
    void removeIf(const std::function<bool(qint64 triple)>& drop);
    bool contains(qint64 triple) const { return edges_.contains(triple); }
    int count() const { return static_cast<int>(edges_.size()); }
    void refresh(); // after nodes moved
    QRectF boundingRect() const override { return bounds_; }
    void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    struct Entry {
        NodeItem *from, *to;
        QRgb color;
    };
    QHash<qint64, Entry> edges_;
    QRectF bounds_;
};

} // namespace kgw
