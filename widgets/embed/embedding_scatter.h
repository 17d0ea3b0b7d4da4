// A scatter plot for up to a million points, painted directly (no scene items): drag pans,
// the wheel zooms around the pointer, hovering shows the point's name, a click selects and a
// double-click activates. The selected point is ringed and joined to its neighbours; while a
// filter is set, the points whose names contain it are drawn on top and the others faded.
// Names are written beside the selected point, its neighbours and, once zoomed in so far that
// few points are in view, every point in view. The dots are kept as an image between repaints
// that do not change them (a selection), and a slow-to-draw map pans as that image.
#pragma once

#include <QColor>
#include <QHash>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QTimer;

namespace kgw {

class EmbeddingScatter : public QWidget {
    Q_OBJECT
public:
    explicit EmbeddingScatter(QWidget* parent = nullptr);

    // One point per id: position (data units), colour and name. Fits the view to them.
    void setPoints(QVector<QPointF> at, QVector<QColor> colours, QStringList names, QVector<qint64> ids);
    // The same points elsewhere (in setPoints' order); the selection, its neighbours and the
    // filter stay. Fit: the view is fitted to them. KeepZoom (t-SNE's layout moving): a view the
    // user zoomed or panned keeps its zoom relative to the fit, centred on the selected point
    // (else on the same relative place of the map); an untouched view is fitted.
    enum class View { Fit, KeepZoom };
    void setPositions(QVector<QPointF> at, View view = View::Fit);
    const QStringList& names() const { return names_; }
    const QVector<qint64>& ids() const { return ids_; }
    void clear();
    void setSelected(qint64 id); // 0: none
    qint64 selected() const { return selected_; }
    void setNeighbours(const QList<qint64>& ids);
    // Marks the points whose names contain `text` (case-insensitive; "" clears); returns how many.
    int setFilter(const QString& text);
    QList<qint64> matches() const; // in point order
    void fit();
    // Zooms by `factor` around the widget's centre, or onto a point (centred, at least `factor`).
    void zoomBy(double factor);
    void centreOn(qint64 id);

    int count() const { return static_cast<int>(ids_.size()); }
    qint64 idAt(const QPoint& pos) const; // the nearest point within a few pixels, or 0
    QPoint positionOf(qint64 id) const;   // where a point is drawn (widget coordinates)
    bool isInView(qint64 id) const;
    // Dots that took at least this long to draw move as an image while a drag pans, and are
    // drawn again on release (default 30 ms: a few hundred thousand points; 0: always); the
    // wheel zooms that image, and the dots are drawn again once the wheel rests (kSettleMs).
    void setSlowDrawMs(qint64 ms) { slowDrawMs_ = ms; }
    static constexpr int kSettleMs = 150;
    // The view as shown, to PNG or (by the file's extension) SVG, points as vector dots.
    bool exportImage(const QString& path);

Q_SIGNALS:
    void pointClicked(qint64 id);
    void pointActivated(qint64 id);

protected:
    void paintEvent(QPaintEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    bool event(QEvent* e) override; // tooltips

private:
    QPointF toWidget(const QPointF& data) const;
    QPointF toData(const QPointF& px) const;
    int indexOf(qint64 id) const;
    double clampScale(double s) const;
    // Writes a point's name beside it unless it would cover a rect in `taken` (bold: always);
    // adds its rect to `taken`. Returns whether it was written.
    bool drawName(QPainter& p, int index, bool bold, QList<QRectF>& taken) const;
    // Every point in view, as vector dots (SVG) or stamped pixmaps; counts them into inView_
    // and keeps the first few in fewInView_.
    void drawDots(QPainter& p, bool vector) const;

    QVector<QPointF> at_;
    QVector<QColor> colours_;
    QStringList names_;
    QVector<qint64> ids_;
    QHash<qint64, int> row_; // id -> index
    QVector<bool> matched_;
    bool filtering_ = false;
    qint64 selected_ = 0;
    QList<qint64> neighbours_;
    QRectF bounds_;        // of the points, in data units
    double scale_ = 1;     // pixels per data unit
    double fitScale_ = 1;  // scale_ after the last fit(); zoom stays within a range of it
    QPointF centre_;       // data point at the widget's centre
    bool fitted_ = true;   // no zoom or pan since the last fit()
    QPoint pressPos_, lastPos_;
    bool dragging_ = false;
    QTimer* settle_ = nullptr; // runs while the wheel zooms a slow map's kept image
    // The drawn dots and what they were drawn for: a new key draws them again.
    struct DotsKey {
        quint64 generation = 0;
        double scale = 0;
        QPointF centre;
        QSize size;
        qreal dpr = 0;
        bool operator==(const DotsKey& o) const
        {
            return generation == o.generation && scale == o.scale && centre == o.centre && size == o.size && dpr == o.dpr;
        }
    };
    quint64 dotsGeneration_ = 0; // bumped when the points, their places or the filter change
    DotsKey dotsKey_;
    QImage dots_;
    qint64 drawMs_ = 0; // how long the dots took to draw, the last time
    qint64 slowDrawMs_ = 30;
    mutable int inView_ = 0;          // points in view at the last drawing of the dots
    mutable QList<int> fewInView_;    // the first of them, up to the count that gets every name
};

} // namespace kgw
