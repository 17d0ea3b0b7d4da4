#include "training_charts.h"

#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace kgw {

QChart* makeChart(const QString& title, const QString& x, const QString& y)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* ax = new QValueAxis;
    ax->setTitleText(x);
    ax->setLabelFormat(QStringLiteral("%g"));
    auto* ay = new QValueAxis;
    ay->setTitleText(y);
    ay->setLabelFormat(QStringLiteral("%.3g"));
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    return chart;
}

QLineSeries* addSeries(QChart* chart, const QString& name)
{
    auto* s = new QLineSeries;
    s->setName(name);
    chart->addSeries(s);
    for (QAbstractAxis* a : chart->axes())
        s->attachAxis(a);
    return s;
}

void fitAxes(QChart* chart, double yMax)
{
    double x0 = 0, x1 = 1, y0 = 0, y1 = 0;
    bool any = false;
    for (QAbstractSeries* as : chart->series())
        for (const QPointF& p : static_cast<QLineSeries*>(as)->points()) {
            if (!any) {
                x0 = x1 = p.x(), y0 = y1 = p.y();
                any = true;
            }
            x0 = std::min(x0, p.x()), x1 = std::max(x1, p.x());
            y0 = std::min(y0, p.y()), y1 = std::max(y1, p.y());
        }
    auto axes = chart->axes();
    if (axes.size() < 2)
        return;
    auto* ax = static_cast<QValueAxis*>(axes[0]);
    auto* ay = static_cast<QValueAxis*>(axes[1]);
    x0 = std::floor(x0), x1 = std::max(std::ceil(x1), x0 + 1);
    ax->setRange(x0, x1);
    ax->setTickCount(x1 - x0 <= 10 ? static_cast<int>(x1 - x0) + 1 : 5); // small: every whole number
    if (x1 - x0 > 10)
        ax->applyNiceNumbers(); // takes the tick count as its hint
    const double pad = (y1 - y0) * 0.05 + 1e-6;
    ay->setRange(std::max(0.0, y0 - pad), std::min(yMax, y1 + pad));
    ay->setTickCount(5);
    ay->applyNiceNumbers();
    const double step = (ay->max() - ay->min()) / std::max(1, ay->tickCount() - 1);
    if (ay->max() > yMax && step > 0) { // round steps (0.05, 0.1, 0.2) divide 1
        ay->setTickCount(static_cast<int>(std::lround((yMax - ay->min()) / step)) + 1);
        ay->setMax(yMax);
    }
    const double magnitude = std::max(std::abs(ay->max()), std::abs(ay->min()));
    const int digits = step > 0 ? std::clamp(static_cast<int>(std::ceil(std::log10(magnitude / step))) + 1, 3, 8) : 3;
    ay->setLabelFormat(QStringLiteral("%.%1g").arg(digits));
}

} // namespace kgw
