// Splits a ByteSource into lines. Accepts LF and CRLF, strips a UTF-8 BOM at the start,
// and never holds more than maxLineBytes of one line: a longer line is reported as
// tooLong (its bytes are skipped up to the next newline) instead of exhausting memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_source.h"

namespace kg::io {

class LineReader {
public:
    struct Line {
        std::string_view text; // without the line terminator; valid until the next call
        uint64_t number = 0;   // 1-based
        bool tooLong = false;  // the line exceeded maxLineBytes; text is empty
    };

    LineReader(ByteSource& src, size_t maxLineBytes);
    // Returns false at end of input.
    bool next(Line& out);
    ByteSource& source() { return src_; }

private:
    bool fill();

    ByteSource& src_;
    size_t maxLine_;
    std::vector<char> buf_;
    size_t begin_ = 0, end_ = 0;
    bool eof_ = false;
    uint64_t lineNo_ = 0;
    std::string long_; // assembles a line that spans buffer refills
};

} // namespace kg::io
