#include "graph_items.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QtMath>

namespace kgw {
namespace {

constexpr double kTextLod = 0.45;   // below this zoom, labels are not drawn
constexpr double kCoarseLod = 0.25; // below this, items are drawn as plain shapes (thousands stay fast)
constexpr int kLabelTextWidth = 150; // edge labels are elided to this many pixels

QPointF boundaryPoint(const NodeItem* n, QPointF towards)
{
    // Where the segment centre->towards leaves the node's ellipse.
    const QRectF r = n->boundingRect();
    const QPointF c = n->pos();
    const QPointF d = towards - c;
    const double a = r.width() / 2, b = r.height() / 2;
    if (qFuzzyIsNull(d.x()) && qFuzzyIsNull(d.y()))
        return c;
    const double t = 1.0 / std::sqrt((d.x() * d.x()) / (a * a) + (d.y() * d.y()) / (b * b));
    return c + d * std::min(1.0, t);
}

} // namespace

NodeItem::NodeItem(qint64 entity, const QString& label, QSizeF size)
    : entity_(entity)
    , label_(label)
    , size_(size)
{
    setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
    setZValue(2);
    setToolTip(label);
    // Drawn once per zoom level into a pixmap: a view of a few hundred named nodes repaints
    // by blitting (the text and antialiased outline cost most of a paint).
    setCacheMode(DeviceCoordinateCache);
}

void NodeItem::setLabel(const QString& label)
{
    label_ = label;
    setToolTip(label);
    update();
}

void NodeItem::setHighlighted(bool on)
{
    highlighted_ = on;
    update();
}

void NodeItem::setMoreAvailable(qint64 remaining)
{
    more_ = remaining;
    update();
}

QRectF NodeItem::boundingRect() const
{
    // The outline's pen, and the "+N" badge over the top-right edge (see paint()).
    return QRectF(-size_.width() / 2 - 2, -size_.height() / 2 - 9, size_.width() + 11, size_.height() + 11);
}

QPainterPath NodeItem::shape() const
{
    QPainterPath p;
    p.addEllipse(QRectF(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height()));
    return p;
}

void NodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const QRectF r(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height());
    const bool selected = option->state & QStyle::State_Selected;
    const double lod = option->levelOfDetailFromTransform(p->worldTransform());
    if (lod < kCoarseLod) { // far out: a plain shape, no antialiasing, no text
        p->setRenderHint(QPainter::Antialiasing, false);
        p->setPen(Qt::NoPen);
        p->setBrush(highlighted_ ? QColor(230, 120, 0) : selected ? QColor(20, 90, 200) : QColor(120, 120, 110));
        p->drawRect(r);
        return;
    }
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(highlighted_ ? QColor(230, 120, 0) : selected ? QColor(20, 90, 200) : QColor(90, 90, 90),
                   highlighted_ || selected ? 3 : 1.2));
    p->setBrush(highlighted_ ? QColor(255, 236, 200) : selected ? QColor(215, 232, 255) : QColor(246, 246, 240));
    p->drawEllipse(r);
    if (lod < kTextLod && !highlighted_) // highlighted nodes keep their names as long as their edges do
        return;
    p->setPen(Qt::black);
    p->drawText(r.adjusted(6, 0, -6, 0), Qt::AlignCenter,
                p->fontMetrics().elidedText(label_, Qt::ElideRight, static_cast<int>(r.width() - 12)));
    if (more_ > 0) {
        const QString badge = QStringLiteral("+%1").arg(more_);
        QFont f = p->font();
        f.setPointSizeF(f.pointSizeF() * 0.8);
        p->setFont(f);
        const QRectF b(r.right() - 22, r.top() - 8, 30, 14);
        p->setBrush(QColor(60, 110, 190));
        p->setPen(Qt::NoPen);
        p->drawRoundedRect(b, 6, 6);
        p->setPen(Qt::white);
        p->drawText(b, Qt::AlignCenter, badge);
    }
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value)
{
    if (change == ItemPositionHasChanged)
        for (EdgeItem* e : std::as_const(edges_))
            e->adjust();
    return QGraphicsItem::itemChange(change, value);
}

EdgeItem::EdgeItem(qint64 triple, qint64 relation, const QString& label, const QColor& color, NodeItem* from,
                   NodeItem* to, QSizeF labelSize)
    : triple_(triple)
    , relation_(relation)
    , label_(label)
    , color_(color)
    , from_(from)
    , to_(to)
    , labelSize_(labelSize)
{
    setFlags(ItemIsSelectable);
    setZValue(1);
    setToolTip(label);
    from->addEdge(this);
    if (to != from)
        to->addEdge(this);
    adjust();
}

void EdgeItem::setRoute(const QVector<QPointF>& bezier)
{
    route_ = bezier;
    adjust();
}

void EdgeItem::adjust()
{
    prepareGeometryChange();
    path_ = QPainterPath();
    const QPointF a = from_->pos(), b = to_->pos();
    QPointF tip, before;
    if (from_ == to_) { // self-loop
        const QRectF r = from_->boundingRect();
        const QPointF s = a + QPointF(r.width() / 4, -r.height() / 2);
        tip = a + QPointF(r.width() / 2, -r.height() / 6);
        path_.moveTo(s);
        path_.cubicTo(s + QPointF(10, -35), tip + QPointF(35, -10), tip);
        before = tip + QPointF(35, -10);
    } else if (route_.size() >= 4 && (route_.size() - 1) % 3 == 0 &&
               QLineF(route_.front(), a).length() < from_->boundingRect().width() &&
               QLineF(route_.back(), b).length() < to_->boundingRect().width()) {
        path_.moveTo(route_.front());
        for (int i = 1; i + 2 < route_.size(); i += 3)
            path_.cubicTo(route_[i], route_[i + 1], route_[i + 2]);
        tip = boundaryPoint(to_, route_.back() == b ? route_[route_.size() - 2] : route_.back());
        before = route_[route_.size() - 2];
        path_.lineTo(tip);
    } else {
        const QPointF s = boundaryPoint(from_, b);
        tip = boundaryPoint(to_, a);
        path_.moveTo(s);
        path_.lineTo(tip);
        before = s;
    }
    const QLineF dir(tip, before);
    const double angle = std::atan2(-dir.dy(), dir.dx());
    arrow_ = QPolygonF({tip, tip + QPointF(std::sin(angle + M_PI / 3) * 9, std::cos(angle + M_PI / 3) * 9),
                        tip + QPointF(std::sin(angle + M_PI - M_PI / 3) * 9, std::cos(angle + M_PI - M_PI / 3) * 9)});
}

void EdgeItem::setHighlighted(bool on)
{
    highlighted_ = on;
    setZValue(on ? 1.5 : 1);
    update();
}

void EdgeItem::setDimmed(bool on)
{
    dimmed_ = on;
    update();
}

QSizeF EdgeItem::labelBox(const QString& label, const QFontMetricsF& fm)
{
    return QSizeF(std::min<double>(fm.horizontalAdvance(label), kLabelTextWidth) + 8, fm.height() + 2);
}

void EdgeItem::setLabelAt(double share)
{
    if (share == labelAt_)
        return;
    labelAt_ = share;
    update();
}

QRectF EdgeItem::labelRect(double share) const
{
    const QPointF c = path_.pointAtPercent(std::clamp(share, 0.0, 1.0));
    return QRectF(c.x() - labelSize_.width() / 2, c.y() - labelSize_.height() / 2, labelSize_.width(),
                  labelSize_.height());
}

QRectF EdgeItem::boundingRect() const
{
    // The label is centred on the path anywhere along it: half its box either side.
    const double w = labelSize_.width() / 2 + 2, h = labelSize_.height() / 2 + 2;
    return path_.boundingRect().united(arrow_.boundingRect()).adjusted(-w, -h, w, h);
}

QPainterPath EdgeItem::shape() const
{
    QPainterPathStroker s;
    s.setWidth(8);
    return s.createStroke(path_);
}

void EdgeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*)
{
    const bool selected = option->state & QStyle::State_Selected;
    QColor c = highlighted_ ? QColor(230, 120, 0) : color_;
    if (dimmed_ && !highlighted_)
        c.setAlpha(60);
    if (option->levelOfDetailFromTransform(p->worldTransform()) < kCoarseLod && !highlighted_) {
        p->setRenderHint(QPainter::Antialiasing, false);
        p->setPen(QPen(c, 0)); // cosmetic hairline
        p->drawLine(path_.pointAtPercent(0), path_.pointAtPercent(1));
        return;
    }
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(c, highlighted_ ? 3.5 : selected ? 2.5 : 1.4, selected ? Qt::DashLine : Qt::SolidLine));
    p->setBrush(Qt::NoBrush);
    p->drawPath(path_);
    p->setBrush(c);
    p->setPen(Qt::NoPen);
    p->drawPolygon(arrow_);
    // Edge labels need more zoom than node labels, so a node never loses its name while its
    // edges keep theirs; highlighted edges keep labels as long as their nodes do.
    const double lod = option->levelOfDetailFromTransform(p->worldTransform());
    if (lod < (highlighted_ ? kTextLod : 0.8))
        return;
    // On a box of the background's colour, so a line crossing the label does not cross its text.
    const QRectF box = labelRect();
    p->setBrush(QColor(252, 252, 250, dimmed_ && !highlighted_ ? 120 : 225));
    p->drawRoundedRect(box, 3, 3);
    p->setPen(c.darker(140));
    p->drawText(box, Qt::AlignCenter, p->fontMetrics().elidedText(label_, Qt::ElideRight, kLabelTextWidth));
}

BulkEdgesItem::BulkEdgesItem()
{
    setFlag(ItemUsesExtendedStyleOption); // exposedRect: draw only what is visible
    setZValue(0.5);
}

void BulkEdgesItem::add(qint64 triple, NodeItem* from, NodeItem* to, const QColor& color)
{
    edges_.insert(triple, Entry{from, to, color.rgb()});
}

void BulkEdgesItem::removeIf(const std::function<bool(qint64 triple)>& drop)
{
    edges_.removeIf([&](const auto& entry) { return drop(entry.key()); });
}

void BulkEdgesItem::refresh()
{
    prepareGeometryChange();
    QRectF r;
    for (const Entry& e : std::as_const(edges_)) {
        r |= QRectF(e.from->pos(), QSizeF(1, 1));
        r |= QRectF(e.to->pos(), QSizeF(1, 1));
    }
    bounds_ = r.adjusted(-5, -5, 5, 5);
    update();
}

void BulkEdgesItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*)
{
    QHash<QRgb, QVector<QLineF>> byColor;
    const QRectF exposed = option->exposedRect;
    for (const Entry& e : std::as_const(edges_)) {
        const QLineF line(e.from->pos(), e.to->pos());
        if (exposed.isValid() && !exposed.intersects(QRectF(line.p1(), line.p2()).normalized().adjusted(-1, -1, 1, 1)))
            continue;
        byColor[e.color].append(line);
    }
    p->setRenderHint(QPainter::Antialiasing, false);
    for (auto it = byColor.cbegin(); it != byColor.cend(); ++it) {
        p->setPen(QPen(QColor::fromRgb(it.key()), 0));
        p->drawLines(it.value());
    }
}

} // namespace kgw
