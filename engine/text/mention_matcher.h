// Entity mentions in running text: a word-level Aho-Corasick automaton over every entity's
// label (and its key where the key reads as a name), normalised for case and punctuation
// (text/words.h). One pass over a sentence finds every dictionary name in it;
// mentions() keeps the leftmost-longest non-overlapping ones. Torch-free; built once, then
// read-only and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/words.h"

namespace kg {
class Project;
}

namespace kg::text {

// Common English function words: a one-word name made of one is never matched.
bool isFunctionWord(const std::string& word);

struct TextMention {
    size_t wordBegin = 0, wordEnd = 0; // word range [begin, end)
    int begin = 0, end = 0;            // byte range in the text
    std::vector<int64_t> entities;     // every entity with this name (ascending id)
};

class MentionMatcher {
public:
    // Adds a name of `entity`. One-word names that are function words, or shorter than two
    // characters, are skipped. Call build() after the last add().
    void add(int64_t entity, std::string_view name);
    void build();
    // Labels of every entity, and keys that contain a letter and no '/' or ':'.
    static MentionMatcher fromProject(Project& project);

    // Every dictionary name occurring in `words` (overlaps included), by end then length.
    std::vector<TextMention> allMatches(const std::vector<WordSpan>& words) const;
    // Non-overlapping mentions, leftmost-longest.
    std::vector<TextMention> mentions(const std::vector<WordSpan>& words) const;
    std::vector<TextMention> mentions(std::string_view text) const { return mentions(wordSpans(text)); }
    size_t names() const { return nameEntities_.size(); }

private:
    struct Node {
        std::unordered_map<int32_t, int32_t> next;
        int32_t fail = 0;
        int32_t name = -1;   // name ending here
        int32_t output = -1; // nearest node on the fail chain (self excluded) that ends a name
        int32_t depth = 0;
    };
    int32_t step(int32_t state, int32_t word) const;
    std::vector<Node> nodes_{Node{}};
    std::unordered_map<std::string, int32_t> vocab_;
    std::vector<std::vector<int64_t>> nameEntities_;
};

} // namespace kg::text
