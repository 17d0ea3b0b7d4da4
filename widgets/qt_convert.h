// Conversions between engine (std::string, UTF-8) and Qt types.
#pragma once

#include <QString>
#include <string>

namespace kgw {

inline QString qs(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
inline std::string ss(const QString& s) { return s.toUtf8().toStdString(); }

} // namespace kgw
