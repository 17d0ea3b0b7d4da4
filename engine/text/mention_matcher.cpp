#include "text/mention_matcher.h"

#include <algorithm>
#include <deque>
#include <unordered_set>

#include "store/project.h"
#include "store/qa_store.h"

namespace kg::text {

bool isFunctionWord(const std::string& word)
{
    static const std::unordered_set<std::string> words = {
        "a", "an", "the", "of", "s", "is", "are", "was", "were", "be", "been", "being", "am", "what", "which",
        "who", "whom", "whose", "where", "when", "how", "why", "in", "on", "at", "to", "for", "by", "with", "and",
        "or", "nor", "but", "from", "that", "this", "these", "those", "it", "its", "do", "does", "did", "done",
        "as", "he", "she", "his", "her", "him", "they", "them", "their", "we", "us", "our", "you", "your", "i",
        "me", "my", "not", "no", "so", "if", "than", "then", "there", "here", "into", "onto", "over", "under",
        "up", "down", "out", "off", "about", "after", "before", "also", "such", "has", "have", "had", "can",
        "could", "may", "might", "will", "would", "shall", "should", "must", "one", "any", "some", "all", "each",
        "other", "more", "most", "many", "much", "very", "only", "both", "either", "neither", "used", "use",
        "make", "made", "e", "g", "etc", "often", "usually", "especially", "something", "someone", "being"};
    return words.count(word) != 0;
}

void MentionMatcher::add(int64_t entity, std::string_view name)
{
    const auto words = wordSpans(name);
    if (words.empty())
        return;
    if (words.size() == 1 && (words[0].word.size() < 2 || isFunctionWord(words[0].word)))
        return;
    int32_t state = 0;
    for (const WordSpan& w : words) {
        const auto [it, fresh] = vocab_.emplace(w.word, static_cast<int32_t>(vocab_.size()));
        (void)fresh;
        auto& next = nodes_[static_cast<size_t>(state)].next;
        const auto found = next.find(it->second);
        if (found != next.end()) {
            state = found->second;
            continue;
        }
        const auto child = static_cast<int32_t>(nodes_.size());
        const int32_t depth = nodes_[static_cast<size_t>(state)].depth + 1;
        nodes_[static_cast<size_t>(state)].next.emplace(it->second, child); // before push_back moves nodes_
        Node n;
        n.depth = depth;
        nodes_.push_back(std::move(n));
        state = child;
    }
    Node& end = nodes_[static_cast<size_t>(state)];
    if (end.name < 0) {
        end.name = static_cast<int32_t>(nameEntities_.size());
        nameEntities_.emplace_back();
    }
    auto& ids = nameEntities_[static_cast<size_t>(end.name)];
    if (std::find(ids.begin(), ids.end(), entity) == ids.end()) {
        ids.push_back(entity);
        std::sort(ids.begin(), ids.end());
    }
}

void MentionMatcher::build()
{
    // Breadth-first: a node's fail link is the longest proper suffix of its word sequence
    // that is also in the trie; output links skip fail-chain nodes that end no name.
    std::deque<int32_t> queue;
    for (const auto& [w, child] : nodes_[0].next) {
        nodes_[static_cast<size_t>(child)].fail = 0;
        queue.push_back(child);
    }
    while (!queue.empty()) {
        const int32_t u = queue.front();
        queue.pop_front();
        for (const auto& [w, v] : nodes_[static_cast<size_t>(u)].next) {
            int32_t f = nodes_[static_cast<size_t>(u)].fail;
            while (f != 0 && !nodes_[static_cast<size_t>(f)].next.count(w))
                f = nodes_[static_cast<size_t>(f)].fail;
            const auto it = nodes_[static_cast<size_t>(f)].next.find(w);
            Node& nv = nodes_[static_cast<size_t>(v)];
            nv.fail = (it != nodes_[static_cast<size_t>(f)].next.end() && it->second != v) ? it->second : 0;
            const Node& nf = nodes_[static_cast<size_t>(nv.fail)];
            nv.output = nf.name >= 0 ? nv.fail : nf.output;
            queue.push_back(v);
        }
    }
}

int32_t MentionMatcher::step(int32_t state, int32_t word) const
{
    if (word < 0)
        return 0;
    while (true) {
        const auto& next = nodes_[static_cast<size_t>(state)].next;
        const auto it = next.find(word);
        if (it != next.end())
            return it->second;
        if (state == 0)
            return 0;
        state = nodes_[static_cast<size_t>(state)].fail;
    }
}

MentionMatcher MentionMatcher::fromProject(Project& project)
{
    MentionMatcher m;
    QaStore(project).forEachEntityName([&](int64_t id, const std::string& key, const std::string& label) {
        if (!label.empty())
            m.add(id, label);
        const bool hasLetter = std::any_of(key.begin(), key.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        });
        if (hasLetter && key.find('/') == std::string::npos && key.find(':') == std::string::npos)
            m.add(id, key);
    });
    m.build();
    return m;
}

std::vector<TextMention> MentionMatcher::allMatches(const std::vector<WordSpan>& words) const
{
    std::vector<TextMention> out;
    int32_t state = 0;
    for (size_t i = 0; i < words.size(); ++i) {
        const auto it = vocab_.find(words[i].word);
        state = step(state, it == vocab_.end() ? -1 : it->second);
        for (int32_t s = nodes_[static_cast<size_t>(state)].name >= 0 ? state : nodes_[static_cast<size_t>(state)].output;
             s > 0; s = nodes_[static_cast<size_t>(s)].output) {
            const Node& n = nodes_[static_cast<size_t>(s)];
            TextMention m;
            m.wordEnd = i + 1;
            m.wordBegin = m.wordEnd - static_cast<size_t>(n.depth);
            m.begin = static_cast<int>(words[m.wordBegin].begin);
            m.end = static_cast<int>(words[i].end);
            m.entities = nameEntities_[static_cast<size_t>(n.name)];
            out.push_back(std::move(m));
        }
    }
    return out;
}

std::vector<TextMention> MentionMatcher::mentions(const std::vector<WordSpan>& words) const
{
    std::vector<TextMention> all = allMatches(words);
    std::sort(all.begin(), all.end(), [](const TextMention& a, const TextMention& b) {
        return a.wordBegin != b.wordBegin ? a.wordBegin < b.wordBegin : a.wordEnd > b.wordEnd;
    });
    std::vector<TextMention> out;
    size_t covered = 0;
    for (TextMention& m : all) {
        if (m.wordBegin < covered)
            continue;
        covered = m.wordEnd;
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace kg::text
