// Finds entity mentions in text by longest-match dictionary lookup over entity keys and
// labels, normalised for case and punctuation ("Robin_Hood", "robin hood" and "Robin-Hood"
// are the same words). Where one name belongs to several entities, the one with the higher
// prior (degree in the graph) comes first. Torch-free; built once, then read-only and
// thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "text/words.h"

namespace kg {
class Project;
}

namespace kg::text {

struct Mention {
    size_t begin = 0, end = 0;     // word range [begin, end) in the tokens searched
    std::vector<int64_t> entities; // candidates, best first
};

class EntityLinker {
public:
    // A name (key or label) of an entity. Names of stop words alone are ignored.
    void add(int64_t entity, std::string_view name);
    // Words that name relations ("place of death", "album"): a mention made only of them is
    // more likely a relation than the topic, so topic() prefers any other mention.
    void addRelationWords(std::string_view name);
    // Orders candidates of one name: higher prior first, then lower id.
    void setPrior(std::function<double(int64_t)> prior) { prior_ = std::move(prior); }
    // Every entity's key and label; the prior is the entity's degree in `degree` if given.
    static EntityLinker fromProject(Project& project, std::function<double(int64_t)> degree = {});

    // Non-overlapping mentions, leftmost-longest.
    std::vector<Mention> mentions(const std::vector<std::string>& words) const;
    // The topic of a question: its longest mention that is not made only of relation words
    // (else the longest of those); ties: fewer candidates, then leftmost.
    std::optional<Mention> topic(const std::vector<std::string>& words) const;
    // Where `entity` is named in `words` (the longest such span), if it is.
    std::optional<Mention> find(const std::vector<std::string>& words, int64_t entity) const;
    // Neither a stop word nor a word that names a relation: worth a full-text search.
    bool isContentWord(const std::string& word) const;
    size_t size() const { return names_.size(); }

private:
    std::vector<int64_t> ranked(const std::vector<int64_t>& ids) const;
    std::unordered_map<std::string, std::vector<int64_t>> names_; // words joined by ' '
    std::unordered_set<std::string> relationWords_;
    size_t maxWords_ = 0;
    std::function<double(int64_t)> prior_;
};

} // namespace kg::text
