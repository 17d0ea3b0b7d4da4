#include "io/line_reader.h"

#include <cstring>

namespace kg::io {

LineReader::LineReader(ByteSource& src, size_t maxLineBytes)
    : src_(src)
    , maxLine_(maxLineBytes)
    , buf_(1 << 20)
{
}

bool LineReader::fill()
{
    begin_ = 0;
    end_ = eof_ ? 0 : src_.read(buf_.data(), buf_.size());
    eof_ = end_ == 0;
    return end_ > 0;
}

bool LineReader::next(Line& out)
{
    long_.clear();
    bool overflow = false;
    bool any = false;
    bool inBuffer = false; // out.text points into buf_ rather than long_
    for (;;) {
        if (begin_ == end_ && !fill()) {
            if (!any)
                return false;
            break; // last line has no terminator
        }
        any = true;
        const char* start = buf_.data() + begin_;
        const size_t avail = end_ - begin_;
        const auto* nl = static_cast<const char*>(std::memchr(start, '\n', avail));
        const size_t len = nl ? static_cast<size_t>(nl - start) : avail;
        if (!overflow) {
            if (long_.size() + len > maxLine_ + 1) { // +1 leaves room for a CR
                overflow = true;
                long_.clear();
            } else if (nl && long_.empty()) {
                out.text = std::string_view(start, len);
                inBuffer = true;
            } else {
                long_.append(start, len);
            }
        }
        begin_ += len + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!inBuffer)
        out.text = long_;
    out.number = ++lineNo_;
    out.tooLong = overflow;
    if (out.number == 1 && out.text.substr(0, 3) == "\xEF\xBB\xBF")
        out.text.remove_prefix(3);
    if (!out.text.empty() && out.text.back() == '\r')
        out.text.remove_suffix(1);
    if (overflow || out.text.size() > maxLine_) {
        out.tooLong = true;
        out.text = {};
    }
    return true;
}

} // namespace kg::io
