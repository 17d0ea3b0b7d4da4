// Writing TSV: a field may hold no TAB or line break, since TSV has no quoting.
#pragma once

#include <string>

namespace kg::io {

// `s` with every TAB, CR and LF replaced by a space.
inline std::string tsvField(std::string s)
{
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return s;
}

} // namespace kg::io
