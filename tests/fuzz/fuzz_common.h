// Shared checks for fuzz targets: parsers may only report kg::Error(Parse|Io), and every
// record they emit must be valid UTF-8 with non-empty keys.
#pragma once

#include <cstdlib>
#include <cstdio>

#include "import/parse_sink.h"
#include "io/byte_source.h"
#include "io/utf8.h"

namespace kgfuzz {

[[noreturn]] inline void fail(const char* what)
{
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
}

inline void expectParseOrIo(const kg::Error& e)
{
    if (e.code() != kg::Errc::Parse && e.code() != kg::Errc::Io)
        fail(e.what());
}

struct CheckingSink : kg::import::ParseSink {
    static void valid(std::string_view s, bool nonEmpty)
    {
        if (nonEmpty && s.empty())
            fail("empty key emitted");
        if (kg::io::findInvalidUtf8(s) != std::string_view::npos)
            fail("invalid UTF-8 emitted");
    }
    void triple(std::string_view h, std::string_view r, std::string_view t) override
    {
        valid(h, true), valid(r, true), valid(t, true);
    }
    void literal(std::string_view s, std::string_view p, std::string_view, std::string_view) override
    {
        valid(s, true), valid(p, true);
    }
    void label(std::string_view k, std::string_view l, std::string_view d) override
    {
        valid(k, true), valid(l, false), valid(d, false);
    }
    void skipped(const kg::SourceLocation&, const std::string& reason) override
    {
        if (reason.empty())
            fail("skipped line without a reason");
    }
};

} // namespace kgfuzz
