// Words of text as the linkers and matchers see them: runs of ASCII letters and digits and
// of non-ASCII bytes, lower-cased; everything else separates words ("'s" gives "s",
// "mecklenburg-strelitz" gives two words, "Robin_Hood" and "robin hood" are the same words).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kg::text {

struct WordSpan {
    size_t begin = 0, end = 0; // byte range in the text
    std::string word;          // lower-cased
};

// The words of `text` with their byte ranges.
std::vector<WordSpan> wordSpans(std::string_view text);
// The words alone.
std::vector<std::string> wordTokens(std::string_view text);

} // namespace kg::text
