#include "text/entity_linker.h"

#include <algorithm>
#include <unordered_set>

#include "store/project.h"
#include "store/qa_store.h"

namespace kg::text {
namespace {

// Words that never name an entity on their own (a one-word match on them is ignored).
const std::unordered_set<std::string>& stopWords()
{
    static const std::unordered_set<std::string> words = {
        "a", "an", "the", "of", "s", "is", "are", "was", "were", "what", "which", "who", "whom", "whose",
        "where", "when", "how", "in", "on", "at", "to", "for", "by", "with", "and", "or", "from", "that",
        "this", "it", "its", "be", "do", "does", "did", "as", "his", "her", "their"};
    return words;
}

std::string join(const std::vector<std::string>& words, size_t begin, size_t end)
{
    std::string out;
    for (size_t i = begin; i < end; ++i) {
        if (i > begin)
            out += ' ';
        out += words[i];
    }
    return out;
}

} // namespace

void EntityLinker::add(int64_t entity, std::string_view name)
{
    const auto words = wordTokens(name);
    if (words.empty() || (words.size() == 1 && stopWords().count(words[0])))
        return;
    auto& ids = names_[join(words, 0, words.size())];
    if (std::find(ids.begin(), ids.end(), entity) == ids.end())
        ids.push_back(entity);
    maxWords_ = std::max(maxWords_, words.size());
}

void EntityLinker::addRelationWords(std::string_view name)
{
    for (auto& w : wordTokens(name))
        relationWords_.insert(std::move(w));
}

bool EntityLinker::isContentWord(const std::string& word) const
{
    return !stopWords().count(word) && !relationWords_.count(word);
}

EntityLinker EntityLinker::fromProject(Project& project, std::function<double(int64_t)> degree)
{
    EntityLinker linker;
    QaStore(project).forEachEntityName([&](int64_t id, const std::string& key, const std::string& label) {
        linker.add(id, key);
        if (!label.empty())
            linker.add(id, label);
    });
    for (const auto& r : project.relations()) {
        linker.addRelationWords(r.key);
        linker.addRelationWords(r.label);
    }
    linker.setPrior(std::move(degree));
    return linker;
}

std::vector<int64_t> EntityLinker::ranked(const std::vector<int64_t>& ids) const
{
    std::vector<int64_t> out = ids;
    std::sort(out.begin(), out.end(), [&](int64_t a, int64_t b) {
        const double pa = prior_ ? prior_(a) : 0, pb = prior_ ? prior_(b) : 0;
        return pa != pb ? pa > pb : a < b;
    });
    return out;
}

std::vector<Mention> EntityLinker::mentions(const std::vector<std::string>& words) const
{
    std::vector<Mention> out;
    size_t i = 0;
    while (i < words.size()) {
        bool found = false;
        for (size_t len = std::min(maxWords_, words.size() - i); len >= 1; --len) {
            const auto it = names_.find(join(words, i, i + len));
            if (it == names_.end())
                continue;
            out.push_back(Mention{i, i + len, ranked(it->second)});
            i += len;
            found = true;
            break;
        }
        if (!found)
            ++i;
    }
    return out;
}

std::optional<Mention> EntityLinker::topic(const std::vector<std::string>& words) const
{
    // The longest match at every start (not only the greedy ones), so that a short name
    // starting earlier cannot hide part of a longer one.
    std::optional<Mention> best;
    bool bestRelational = true;
    for (size_t i = 0; i < words.size(); ++i)
        for (size_t len = std::min(maxWords_, words.size() - i); len >= 1; --len) {
            const auto it = names_.find(join(words, i, i + len));
            if (it == names_.end())
                continue;
            const bool relational = std::all_of(words.begin() + static_cast<std::ptrdiff_t>(i),
                                                words.begin() + static_cast<std::ptrdiff_t>(i + len),
                                                [&](const std::string& w) { return relationWords_.count(w) > 0; });
            const size_t bestLen = best ? best->end - best->begin : 0;
            const bool better = !best || (bestRelational && !relational) ||
                                (relational == bestRelational &&
                                 (len > bestLen || (len == bestLen && it->second.size() < best->entities.size())));
            if (better) {
                best = Mention{i, i + len, ranked(it->second)};
                bestRelational = relational;
            }
            break;
        }
    return best;
}

std::optional<Mention> EntityLinker::find(const std::vector<std::string>& words, int64_t entity) const
{
    for (size_t len = std::min(maxWords_, words.size()); len >= 1; --len)
        for (size_t i = 0; i + len <= words.size(); ++i) {
            const auto it = names_.find(join(words, i, i + len));
            if (it != names_.end() && std::find(it->second.begin(), it->second.end(), entity) != it->second.end())
                return Mention{i, i + len, ranked(it->second)};
        }
    return std::nullopt;
}

} // namespace kg::text
