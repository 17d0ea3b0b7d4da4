#include "relation_palette.h"

#include <cmath>

namespace kgw {

QColor relationColor(qint64 relationId)
{
    const double hue = std::fmod(static_cast<double>(relationId) * 137.508, 360.0);
    const int band = static_cast<int>(relationId % 3); // vary lightness too, for many relations
    return QColor::fromHsl(static_cast<int>(hue), 170, 95 + band * 25);
}

} // namespace kgw
