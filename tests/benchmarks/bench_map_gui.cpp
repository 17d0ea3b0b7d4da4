// The Embeddings tab's scatter (widgets/embed/embedding_scatter.h) with N points: time of a
// repaint after a new selection (the dots kept as an image), of one during a drag (the kept
// image moved) and of one per wheel step (the kept image scaled) against a repaint after a pan
// by centreOn (the dots drawn again), the reference, all measured here; and the time to set
// the points.
// Usage: QT_QPA_PLATFORM=offscreen bench_map_gui [N] [--repeats R]
#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QMouseEvent>
#include <QWheelEvent>
#include <QPainter>
#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "embedding_scatter.h"

namespace {

// Median milliseconds of `repeats` runs of fn.
template <typename Fn>
double medianMs(int repeats, const Fn& fn)
{
    std::vector<double> ms;
    for (int r = 0; r < repeats; ++r) {
        QElapsedTimer t;
        t.start();
        fn();
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int n = argc > 1 ? std::atoi(argv[1]) : 1000000;
    int repeats = 7;
    for (int a = 2; a + 1 < argc; ++a)
        if (QByteArray(argv[a]) == "--repeats")
            repeats = std::atoi(argv[++a]);
    std::mt19937 rng(5);
    std::normal_distribution<double> g;
    QVector<QPointF> at;
    QVector<QColor> colours;
    QStringList names;
    QVector<qint64> ids;
    const QColor palette[] = {Qt::red, Qt::darkGreen, Qt::blue, Qt::darkCyan, Qt::magenta, Qt::darkYellow, Qt::gray};
    for (int i = 0; i < n; ++i) {
        const int c = i % 7;
        at.append(QPointF(c * 3 + g(rng), (c % 3) * 4 + g(rng)));
        colours.append(palette[c]);
        names.append(QStringLiteral("entity %1").arg(i));
        ids.append(i + 1);
    }
    kgw::EmbeddingScatter scatter;
    scatter.resize(1100, 700);
    QElapsedTimer t;
    t.start();
    scatter.setPoints(at, colours, names, ids);
    const double setMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    QImage image(scatter.size(), QImage::Format_ARGB32_Premultiplied);
    auto paint = [&] {
        QPainter p(&image);
        scatter.render(&p);
    };
    paint(); // the first drawing
    qint64 next = 1;
    const double selectMs = medianMs(repeats, [&] {
        scatter.setSelected(next);
        scatter.setNeighbours({next + 1, next + 2, next + 3, next + 4, next + 5, next + 6, next + 7, next + 8, next + 9, next + 10});
        next += 11;
        paint();
    });
    const double panMs = medianMs(repeats, [&] {
        scatter.centreOn(next++); // moves the view: the dots are drawn again
        paint();
    });
    auto mouse = [&](QEvent::Type type, QPoint at) {
        QMouseEvent e(type, at, scatter.mapToGlobal(at), Qt::LeftButton,
                      type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&scatter, &e);
    };
    paint(); // the dots drawn for this view: the drag moves them
    QPoint pointer(550, 350);
    mouse(QEvent::MouseButtonPress, pointer);
    const double dragMs = medianMs(repeats, [&] {
        pointer += QPoint(5, 3);
        mouse(QEvent::MouseMove, pointer);
        paint();
    });
    mouse(QEvent::MouseButtonRelease, pointer);
    paint(); // drawn again where the drag left them: the wheel scales this image
    int step = 0;
    const double zoomMs = medianMs(repeats, [&] { // in and out in turn, steps well inside the settle time
        const QPointF at(600, 300);
        QWheelEvent e(at, scatter.mapToGlobal(at), QPoint(), QPoint(0, (step++ % 2) ? -120 : 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&scatter, &e);
        paint();
    });
    std::printf("%d points, %dx%d: setPoints %.1f ms; repaint after a selection %.1f ms, during a drag %.1f ms, per "
                "wheel step %.1f ms; after a pan by centreOn (reference: every dot drawn) %.1f ms; %.1fx, %.1fx and "
                "%.1fx\n",
                n, scatter.width(), scatter.height(), setMs, selectMs, dragMs, zoomMs, panMs, panMs / selectMs,
                panMs / dragMs, panMs / zoomMs);
    return 0;
}
