#include "text/words.h"

namespace kg::text {

namespace {

bool isWordByte(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }

} // namespace

std::vector<WordSpan> wordSpans(std::string_view text)
{
    std::vector<WordSpan> out;
    size_t i = 0;
    while (i < text.size()) {
        if (!isWordByte(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        WordSpan w;
        w.begin = i;
        while (i < text.size() && isWordByte(static_cast<unsigned char>(text[i]))) {
            const char c = text[i++];
            w.word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        w.end = i;
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<std::string> wordTokens(std::string_view text)
{
    std::vector<std::string> out;
    for (WordSpan& w : wordSpans(text))
        out.push_back(std::move(w.word));
    return out;
}

} // namespace kg::text
