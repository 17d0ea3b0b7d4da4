// The CompGCN graph encoder: sparse message passing equal to a dense reference, training on
// umls through the job API (run record), and checkpoints that restore the model and refuse
// other shapes.
#include <torch/torch.h> // before Qt (QT_NO_KEYWORDS is set for this target)

#include <QTest>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

#include "import/importer.h"
#include "ml/checkpoint.h"
#include "ml/entity_table.h"
#include "ml/explainer.h"
#include "ml/gnn_explain.h"
#include "ml/evaluator.h"
#include "ml/gnn_trainer.h"
#include "ml/kg_data.h"
#include "ml/train_job.h"
#include "store/project.h"
#include "store/run_store.h"
#include "store/run_summary.h"
#include "stats.h"
#include "test_util.h"

using namespace kg::ml;
using kgtest::s;

class TestGnn : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void messagePassingMatchesDenseReference();
    void learnsUmlsThroughTheJobApi();
    void checkpointsRoundTripAndRefuseOtherShapes();
    void explainsAndMapsARun();
};

void TestGnn::messagePassingMatchesDenseReference()
{
    torch::manual_seed(5);
    const int64_t N = 7, R = 3, D = 5;
    // Distinct triples, some entities with several in-edges, one with none.
    const auto triples = torch::tensor({0, 0, 1, 2, 0, 1, 3, 1, 1, 1, 2, 4, 4, 2, 1, 5, 0, 4, 1, 1, 5, 0, 2, 3, 6, 1, 0},
                                       torch::kInt64)
                             .view({-1, 3});
    const auto g = GnnGraph::fromTriples(triples, N, R);
    CompGcnLayer layer(D, D, 0.3);
    layer->eval(); // no dropout
    torch::NoGradGuard noGrad;
    const auto x = torch::randn({N, D}), z = torch::randn({2 * R + 1, D});
    const auto [sparse, zNext] = layer->forward(x, z, g);

    // Dense: one N x N adjacency per relation and direction, rows normalised by in-degree.
    auto adjacency = [&](bool inverse) {
        auto a = torch::zeros({2 * R, N, N});
        for (int64_t i = 0; i < triples.size(0); ++i) {
            const int64_t h = triples[i][0].item<int64_t>(), r = triples[i][1].item<int64_t>(),
                          t = triples[i][2].item<int64_t>();
            if (inverse)
                a[r + R][h][t] = 1; // t -> h along r⁻¹
            else
                a[r][t][h] = 1;     // h -> t along r
        }
        const auto degree = a.sum(std::vector<int64_t>{0, 2}).clamp_min(1);
        return a / degree.view({1, N, 1});
    };
    auto aggregate = [&](const torch::Tensor& a, torch::nn::Linear w) {
        auto out = torch::zeros({N, D});
        for (int64_t r = 0; r < 2 * R; ++r)
            out += torch::matmul(a[r], w->forward(x) - w->forward(z[r]).unsqueeze(0));
        return out;
    };
    const auto dense = torch::tanh((aggregate(adjacency(false), layer->wIn) + aggregate(adjacency(true), layer->wOut) +
                                    layer->wSelf->forward(x - z[2 * R])) /
                                   3.0);
    const double gap = (sparse - dense).abs().max().template item<double>();
    QVERIFY2(gap < 1e-5, qPrintable(QString::number(gap)));
    QVERIFY(torch::allclose(zNext, layer->wRel->forward(z)));
    QCOMPARE(g.in.src.size(0), triples.size(0));
    QCOMPARE(g.out.src.size(0), triples.size(0));
}

namespace {

JobSpec gnnSpec(const QTemporaryDir& dir, int64_t epochs)
{
    JobSpec spec;
    spec.config.model = ModelKind::CompGCN;
    spec.config.dim = 32;
    spec.config.lr = 0.01;
    spec.config.batchSize = 32;
    spec.config.epochs = epochs;
    spec.config.threads = 2;
    spec.config.device = "cpu";
    spec.checkpoint = s(dir.filePath("gnn.ckpt"));
    spec.evalEvery = 10;
    spec.progressIntervalMs = 0;
    return spec;
}

// umls with its splits in dir/umls.kgwb; "" when the shared datasets are not there.
std::string importUmls(const QTemporaryDir& dir)
{
    const QString umls = QStringLiteral(KGWB_DATASETS_DIR "/umls");
    if (!QFile::exists(umls + "/train.tsv"))
        return {};
    const std::string project = s(dir.filePath("umls.kgwb"));
    auto p = kg::Project::open(project);
    kg::import::ImportRequest req;
    req.tripleFiles = {s(umls + "/train.tsv"), kg::import::TripleFile(s(umls + "/valid.tsv"), kg::Split::Valid),
                       kg::import::TripleFile(s(umls + "/test.tsv"), kg::Split::Test)};
    kg::import::runImport(*p, req);
    return project;
}

// The setting that learns umls (seeds 1-3: test MRR .846 / .876 / .893).
JobSpec umlsSpec(const QTemporaryDir& dir)
{
    auto spec = gnnSpec(dir, 12);
    spec.config.dim = 64;
    spec.config.lr = 0.005;
    spec.config.batchSize = 256;
    return spec;
}

} // namespace

void TestGnn::learnsUmlsThroughTheJobApi()
{
    QTemporaryDir dir;
    const std::string project = importUmls(dir);
    if (project.empty())
        QSKIP("shared datasets not found next to the checkout");
    auto spec = umlsSpec(dir);
    spec.evalEvery = 4;
    QCOMPARE(JobSpec::fromJson(spec.toJson()).config.model, ModelKind::CompGCN);
    TrainJob job(project, spec);
    int validations = 0;
    const auto r = job.run([&](const JobEvent& e) { validations += e.kind == JobEvent::Kind::Validation; });
    QCOMPARE(r.status, std::string("finished"));
    QVERIFY(r.test);
    qInfo("umls: CompGCN test MRR %.3f, best valid %.3f", r.test->mrr, r.bestValidMrr.value_or(-1));
    // Seeds 1-3 gave .846 / .876 / .893 in this setting (ComplEx d200 reaches about .88).
    QVERIFY(r.test->mrr > 0.75);
    QCOMPARE(validations, 3);
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const auto run = kg::RunStore(*p).run(r.runId);
    QVERIFY(run);
    QVERIFY(run->config.find("\"compgcn\"") != std::string::npos);
    QVERIFY(run->config.find("\"gnn\"") != std::string::npos);
}

void TestGnn::checkpointsRoundTripAndRefuseOtherShapes()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir);
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const KgData data = KgData::fromProject(*p);
    auto config = gnnSpec(dir, 3).config;
    auto trainer = makeTrainer(config, data, project);
    trainer->run();
    const std::string path = s(dir.filePath("a.ckpt"));
    saveCheckpoint(path, *trainer);
    const FilterIndex filter(data);
    const auto before = trainer->evaluate(data.valid, filter);
    auto again = makeTrainer(config, data, project);
    loadCheckpoint(path, *again);
    QCOMPARE(again->epochsDone(), int64_t(3));
    QCOMPARE(again->evaluate(data.valid, filter).mrr, before.mrr);
    config.dim = 16;
    auto other = makeTrainer(config, data, project);
    try {
        loadCheckpoint(path, *other);
        QFAIL("a checkpoint of another dim must be refused");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Format);
    }
    config.gnn.layers = 2;
    config.dim = 32;
    QVERIFY_THROWS_EXCEPTION(kg::Error, loadCheckpoint(path, *makeTrainer(config, data, project)));
}

void TestGnn::explainsAndMapsARun()
{
    // A kept CompGCN run ranks answers in the explainer, explains one by occlusion in its
    // message-passing graph, and gives the entity map and export its encoded entity states.
    QTemporaryDir dir;
    const std::string project = importUmls(dir);
    if (project.empty())
        QSKIP("shared datasets not found next to the checkout");
    auto spec = umlsSpec(dir);
    spec.evalEvery = 0;
    const auto r = TrainJob(project, spec).run([](const JobEvent&) {});
    QCOMPARE(r.status, std::string("finished"));
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const auto run = kg::RunStore(*p).run(r.runId);
    QVERIFY(run && kg::keepsModel(*run, kg::summarize(*run)));
    const KgData data = KgData::fromProject(*p);

    std::string description;
    const auto table = entityTable(project, readModel(*p, kg::modelKey(r.runId)), data, description);
    QCOMPARE(table.sizes().vec(), (std::vector<int64_t>{data.numEntities, 64}));
    QVERIFY(table.isfinite().all().item<bool>());
    QCOMPARE(description, std::string("compgcn d64"));

    Explainer explainer(project, kg::modelKey(r.runId));
    const auto kept = readModel(*p, kg::modelKey(r.runId));
    const auto gnn = kg::ml::GnnModel::fromBytes(*p, kept.bytes, kept.name);
    QVERIFY(explainer.hasModel() && !explainer.hasKge() && !explainer.hasTransformer());
    // Held-out test answers among the run's top 3: each explained by occlusion.
    int tried = 0, explained = 0;
    std::vector<std::array<int64_t, 3>> triedQueries;
    for (int64_t i = 0; i < data.test.size(0) && tried < 8; ++i) {
        const auto row = data.test[i];
        const int64_t h = data.entityIds[static_cast<size_t>(row[0].item<int64_t>())];
        const int64_t rel = data.relationIds[static_cast<size_t>(row[1].item<int64_t>())];
        const int64_t t = data.entityIds[static_cast<size_t>(row[2].item<int64_t>())];
        const auto answers = explainer.answers(h, rel, 3);
        QCOMPARE(answers.size(), size_t(3));
        QVERIFY(answers[0].score >= answers[1].score && answers[1].score >= answers[2].score);
        if (std::none_of(answers.begin(), answers.end(), [&](const RankedAnswer& a) { return a.entity == t; }))
            continue;
        ++tried;
        triedQueries.push_back({h, rel, t});
        kg::ml::FactSearchOptions o; // more than the defaults (16, 8): removals seldom drop a CompGCN answer
        o.candidates = 40;
        o.maxSize = 40;
        const auto n = explainer.necessary(h, rel, t, o);
        QVERIFY(n.rankBefore >= 1 && n.rankBefore <= 3); // filtered: known tails do not count
        { // the same deletion as the search's, through ranksWithout (the benchmark's)
            std::vector<int64_t> set;
            for (const auto& f : n.facts)
                set.push_back(f.triple);
            const auto ranks = gnn->ranksWithout(h, rel, t, {{}, set});
            QCOMPARE(ranks[0].first, n.rankBefore);
            QCOMPARE(ranks[1].first, n.rankAfter);
        }
        QVERIFY(n.headFacts > 0);
        QVERIFY(n.candidates.size() <= size_t(o.candidates));
        for (const auto& c : n.candidates) {
            QVERIFY(c.fact.head == h || c.fact.tail == h);
            QVERIFY(c.scoreDrop > 0 && std::abs(c.scoreDrop - c.influence) < 1e-6); // one measurement
        }
        // Some of the head's facts raise the answer's score (seeds 1-4: every answer tried).
        QVERIFY(!n.candidates.empty() && !n.facts.empty() && n.facts.size() <= size_t(o.maxSize));
        if (n.achieved) {
            QVERIFY(n.rankAfter > n.rankBefore);
            ++explained;
        } else if (n.rankBefore == 1) { // then the set reported lowers the score most, at least as the strongest alone
            QVERIFY(n.scoreAfter <= n.scoreBefore - n.candidates[0].scoreDrop + 1e-6);
        }
    }
    // Few answers drop: umls entities hold 35-221 facts and the answer rests on the head's own
    // state as much as on any 40 of them (seeds 1-4: 1, 1, 1 and 2 of 12 answers).
    qInfo("umls: %d test answers in the top 3 explained, %d with facts whose removal drops them", tried, explained);
    QCOMPARE(tried, 8);

    // Paths get the CompGCN's scores and its order: modelScore is the support, the answer's
    // score drop estimated (one backward pass) for leaving the path's edges out of the graph.
    // Re-encoding without them measures it exactly: checked on the 4 best paths and 6 others.
    // The decoder's composition of a path of one stored edge is the model's score of that triple.
    int oneEdge = 0;
    std::mt19937_64 pick(3);
    for (const auto& t : triedQueries) {
        const auto paths = explainer.paths(t[0], t[1], t[2]);
        QVERIFY(paths.size() >= 10); // umls: dense, every answer tried has many
        std::set<double> distinct;
        for (size_t i = 0; i < paths.size(); ++i) {
            const auto& p = paths[i];
            QVERIFY(std::isfinite(p.modelScore) && p.modelScore == p.support);
            if (i > 0)
                QVERIFY(paths[i - 1].modelScore >= p.modelScore);
            distinct.insert(p.modelScore);
            if (p.steps.size() == 1 && !p.steps[0].inverse) {
                const auto ranked = explainer.answers(t[0], p.steps[0].relation, static_cast<int>(data.numEntities));
                const auto it = std::find_if(ranked.begin(), ranked.end(),
                                             [&](const RankedAnswer& a) { return a.entity == t[2]; });
                QVERIFY(it != ranked.end());
                QVERIFY2(std::abs(it->score - p.compositionScore) < 1e-4 * std::max(1.0, std::abs(it->score)),
                         qPrintable(QString("%1 vs %2").arg(it->score).arg(p.compositionScore)));
                ++oneEdge;
            }
        }
        QVERIFY(distinct.size() > 1);
        QVERIFY(paths.front().support > 0); // the best path supports the answer
        std::vector<size_t> sample{0, 1, 2, 3};
        while (sample.size() < 10)
            if (const size_t i = 4 + pick() % (paths.size() - 4); std::count(sample.begin(), sample.end(), i) == 0)
                sample.push_back(i);
        std::vector<std::vector<int64_t>> sets;
        for (const size_t i : sample) {
            sets.emplace_back();
            for (const auto& s : paths[i].steps)
                sets.back().push_back(s.triple);
        }
        sets.emplace_back(); // nothing left out
        const auto ranks = gnn->ranksWithout(t[0], t[1], t[2], sets);
        std::vector<double> estimated, exact;
        for (size_t k = 0; k < sample.size(); ++k) {
            estimated.push_back(paths[sample[k]].support);
            exact.push_back(ranks.back().second - ranks[k].second);
        }
        // Seeds 1-4 and the default: r 0.993-1.000 over all 500 paths of each answer; the
        // estimated best path was the exact best in 39 of 40 answers, the other within 1%.
        const double r = kgstats::pearson(estimated, exact);
        QVERIFY2(r > 0.9, qPrintable(QString::number(r)));
        QVERIFY2(exact[0] >= 0.9 * *std::max_element(exact.begin(), exact.end()),
                 qPrintable(QString("best estimated drop %1 (exact %2)").arg(estimated[0]).arg(exact[0])));
    }
    QVERIFY(oneEdge > 0);

    // Sufficient facts: the head's supporting facts (the necessary search's candidates, in its
    // order) copied onto 10 other entities in the graph, which is encoded again for each. An
    // answer most entities already hold or rank first has none to convert: the first tried
    // answer with some is checked.
    kg::ml::FactSearchOptions o;
    o.candidates = 40; // as above
    kg::ml::SufficientExplanation su;
    std::array<int64_t, 3> q{};
    for (const auto& t : triedQueries) {
        su = explainer.sufficient(t[0], t[1], t[2], o);
        qInfo("sufficient: %zu facts, %zu entities, share %.2f, mean rank %.2f -> %.2f in %.2f s", su.facts.size(),
              su.entities.size(), su.convertedShare, su.rankBefore, su.rankAfter, su.seconds);
        if (!su.entities.empty()) {
            q = t;
            break;
        }
    }
    QVERIFY(!su.entities.empty());
    const auto n = explainer.necessary(q[0], q[1], q[2], o);
    QVERIFY(!su.facts.empty() && su.facts.size() <= n.candidates.size());
    for (size_t i = 0; i < su.facts.size(); ++i)
        QCOMPARE(su.facts[i].triple, n.candidates[i].fact.triple);
    QCOMPARE(su.entities.size(), size_t(10));
    for (const int64_t x : su.entities) {
        QVERIFY(x != q[0] && x != q[2]);
        QCOMPARE(std::count(su.entities.begin(), su.entities.end(), x), 1);
    }
    QVERIFY(su.rankBefore > 1.5); // none ranked the answer first before
    QCOMPARE(su.achieved, su.convertedShare >= 0.5);
    // The copies raise the answer for them: seeds 1-4 and the default gave mean ranks
    // 19.9 -> 14.9, 9.1 -> 5.4, 11.3 -> 7.0, 19.9 -> 13.7 and 6.5 -> 2.7.
    QVERIFY2(su.rankAfter < su.rankBefore, qPrintable(QString("%1 -> %2").arg(su.rankBefore).arg(su.rankAfter)));
}

QTEST_GUILESS_MAIN(TestGnn)
#include "tst_gnn.moc"
