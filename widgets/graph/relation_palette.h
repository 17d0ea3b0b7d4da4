// Stable, well-separated colours per relation id (golden-angle hues), shared by the graph
// view, its legend and exports.
#pragma once

#include <QColor>

namespace kgw {

QColor relationColor(qint64 relationId);

} // namespace kgw
