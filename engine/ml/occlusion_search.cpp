#include "ml/occlusion_search.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

namespace kg::ml {

NecessaryExplanation occlusionNecessary(const std::vector<SupportingFact>& support, int candidates, int maxSize,
                                        int headFacts, const RanksWithout& ranksWithout, const CancelToken* cancel)
{
    const auto start = std::chrono::steady_clock::now();
    NecessaryExplanation out;
    out.headFacts = headFacts;
    // Nothing left out, each candidate left out alone, then the strongest k together.
    std::vector<std::vector<int64_t>> removed{{}};
    const size_t P = std::min(support.size(), static_cast<size_t>(std::max(1, candidates)));
    const size_t K = std::min(support.size(), static_cast<size_t>(std::max(1, maxSize)));
    for (size_t i = 0; i < P; ++i)
        removed.push_back({support[i].fact.triple});
    for (size_t k = 2; k <= K; ++k) {
        removed.emplace_back();
        for (size_t j = 0; j < k; ++j)
            removed.back().push_back(support[j].fact.triple);
    }
    if (cancel)
        cancel->throwIfCancelled();
    const auto ranked = ranksWithout(removed);
    std::tie(out.rankBefore, out.scoreBefore) = ranked[0];
    out.modelRank = out.rankBefore;
    out.rankAfter = out.rankBefore;
    out.scoreAfter = out.scoreBefore;
    size_t bestSize = 0;
    for (size_t q = 1; q < removed.size(); ++q) {
        const auto [rank, score] = ranked[q];
        if (q <= P)
            out.candidates.push_back({support[q - 1].fact, support[q - 1].occlusion, rank, out.scoreBefore - score});
        const size_t size = removed[q].size();
        const bool drops = rank > out.rankBefore, bestDrops = out.rankAfter > out.rankBefore;
        const bool better = bestSize == 0 || (drops && !bestDrops) || (drops && bestDrops && size < bestSize) ||
                            (drops == bestDrops && (!drops || size == bestSize) &&
                             (rank > out.rankAfter || (rank == out.rankAfter && score < out.scoreAfter)));
        if (better) {
            bestSize = size;
            out.rankAfter = rank;
            out.scoreAfter = score;
            out.facts.clear();
            for (size_t j = 0; j < size; ++j) // removed[q] is a prefix of support (or one of it)
                out.facts.push_back(q <= P ? support[q - 1].fact : support[j].fact);
        }
    }
    out.achieved = out.rankAfter > out.rankBefore;
    std::stable_sort(out.candidates.begin(), out.candidates.end(),
                     [](const auto& x, const auto& y) { return x.scoreDrop > y.scoreDrop; });
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

std::vector<std::pair<int64_t, double>>
convertibleEntities(int64_t numEntities, uint64_t seed, int count, const std::function<bool(int64_t)>& eligible,
                    const std::function<std::vector<double>(const std::vector<int64_t>&)>& ranks,
                    const CancelToken* cancel)
{
    std::vector<int64_t> pool(static_cast<size_t>(std::max<int64_t>(0, numEntities)));
    std::iota(pool.begin(), pool.end(), int64_t{0});
    std::mt19937_64 rng(seed);
    std::shuffle(pool.begin(), pool.end(), rng);
    std::vector<std::pair<int64_t, double>> out;
    constexpr size_t kBatch = 64, kTried = 4000;
    const size_t tried = std::min(pool.size(), kTried);
    for (size_t from = 0; from < tried && static_cast<int>(out.size()) < count; from += kBatch) {
        if (cancel)
            cancel->throwIfCancelled();
        std::vector<int64_t> batch;
        for (size_t i = from; i < std::min(tried, from + kBatch); ++i)
            if (eligible(pool[i]))
                batch.push_back(pool[i]);
        if (batch.empty())
            continue;
        const auto r = ranks(batch);
        for (size_t i = 0; i < batch.size() && static_cast<int>(out.size()) < count; ++i)
            if (r[i] > 1.5)
                out.emplace_back(batch[i], r[i]);
    }
    return out;
}

SufficientChoice chooseSufficient(const std::vector<double>& ranks, size_t entities, size_t K)
{
    SufficientChoice out;
    if (entities == 0 || K == 0 || ranks.size() < entities * (K + 1))
        return out;
    auto meanRank = [&](size_t k) {
        double sum = 0;
        for (size_t c = 0; c < entities; ++c)
            sum += ranks[c * (K + 1) + k];
        return sum / static_cast<double>(entities);
    };
    auto share = [&](size_t k) {
        double n = 0;
        for (size_t c = 0; c < entities; ++c)
            n += ranks[c * (K + 1) + k] < 1.5 ? 1 : 0;
        return n / static_cast<double>(entities);
    };
    size_t best = 1;
    for (size_t k = 1; k <= K; ++k) {
        if (share(k) >= 0.5) {
            best = k;
            break;
        }
        if (share(k) > share(best) || (share(k) == share(best) && meanRank(k) < meanRank(best)))
            best = k;
    }
    out.k = best;
    out.share = share(best);
    out.achieved = out.share >= 0.5;
    out.rankBefore = meanRank(0);
    out.rankAfter = meanRank(best);
    return out;
}

void applySufficientChoice(const SufficientChoice& choice, const std::vector<FactRef>& ordered,
                           std::vector<int64_t> entities, SufficientExplanation& out)
{
    out.achieved = choice.achieved;
    out.facts.assign(ordered.begin(), ordered.begin() + static_cast<std::ptrdiff_t>(std::min(choice.k, ordered.size())));
    out.entities = std::move(entities);
    out.rankBefore = choice.rankBefore;
    out.rankAfter = choice.rankAfter;
    out.convertedShare = choice.share;
}

} // namespace kg::ml
