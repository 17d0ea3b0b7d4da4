#include "text/mention_pairs.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "reason/graph_index.h"

namespace kg::text {

PairFinder::PairFinder(const MentionMatcher& matcher, const reason::GraphIndex& graph)
    : matcher_(matcher)
    , graph_(graph)
{
}

double PairFinder::contextScore(int64_t candidate, int64_t docEntity, const std::vector<int64_t>& context) const
{
    if (candidate == docEntity)
        return 1e9;
    std::unordered_set<int64_t> near;
    for (const auto& e : graph_.out(candidate))
        near.insert(e.other);
    for (const auto& e : graph_.in(candidate))
        near.insert(e.other);
    double score = 0;
    for (int64_t c : context)
        if (c != candidate && near.count(c))
            score += 1;
    const double degree = static_cast<double>(graph_.out(candidate).size() + graph_.in(candidate).size());
    return score + 1e-3 * std::log1p(degree) / (1 + std::log1p(degree)); // degree only breaks ties
}

std::vector<std::vector<int64_t>> PairFinder::resolve(int64_t docEntity,
                                                      const std::vector<std::vector<TextMention>>& mentions) const
{
    std::vector<int64_t> context;
    if (docEntity)
        context.push_back(docEntity);
    for (const auto& sentence : mentions)
        for (const TextMention& m : sentence)
            if (m.entities.size() == 1)
                context.push_back(m.entities[0]);
    std::sort(context.begin(), context.end());
    context.erase(std::unique(context.begin(), context.end()), context.end());

    std::vector<std::vector<int64_t>> out(mentions.size());
    for (size_t s = 0; s < mentions.size(); ++s)
        for (const TextMention& m : mentions[s]) {
            int64_t best = m.entities.front();
            double bestScore = -1;
            if (m.entities.size() > 1)
                for (int64_t c : m.entities) {
                    const double sc = contextScore(c, docEntity, context);
                    if (sc > bestScore) { // ids ascend, so ties keep the lower id
                        bestScore = sc;
                        best = c;
                    }
                }
            out[s].push_back(best);
        }
    return out;
}

DocumentPairs PairFinder::pairs(int64_t docEntity, std::vector<SentenceRow> sentences) const
{
    DocumentPairs out;
    std::vector<std::vector<TextMention>> mentions;
    mentions.reserve(sentences.size());
    for (const SentenceRow& s : sentences) {
        mentions.push_back(matcher_.mentions(s.text));
        out.mentions += static_cast<int64_t>(mentions.back().size());
    }
    const auto chosen = resolve(docEntity, mentions);
    for (size_t s = 0; s < sentences.size(); ++s) {
        const int64_t sid = sentences[s].id;
        const auto& ms = mentions[s];
        int docBegin = 0, docEnd = 0; // where the sentence names the document's entity
        std::vector<size_t> others;   // mentions of other entities, first of each entity
        std::unordered_set<int64_t> seen;
        for (size_t i = 0; i < ms.size(); ++i) {
            const int64_t e = chosen[s][i];
            if (docEntity && e == docEntity) {
                if (docEnd == 0) {
                    docBegin = ms[i].begin;
                    docEnd = ms[i].end;
                }
                continue;
            }
            if (seen.insert(e).second)
                others.push_back(i);
        }
        if (docEntity) {
            for (size_t i : others)
                out.pairs.push_back({sid, docEntity, chosen[s][i], docBegin, docEnd, ms[i].begin, ms[i].end, s});
            continue;
        }
        const size_t n = std::min(others.size(), kMaxMentions);
        for (size_t i = 0; i < n; ++i)
            for (size_t j = i + 1; j < n; ++j) {
                const TextMention& x = ms[others[i]];
                const TextMention& y = ms[others[j]];
                out.pairs.push_back(
                    {sid, chosen[s][others[i]], chosen[s][others[j]], x.begin, x.end, y.begin, y.end, s});
            }
    }
    out.sentences = std::move(sentences);
    return out;
}

void PairFinder::forEachDocument(DocStore& docs, const std::function<void(DocumentPairs&)>& fn) const
{
    // Sentences arrive grouped by document; collect all (ids and text), then process.
    std::vector<SentenceRow> all;
    docs.forEachSentence([&](const SentenceRow& row) { all.push_back(row); });
    size_t i = 0;
    while (i < all.size()) {
        size_t j = i;
        while (j < all.size() && all[j].doc == all[i].doc)
            ++j;
        const int64_t entity = all[i].docEntity;
        DocumentPairs dp = pairs(entity, std::vector<SentenceRow>(std::make_move_iterator(all.begin() + static_cast<long>(i)),
                                                                  std::make_move_iterator(all.begin() + static_cast<long>(j))));
        fn(dp);
        i = j;
    }
}

} // namespace kg::text
