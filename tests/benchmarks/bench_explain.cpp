// Explanation benchmark.
//  1. Latency on fb15k-237: rule mining once, then for random test queries the time to rank
//     answers and to find and score the reasoning paths of the true answer (median, p95).
//  2. Faithfulness (umls by default): for test triples whose answer the rules rank in the top
//     10, delete the edges of the top explanation path and re-score with the same rules;
//     compare the rank drop with deleting as many random edges around the head and the answer.
//     Reports the fraction of answers where the explanation's deletion hurts more.
// Usage: bench_explain [DATASETS_DIR] [--queries N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <unordered_set>

#include "import/importer.h"
#include "ml/explainer.h"
#include "reason/graph_index.h"
#include "reason/paths.h"
#include "reason/rules.h"
#include "store/project.h"
#include "store/sqlite.h"

using namespace kg;
using Clock = std::chrono::steady_clock;

namespace {

std::string importDataset(const std::string& dir, const std::string& name, const std::string& out)
{
    std::filesystem::remove(out);
    auto p = Project::open(out);
    import::ImportRequest req;
    req.tripleFiles = {dir + "/" + name + "/train.tsv", import::TripleFile(dir + "/" + name + "/valid.tsv", Split::Valid),
                       import::TripleFile(dir + "/" + name + "/test.tsv", Split::Test)};
    import::runImport(*p, req);
    return out;
}

std::vector<TripleRecord> tripleList(Project& p, Split split)
{
    std::vector<TripleRecord> out;
    p.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT id, head, rel, tail, split FROM triples WHERE split = ?");
        st.bind(1, static_cast<int64_t>(split));
        while (st.step())
            out.push_back({st.int64(0), st.int64(1), st.int64(2), st.int64(3), split});
    });
    return out;
}

// Rank of `tail` among rule-predicted tails (filtered: other known train tails removed).
int ruleRank(const reason::GraphIndex& g, const reason::RuleIndex& rules, const TripleRecord& q)
{
    int rank = 1;
    for (const auto& [e, s] : reason::predictTails(g, rules, q.head, q.rel)) {
        if (e == q.tail)
            return rank;
        if (!g.has(q.head, q.rel, e))
            ++rank;
    }
    return 1000000; // not derivable any more
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

} // namespace

int main(int argc, char** argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::string datasets = "../shared/datasets";
    int queries = 300;
    bool latency = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--faithfulness-only")
            latency = false;
        else if (a == "--queries" && i + 1 < argc)
            queries = std::atoi(argv[++i]);
        else
            datasets = a;
    }
    const auto tmp = std::filesystem::temp_directory_path() / ("kgwb-bench-explain-" + std::to_string(getpid()));
    std::filesystem::create_directories(tmp);
    std::mt19937_64 rng(11);

    // 1. Latency on fb15k-237.
    if (latency) {
        const std::string path = importDataset(datasets, "fb15k-237", (tmp / "fb.kgwb").string());
        auto t0 = Clock::now();
        const size_t nRules = ml::mineAndStoreRules(path);
        std::printf("fb15k-237: mined %zu rules in %.1f s (stored in the project)\n", nRules, ms(Clock::now() - t0) / 1000);
        t0 = Clock::now();
        ml::Explainer explainer(path);
        std::printf("explainer ready (graph index + stored rules) in %.0f ms\n", ms(Clock::now() - t0));
        auto project = Project::open(path, Project::OpenMode::ReadOnly);
        auto test = tripleList(*project, Split::Test);
        std::shuffle(test.begin(), test.end(), rng);
        test.resize(std::min<size_t>(test.size(), static_cast<size_t>(queries)));
        std::vector<double> rankMs, pathMs, total;
        size_t withPaths = 0;
        for (const auto& q : test) {
            const auto a = Clock::now();
            explainer.answers(q.head, q.rel, 10);
            const auto b = Clock::now();
            const auto paths = explainer.paths(q.head, q.rel, q.tail);
            const auto c = Clock::now();
            withPaths += paths.empty() ? 0 : 1;
            rankMs.push_back(ms(b - a));
            pathMs.push_back(ms(c - b));
            total.push_back(ms(c - a));
        }
        auto pct = [](std::vector<double> v, double p) {
            std::sort(v.begin(), v.end());
            return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
        };
        std::printf("latency over %zu test queries (ms): rank answers median %.1f p95 %.1f | paths median %.1f p95 %.1f | "
                    "total median %.1f p95 %.1f max %.1f (goal < 100); %zu had paths\n",
                    test.size(), pct(rankMs, 0.5), pct(rankMs, 0.95), pct(pathMs, 0.5), pct(pathMs, 0.95),
                    pct(total, 0.5), pct(total, 0.95), pct(total, 1.0), withPaths);
    }

    // 2. Faithfulness on umls.
    {
        const std::string path = importDataset(datasets, "umls", (tmp / "umls.kgwb").string());
        auto project = Project::open(path, Project::OpenMode::ReadOnly);
        const auto train = tripleList(*project, Split::Train);
        const auto g = reason::GraphIndex::fromTriples(train);
        reason::MiningOptions mo;
        const reason::RuleIndex rules(reason::mineRules(g, mo));
        auto test = tripleList(*project, Split::Test);
        std::shuffle(test.begin(), test.end(), rng);
        int evaluated = 0, explanationWorse = 0, ties = 0;
        double dropTop = 0, dropRandom = 0;
        // Variant: the explanation's rule with all of its groundings between head and answer.
        int ruleWorse = 0, ruleTies = 0;
        double dropRule = 0, dropRuleRandom = 0;
        // Baseline as the issue words it: as many random edges from anywhere in the graph.
        int globalWorse = 0;
        double dropGlobal = 0;
        for (const auto& q : test) {
            if (evaluated >= queries)
                break;
            const int before = ruleRank(g, rules, q);
            if (before > 10)
                continue;
            const auto paths = reason::findPaths(g, q.head, q.rel, q.tail, &rules);
            if (paths.empty() || paths.front().ruleScore <= 0)
                continue;
            std::unordered_set<int64_t> cut;
            for (const auto& s : paths.front().steps)
                cut.insert(s.triple);
            // As many random edges around the head and the answer.
            std::vector<int64_t> around;
            for (int64_t n : {q.head, q.tail}) {
                for (const auto& e : g.out(n))
                    around.push_back(e.triple);
                for (const auto& e : g.in(n))
                    around.push_back(e.triple);
            }
            std::sort(around.begin(), around.end());
            around.erase(std::unique(around.begin(), around.end()), around.end());
            std::shuffle(around.begin(), around.end(), rng);
            std::unordered_set<int64_t> randomCut(around.begin(), around.begin() + std::min(around.size(), cut.size()));
            auto without = [&](const std::unordered_set<int64_t>& drop) {
                std::vector<TripleRecord> kept;
                kept.reserve(train.size());
                for (const auto& t : train)
                    if (!drop.count(t.id))
                        kept.push_back(t);
                return reason::GraphIndex::fromTriples(kept);
            };
            std::unordered_set<int64_t> ruleCut;
            const auto signature = paths.front().signature();
            for (const auto& p : paths)
                if (p.signature() == signature)
                    for (const auto& st : p.steps)
                        ruleCut.insert(st.triple);
            std::unordered_set<int64_t> ruleRandom(around.begin(), around.begin() + std::min(around.size(), ruleCut.size()));
            const int afterRule = ruleRank(without(ruleCut), rules, q);
            const int afterRuleRandom = ruleRank(without(ruleRandom), rules, q);
            const double dRule = std::log(static_cast<double>(afterRule)) - std::log(static_cast<double>(before));
            const double dRuleRandom = std::log(static_cast<double>(afterRuleRandom)) - std::log(static_cast<double>(before));
            dropRule += dRule;
            dropRuleRandom += dRuleRandom;
            ruleWorse += dRule > dRuleRandom ? 1 : 0;
            ruleTies += dRule == dRuleRandom ? 1 : 0;
            std::unordered_set<int64_t> globalCut;
            std::uniform_int_distribution<size_t> pick(0, train.size() - 1);
            while (globalCut.size() < cut.size())
                globalCut.insert(train[pick(rng)].id);
            const int afterGlobal = ruleRank(without(globalCut), rules, q);
            const int afterTop = ruleRank(without(cut), rules, q);
            const int afterRandom = ruleRank(without(randomCut), rules, q);
            const double dTop = std::log(static_cast<double>(afterTop)) - std::log(static_cast<double>(before));
            const double dRandom = std::log(static_cast<double>(afterRandom)) - std::log(static_cast<double>(before));
            const double dGlobal = std::log(static_cast<double>(afterGlobal)) - std::log(static_cast<double>(before));
            dropGlobal += dGlobal;
            globalWorse += dTop > dGlobal ? 1 : 0;
            dropTop += dTop;
            dropRandom += dRandom;
            explanationWorse += dTop > dRandom ? 1 : 0;
            ties += dTop == dRandom ? 1 : 0;
            ++evaluated;
        }
        std::printf("\numls faithfulness (%zu rules; %d test answers ranked top-10 by the rules with a rule-backed path):\n"
                    "  deleting the top explanation path's edges hurt the answer's rank more than deleting as many random\n"
                    "  edges around head and answer in %d of %d cases (%.1f%%); equal in %d (%.1f%%)\n"
                    "  mean log-rank increase: explanation path %.2f, random edges %.2f\n",
                    rules.all().size(), evaluated, explanationWorse, evaluated,
                    100.0 * explanationWorse / std::max(1, evaluated), ties, 100.0 * ties / std::max(1, evaluated),
                    dropTop / std::max(1, evaluated), dropRandom / std::max(1, evaluated));
        std::printf("  against as many random edges from the whole graph: explanation worse in %d of %d (%.1f%%); "
                    "mean log-rank increase %.2f vs %.3f\n",
                    globalWorse, evaluated, 100.0 * globalWorse / std::max(1, evaluated), dropTop / std::max(1, evaluated),
                    dropGlobal / std::max(1, evaluated));
        std::printf("  deleting every grounding of the top path's rule between head and answer hurt more than as many\n"
                    "  random edges around them in %d of %d cases (%.1f%%); equal in %d (%.1f%%); mean log-rank increase\n"
                    "  %.2f vs %.2f\n",
                    ruleWorse, evaluated, 100.0 * ruleWorse / std::max(1, evaluated), ruleTies,
                    100.0 * ruleTies / std::max(1, evaluated), dropRule / std::max(1, evaluated),
                    dropRuleRandom / std::max(1, evaluated));
    }
    std::filesystem::remove_all(tmp);
    return 0;
}
