// The necessary / sufficient fact searches of FactSearch (ml/kelpie.h).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "ml/kelpie.h"
#include "ml/occlusion_search.h"

namespace kg::ml {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct DenseQuery {
    int64_t head, relation, tail;
};

DenseQuery denseQuery(const KgData& data, int64_t h, int64_t r, int64_t t)
{
    const auto hi = data.entityIndex.find(h), ti = data.entityIndex.find(t);
    const auto ri = data.relationIndex.find(r);
    if (hi == data.entityIndex.end() || ti == data.entityIndex.end() || ri == data.relationIndex.end())
        throw Error(Errc::NotFound, "the model does not know this entity or relation");
    return {hi->second, ri->second, ti->second};
}

std::vector<size_t> orderBy(const std::vector<double>& values)
{
    std::vector<size_t> order(values.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] > values[b]; });
    return order;
}

std::vector<MimicFact> without(const std::vector<MimicFact>& facts, const std::vector<size_t>& removed)
{
    std::vector<bool> drop(facts.size(), false);
    for (const size_t i : removed)
        drop[i] = true;
    std::vector<MimicFact> out;
    for (size_t i = 0; i < facts.size(); ++i)
        if (!drop[i])
            out.push_back(facts[i]);
    return out;
}

struct Trial {
    std::vector<size_t> removed;
    double rank = 0, score = 0; // from the first start
    bool drops = false;         // the answer drops from every start
};

} // namespace

NecessaryExplanation FactSearch::necessary(int64_t h, int64_t r, int64_t t, const FactSearchOptions& o,
                                           const CancelToken* cancel) const
{
    const auto start = Clock::now();
    const auto q = denseQuery(data_, h, r, t);
    const std::vector<std::vector<int64_t>> filter{knownTails(h, r, t)};
    NecessaryExplanation out;
    torch::NoGradGuard outer; // postTrain and influence enable gradients where they need them
    out.modelRank = rankAnswer(model_, model_->entities(torch::tensor({q.head}, torch::kInt64)
                                                            .to(model_->allEntities().device())),
                               q.relation, q.tail, filter)
                        .rank[0];
    // The search post-trains up to starts x (1 + 2 maxSize) + candidates fact sets (the
    // base, each candidate alone, growing sets in two orders); maxRows bounds their facts.
    int maxFacts = o.post.maxFacts;
    if (o.maxRows > 0) {
        const int sets = std::max(1, o.starts) * (1 + 2 * std::max(1, o.maxSize)) + std::max(1, o.candidates);
        maxFacts = std::min(maxFacts, std::max(2 * std::max(1, o.candidates), o.maxRows / sets));
    }
    const auto facts = capped(factsOf(h, r, t), h == t ? -1 : t, maxFacts);
    out.headFacts = static_cast<int>(facts.size());
    if (facts.empty()) {
        out.seconds = secondsSince(start);
        return out;
    }
    // Several starts of the mimic: a set counts as necessary only if the answer drops from
    // every one, so the explanation does not hinge on one post-training's noise.
    std::vector<uint64_t> starts;
    for (int i = 0; i < std::max(1, o.starts); ++i)
        starts.push_back(o.post.seed + 7919 * static_cast<uint64_t>(i));
    const uint64_t seed1 = starts.front();
    torch::Tensor base;
    {
        torch::AutoGradMode on(true);
        base = postTrain(model_, std::vector<std::vector<MimicFact>>(starts.size(), facts), o.post, cancel, starts);
    }
    const auto before = rankAnswer(model_, base, q.relation, q.tail,
                                   std::vector<std::vector<int64_t>>(starts.size(), filter[0]));
    out.rankBefore = out.rankAfter = before.rank[0];
    out.scoreBefore = out.scoreAfter = before.score[0];
    std::vector<double> infl;
    {
        torch::AutoGradMode on(true);
        infl = factInfluence(model_, base[0], facts, q.relation, q.tail, o.post);
    }
    const auto byInfluence = orderBy(infl);
    const size_t P = std::min(static_cast<size_t>(std::max(1, o.candidates)), facts.size());
    const size_t K = std::min(static_cast<size_t>(std::max(1, o.maxSize)), P);

    // Post-trains every removal under the given starts; results per removal and start.
    auto run = [&](const std::vector<std::vector<size_t>>& removals, const std::vector<uint64_t>& starts) {
        std::vector<std::vector<MimicFact>> sets;
        std::vector<uint64_t> seeds;
        for (const uint64_t seed : starts)
            for (const auto& rm : removals) {
                sets.push_back(without(facts, rm));
                seeds.push_back(seed);
            }
        torch::Tensor mimics;
        {
            torch::AutoGradMode on(true);
            mimics = postTrain(model_, sets, o.post, cancel, seeds);
        }
        return rankAnswer(model_, mimics, q.relation, q.tail, std::vector<std::vector<int64_t>>(sets.size(), filter[0]));
    };
    std::vector<Trial> trials;
    auto tryPrefixes = [&](const std::vector<size_t>& order) {
        std::vector<std::vector<size_t>> removals;
        for (size_t k = 1; k <= K; ++k)
            removals.emplace_back(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k));
        const auto ranks = run(removals, starts);
        const size_t n = removals.size();
        for (size_t i = 0; i < n; ++i) {
            bool drops = true;
            for (size_t s = 0; s < starts.size(); ++s)
                drops = drops && ranks.rank[s * n + i] > before.rank[s];
            trials.push_back({removals[i], ranks.rank[i], ranks.score[i], drops});
        }
    };
    // Every candidate alone (first start): the measured drop of each.
    std::vector<std::vector<size_t>> singles;
    for (size_t i = 0; i < P; ++i)
        singles.push_back({byInfluence[i]});
    const auto alone = run(singles, {seed1});
    std::vector<double> measuredDrop(facts.size(), -std::numeric_limits<double>::infinity());
    for (size_t i = 0; i < P; ++i) {
        const size_t f = byInfluence[i];
        measuredDrop[f] = out.scoreBefore - alone.score[i];
        out.candidates.push_back({ref(facts[f], h), infl[f], alone.rank[i], out.scoreBefore - alone.score[i]});
    }
    std::stable_sort(out.candidates.begin(), out.candidates.end(),
                     [](const auto& a, const auto& b) { return a.scoreDrop > b.scoreDrop; });
    // Growing sets in the measured order; in the influence order too where that differs and
    // the first found no set that makes the answer drop.
    const auto byDrop = orderBy(measuredDrop);
    tryPrefixes(byDrop);
    const bool found = std::any_of(trials.begin(), trials.end(), [](const Trial& t) { return t.drops; });
    if (!found && !std::equal(byDrop.begin(), byDrop.begin() + static_cast<std::ptrdiff_t>(K), byInfluence.begin()))
        tryPrefixes(byInfluence);

    // The smallest set that makes the answer drop from both starts; ties: the larger drop.
    const Trial* best = nullptr;
    auto better = [&](const Trial& a, const Trial& b) {
        if (a.drops != b.drops)
            return a.drops;
        if (a.drops && a.removed.size() != b.removed.size())
            return a.removed.size() < b.removed.size();
        if (a.rank != b.rank)
            return a.rank > b.rank;
        return a.score < b.score;
    };
    for (const auto& trial : trials)
        if (!best || better(trial, *best))
            best = &trial;
    if (best) {
        out.achieved = best->drops;
        for (const size_t f : best->removed)
            out.facts.push_back(ref(facts[f], h));
        out.rankAfter = best->rank;
        out.scoreAfter = best->score;
    }
    out.seconds = secondsSince(start);
    return out;
}

SufficientExplanation FactSearch::sufficient(int64_t h, int64_t r, int64_t t, const FactSearchOptions& o,
                                             const CancelToken* cancel) const
{
    const auto start = Clock::now();
    const auto q = denseQuery(data_, h, r, t);
    SufficientExplanation out;
    torch::NoGradGuard outer;
    const auto facts = capped(factsOf(h, r, t), t, o.post.maxFacts);
    if (facts.empty()) {
        out.seconds = secondsSince(start);
        return out;
    }
    // h's facts ordered by their influence on the answer.
    std::vector<double> infl;
    {
        torch::AutoGradMode on(true);
        const auto base = postTrain(model_, {facts}, o.post, cancel);
        infl = factInfluence(model_, base[0], facts, q.relation, q.tail, o.post);
    }
    const auto order = orderBy(infl);
    const size_t K = std::min(static_cast<size_t>(std::max(1, o.maxSize)), facts.size());

    // Entities that have facts of their own and do not yet get the answer first.
    const auto device = model_->allEntities().device();
    std::vector<int64_t> pool(static_cast<size_t>(data_.numEntities));
    std::iota(pool.begin(), pool.end(), int64_t{0});
    std::mt19937_64 rng(o.post.seed);
    std::shuffle(pool.begin(), pool.end(), rng);
    std::vector<int64_t> chosen; // dense
    std::vector<std::vector<int64_t>> filters;
    for (size_t i = 0; i < pool.size() && static_cast<int>(chosen.size()) < o.convertEntities && i < 4000; ++i) {
        const int64_t c = pool[i], id = data_.entityIds[static_cast<size_t>(c)];
        if (c == q.head || c == q.tail || graph_.has(id, r, t) || (graph_.out(id).empty() && graph_.in(id).empty()))
            continue;
        auto filter = knownTails(id, r, t);
        const auto rank = rankAnswer(model_, model_->entities(torch::tensor({c}, torch::kInt64).to(device)), q.relation,
                                     q.tail, {filter});
        if (rank.rank[0] < 1.5)
            continue;
        chosen.push_back(c);
        filters.push_back(std::move(filter));
    }
    if (chosen.empty()) {
        out.seconds = secondsSince(start);
        return out;
    }
    // For each entity: its own facts, then with the first k of h's facts copied onto it.
    std::vector<std::vector<MimicFact>> sets;
    std::vector<std::vector<int64_t>> setFilters;
    for (size_t ci = 0; ci < chosen.size(); ++ci) {
        const int64_t c = chosen[ci], id = data_.entityIds[static_cast<size_t>(c)];
        auto own = capped(factsOf(id), t, o.post.maxFacts);
        for (size_t k = 0; k <= K; ++k) {
            auto set = own;
            for (size_t j = 0; j < k; ++j) {
                MimicFact f = facts[order[j]];
                if (f.other != c) // (h, r', c) would become a self-loop of c
                    set.push_back(f);
            }
            sets.push_back(std::move(set));
            setFilters.push_back(filters[ci]);
        }
    }
    torch::Tensor mimics;
    {
        torch::AutoGradMode on(true);
        mimics = postTrain(model_, sets, o.post, cancel);
    }
    const auto ranks = rankAnswer(model_, mimics, q.relation, q.tail, setFilters);
    std::vector<FactRef> ordered;
    for (size_t j = 0; j < K; ++j)
        ordered.push_back(ref(facts[order[j]], h));
    std::vector<int64_t> entities;
    for (const int64_t c : chosen)
        entities.push_back(data_.entityIds[static_cast<size_t>(c)]);
    applySufficientChoice(chooseSufficient(ranks.rank, chosen.size(), K), ordered, std::move(entities), out);
    out.seconds = secondsSince(start);
    return out;
}

std::vector<double> FactSearch::removalDrops(int64_t h, int64_t r, int64_t t,
                                             const std::vector<std::vector<int64_t>>& removals,
                                             const RemovalOptions& o, const CancelToken* cancel) const
{
    const auto q = denseQuery(data_, h, r, t);
    std::vector<double> out(removals.size(), std::numeric_limits<double>::quiet_NaN());
    const auto all = factsOf(h, r, t);
    std::unordered_map<int64_t, size_t> position; // triple -> index in `all`
    for (size_t i = 0; i < all.size(); ++i)
        position.emplace(all[i].triple, i);
    // Each removal's facts of head; distinct subsets in the order first met, up to maxSets.
    std::vector<std::vector<size_t>> subsets;
    std::vector<int> subsetOf(removals.size(), -1);
    for (size_t i = 0; i < removals.size(); ++i) {
        std::vector<size_t> subset;
        for (const int64_t triple : removals[i])
            if (const auto it = position.find(triple); it != position.end())
                subset.push_back(it->second);
        std::sort(subset.begin(), subset.end());
        subset.erase(std::unique(subset.begin(), subset.end()), subset.end());
        if (subset.empty()) {
            out[i] = 0;
            continue;
        }
        const auto found = std::find(subsets.begin(), subsets.end(), subset);
        if (found != subsets.end())
            subsetOf[i] = static_cast<int>(found - subsets.begin());
        else if (static_cast<int>(subsets.size()) < o.maxSets) {
            subsetOf[i] = static_cast<int>(subsets.size());
            subsets.push_back(std::move(subset));
        }
    }
    if (subsets.empty())
        return out;
    // The mimics' facts: the named ones, then the rest nearest the answer.
    std::vector<bool> named(all.size(), false);
    for (const auto& subset : subsets)
        for (const size_t f : subset)
            named[f] = true;
    std::vector<MimicFact> facts, rest;
    std::vector<size_t> index(all.size(), SIZE_MAX); // position in `all` -> in `facts`
    for (size_t i = 0; i < all.size(); ++i)
        if (named[i]) {
            index[i] = facts.size();
            facts.push_back(all[i]);
        } else {
            rest.push_back(all[i]);
        }
    const int perSet = std::min(o.post.maxFacts, o.maxRows / static_cast<int>(subsets.size() + 1));
    for (auto& f : capped(std::move(rest), t, std::max(0, perSet - static_cast<int>(facts.size()))))
        facts.push_back(f);
    std::vector<std::vector<MimicFact>> sets{facts};
    for (const auto& subset : subsets) {
        std::vector<size_t> removed;
        for (const size_t f : subset)
            removed.push_back(index[f]);
        sets.push_back(without(facts, removed));
    }
    torch::NoGradGuard outer;
    torch::Tensor mimics;
    {
        torch::AutoGradMode on(true);
        mimics = postTrain(model_, sets, o.post, cancel);
    }
    const auto scores = rankAnswer(model_, mimics, q.relation, q.tail, {}).score;
    for (size_t i = 0; i < removals.size(); ++i)
        if (subsetOf[i] >= 0)
            out[i] = scores[0] - scores[static_cast<size_t>(subsetOf[i]) + 1];
    return out;
}

FactSearch::RankScore FactSearch::postTrainedRank(int64_t h, int64_t r, int64_t t, const std::vector<int64_t>& removedTriples,
                                   const PostTrainOptions& options, const CancelToken* cancel) const
{
    const auto q = denseQuery(data_, h, r, t);
    const std::unordered_set<int64_t> removed(removedTriples.begin(), removedTriples.end());
    std::vector<MimicFact> kept;
    for (const auto& f : factsOf(h, r, t))
        if (!removed.count(f.triple))
            kept.push_back(f);
    kept = capped(std::move(kept), t, options.maxFacts);
    const auto mimic = postTrain(model_, {kept}, options, cancel);
    const auto ranked = rankAnswer(model_, mimic, q.relation, q.tail, {knownTails(h, r, t)});
    return {ranked.rank[0], ranked.score[0]};
}

} // namespace kg::ml
