#pragma once

#include <cstddef>
#include <string_view>

namespace kg::io {

// Returns the byte offset of the first invalid UTF-8 sequence (overlongs, surrogates and
// code points above U+10FFFF are invalid), or npos if the text is valid.
size_t findInvalidUtf8(std::string_view text);

} // namespace kg::io
