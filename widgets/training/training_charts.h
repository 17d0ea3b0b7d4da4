// The Training tab's line charts (QtCharts): two value axes, series attached to both, and
// axes rescaled to the data.
#pragma once

#include <QChart>
#include <QLineSeries>
#include <QString>
#include <limits>

namespace kgw {

// A chart with a bottom x axis and a left y axis, titled.
QChart* makeChart(const QString& title, const QString& x, const QString& y);
// A new line series on `chart`, attached to both axes.
QLineSeries* addSeries(QChart* chart, const QString& name);
// Rescales the axes to the data of every series: the x axis (steps or epochs, whole numbers)
// ticks at whole numbers; the y axis at round steps, never above yMax (1 for metrics), with
// enough digits that neighbouring ticks read differently.
void fitAxes(QChart* chart, double yMax = std::numeric_limits<double>::infinity());

} // namespace kgw
