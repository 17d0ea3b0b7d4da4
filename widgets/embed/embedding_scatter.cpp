#include "embedding_scatter.h"

#include <QElapsedTimer>
#include <QHelpEvent>
#include <QMap>
#include <QMouseEvent>
#include <QPainter>
#include <QPaintEngine>
#include <QPixmap>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace kgw {

namespace {
constexpr double kRadius = 3.0;    // a point, in pixels
constexpr double kHit = 6.0;       // how near the pointer must be to pick a point
constexpr int kLabelAllBelow = 60; // name every point in view when fewer are in view
} // namespace

EmbeddingScatter::EmbeddingScatter(QWidget* parent)
    : QWidget(parent)
{
    setMinimumSize(240, 200);
    setMouseTracking(false);
    setFocusPolicy(Qt::StrongFocus);
    setAutoFillBackground(false);
    settle_ = new QTimer(this);
    settle_->setSingleShot(true);
    settle_->setInterval(kSettleMs);
    connect(settle_, &QTimer::timeout, this, qOverload<>(&QWidget::update)); // the dots at the new zoom
}

void EmbeddingScatter::setPoints(QVector<QPointF> at, QVector<QColor> colours, QStringList names, QVector<qint64> ids)
{
    at_ = std::move(at);
    colours_ = std::move(colours);
    names_ = std::move(names);
    ids_ = std::move(ids);
    row_.clear();
    row_.reserve(ids_.size());
    for (int i = 0; i < ids_.size(); ++i)
        row_.insert(ids_[i], i);
    matched_.fill(false, ids_.size());
    filtering_ = false;
    selected_ = 0;
    neighbours_.clear();
    setPositions(std::move(at_));
}

void EmbeddingScatter::setPositions(QVector<QPointF> at, View view)
{
    const bool keep = view == View::KeepZoom && !fitted_;
    const double zoom = scale_ / fitScale_;
    auto share = [](double v, double lo, double extent) { return extent > 1e-9 ? (v - lo) / extent : 0.5; };
    const QPointF place(share(centre_.x(), bounds_.left(), bounds_.width()),
                        share(centre_.y(), bounds_.top(), bounds_.height())); // the centre, in the map's box
    at_ = std::move(at);
    ++dotsGeneration_;
    bounds_ = QRectF();
    if (!at_.isEmpty()) {
        double x0 = at_[0].x(), x1 = x0, y0 = at_[0].y(), y1 = y0;
        for (const QPointF& p : at_)
            x0 = std::min(x0, p.x()), x1 = std::max(x1, p.x()), y0 = std::min(y0, p.y()), y1 = std::max(y1, p.y());
        bounds_ = QRectF(QPointF(x0, y0), QPointF(x1, y1));
    }
    fit();
    if (!keep)
        return;
    scale_ = clampScale(fitScale_ * zoom);
    const int i = indexOf(selected_);
    centre_ = i >= 0 ? at_[i]
                     : QPointF(bounds_.left() + place.x() * bounds_.width(), bounds_.top() + place.y() * bounds_.height());
    fitted_ = false;
}

void EmbeddingScatter::clear()
{
    setPoints({}, {}, {}, {});
}

void EmbeddingScatter::setSelected(qint64 id)
{
    selected_ = indexOf(id) >= 0 ? id : 0;
    neighbours_.clear();
    update();
}

void EmbeddingScatter::setNeighbours(const QList<qint64>& ids)
{
    neighbours_ = ids;
    update();
}

int EmbeddingScatter::setFilter(const QString& text)
{
    filtering_ = !text.isEmpty();
    ++dotsGeneration_;
    int n = 0;
    for (int i = 0; i < ids_.size(); ++i) {
        matched_[i] = filtering_ && names_[i].contains(text, Qt::CaseInsensitive);
        n += matched_[i];
    }
    update();
    return n;
}

QList<qint64> EmbeddingScatter::matches() const
{
    QList<qint64> out;
    for (int i = 0; i < ids_.size(); ++i)
        if (matched_[i])
            out.append(ids_[i]);
    return out;
}

void EmbeddingScatter::fit()
{
    centre_ = bounds_.center();
    // A map of one point (or all in one place) gets an extent of 1.
    const double w = bounds_.width() > 1e-9 ? bounds_.width() : 1, h = bounds_.height() > 1e-9 ? bounds_.height() : 1;
    const double margin = 24;
    scale_ = std::min((width() - 2 * margin) / w, (height() - 2 * margin) / h);
    if (!std::isfinite(scale_) || scale_ <= 0)
        scale_ = 1;
    fitScale_ = scale_;
    fitted_ = true;
    update();
}

void EmbeddingScatter::zoomBy(double factor)
{
    fitted_ = false;
    scale_ = clampScale(scale_ * factor);
    update();
}

void EmbeddingScatter::centreOn(qint64 id)
{
    const int i = indexOf(id);
    if (i < 0)
        return;
    centre_ = at_[i];
    fitted_ = false;
    update();
}

double EmbeddingScatter::clampScale(double s) const
{
    return std::clamp(s, fitScale_ / 20, fitScale_ * 5000); // from the whole map small to a few points
}

QPointF EmbeddingScatter::toWidget(const QPointF& d) const
{
    return {width() / 2.0 + (d.x() - centre_.x()) * scale_, height() / 2.0 - (d.y() - centre_.y()) * scale_};
}

QPointF EmbeddingScatter::toData(const QPointF& px) const
{
    return {centre_.x() + (px.x() - width() / 2.0) / scale_, centre_.y() - (px.y() - height() / 2.0) / scale_};
}

int EmbeddingScatter::indexOf(qint64 id) const
{
    return id == 0 ? -1 : row_.value(id, -1);
}

qint64 EmbeddingScatter::idAt(const QPoint& pos) const
{
    qint64 best = 0;
    double bestD = kHit * kHit;
    for (int i = 0; i < ids_.size(); ++i) {
        const QPointF d = toWidget(at_[i]) - QPointF(pos);
        const double d2 = d.x() * d.x() + d.y() * d.y();
        if (d2 <= bestD)
            bestD = d2, best = ids_[i];
    }
    return best;
}

QPoint EmbeddingScatter::positionOf(qint64 id) const
{
    const int i = indexOf(id);
    return i < 0 ? QPoint(-1, -1) : toWidget(at_[i]).toPoint();
}

bool EmbeddingScatter::exportImage(const QString& path)
{
    if (!path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive))
        return grab().save(path);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size());
    svg.setViewBox(QRect(QPoint(0, 0), size()));
    svg.setTitle(tr("KG Workbench entity map"));
    QPainter p;
    if (!p.begin(&svg))
        return false;
    render(&p);
    return p.end();
}

bool EmbeddingScatter::isInView(qint64 id) const
{
    return rect().contains(positionOf(id));
}

bool EmbeddingScatter::drawName(QPainter& p, int i, bool bold, QList<QRectF>& taken) const
{
    QFont f = font();
    f.setBold(bold);
    const QFontMetricsF fm(f);
    const QString text = names_[i];
    const QPointF point = toWidget(at_[i]);
    QPointF at = point + QPointF(kRadius + 3, -kRadius - 2);
    QRectF box = fm.boundingRect(text).translated(at).adjusted(-2, -1, 2, 1);
    if (box.right() > width()) { // to the point's left rather than cut off at the edge
        at.setX(point.x() - kRadius - 3 - fm.horizontalAdvance(text));
        box = fm.boundingRect(text).translated(at).adjusted(-2, -1, 2, 1);
    }
    if (!bold)
        for (const QRectF& r : taken)
            if (r.intersects(box))
                return false; // over a name already written: this one only in its tooltip
    taken.append(box);
    p.setFont(f);
    p.fillRect(box, QColor(252, 252, 250, 210));
    p.setPen(QColor(30, 30, 30));
    p.drawText(at, text);
    return true;
}

void EmbeddingScatter::drawDots(QPainter& p, bool vector) const
{
    const QRectF view = rect().adjusted(-kRadius, -kRadius, kRadius, kRadius);
    QMap<QRgb, QPolygonF> plain, marked;
    fewInView_.clear();
    inView_ = 0;
    for (int i = 0; i < ids_.size(); ++i) {
        const QPointF w = toWidget(at_[i]);
        if (!view.contains(w))
            continue;
        if (++inView_ < kLabelAllBelow)
            fewInView_.append(i);
        QColor c = colours_[i];
        if (filtering_ && !matched_[i])
            c = QColor(215, 215, 210);
        (filtering_ && matched_[i] ? marked : plain)[c.rgba()].append(w);
    }
    // Each colour's dot is drawn once (antialiased) and stamped at every point of that colour
    // in one batched call: 10x faster than round pens at 14,541 points. An SVG gets vector dots.
    const qreal dpr = p.device()->devicePixelRatioF();
    for (auto* groups : {&plain, &marked})
        for (auto it = groups->cbegin(); it != groups->cend(); ++it) {
            const double r = groups == &marked ? 1.4 * kRadius : kRadius;
            if (vector) {
                p.setPen(QPen(QColor::fromRgba(it.key()), 2 * r, Qt::SolidLine, Qt::RoundCap));
                p.drawPoints(it.value());
                continue;
            }
            const int side = static_cast<int>(std::ceil(2 * r + 2));
            QPixmap dot(QSize(side, side) * dpr);
            dot.setDevicePixelRatio(dpr);
            dot.fill(Qt::transparent);
            {
                QPainter d(&dot);
                d.setRenderHint(QPainter::Antialiasing);
                d.setPen(Qt::NoPen);
                d.setBrush(QColor::fromRgba(it.key()));
                d.drawEllipse(QPointF(side / 2.0, side / 2.0), r, r);
            }
            QVector<QPainter::PixmapFragment> stamps;
            stamps.reserve(it.value().size());
            const QRectF source(0, 0, side * dpr, side * dpr);
            for (const QPointF& w : it.value())
                stamps.append(QPainter::PixmapFragment::create(w, source, 1 / dpr, 1 / dpr)); // source in device pixels
            p.drawPixmapFragments(stamps.constData(), static_cast<int>(stamps.size()), dot);
        }
}

void EmbeddingScatter::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QColor background(252, 252, 250);
    if (ids_.isEmpty()) {
        p.fillRect(rect(), background);
        return;
    }
    if (p.paintEngine() && p.paintEngine()->type() == QPaintEngine::SVG) {
        p.fillRect(rect(), background);
        p.setRenderHint(QPainter::Antialiasing);
        drawDots(p, true);
    } else {
        // The dots are drawn into an image kept until the points, filter or view change: a new
        // selection or neighbour list repaints over it (a million points take a few hundred ms).
        // While a drag pans or the wheel zooms a map whose dots took long to draw, the kept
        // image moves and scales with the view, and the dots are drawn again when the button is
        // released or the wheel rests.
        const qreal dpr = devicePixelRatioF();
        const DotsKey key{dotsGeneration_, scale_, centre_, size(), dpr};
        const DotsKey moved{dotsGeneration_, dotsKey_.scale, dotsKey_.centre, size(), dpr};
        if ((dragging_ || settle_->isActive()) && !dots_.isNull() && drawMs_ >= slowDrawMs_ && moved == dotsKey_) {
            // A point d at w0 = half + (d - c0)·s0 (y flipped) in the image is at
            // half + (d - c)·s now: scale the image by s / s0 about its centre, then shift.
            p.fillRect(rect(), background);
            const double k = scale_ / dotsKey_.scale;
            const QPointF shift = (dotsKey_.centre - centre_) * scale_;
            p.save();
            p.translate(width() / 2.0 + shift.x(), height() / 2.0 - shift.y());
            p.scale(k, k);
            p.translate(-width() / 2.0, -height() / 2.0);
            p.drawImage(QPointF(0, 0), dots_);
            p.restore();
        } else {
            if (dots_.isNull() || !(key == dotsKey_)) {
                QElapsedTimer timer;
                timer.start();
                dots_ = QImage(size() * dpr, QImage::Format_ARGB32_Premultiplied);
                dots_.setDevicePixelRatio(dpr);
                QPainter d(&dots_);
                d.fillRect(rect(), background);
                d.setRenderHint(QPainter::Antialiasing);
                drawDots(d, false);
                dotsKey_ = key;
                drawMs_ = timer.elapsed();
            }
            p.drawImage(0, 0, dots_);
        }
    }
    p.setRenderHint(QPainter::Antialiasing);

    const int sel = indexOf(selected_);
    if (sel >= 0) {
        const QPointF s = toWidget(at_[sel]);
        p.setPen(QPen(QColor(120, 120, 120, 160), 1));
        for (qint64 n : neighbours_)
            if (const int j = indexOf(n); j >= 0)
                p.drawLine(s, toWidget(at_[j]));
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(QColor(40, 40, 40), 1.5));
        for (qint64 n : neighbours_)
            if (const int j = indexOf(n); j >= 0)
                p.drawEllipse(toWidget(at_[j]), kRadius + 3, kRadius + 3);
        p.setPen(QPen(QColor(20, 90, 200), 2.5));
        p.drawEllipse(s, kRadius + 5, kRadius + 5);
    }
    // Names: the selected one always, then its neighbours nearest first, then (zoomed in) the
    // rest in view; a name that would cover one already written is left out.
    QList<QRectF> taken;
    if (sel >= 0)
        drawName(p, sel, true, taken);
    for (qint64 n : neighbours_)
        if (const int j = indexOf(n); j >= 0 && j != sel)
            drawName(p, j, false, taken);
    if (inView_ < kLabelAllBelow)
        for (int i : std::as_const(fewInView_))
            if (i != sel && !neighbours_.contains(ids_[i]))
                drawName(p, i, false, taken);
}

void EmbeddingScatter::resizeEvent(QResizeEvent* e)
{
    QWidget::resizeEvent(e);
    if (fitted_) // untouched since the last fit: fit the new size; else keep the user's zoom
        fit();
}

void EmbeddingScatter::mousePressEvent(QMouseEvent* e)
{
    pressPos_ = lastPos_ = e->pos();
    dragging_ = e->button() == Qt::LeftButton;
    if (dragging_)
        setCursor(Qt::ClosedHandCursor);
}

void EmbeddingScatter::mouseMoveEvent(QMouseEvent* e)
{
    if (!dragging_)
        return;
    const QPoint d = e->pos() - lastPos_;
    lastPos_ = e->pos();
    centre_ -= QPointF(d.x() / scale_, -d.y() / scale_);
    fitted_ = false;
    update();
}

void EmbeddingScatter::mouseReleaseEvent(QMouseEvent* e)
{
    if (!dragging_)
        return;
    dragging_ = false;
    unsetCursor();
    update(); // the dots where the drag left them
    if ((e->pos() - pressPos_).manhattanLength() <= 3) // a click, not a drag
        if (const qint64 id = idAt(e->pos()))
            Q_EMIT pointClicked(id);
}

void EmbeddingScatter::mouseDoubleClickEvent(QMouseEvent* e)
{
    if (const qint64 id = idAt(e->pos()))
        Q_EMIT pointActivated(id);
}

void EmbeddingScatter::wheelEvent(QWheelEvent* e)
{
    const double f = std::pow(1.15, e->angleDelta().y() / 120.0);
    const QPointF under = toData(e->position());
    scale_ = clampScale(scale_ * f);
    fitted_ = false;
    // Keep the data point under the pointer where it was.
    const QPointF after = toData(e->position());
    centre_ += under - after;
    if (drawMs_ >= slowDrawMs_)
        settle_->start(); // the kept image zooms until the wheel rests
    update();
    e->accept();
}

bool EmbeddingScatter::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const int i = indexOf(idAt(help->pos()));
        if (i >= 0)
            QToolTip::showText(help->globalPos(), names_[i], this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

} // namespace kgw
