#include "core/error.h"

namespace kg {

const char* errcName(Errc code)
{
    switch (code) {
    case Errc::Io: return "io";
    case Errc::Parse: return "parse";
    case Errc::Database: return "database";
    case Errc::Schema: return "schema";
    case Errc::Cancelled: return "cancelled";
    case Errc::InvalidArgument: return "invalid-argument";
    case Errc::NotFound: return "not-found";
    case Errc::Conflict: return "conflict";
    case Errc::Library: return "library";
    case Errc::Format: return "format";
    }
    return "unknown";
}

std::string formatLocation(const SourceLocation& where)
{
    std::string out = where.file;
    if (where.line > 0) {
        out.push_back(':');
        out.append(std::to_string(where.line));
        if (where.column > 0) {
            out.push_back(':');
            out.append(std::to_string(where.column));
        }
    }
    return out;
}

static std::string composeWhat(const std::string& reason, const SourceLocation& where)
{
    const std::string loc = formatLocation(where);
    return loc.empty() ? reason : loc + ": " + reason;
}

Error::Error(Errc code, const std::string& reason, SourceLocation where)
    : std::runtime_error(composeWhat(reason, where))
    , code_(code)
    , reason_(reason)
    , where_(std::move(where))
{
}

} // namespace kg
