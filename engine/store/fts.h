// FTS5 query text from what a person typed, shared by the project's full-text searches.
#pragma once

#include <string>

namespace kg {

// Each whitespace-separated word becomes a quoted prefix term ("par"*), all required; ""
// when there is no word.
std::string ftsQuery(const std::string& text);

} // namespace kg
