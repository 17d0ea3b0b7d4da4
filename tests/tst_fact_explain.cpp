// Necessary and sufficient facts (ml/kelpie.h) on a small graph with a planted explanation:
// every subject x has (x, link, y_x), and target is a copy of link, so the model answers
// (h, target, ?) with y_h because of (h, link, y_h). Real LibTorch training, CPU.
#include <torch/torch.h> // before Qt (QT_NO_KEYWORDS is set for this target)

#include <QTest>
#include <cmath>
#include <map>
#include <random>

#include "ml/evaluator.h"
#include "ml/kelpie.h"
#include "ml/trainer.h"
#include "reason/graph_index.h"
#include "reason/paths.h"

using namespace kg::ml;

namespace {

constexpr int64_t kSubjects = 40, kObjects = 20, kLink = 0, kTarget = 1, kNoise = 2, kHeld = 6;

struct Planted {
    KgData data;
    kg::reason::GraphIndex graph;
    std::vector<int64_t> answer;  // y_x per subject
    std::vector<int64_t> linkId;  // triple id of (x, link, y_x)
};

Planted planted(uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> object(kSubjects, kSubjects + kObjects - 1), any(0, kSubjects + kObjects - 1);
    Planted p;
    std::vector<kg::TripleRecord> train;
    std::vector<int64_t> test;
    auto add = [&](int64_t h, int64_t r, int64_t t) {
        train.push_back({static_cast<int64_t>(train.size()), h, r, t, kg::Split::Train});
        return train.back().id;
    };
    for (int64_t x = 0; x < kSubjects; ++x) {
        p.answer.push_back(object(rng));
        p.linkId.push_back(add(x, kLink, p.answer.back()));
        if (x >= kHeld) // the first kHeld subjects' target facts are the test answers
            add(x, kTarget, p.answer.back());
        else
            test.insert(test.end(), {x, kTarget, p.answer.back()});
        for (int i = 0; i < 4; ++i)
            add(x, kNoise, any(rng));
    }
    std::vector<int64_t> rows;
    for (const auto& t : train)
        rows.insert(rows.end(), {t.head, t.rel, t.tail});
    p.data = KgData::fromTensors(kSubjects + kObjects, 3, torch::tensor(rows, torch::kInt64).view({-1, 3}),
                                 torch::tensor(test, torch::kInt64).view({-1, 3}),
                                 torch::tensor(test, torch::kInt64).view({-1, 3}));
    p.graph = kg::reason::GraphIndex::fromTriples(train);
    return p;
}

std::unique_ptr<Trainer> trained(const KgData& data, uint64_t seed)
{
    TrainConfig c;
    c.model = ModelKind::ComplEx;
    c.dim = 32;
    c.mode = TrainMode::OneVsAll;
    c.epochs = 150;
    c.batchSize = 64;
    c.lr = 0.02;
    c.threads = 2;
    c.device = "cpu";
    c.seed = seed;
    auto t = std::make_unique<Trainer>(c, data);
    t->run();
    return t;
}

} // namespace

class TestFactExplain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void necessaryFindsThePlantedFact();
    void postTrainingWithNothingRemovedKeepsTheRank();
    void sufficientFactsConvertOtherEntities();
    void pathSupportTracksPostTraining();
    void unknownIdsAreRejected();
};

void TestFactExplain::necessaryFindsThePlantedFact()
{
    int rankedFirst = 0, found = 0;
    const uint64_t base = qEnvironmentVariableIsSet("SEED") ? qEnvironmentVariableIntValue("SEED") : 1;
    for (uint64_t seed : {base, base + 1}) {
        auto p = planted(seed);
        auto trainer = trained(p.data, seed);
        const FactSearch search(trainer->model(), p.data, p.graph);
        for (int64_t h = 0; h < kHeld; ++h) {
            const auto n = search.necessary(h, kTarget, p.answer[static_cast<size_t>(h)], {});
            if (n.modelRank > 1)
                continue;
            ++rankedFirst;
            QVERIFY(n.headFacts >= 5); // link + 4 noise facts (+ noise pointing at h), not the query itself
            QVERIFY(!n.candidates.empty());
            const bool planted = n.achieved && n.facts.size() <= 2 &&
                                 std::any_of(n.facts.begin(), n.facts.end(), [&](const FactRef& f) {
                                     return f.triple == p.linkId[static_cast<size_t>(h)];
                                 });
            found += planted ? 1 : 0;
            if (planted) {
                QVERIFY2(n.rankAfter > n.rankBefore, qPrintable(QString("%1 -> %2").arg(n.rankBefore).arg(n.rankAfter)));
                QVERIFY(std::any_of(n.candidates.begin(), n.candidates.end(), [&](const FactEffect& c) {
                    return c.fact.triple == p.linkId[static_cast<size_t>(h)];
                }));
            }
        }
    }
    qInfo("model ranked %d of %lld held-out answers first; planted fact found for %d", rankedFirst,
          static_cast<long long>(2 * kHeld), found);
    QVERIFY(rankedFirst >= 6);
    // Seeds 1-71 found it for 8-11 of 11-12 answers (a random fact of the 5+ would be 1 in 5).
    QVERIFY2(2 * found >= rankedFirst, qPrintable(QString("%1 of %2").arg(found).arg(rankedFirst)));
}

void TestFactExplain::postTrainingWithNothingRemovedKeepsTheRank()
{
    const uint64_t seed = qEnvironmentVariableIsSet("SEED") ? qEnvironmentVariableIntValue("SEED") : 3;
    auto p = planted(seed);
    auto trainer = trained(p.data, seed);
    const FactSearch search(trainer->model(), p.data, p.graph);
    int same = 0, checked = 0;
    for (int64_t h = 0; h < kSubjects; h += 3) {
        const int64_t relation = h < kHeld ? kTarget : kLink;
        const int64_t answer = p.answer[static_cast<size_t>(h)];
        const auto n = search.necessary(h, relation, answer, {});
        ++checked;
        same += n.rankBefore == n.modelRank ? 1 : 0;
        // The same post-training twice gives the same rank (seeded start and negatives).
        PostTrainOptions o;
        const auto first = search.postTrainedRank(h, relation, answer, {}, o);
        const auto second = search.postTrainedRank(h, relation, answer, {}, o);
        QCOMPARE(first.rank, second.rank);
        QCOMPARE(first.score, second.score);
    }
    qInfo("post-trained rank equals the model's for %d of %d answers", same, checked);
    // Seeds 1-71: 12-14 of 14.
    QVERIFY2(same >= checked - 4, qPrintable(QString("%1 of %2").arg(same).arg(checked)));
}

void TestFactExplain::sufficientFactsConvertOtherEntities()
{
    const uint64_t seed = qEnvironmentVariableIsSet("SEED") ? qEnvironmentVariableIntValue("SEED") : 4;
    auto p = planted(seed);
    auto trainer = trained(p.data, seed);
    const FactSearch search(trainer->model(), p.data, p.graph);
    int achieved = 0, withLink = 0, improved = 0;
    for (int64_t h = 0; h < kHeld; ++h) {
        const auto s = search.sufficient(h, kTarget, p.answer[static_cast<size_t>(h)], {});
        QVERIFY(!s.entities.empty());
        QVERIFY(s.rankBefore > 1);
        achieved += s.achieved ? 1 : 0;
        withLink += std::any_of(s.facts.begin(), s.facts.end(),
                                [&](const FactRef& f) { return f.triple == p.linkId[static_cast<size_t>(h)]; });
        improved += s.rankAfter < s.rankBefore ? 1 : 0;
    }
    // Subjects with their own (c, target, y_c) keep y_c first, so not every entity converts.
    qInfo("sufficient: %d of %lld converted half their entities, %d improved the mean rank, %d include the planted fact",
          achieved, static_cast<long long>(kHeld), improved, withLink);
    QVERIFY(improved >= kHeld - 1);
    QVERIFY(withLink >= kHeld - 2);
}

void TestFactExplain::pathSupportTracksPostTraining()
{
    // removalDrops (the Explain tab's KGE path order): per path, the answer's score drop with
    // its fact of the head left out of post-training, from one batched post-training; the same
    // as post-training without it alone, and the planted fact's path leads.
    const uint64_t base = qEnvironmentVariableIsSet("SEED") ? qEnvironmentVariableIntValue("SEED") : 1;
    int answers = 0, plantedFirst = 0;
    for (uint64_t seed : {base, base + 1}) {
        auto p = planted(seed);
        auto trainer = trained(p.data, seed);
        const FactSearch search(trainer->model(), p.data, p.graph);
        for (int64_t h = 0; h < kHeld; ++h) {
            const int64_t answer = p.answer[static_cast<size_t>(h)];
            const auto paths = kg::reason::findPaths(p.graph, h, kTarget, answer, nullptr, {});
            std::vector<std::vector<int64_t>> removals;
            for (const auto& path : paths) {
                removals.emplace_back();
                for (const auto& step : path.steps)
                    removals.back().push_back(step.triple);
            }
            removals.push_back({p.linkId[static_cast<size_t>((h + 1) % kSubjects)]}); // not a fact of h: 0
            const auto drops = search.removalDrops(h, kTarget, answer, removals, {});
            QCOMPARE(drops.size(), removals.size());
            QCOMPARE(drops.back(), 0.0);
            // Per distinct head fact (a simple path's first): the path's other facts count 0.
            std::map<int64_t, double> byFact;
            for (size_t i = 0; i < paths.size(); ++i) {
                QVERIFY(!std::isnan(drops[i])); // fewer than maxSets head facts: all measured
                const auto [it, added] = byFact.emplace(paths[i].steps.front().triple, drops[i]);
                QVERIFY(added || it->second == drops[i]);
            }
            if (byFact.size() < 2)
                continue;
            ++answers;
            const double before = search.postTrainedRank(h, kTarget, answer, {}, {}).score;
            for (const auto& [triple, drop] : byFact) { // one mimic's result does not depend on the others
                const double alone = before - search.postTrainedRank(h, kTarget, answer, {triple}, {}).score;
                QVERIFY2(std::abs(drop - alone) <= 1e-3 * std::max(1.0, std::abs(before)),
                         qPrintable(QString("%1 vs %2").arg(drop).arg(alone)));
            }
            const auto top = std::max_element(byFact.begin(), byFact.end(),
                                              [](const auto& a, const auto& b) { return a.second < b.second; });
            plantedFirst += top->first == p.linkId[static_cast<size_t>(h)] ? 1 : 0;
        }
    }
    qInfo("%d answers with 2+ head facts on paths: the planted fact's path first in %d", answers, plantedFirst);
    QVERIFY(answers >= 6);
    // Seeds 1-41 (odd): 7 of 10 to 12 of 12; a random one of the 2-6 head facts on paths would
    // lead in about 1 of 4.
    QVERIFY2(2 * plantedFirst > answers, qPrintable(QString("%1 of %2").arg(plantedFirst).arg(answers)));
}

void TestFactExplain::unknownIdsAreRejected()
{
    auto p = planted(5);
    TrainConfig c;
    c.dim = 8;
    c.device = "cpu";
    Trainer trainer(c, p.data);
    const FactSearch search(trainer.model(), p.data, p.graph);
    try {
        search.necessary(0, 99, 1, {});
        QFAIL("expected an error");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::NotFound);
    }
}

QTEST_GUILESS_MAIN(TestFactExplain)
#include "tst_fact_explain.moc"
