// Explanation benchmark.
//  1. Latency on fb15k-237 (rules): rule mining once, then for random test queries the time to
//     rank answers and to find and score the reasoning paths of the true answer.
//  2. Faithfulness by deletion, per dataset (default umls and fb15k-237): a ComplEx model is
//     trained; N test answers it ranks first are explained by each method
//       rules      - the edges of the top rule-backed path (paths ordered by rule confidence)
//       paths      - the edges of the top path in the Explain tab's order (support: the
//                    estimated score drop with the path's head fact left out of post-training),
//                    of the top path by the composed-path score plus its edges' mean score, and
//                    (bound) of the path whose head fact's measured drop is largest (chosen by
//                    a post-training with the necessary search's seed); how well the estimate
//                    tracks that measurement, and the paths' latency
//       necessary  - the necessary facts (ml/kelpie.h)
//       transformer (datasets under 100k training triples, --transformer-epochs E) - the 3
//                    context facts with the largest gradient x input attribution, and
//                    separately the 3 with the largest attention rollout and the 3 with the
//                    largest occlusion (score drop when left out alone), left out of the
//                    input and re-ranked by the same transformer, against 3 random other
//                    facts of the same context (on the transformer's own rank-1 answers)
//       compgcn (--compgcn-epochs E, datasets under 100k training triples) - a CompGCN run
//                    (d100, 1 layer, DistMult decoder) on its own rank-1 answers: the edges of
//                    its top path in the Explain tab's order (support: the estimated score
//                    drop without them), of the top path by the decoder's composed-path
//                    score, and of the top rule-backed path left out of the message passing,
//                    the graph encoded again (exact, nothing retrained), against as many
//                    random facts of the head; --compgcn-exact adds the path whose exact
//                    drop is largest (the bound: chosen by the measurement itself) and how
//                    well the estimate tracks the exact drop
//     and the explanation's facts are deleted; as many random facts of the same head, never
//     overlapping the explanation, are deleted as the baseline. Re-ranking:
//       post-train - the head's embedding post-trained without the facts (Kelpie's protocol;
//                    another seed than the necessary search used), per case;
//       retrain    - (--retrain, datasets under 100k training triples) the whole model
//                    retrained from scratch without the facts of every case of one method at
//                    once (one retraining per method and one per random baseline).
//     Reported: share of cases where the explanation's deletion hurts more than the random
//     one (ties apart), mean rank drop, mean reciprocal-rank drop.
// Usage: bench_explain [DATASETS_DIR] [--datasets umls,fb15k-237] [--cases N] [--retrain]
//                      [--skip-latency] [--epochs-fb E] [--transformer-epochs E]
//                      [--model-cache DIR] (reuse the KGE model an earlier run trained)
//                      [--transformer-preset ID] (a Training tab preset with context facts, e.g.
//                      transformer-explain; its epochs unless --transformer-epochs)
//                      [--transformer-shortcut on|off] [--transformer-only] (no KGE, no latency)
//                      [--compgcn-epochs E] [--compgcn-only] (no KGE, no transformer, no latency)
//                      [--compgcn-exact] [--compgcn-layers N] (with --compgcn-only and no
//                      --compgcn-epochs, a dataset of 100k triples or more gets the latency of
//                      a CompGCN run's paths instead: gnnLatency)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <unistd.h>
#include <unordered_set>

#include "core/blas_kernels.h"
#include "import/importer.h"
#include "ml/checkpoint.h"
#include "ml/train_presets.h"
#include "ml/entity_table.h"
#include "ml/evaluator.h"
#include "ml/explainer.h"
#include "ml/gnn_explain.h"
#include "ml/gnn_trainer.h"
#include "ml/kelpie.h"
#include "ml/text_model.h"
#include "ml/train_job.h"
#include "ml/trainer.h"
#include "reason/graph_index.h"
#include "store/project.h"
#include "store/run_summary.h"
#include "store/sqlite.h"
#include "../stats.h"

using namespace kg;
using namespace kg::ml;
using Clock = std::chrono::steady_clock;

namespace {

double secs(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

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

TrainConfig kgeConfig(const std::string& dataset, int64_t fbEpochs)
{
    TrainConfig c;
    c.model = ModelKind::ComplEx;
    c.dim = 200;
    c.lr = 0.01;
    c.threads = 2;
    c.device = "cpu";
    c.reg = RegKind::N3;
    c.regWeight = 5e-3;
    if (dataset == "fb15k-237") { // shared negatives: minutes, not hours, on 2 cores
        c.mode = TrainMode::NegativeSampling;
        c.loss = LossKind::CE;
        c.negatives = 512;
        c.negChunk = 512;
        c.batchSize = 1024;
        c.lr = 0.005;
        c.epochs = fbEpochs;
    } else {
        c.mode = TrainMode::OneVsAll;
        c.batchSize = 256;
        c.epochs = 25;
    }
    return c;
}

struct Case {
    int64_t head, relation, tail; // project ids
};

struct Outcome {
    bool explained = false;
    size_t size = 0;
    double after = 0, randomAfter = 0;           // ranks after deletion
    double scoreAfter = 0, randomScoreAfter = 0; // the answer's score after deletion
};

struct MethodStats {
    std::vector<Outcome> postTrain, retrain;
    std::vector<std::vector<int64_t>> facts, randomFacts; // per case
};

void report(const char* dataset, const char* method, const char* protocol, const std::vector<Outcome>& outcomes,
            const std::vector<double>& before)
{
    int n = 0, worse = 0, ties = 0, worseOrLower = 0;
    double size = 0, rankDrop = 0, rankDropRandom = 0, rrDrop = 0, rrDropRandom = 0;
    for (size_t i = 0; i < outcomes.size(); ++i) {
        const auto& o = outcomes[i];
        if (!o.explained)
            continue;
        ++n;
        size += static_cast<double>(o.size);
        worse += o.after > o.randomAfter ? 1 : 0;
        ties += o.after == o.randomAfter ? 1 : 0;
        worseOrLower += o.after > o.randomAfter || (o.after == o.randomAfter && o.scoreAfter < o.randomScoreAfter) ? 1 : 0;
        rankDrop += o.after - before[i];
        rankDropRandom += o.randomAfter - before[i];
        rrDrop += 1 / before[i] - 1 / o.after;
        rrDropRandom += 1 / before[i] - 1 / o.randomAfter;
    }
    const double d = std::max(1, n);
    std::printf("  %-10s %-18s %-10s explained %2d/%zu, %.1f facts | hurts more than random: by rank %5.1f%% "
                "(ties %5.1f%%), by rank then score %5.1f%% | mean rank drop %6.2f vs %5.2f | mean RR drop %.3f vs %.3f\n",
                dataset, method, protocol, n, outcomes.size(), size / d, 100.0 * worse / d, 100.0 * ties / d,
                100.0 * worseOrLower / d, rankDrop / d, rankDropRandom / d, rrDrop / d, rrDropRandom / d);
}

// Facts of the head (both directions) other than the query's own triple and `avoid`, shuffled.
std::vector<int64_t> randomFacts(const reason::GraphIndex& g, const Case& c, const std::vector<int64_t>& avoid,
                                 size_t n, std::mt19937_64& rng)
{
    std::vector<int64_t> pool;
    for (auto edges : {g.out(c.head), g.in(c.head)})
        for (const auto& e : edges)
            if (std::find(avoid.begin(), avoid.end(), e.triple) == avoid.end())
                pool.push_back(e.triple);
    if (const auto own = g.tripleId(c.head, c.relation, c.tail))
        pool.erase(std::remove(pool.begin(), pool.end(), *own), pool.end());
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    std::shuffle(pool.begin(), pool.end(), rng);
    pool.resize(std::min(pool.size(), n));
    return pool;
}

// Filtered tail ranks and scores of the cases under a model trained without `removed`.
std::pair<std::vector<double>, std::vector<double>> retrainedRanks(const TrainConfig& config, const KgData& data, const std::vector<Case>& cases,
                                   const std::unordered_set<int64_t>& removed)
{
    std::vector<int64_t> keep;
    for (size_t i = 0; i < data.trainIds.size(); ++i)
        if (!removed.count(data.trainIds[i]))
            keep.push_back(static_cast<int64_t>(i));
    KgData reduced = data;
    reduced.train = data.train.index_select(0, torch::tensor(keep, torch::kInt64));
    Trainer trainer(config, reduced);
    trainer.run();
    std::vector<int64_t> rows;
    for (const auto& c : cases)
        rows.insert(rows.end(), {data.entityIndex.at(c.head), data.relationIndex.at(c.relation), data.entityIndex.at(c.tail)});
    const auto triples = torch::tensor(rows, torch::kInt64).view({-1, 3});
    const auto ranks = filteredRanks(trainer.model(), triples, FilterIndex(data), true, 256).to(torch::kFloat64).contiguous();
    torch::NoGradGuard noGrad;
    const auto scores = trainer.model()->scoreTriples(triples).to(torch::kFloat64).contiguous();
    return {{ranks.data_ptr<double>(), ranks.data_ptr<double>() + ranks.size(0)},
            {scores.data_ptr<double>(), scores.data_ptr<double>() + scores.size(0)}};
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double maxOf(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); }

// Transformer explanations: the context facts with the largest attribution (attention rollout,
// occlusion) are left out of the input and the same model re-ranks, against as many random
// other facts of the same context (the facts the model saw), per case.
void transformerFaithfulness(const std::string& path, const std::string& name, const TrainConfig& c, int nCases,
                             std::mt19937_64& rng)
{
    JobSpec spec;
    spec.config = c;
    const auto t0 = Clock::now();
    const auto result = TrainJob(path, spec).run({});
    std::printf("  transformer d%lld, %lld context facts, head mask %.1f, %s, %lld epochs in %.0f s: test MRR %.4f\n",
                static_cast<long long>(c.dim), static_cast<long long>(c.transformer.context), c.transformer.headMask,
                c.transformer.shortcut ? "with the head x relation shortcut" : "no shortcut",
                static_cast<long long>(c.epochs), secs(t0), result.test ? result.test->mrr : 0.0);
    auto model = TextModel::fromRun(path, result.runId);
    KgData data;
    {
        auto project = Project::open(path, Project::OpenMode::ReadOnly);
        data = KgData::fromProject(*project);
    }
    std::vector<int64_t> order(static_cast<size_t>(data.test.size(0)));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    std::map<std::string, std::vector<Outcome>> outcomes;
    std::map<std::string, std::pair<double, double>> scoreDrop; // summed: the method's facts, random facts
    std::vector<double> before;
    double encoderPart = 0, shortcutPart = 0, biasPart = 0; // summed over the explained answers
    // Sufficient facts by support, and (baseline) the head's context facts in random order,
    // copied onto the same entities: seconds, converted share, mean rank before / after, facts.
    struct Sufficient {
        std::vector<double> seconds, share, before, after, facts;
        int achieved = 0;
    };
    Sufficient bySupport, byChance;
    for (const int64_t i : order) {
        if (static_cast<int>(before.size()) >= nCases)
            break;
        const Case q{data.entityIds[static_cast<size_t>(data.test[i][0].item<int64_t>())],
                     data.relationIds[static_cast<size_t>(data.test[i][1].item<int64_t>())],
                     data.entityIds[static_cast<size_t>(data.test[i][2].item<int64_t>())]};
        if (model->ranksWithout(q.head, q.relation, q.tail, {{}})[0].first > 1.5)
            continue; // explain answers the model ranks first
        const auto e = model->explain(q.head, q.relation, q.tail, 1);
        if (e.facts.size() < 6)
            continue; // room for 3 explanation and 3 random facts
        before.push_back(1);
        encoderPart += e.encoderPart, shortcutPart += e.shortcutPart, biasPart += e.biasPart;
        if (bySupport.seconds.size() < 10) // sufficient: the head's facts in 10 other entities' context
            for (const bool random : {false, true}) {
                const auto su = model->sufficient(q.head, q.relation, q.tail, 8, 10, 1, nullptr, random);
                auto& s = random ? byChance : bySupport;
                s.seconds.push_back(su.seconds);
                s.share.push_back(su.convertedShare);
                s.before.push_back(su.rankBefore);
                s.after.push_back(su.rankAfter);
                s.facts.push_back(static_cast<double>(su.facts.size()));
                s.achieved += su.achieved ? 1 : 0;
            }
        for (const char* method : {"attribution top-3", "rollout top-3", "occlusion top-3"}) {
            auto facts = e.facts;
            auto weight = [&](const ContextFactWeight& f) {
                return method[0] == 'a' ? f.attribution : method[0] == 'r' ? f.rollout : f.occlusion;
            };
            std::stable_sort(facts.begin(), facts.end(), [&](const auto& a, const auto& b) { return weight(a) > weight(b); });
            std::vector<int64_t> top, rest;
            for (size_t k = 0; k < facts.size(); ++k)
                (k < 3 ? top : rest).push_back(facts[k].triple);
            std::shuffle(rest.begin(), rest.end(), rng);
            rest.resize(3);
            const auto ranks = model->ranksWithout(q.head, q.relation, q.tail, {top, rest});
            scoreDrop[method].first += e.answerScore - ranks[0].second;
            scoreDrop[method].second += e.answerScore - ranks[1].second;
            outcomes[method].push_back(
                {true, 3, ranks[0].first, ranks[1].first, ranks[0].second, ranks[1].second});
        }
    }
    const double n = std::max<double>(1, static_cast<double>(before.size()));
    std::printf("  the explained answers' scores, mean: %.3f through the encoder (what the context can move) + "
                "%.3f head x relation + %.3f answer bias\n",
                encoderPart / n, shortcutPart / n, biasPart / n);
    auto mean = [](const std::vector<double>& v) {
        return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    };
    for (const auto* s : {&bySupport, &byChance})
        if (!s->seconds.empty())
            std::printf("  sufficient facts %-30s median %.2f s, max %.2f s; converted half the entities in %d of %zu "
                        "(mean share %.2f); their mean rank of the answer %.1f -> %.1f with %.1f facts\n",
                        s == &bySupport ? "(supporting, strongest first):" : "(baseline: random context facts):",
                        median(s->seconds), maxOf(s->seconds), s->achieved, s->seconds.size(), mean(s->share),
                        mean(s->before), mean(s->after), mean(s->facts));
    for (const auto& [method, o] : outcomes) {
        report(name.c_str(), method.c_str(), "context", o, before);
        std::printf("  %-10s %-18s %-10s mean score drop %.4f vs %.4f (random)\n", name.c_str(), method.c_str(), "context",
                    scoreDrop[method].first / n, scoreDrop[method].second / n);
    }
}

// CompGCN paths: the edges of the run's top model-ordered path (and of the top rule-backed
// path) left out of the message passing and the graph encoded again, against as many random
// facts of the head, on the run's own rank-1 test answers.
int64_t gnnLayers = 1;        // --compgcn-layers
bool gnnEpochsGiven = false;  // --compgcn-epochs (else a large dataset gets the latency test)

void gnnFaithfulness(const std::string& path, const std::string& name, int64_t epochs, bool gnnExact, int nCases,
                     std::mt19937_64& rng)
{
    JobSpec spec;
    spec.config.model = ModelKind::CompGCN;
    spec.config.dim = 100, spec.config.lr = 0.003, spec.config.epochs = epochs;
    {
        auto project = Project::open(path, Project::OpenMode::ReadOnly);
        // Each step encodes the whole graph: on a large one, fewer and larger steps (bench_gnn.sh's).
        spec.config.batchSize = project->tripleCount() >= 100000 ? 4096 : 256;
    }
    spec.config.threads = 2, spec.config.device = "cpu";
    spec.config.gnn.layers = gnnLayers;
    spec.checkpoint = path + ".compgcn.ckpt"; // what the run keeps as its model
    auto t0 = Clock::now();
    const auto result = TrainJob(path, spec).run({});
    std::printf("  CompGCN d100, %lld layer(s), %lld epochs in %.0f s: test MRR %.4f\n",
                static_cast<long long>(gnnLayers), static_cast<long long>(epochs), secs(t0),
                result.test ? result.test->mrr : 0.0);
    KgData data;
    reason::GraphIndex graph;
    std::unique_ptr<GnnModel> gnn;
    {
        auto project = Project::open(path, Project::OpenMode::ReadOnly);
        data = KgData::fromProject(*project);
        graph = reason::GraphIndex::fromProject(*project);
        const auto bytes = readModel(*project, modelKey(result.runId));
        gnn = GnnModel::fromBytes(*project, bytes.bytes, bytes.name);
    }
    mineAndStoreRules(path);
    Explainer rules(path), model(path, modelKey(result.runId));
    std::vector<int64_t> order(static_cast<size_t>(data.test.size(0)));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    std::map<std::string, std::vector<Outcome>> outcomes;
    std::map<std::string, int> withoutHeadFact; // paths whose edges include none of the head's facts
    std::vector<double> before, correlations, fullScores, pathSeconds;
    int sameBest = 0;
    t0 = Clock::now();
    for (const int64_t i : order) {
        if (static_cast<int>(before.size()) >= nCases)
            break;
        const Case c{data.entityIds[static_cast<size_t>(data.test[i][0].item<int64_t>())],
                     data.relationIds[static_cast<size_t>(data.test[i][1].item<int64_t>())],
                     data.entityIds[static_cast<size_t>(data.test[i][2].item<int64_t>())]};
        if (gnn->ranksWithout(c.head, c.relation, c.tail, {{}})[0].first > 1.5 ||
            graph.out(c.head).size() + graph.in(c.head).size() < 2)
            continue; // explain answers the run ranks first, of heads with facts to spare
        before.push_back(1);
        fullScores.push_back(gnn->ranksWithout(c.head, c.relation, c.tail, {{}})[0].second);
        const auto pathStart = Clock::now();
        const auto all = model.paths(c.head, c.relation, c.tail);
        pathSeconds.push_back(secs(pathStart));
        std::vector<std::vector<int64_t>> pathEdges;
        for (const auto& p : all) {
            pathEdges.emplace_back();
            for (const auto& st : p.steps)
                pathEdges.back().push_back(st.triple);
        }
        auto best = [&](const std::vector<double>& v) {
            return v.empty() ? std::vector<int64_t>{}
                             : pathEdges[static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin())];
        };
        std::vector<double> estimated, composition; // the model's order (support), the decoder's view
        for (const auto& p : all)
            estimated.push_back(p.support), composition.push_back(p.compositionScore + p.edgeScore);
        std::vector<double> exact;
        if (gnnExact) {
            // Each path's graph encoded again: every path on a small graph; on a large one (a
            // second or so per encoding) the 20 best by the estimate and 20 others at random.
            std::vector<size_t> measured(all.size());
            std::iota(measured.begin(), measured.end(), size_t{0});
            if (data.train.size(0) >= 100000 && measured.size() > 40) {
                std::shuffle(measured.begin() + 20, measured.end(), rng);
                measured.resize(40);
            }
            std::vector<std::vector<int64_t>> sets;
            for (const size_t i : measured)
                sets.push_back(pathEdges[i]);
            const double full = gnn->ranksWithout(c.head, c.relation, c.tail, {{}})[0].second;
            const auto ranks = gnn->ranksWithout(c.head, c.relation, c.tail, sets);
            exact.assign(all.size(), -std::numeric_limits<double>::infinity()); // not measured: never the best
            std::vector<double> e, x;
            for (size_t k = 0; k < measured.size(); ++k) {
                exact[measured[k]] = full - ranks[k].second;
                e.push_back(estimated[measured[k]]), x.push_back(exact[measured[k]]);
            }
            // How well the one-backward estimate tracks the exact drop: the same best path (the
            // estimate's best is the model's first path, always measured), and the correlation.
            if (measured.size() >= 2) {
                sameBest += best(estimated) == best(exact) ? 1 : 0;
                correlations.push_back(kgstats::pearson(e, x));
            }
        }
        for (const std::string method : {"rules", "paths (model)", "paths (composed)", "paths (exact drop)"}) {
            std::vector<int64_t> facts;
            if (method == "rules") {
                const auto paths = rules.paths(c.head, c.relation, c.tail);
                if (!paths.empty() && paths.front().ruleScore > 0)
                    for (const auto& st : paths.front().steps)
                        facts.push_back(st.triple);
            } else if (method == "paths (model)") { // the Explain tab's first path
                facts = pathEdges.empty() ? std::vector<int64_t>{} : pathEdges.front();
            } else if (method == "paths (composed)") {
                facts = best(composition);
            } else if (gnnExact) {
                facts = best(exact);
            } else {
                continue;
            }
            Outcome o;
            o.explained = !facts.empty();
            o.size = facts.size();
            if (o.explained) {
                const auto random = randomFacts(graph, c, facts, facts.size(), rng);
                const auto ranks = gnn->ranksWithout(c.head, c.relation, c.tail, {facts, random});
                o.after = ranks[0].first, o.scoreAfter = ranks[0].second;
                o.randomAfter = ranks[1].first, o.randomScoreAfter = ranks[1].second;
            }
            outcomes[method].push_back(o);
        }
    }
    std::printf("  %zu CompGCN rank-1 answers explained in %.0f s; paths found and scored in median %.3f s, max %.3f s "
                "per answer\n",
                before.size(), secs(t0), median(pathSeconds), maxOf(pathSeconds));
    if (!correlations.empty())
        std::printf("  estimated vs exact score drop of each path: same best path in %d of %zu answers; Pearson r "
                    "median %.3f, min %.3f\n",
                    sameBest, correlations.size(), median(correlations),
                    *std::min_element(correlations.begin(), correlations.end()));
    for (const auto& [method, o] : outcomes) {
        double drop = 0, randomDrop = 0;
        int n = 0;
        for (size_t k = 0; k < o.size(); ++k)
            if (o[k].explained)
                ++n, drop += fullScores[k] - o[k].scoreAfter, randomDrop += fullScores[k] - o[k].randomScoreAfter;
        std::printf("  %-10s %-18s mean score drop %.4f vs %.4f (random head facts)\n", name.c_str(), method.c_str(),
                    drop / std::max(1, n), randomDrop / std::max(1, n));
    }
    for (const auto& [method, o] : outcomes)
        report(name.c_str(), method.c_str(), "re-encode", o, before);
}

// Latency of a CompGCN run's paths on a large graph (d100, 1 layer, as gnnFaithfulness's): a model
// saved before any training (the time depends on the graph's size, not on the weights), then
// rank + paths (found, and scored by one forward and backward pass) for 10 random test queries.
void gnnLatency(const std::string& path, const std::string& name)
{
    KgData data;
    {
        auto project = Project::open(path, Project::OpenMode::ReadOnly);
        data = KgData::fromProject(*project);
    }
    TrainConfig c;
    c.model = ModelKind::CompGCN;
    c.dim = 100, c.threads = 2, c.device = "cpu";
    c.gnn.layers = gnnLayers;
    const std::string ckpt = path + ".compgcn-untrained.ckpt";
    saveCheckpoint(ckpt, GnnTrainer(c, data));
    mineAndStoreRules(path);
    Explainer model(path, ckpt);
    std::mt19937_64 rng(5);
    std::vector<double> ranking, paths;
    size_t found = 0;
    for (int i = 0; i < 10; ++i) {
        const int64_t row = static_cast<int64_t>(rng() % static_cast<uint64_t>(data.test.size(0)));
        const int64_t h = data.entityIds[static_cast<size_t>(data.test[row][0].item<int64_t>())];
        const int64_t r = data.relationIds[static_cast<size_t>(data.test[row][1].item<int64_t>())];
        const int64_t t = data.entityIds[static_cast<size_t>(data.test[row][2].item<int64_t>())];
        auto t0 = Clock::now();
        model.answers(h, r, 10);
        ranking.push_back(secs(t0));
        t0 = Clock::now();
        found += model.paths(h, r, t).size();
        paths.push_back(secs(t0));
    }
    std::printf("%s CompGCN d100, %lld layer(s) (untrained weights), 10 test queries: rank answers median %.2f s, max %.2f s; paths "
                "found and scored median %.2f s, max %.2f s (%.0f paths per answer)\n",
                name.c_str(), static_cast<long long>(gnnLayers), median(ranking), maxOf(ranking), median(paths), maxOf(paths),
                static_cast<double>(found) / 10.0);
}

void faithfulness(const std::string& datasets, const std::string& name, const std::filesystem::path& tmp, int nCases,
                  bool retrain, int64_t fbEpochs, const std::optional<TrainConfig>& transformer, bool transformerOnly,
                  int64_t gnnEpochs, bool gnnOnly, bool gnnExact, const std::string& modelCache, std::mt19937_64& rng)
{
    const std::string path = importDataset(datasets, name, (tmp / (name + ".kgwb")).string());
    if (gnnOnly) {
        if (!gnnEpochsGiven && Project::open(path, Project::OpenMode::ReadOnly)->tripleCount() >= 100000)
            gnnLatency(path, name);
        else
            gnnFaithfulness(path, name, gnnEpochs, gnnExact, nCases, rng);
        return;
    }
    if (transformerOnly) {
        transformerFaithfulness(path, name, *transformer, nCases, rng);
        return;
    }
    KgData data;
    reason::GraphIndex graph;
    {
        auto project = Project::open(path, Project::OpenMode::ReadOnly);
        data = KgData::fromProject(*project);
        graph = reason::GraphIndex::fromProject(*project);
    }
    const TrainConfig config = kgeConfig(name, fbEpochs);
    auto t0 = Clock::now();
    Trainer trainer(config, data);
    // --model-cache DIR: the model trained for this dataset and config by an earlier run, if
    // DIR has it (the case sample and every measurement are the same as after training).
    const std::string cached = modelCache.empty() ? std::string() : modelCache + "/" + name + "-" + std::to_string(config.dim) +
                                                                       "d-" + std::to_string(config.epochs) + "e.ckpt";
    const bool fromCache = !cached.empty() && std::filesystem::exists(cached);
    if (fromCache) {
        loadCheckpoint(cached, trainer);
    } else {
        trainer.run();
        if (!cached.empty())
            saveCheckpoint(cached, trainer);
    }
    const FilterIndex filter(data);
    const auto metrics = ml::evaluate(trainer.model(), data.test, filter, 256);
    std::printf("\n%s: ComplEx d%lld, %lld epochs %s %.0f s, test MRR %.3f\n", name.c_str(),
                static_cast<long long>(config.dim), static_cast<long long>(config.epochs),
                fromCache ? "(from --model-cache), loaded in" : "in", secs(t0), metrics.mrr);
    const std::string ckpt = (tmp / (name + ".ckpt")).string();
    saveCheckpoint(ckpt, trainer);
    t0 = Clock::now();
    mineAndStoreRules(path);
    std::printf("  rules mined in %.1f s\n", secs(t0));
    Explainer rules(path), model(path, ckpt);

    // Test answers the model ranks first (tail prediction, filtered), in random order.
    const auto tailRanks = filteredRanks(trainer.model(), data.test, filter, true, 256);
    std::vector<int64_t> firsts;
    for (int64_t i = 0; i < tailRanks.size(0); ++i)
        if (tailRanks[i].item<double>() < 1.5)
            firsts.push_back(i);
    std::shuffle(firsts.begin(), firsts.end(), rng);
    std::vector<Case> cases;
    auto test = data.test.accessor<int64_t, 2>();
    for (const int64_t i : firsts) {
        if (static_cast<int>(cases.size()) >= nCases)
            break;
        const Case c{data.entityIds[static_cast<size_t>(test[i][0])], data.relationIds[static_cast<size_t>(test[i][1])],
                     data.entityIds[static_cast<size_t>(test[i][2])]};
        if (graph.out(c.head).size() + graph.in(c.head).size() >= 2)
            cases.push_back(c);
    }
    std::printf("  %zu of %zu test answers ranked first; %zu cases\n", firsts.size(),
                static_cast<size_t>(tailRanks.size(0)), cases.size());

    const FactSearch search(trainer.model(), data, graph);
    PostTrainOptions evalPost;
    evalPost.seed = 1234; // not the seed the necessary search post-trained with
    std::map<std::string, MethodStats> methods;
    std::vector<double> beforePost, necessarySeconds, sufficientSeconds, pathSeconds, correlations, headFactsOnPaths,
        scoredShare;
    int sufficientAchieved = 0, sameBest = 0, withPaths = 0;
    for (size_t ci = 0; ci < cases.size(); ++ci) {
        const auto& c = cases[ci];
        beforePost.push_back(search.postTrainedRank(c.head, c.relation, c.tail, {}, evalPost).rank);
        auto triplesOf = [](const reason::ExplanationPath& p) {
            std::vector<int64_t> out;
            for (const auto& s : p.steps)
                out.push_back(s.triple);
            return out;
        };
        std::vector<int64_t> rulePath, modelPath, composedPath, boundPath;
        if (const auto paths = rules.paths(c.head, c.relation, c.tail); !paths.empty() && paths.front().ruleScore > 0)
            rulePath = triplesOf(paths.front());
        const auto pathStart = Clock::now();
        const auto paths = model.paths(c.head, c.relation, c.tail); // the Explain tab's order: support
        pathSeconds.push_back(secs(pathStart));
        if (!paths.empty()) {
            modelPath = triplesOf(paths.front());
            composedPath = triplesOf(*std::max_element(paths.begin(), paths.end(), [](const auto& a, const auto& b) {
                return a.compositionScore + a.edgeScore < b.compositionScore + b.edgeScore;
            }));
            // Support against the measured drop: post-training (the necessary search's seed)
            // without each path's head fact (a simple path's first), for the first 12 distinct
            // ones in support order and up to 12 random others.
            std::vector<size_t> firstOf; // a path per distinct head fact, in support order
            std::unordered_set<int64_t> seen;
            for (size_t i = 0; i < paths.size(); ++i)
                if (seen.insert(paths[i].steps.front().triple).second)
                    firstOf.push_back(i);
            if (firstOf.size() > 24) {
                std::shuffle(firstOf.begin() + 12, firstOf.end(), rng);
                firstOf.resize(24);
            }
            const double base = search.postTrainedRank(c.head, c.relation, c.tail, {}, PostTrainOptions{}).score;
            std::vector<double> measured, scoredEstimate, scoredMeasured;
            for (const size_t i : firstOf) {
                measured.push_back(
                    base - search.postTrainedRank(c.head, c.relation, c.tail, {paths[i].steps.front().triple}, PostTrainOptions{})
                               .score);
                if (paths[i].scored) // removalDrops measures the head facts of the best composed paths
                    scoredEstimate.push_back(paths[i].support), scoredMeasured.push_back(measured.back());
            }
            const size_t best = static_cast<size_t>(std::max_element(measured.begin(), measured.end()) - measured.begin());
            boundPath = triplesOf(paths[firstOf[best]]);
            if (!scoredMeasured.empty()) { // the support order's first is scoredMeasured[0]
                sameBest += scoredMeasured[0] >= *std::max_element(scoredMeasured.begin(), scoredMeasured.end()) ? 1 : 0;
                ++withPaths;
            }
            if (scoredMeasured.size() >= 3)
                correlations.push_back(kgstats::pearson(scoredEstimate, scoredMeasured));
            headFactsOnPaths.push_back(static_cast<double>(seen.size()));
            for (const auto& p : paths)
                scoredShare.push_back(p.scored ? 1.0 : 0.0);
        }
        std::vector<int64_t> necessary;
        const auto n = model.necessary(c.head, c.relation, c.tail);
        necessarySeconds.push_back(n.seconds);
        if (n.seconds > 1.5) // what the slow answers have in common
            std::printf("  slow necessary search: %.2f s, head with %d facts (%zu in the graph), answer degree %zu, "
                        "%zu candidates, explanation of %zu\n",
                        n.seconds, n.headFacts, graph.out(c.head).size() + graph.in(c.head).size(),
                        graph.out(c.tail).size() + graph.in(c.tail).size(), n.candidates.size(), n.facts.size());
        for (const auto& f : n.facts)
            necessary.push_back(f.triple);
        if (ci < 10) { // sufficient: latency and conversion only (no deletion test)
            const auto s = model.sufficient(c.head, c.relation, c.tail);
            sufficientSeconds.push_back(s.seconds);
            sufficientAchieved += s.achieved ? 1 : 0;
        }
        for (const auto& [method, facts] :
             std::vector<std::pair<std::string, std::vector<int64_t>>>{{"rules", rulePath},
                                                                       {"paths (model)", modelPath},
                                                                       {"paths (composed)", composedPath},
                                                                       {"paths (bound)", boundPath},
                                                                       {"necessary", necessary}}) {
            auto& m = methods[method];
            m.facts.push_back(facts);
            m.randomFacts.push_back(randomFacts(graph, c, facts, facts.size(), rng));
            Outcome o;
            o.explained = !facts.empty();
            o.size = facts.size();
            if (o.explained) {
                const auto after = search.postTrainedRank(c.head, c.relation, c.tail, facts, evalPost);
                const auto random = search.postTrainedRank(c.head, c.relation, c.tail, m.randomFacts.back(), evalPost);
                o.after = after.rank, o.scoreAfter = after.score;
                o.randomAfter = random.rank, o.randomScoreAfter = random.score;
            }
            m.postTrain.push_back(o);
        }
    }
    auto p90 = [](std::vector<double> v) {
        if (v.empty())
            return 0.0;
        std::sort(v.begin(), v.end());
        return v[v.size() * 9 / 10];
    };
    std::printf("  necessary-fact search: median %.2f s, p90 %.2f s, max %.2f s per answer (goal < 2 s on fb15k-237)\n",
                median(necessarySeconds), p90(necessarySeconds), maxOf(necessarySeconds));
    std::printf("  sufficient-fact search: median %.2f s, max %.2f s; converted half the entities in %d of %zu\n",
                median(sufficientSeconds), maxOf(sufficientSeconds), sufficientAchieved, sufficientSeconds.size());
    std::printf("  paths found and scored (support) in median %.3f s, max %.3f s; head facts on paths median %.0f, "
                "max %.0f; paths scored %.1f%%; support (batched, fewer facts per mimic) vs the drop post-trained "
                "alone: same best among the scored in %d of %d answers, Pearson r median %.3f, min %.3f (%zu answers "
                "with 3+ scored head facts)\n",
                median(pathSeconds), maxOf(pathSeconds), median(headFactsOnPaths), maxOf(headFactsOnPaths),
                100.0 * std::accumulate(scoredShare.begin(), scoredShare.end(), 0.0) / std::max<size_t>(1, scoredShare.size()),
                sameBest, withPaths, median(correlations),
                correlations.empty() ? 0.0 : *std::min_element(correlations.begin(), correlations.end()), correlations.size());
    for (const auto& [method, m] : methods)
        report(name.c_str(), method.c_str(), "post-train", m.postTrain, beforePost);

    if (transformer && data.train.size(0) < 100000)
        transformerFaithfulness(path, name, *transformer, nCases, rng);
    if (gnnEpochs > 0 && data.train.size(0) < 100000)
        gnnFaithfulness(path, name, gnnEpochs, gnnExact, nCases, rng);
    if (!retrain || data.train.size(0) >= 100000)
        return;
    const std::vector<double> beforeRetrain(cases.size(), 1.0); // ranked first by the trained model
    for (auto& [method, m] : methods) {
        std::unordered_set<int64_t> expl, random;
        for (size_t i = 0; i < cases.size(); ++i) {
            expl.insert(m.facts[i].begin(), m.facts[i].end());
            random.insert(m.randomFacts[i].begin(), m.randomFacts[i].end());
        }
        t0 = Clock::now();
        const auto after = retrainedRanks(config, data, cases, expl);
        const auto afterRandom = retrainedRanks(config, data, cases, random);
        for (size_t i = 0; i < cases.size(); ++i)
            m.retrain.push_back({!m.facts[i].empty(), m.facts[i].size(), after.first[i], afterRandom.first[i],
                                 after.second[i], afterRandom.second[i]});
        std::printf("  (retrained twice without %zu / %zu facts in %.0f s)\n", expl.size(), random.size(), secs(t0));
        report(name.c_str(), method.c_str(), "retrain", m.retrain, beforeRetrain);
    }
}

} // namespace

int main(int argc, char** argv)
{
    kg::useFasterBlasKernels(argv); // as kgwb does: the product's speed, not the fallback kernels'
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::string datasets = "../shared/datasets", names = "umls,fb15k-237";
    int cases = 30;
    bool retrain = false, latency = true;
    int64_t fbEpochs = 4, transformerEpochs = 0;
    std::string modelCache, transformerPreset, transformerShortcut;
    bool transformerOnly = false, gnnOnly = false, gnnExact = false;
    int64_t gnnEpochs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--skip-latency")
            latency = false;
        else if (a == "--retrain")
            retrain = true;
        else if (a == "--cases" && i + 1 < argc)
            cases = std::atoi(argv[++i]);
        else if (a == "--datasets" && i + 1 < argc)
            names = argv[++i];
        else if (a == "--transformer-epochs" && i + 1 < argc)
            transformerEpochs = std::atoll(argv[++i]);
        else if (a == "--transformer-preset" && i + 1 < argc)
            transformerPreset = argv[++i];
        else if (a == "--transformer-shortcut" && i + 1 < argc)
            transformerShortcut = argv[++i];
        else if (a == "--transformer-only")
            transformerOnly = true, latency = false;
        else if (a == "--compgcn-epochs" && i + 1 < argc)
            gnnEpochs = std::atoll(argv[++i]), gnnEpochsGiven = true;
        else if (a == "--compgcn-layers" && i + 1 < argc)
            gnnLayers = std::atoll(argv[++i]);
        else if (a == "--compgcn-exact")
            gnnExact = true;
        else if (a == "--compgcn-only")
            gnnOnly = true, latency = false;
        else if (a == "--model-cache" && i + 1 < argc)
            modelCache = argv[++i];
        else if (a == "--epochs-fb" && i + 1 < argc)
            fbEpochs = std::atoll(argv[++i]);
        else
            datasets = a;
    }
    // The transformer explained: a Training tab preset (ml/train_presets.h), or the small
    // default (8 context facts) when only --transformer-epochs is given.
    std::optional<TrainConfig> transformer;
    if (!transformerPreset.empty()) {
        transformer = trainPreset(transformerPreset).config;
        if (transformer->model != ModelKind::Transformer || transformer->transformer.context == 0) {
            std::fprintf(stderr, "bench_explain: --transformer-preset needs a transformer preset with context facts\n");
            return 2;
        }
        if (transformerEpochs > 0)
            transformer->epochs = transformerEpochs;
    } else if (transformerEpochs > 0) {
        transformer = TrainConfig();
        transformer->model = ModelKind::Transformer, transformer->dim = 128, transformer->lr = 1e-3;
        transformer->batchSize = 128, transformer->epochs = transformerEpochs;
        transformer->transformer.context = 8;
    }
    if (transformer) {
        transformer->threads = 2, transformer->device = "cpu";
        if (!transformerShortcut.empty())
            transformer->transformer.shortcut = transformerShortcut == "on";
    }
    if (gnnOnly && gnnEpochs <= 0)
        gnnEpochs = 30;
    if (transformerOnly && !transformer) {
        std::fprintf(stderr, "bench_explain: --transformer-only needs --transformer-preset or --transformer-epochs\n");
        return 2;
    }
    const auto tmp = std::filesystem::temp_directory_path() / ("kgwb-bench-explain-" + std::to_string(getpid()));
    std::filesystem::create_directories(tmp);
    std::mt19937_64 rng(11);

    if (latency) {
        const std::string path = importDataset(datasets, "fb15k-237", (tmp / "fb-latency.kgwb").string());
        auto t0 = Clock::now();
        const size_t nRules = mineAndStoreRules(path);
        std::printf("fb15k-237: mined %zu rules in %.1f s (stored in the project)\n", nRules, secs(t0));
        Explainer explainer(path);
        std::vector<double> total;
        auto project = Project::open(path, Project::OpenMode::ReadOnly);
        const auto data = KgData::fromProject(*project);
        for (int i = 0; i < 100; ++i) {
            const int64_t row = static_cast<int64_t>(rng() % static_cast<uint64_t>(data.test.size(0)));
            const int64_t h = data.entityIds[static_cast<size_t>(data.test[row][0].item<int64_t>())];
            const int64_t r = data.relationIds[static_cast<size_t>(data.test[row][1].item<int64_t>())];
            const int64_t t = data.entityIds[static_cast<size_t>(data.test[row][2].item<int64_t>())];
            const auto a = Clock::now();
            explainer.answers(h, r, 10);
            explainer.paths(h, r, t);
            total.push_back(secs(a) * 1000);
        }
        std::sort(total.begin(), total.end());
        std::printf("rules: rank answers + paths over 100 test queries: median %.1f ms, p95 %.1f ms\n",
                    total[total.size() / 2], total[total.size() * 95 / 100]);
    }
    std::stringstream list(names);
    for (std::string name; std::getline(list, name, ',');)
        faithfulness(datasets, name, tmp, cases, retrain, fbEpochs, transformer, transformerOnly, gnnEpochs, gnnOnly,
                     gnnExact, modelCache, rng);
    std::filesystem::remove_all(tmp);
    return 0;
}
