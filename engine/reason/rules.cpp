#include "reason/rules.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/error.h"

namespace kg::reason {
namespace {

std::string bodyKey(int64_t head, const std::vector<Atom>& body)
{
    std::string k = std::to_string(head) + "<=";
    for (const auto& a : body)
        k += std::to_string(a.relation) + (a.inverse ? "-," : "+,");
    return k;
}

// Neighbours of n as (atom, node), out-edges forwards and in-edges backwards.
template <typename Fn>
void forEachStep(const GraphIndex& g, int64_t n, int cap, Fn fn)
{
    int seen = 0;
    for (const Edge& e : g.out(n)) {
        if (cap > 0 && ++seen > cap)
            break;
        fn(Atom{e.relation, false}, e.other, e.triple);
    }
    seen = 0;
    for (const Edge& e : g.in(n)) {
        if (cap > 0 && ++seen > cap)
            break;
        fn(Atom{e.relation, true}, e.other, e.triple);
    }
}

} // namespace

std::string Rule::signature() const
{
    std::string s = std::to_string(head) + " <= ";
    for (size_t i = 0; i < body.size(); ++i)
        s += (i ? ", " : "") + std::to_string(body[i].relation) + (body[i].inverse ? "^-1" : "");
    return s;
}

namespace {

// The set of nodes one grounding step reaches: an open-addressing table that never holds more
// than `cap` ids (the frontier cap), cleared in O(1) by a generation count, and the ids in the
// order they were first reached. One per thread: rule evaluation grounds millions of bodies,
// and a node-based hash set spent most of that time in malloc and free.
class StepSet {
public:
    void reset(int cap)
    {
        size_t want = 64;
        while (want < 2 * static_cast<size_t>(std::max(cap, 1)))
            want *= 2;
        if (slots_.size() != want) {
            slots_.assign(want, 0);
            marks_.assign(want, 0);
            generation_ = 0;
        }
        if (++generation_ == 0) { // wrapped: every mark is stale, clear them for real
            std::fill(marks_.begin(), marks_.end(), 0);
            generation_ = 1;
        }
        order_.clear();
    }
    void insert(int64_t id)
    {
        const size_t mask = slots_.size() - 1;
        for (size_t i = mix(id) & mask;; i = (i + 1) & mask) {
            if (marks_[i] != generation_) {
                marks_[i] = generation_;
                slots_[i] = id;
                order_.push_back(id);
                return;
            }
            if (slots_[i] == id)
                return;
        }
    }
    size_t size() const { return order_.size(); }
    std::vector<int64_t>& ids() { return order_; }

private:
    static size_t mix(int64_t id)
    {
        uint64_t z = static_cast<uint64_t>(id) * 0x9e3779b97f4a7c15ull;
        return static_cast<size_t>(z ^ (z >> 29));
    }
    std::vector<int64_t> slots_;
    std::vector<uint32_t> marks_;
    uint32_t generation_ = 0;
    std::vector<int64_t> order_;
};

// Body endpoints reachable from x into `out`, unordered and with x itself possibly in it (the
// caller decides); at most frontierCap nodes per step.
void groundInto(const GraphIndex& g, int64_t x, const std::vector<Atom>& body, int frontierCap,
                std::vector<int64_t>& out)
{
    thread_local StepSet next;
    const size_t cap = static_cast<size_t>(std::max(frontierCap, 1));
    out.assign(1, x);
    for (const Atom& a : body) {
        next.reset(frontierCap);
        for (int64_t n : out) {
            // One pass from the relation's first edge (not GraphIndex::out(n, relation), whose
            // search for the run's end cost 5-9% of rule mining here, the hottest loop).
            const auto edges = a.inverse ? g.in(n) : g.out(n);
            auto it = std::lower_bound(edges.begin(), edges.end(), a.relation,
                                       [](const Edge& e, int64_t rel) { return e.relation < rel; });
            for (; it != edges.end() && it->relation == a.relation && next.size() < cap; ++it)
                next.insert(it->other);
            if (next.size() >= cap)
                break;
        }
        out.swap(next.ids());
        if (out.empty())
            break;
    }
}

} // namespace

std::vector<int64_t> groundBody(const GraphIndex& g, int64_t x, const std::vector<Atom>& body, int frontierCap)
{
    std::vector<int64_t> frontier;
    groundInto(g, x, body, frontierCap, frontier);
    frontier.erase(std::remove(frontier.begin(), frontier.end(), x), frontier.end());
    std::sort(frontier.begin(), frontier.end());
    return frontier;
}

namespace {

// A body to evaluate for a head relation, with the sources it is grounded from.
struct Candidate {
    Rule rule;
    std::vector<int64_t> sources;
};

// Fills support, body count and confidence of every candidate. Relations are taken in turn by
// up to o.threads threads (the calling one among them); onProgress is called before each
// relation, one call at a time. Throws Error(Cancelled), or what a thread threw, after all
// threads have stopped.
void evaluate(const GraphIndex& g, const MiningOptions& o, std::vector<std::vector<Candidate>>& work)
{
    std::atomic<size_t> next{0};
    std::mutex progressMutex;
    size_t started = 0;
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto run = [&] {
        std::vector<int64_t> reached;
        try {
            for (size_t ri; !stop && (ri = next.fetch_add(1)) < work.size();) {
                if (o.onProgress) {
                    std::lock_guard lock(progressMutex);
                    o.onProgress(static_cast<double>(started++) / static_cast<double>(work.size()));
                }
                for (auto& c : work[ri]) {
                    if (o.cancel)
                        o.cancel->throwIfCancelled();
                    Rule& rule = c.rule;
                    for (int64_t s : c.sources) {
                        groundInto(g, s, rule.body, o.frontierCap, reached);
                        // s's own r-edges, sorted by tail: a binary search per grounding.
                        const auto known = g.out(s, rule.head);
                        auto byTail = [](const Edge& a, const Edge& b) { return a.other < b.other; };
                        for (int64_t yy : reached) {
                            if (yy == s)
                                continue;
                            ++rule.bodyCount;
                            const Edge probe{rule.head, yy, 0};
                            rule.support += std::binary_search(known.begin(), known.end(), probe, byTail);
                        }
                    }
                    rule.confidence =
                        static_cast<double>(rule.support) / (static_cast<double>(rule.bodyCount) + o.pessimism);
                }
            }
        } catch (...) {
            std::lock_guard lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            stop = true;
        }
    };
    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    const size_t wanted = o.threads > 0 ? static_cast<size_t>(o.threads) : std::min(hardware, 8u);
    const size_t threads = std::min(work.size(), wanted);
    std::vector<std::thread> helpers;
    for (size_t i = 1; i < threads; ++i)
        helpers.emplace_back(run);
    run();
    for (auto& t : helpers)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace

std::vector<Rule> mineRules(const GraphIndex& g, const MiningOptions& o)
{
    std::mt19937_64 rng(o.seed);
    std::vector<Rule> out;
    // Distinct entities with an edge of an atom's kind, sorted; many candidate bodies of many
    // relations start with the same atom.
    std::map<std::pair<int64_t, bool>, std::vector<int64_t>> sourceCache;
    auto sourcesOf = [&](const Atom& a) -> const std::vector<int64_t>& {
        auto [it, added] = sourceCache.try_emplace({a.relation, a.inverse});
        if (added) {
            for (const auto& [h, t] : g.pairs(a.relation))
                it->second.push_back(a.inverse ? t : h);
            std::sort(it->second.begin(), it->second.end());
            it->second.erase(std::unique(it->second.begin(), it->second.end()), it->second.end());
        }
        return it->second;
    };
    // The random draws (which triples propose, which sources evaluate) all happen here, in
    // relation order, so the rules do not depend on how many threads evaluate them.
    std::vector<std::vector<Candidate>> work(g.relations().size());
    for (size_t ri = 0; ri < g.relations().size(); ++ri) {
        const int64_t r = g.relations()[ri];
        if (o.cancel)
            o.cancel->throwIfCancelled();
        // 1. Propose bodies from paths between the ends of sampled triples of r.
        std::map<std::string, std::pair<int, std::vector<Atom>>> proposed; // key -> (count, body)
        auto pairs = g.pairs(r);
        std::shuffle(pairs.begin(), pairs.end(), rng);
        if (static_cast<int>(pairs.size()) > o.samplesPerRelation)
            pairs.resize(static_cast<size_t>(o.samplesPerRelation));
        for (const auto& pair : pairs) {
            const int64_t x = pair.first, y = pair.second; // (no structured binding: lambdas capture these)
            const auto direct = g.tripleId(x, r, y);
            // Backward reach from y: node -> atoms that lead from node to y (one step).
            std::unordered_map<int64_t, std::vector<Atom>> toY;
            forEachStep(g, y, o.branchCap, [&](Atom a, int64_t n, int64_t) {
                toY[n].push_back(Atom{a.relation, !a.inverse}); // n -(a reversed)-> y
            });
            auto propose = [&](std::vector<Atom> body) {
                if (static_cast<int>(body.size()) > o.maxLength)
                    return;
                auto& slot = proposed[bodyKey(r, body)];
                if (slot.first++ == 0)
                    slot.second = std::move(body);
            };
            forEachStep(g, x, o.branchCap, [&](Atom a1, int64_t n1, int64_t t1) {
                if (n1 == y && !(direct && t1 == *direct))
                    propose({a1});
                if (o.maxLength < 2 || n1 == x)
                    return;
                if (auto it = toY.find(n1); it != toY.end())
                    for (const Atom& a2 : it->second)
                        if (!(n1 == y))
                            propose({a1, a2});
                if (o.maxLength < 3 || n1 == y)
                    return;
                forEachStep(g, n1, std::max(1, o.branchCap / 4), [&](Atom a2, int64_t n2, int64_t) {
                    if (n2 == x || n2 == n1 || n2 == y)
                        return;
                    if (auto it = toY.find(n2); it != toY.end())
                        for (const Atom& a3 : it->second)
                            propose({a1, a2, a3});
                });
            });
        }
        // 2. The most often proposed candidates, each with its sampled sources.
        std::vector<std::pair<int, const std::vector<Atom>*>> ranked;
        for (const auto& [key, slot] : proposed)
            ranked.emplace_back(slot.first, &slot.second);
        std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        if (static_cast<int>(ranked.size()) > o.maxCandidates)
            ranked.resize(static_cast<size_t>(o.maxCandidates));
        for (const auto& [count, bodyPtr] : ranked) {
            // Sources: entities with an edge of the first atom's kind.
            std::vector<int64_t> sources = sourcesOf(bodyPtr->front());
            std::shuffle(sources.begin(), sources.end(), rng);
            if (static_cast<int>(sources.size()) > o.evalSources)
                sources.resize(static_cast<size_t>(o.evalSources));
            work[ri].push_back({Rule{r, *bodyPtr, 0, 0, 0}, std::move(sources)});
        }
    }
    // 3. Evaluate on the sampled sources: relations spread over threads (the bulk of the time).
    evaluate(g, o, work);
    for (auto& candidates : work)
        for (auto& c : candidates)
            if (c.rule.support >= o.minSupport && c.rule.confidence >= o.minConfidence)
                out.push_back(std::move(c.rule));
    std::sort(out.begin(), out.end(), [](const Rule& a, const Rule& b) {
        return a.head != b.head ? a.head < b.head : a.confidence > b.confidence;
    });
    return out;
}

RuleIndex::RuleIndex(std::vector<Rule> rules)
    : rules_(std::move(rules))
{
    for (size_t i = 0; i < rules_.size(); ++i) {
        bySignature_[bodyKey(rules_[i].head, rules_[i].body)] = i;
        byHead_[rules_[i].head].push_back(i);
    }
}

std::vector<const Rule*> RuleIndex::forHead(int64_t relation) const
{
    std::vector<const Rule*> out;
    if (auto it = byHead_.find(relation); it != byHead_.end())
        for (size_t i : it->second)
            out.push_back(&rules_[i]);
    return out;
}

const Rule* RuleIndex::find(int64_t head, const std::vector<Atom>& body) const
{
    const auto it = bySignature_.find(bodyKey(head, body));
    return it == bySignature_.end() ? nullptr : &rules_[it->second];
}

std::vector<std::pair<int64_t, double>> predictTails(const GraphIndex& g, const RuleIndex& rules, int64_t head,
                                                     int64_t relation, int frontierCap)
{
    // Noisy-or over the rules that fire, kept as log(prod(1 - confidence)) so that answers with
    // many rules do not all saturate at 1.0 and tie; then the best single rule breaks ties.
    struct Evidence {
        double logMiss = 0, best = 0;
    };
    std::unordered_map<int64_t, Evidence> found;
    for (const Rule* rule : rules.forHead(relation))
        for (int64_t y : groundBody(g, head, rule->body, frontierCap)) {
            auto& e = found[y];
            e.logMiss += std::log1p(-std::min(rule->confidence, 1.0 - 1e-12));
            e.best = std::max(e.best, rule->confidence);
        }
    std::vector<std::pair<int64_t, Evidence>> ranked(found.begin(), found.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        if (a.second.logMiss != b.second.logMiss)
            return a.second.logMiss < b.second.logMiss;
        if (a.second.best != b.second.best)
            return a.second.best > b.second.best;
        return a.first < b.first;
    });
    std::vector<std::pair<int64_t, double>> out;
    out.reserve(ranked.size());
    for (const auto& [y, e] : ranked)
        out.emplace_back(y, -std::expm1(e.logMiss)); // 1 - prod(1 - confidence)
    return out;
}

std::string rulesToJson(const std::vector<Rule>& rules)
{
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : rules) {
        nlohmann::json body = nlohmann::json::array();
        for (const auto& a : r.body)
            body.push_back({a.relation, a.inverse});
        arr.push_back({{"head", r.head}, {"body", body}, {"support", r.support}, {"body_count", r.bodyCount},
                       {"confidence", r.confidence}});
    }
    return arr.dump();
}

std::vector<Rule> rulesFromJson(const std::string& text)
{
    std::vector<Rule> out;
    try {
        for (const auto& j : nlohmann::json::parse(text)) {
            Rule r;
            r.head = j.at("head").get<int64_t>();
            for (const auto& a : j.at("body"))
                r.body.push_back(Atom{a.at(0).get<int64_t>(), a.at(1).get<bool>()});
            r.support = j.at("support").get<int64_t>();
            r.bodyCount = j.at("body_count").get<int64_t>();
            r.confidence = j.at("confidence").get<double>();
            if (r.body.empty() || r.body.size() > 3)
                throw Error(Errc::Format, "a rule must have 1 to 3 body atoms");
            out.push_back(std::move(r));
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(Errc::Format, std::string("rules are not valid JSON: ") + e.what());
    }
    return out;
}

} // namespace kg::reason
