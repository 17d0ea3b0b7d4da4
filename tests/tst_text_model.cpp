// Training the triple transformer through the job API; the suite's main (see tst_text_model.h).
#include "tst_text_model.h"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <zlib.h>
#include "import/importer.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/kg_data.h"
#include "ml/text_model.h"
#include "ml/text_trainer.h"
#include "ml/trainer.h"
#include "ml/train_job.h"
#include "ml/transformer.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "store/run_store.h"
#include "test_util.h"

using namespace kg::ml;
using kgtest::s;

namespace ttmtest {

TrainConfig small(int64_t epochs)
{
    TrainConfig c;
    c.model = ModelKind::Transformer;
    c.dim = 64;
    c.lr = 2e-3;
    c.batchSize = 32;
    c.epochs = epochs;
    c.threads = 1; // tiny ops: one thread is faster, and ctest runs two suites at once
    c.device = "cpu";
    c.seed = 7;
    c.transformer.heads = 4;
    c.transformer.layers = 2;
    c.transformer.context = 8;
    c.transformer.dropout = 0.1;
    c.transformer.vocabSize = 300;
    return c;
}

JobResult runJob(const std::string& project, const TrainConfig& c, int evalEvery,
                 const std::function<void(const JobEvent&)>& onEvent)
{
    JobSpec spec;
    spec.config = c;
    spec.evalEvery = evalEvery;
    spec.progressIntervalMs = 0;
    return TrainJob(project, spec).run(onEvent);
}

int64_t id(const std::string& project, const char* key, bool relation)
{
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    return relation ? p->relationByKey(key)->id : p->entityByKey(key)->id;
}

std::vector<double> epochLosses(TextTrainer& t)
{
    std::vector<double> out;
    for (const auto& r : t.run())
        out.push_back(r.meanLoss);
    return out;
}

} // namespace ttmtest

using namespace ttmtest;

void TestTextModel::configIsValidated()
{
    auto expectBad = [](TrainConfig c, const char* needle) {
        try {
            c.validate();
            QFAIL(qPrintable(QString("accepted a config that should fail with '%1'").arg(needle)));
        } catch (const kg::Error& e) {
            QCOMPARE(e.code(), kg::Errc::InvalidArgument);
            QVERIFY2(QString(e.what()).contains(needle), e.what());
        }
    };
    TrainConfig c = small();
    c.validate();
    TrainConfig d = c;
    d.dim = 66;
    expectBad(d, "divisible by heads");
    d = c;
    d.transformer.loraRank = 64;
    expectBad(d, "LoRA rank (64) must be below dim (64)");
    d = c;
    d.transformer.loraRank = 4;
    d.transformer.loraTargets = "q,attn";
    expectBad(d, "'attn' is not one of");
    d = c;
    d.transformer.loraRank = 4;
    d.transformer.stage = TextStage::Pretrain;
    expectBad(d, "LoRA is for fine-tuning");
    d = c;
    d.transformer.lambdaKge = -1;
    expectBad(d, "lambda");
    d = c;
    d.transformer.targets = "some";
    expectBad(d, "targets must be one or all");
    // JSON round trip keeps every transformer field; unknown fields are refused.
    c.transformer.loraRank = 4;
    c.transformer.lambdaLm = 0.25;
    c.transformer.useText = true;
    c.transformer.targets = "all";
    const auto back = TrainConfig::fromJson(c.toJson());
    QCOMPARE(back.toJson(), c.toJson());
    QVERIFY_THROWS_EXCEPTION(kg::Error, TrainConfig::fromJson(R"({"model":"transformer","transformer":{"layerz":2}})"));
    QVERIFY_THROWS_EXCEPTION(kg::Error, TrainConfig::fromJson(R"({"model":"transformer","transformer":{"layers":"2"}})"));
}

void TestTextModel::contextLeavesOutThePredictedFact()
{
    // Entity 0 has 5 facts; the one predicted (row 2) never appears in its own context.
    const std::vector<std::array<int64_t, 3>> train{{0, 0, 1}, {0, 0, 2}, {0, 1, 3}, {4, 1, 0}, {0, 0, 4}, {1, 0, 2}};
    NeighbourIndex index(train, 5, 2);
    QCOMPARE(index.facts(0).size(), size_t(5));
    SequenceBuilder b(TokenLayout{5, 2, 0}, &index, {}, {3, false, 0});
    std::mt19937_64 rng(1);
    for (int i = 0; i < 50; ++i) {
        const auto seq = b.build(0, 1, -1, 2, &rng);
        QCOMPARE(seq.ids.size(), size_t(4 + 3));
        QCOMPARE(seq.ids[3], TokenLayout::kMask);
        for (size_t t = 4; t < seq.ids.size(); ++t) {
            QVERIFY(seq.factRow[t] != 2);
            // The fact is a real edge of entity 0 in the stated direction.
            const auto& e = train[static_cast<size_t>(seq.factRow[t])];
            const int64_t rel = seq.aux[t] - TokenLayout{5, 2, 0}.relation(0);
            const int64_t other = seq.ids[t] - TokenLayout::kSpecials;
            if (rel < 2)
                QVERIFY(e[0] == 0 && e[1] == rel && e[2] == other);
            else
                QVERIFY(e[2] == 0 && e[1] == rel - 2 && e[0] == other);
        }
    }
    // Without an RNG the context is the index's fixed order: the same every time.
    QCOMPARE(b.build(0, 1, -1, -1, nullptr).ids, b.build(0, 1, -1, -1, nullptr).ids);
}

void TestTextModel::learnsASmallGraph()
{
    // Held out of a ring: valid holds prev facts (answerable from the context: prev = next⁻¹),
    // test two_ahead facts (composition, from identity embeddings). Thresholds from seeds 1..5
    // and 7 (30 epochs, also with ATEN_CPU_CAPABILITY=default): trained valid MRR 0.47-0.71,
    // test 0.26-0.45; untrained 0.04-0.12.
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 60);
    const auto untrained = runJob(project, small(0));
    const double before = TextModel::fromRun(project, untrained.runId)->evaluate(false).mrr;
    double tokensPerTriple = 0; // input tokens per example, from the last progress event's rates
    const auto trained = runJob(project, small(30), 10, [&](const JobEvent& e) {
        if (e.kind == JobEvent::Kind::Progress && e.triplesPerSecond > 0)
            tokensPerTriple = e.tokensPerSecond / e.triplesPerSecond;
    });
    const auto model = TextModel::fromRun(project, trained.runId);
    const RankMetrics valid = model->evaluate(false);
    const QString what = QString("valid MRR %1 -> %2, test %3").arg(before).arg(valid.mrr).arg(trained.test->mrr);
    qInfo("%s", qPrintable(what));
    QVERIFY2(before < 0.2, qPrintable(what));
    QVERIFY2(valid.mrr > 0.35, qPrintable(what));
    QVERIFY2(trained.test->mrr > 0.2, qPrintable(what));
    // Throughput in tokens: the query's 4 tokens plus up to 8 context facts of one token each.
    QVERIFY2(tokensPerTriple > 4 && tokensPerTriple <= 4 + 8 + 0.5, qPrintable(QString::number(tokensPerTriple)));
    // A training fact is recalled: e5 next ? -> e6 among the first 3.
    const auto ranked = model->rankTails(id(project, "e5"), id(project, "next", true), 3);
    QVERIFY(std::any_of(ranked.begin(), ranked.end(), [&](const auto& a) { return a.first == id(project, "e6"); }));
    // The run is recorded like any other.
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const auto record = kg::RunStore(*p).run(trained.runId);
    QCOMPARE(record->kind, std::string("transformer"));
    QCOMPARE(record->status, std::string("finished"));
}

void TestTextModel::pretrainThenLoraFinetune()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 40);
    TrainConfig pre = small(2);
    pre.transformer.stage = TextStage::Pretrain;
    const auto first = runJob(project, pre);
    {
        auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
        QVERIFY(kg::ArtifactStore(*p).get("tokenizer")); // pre-training trained and stored it
    }
    TrainConfig ft = small(3);
    ft.transformer.initFrom = first.runId;
    ft.transformer.loraRank = 4;
    ft.transformer.loraTargets = "q,k,v,o,ff1,ff2";
    ft.transformer.lambdaKge = 0.5;

    // The trainer that the job would build: only adapters and the small tensors train. The
    // entity rows get a full update (the default) or a rank-r adapter.
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const KgData data = KgData::fromProject(*p);
    std::string adapterCheckpoint;
    for (const char* entities : {"full", "adapter"}) {
        TrainConfig c = ft;
        c.transformer.loraEntities = entities;
        TextTrainer trainer(c, data, project);
        torch::serialize::InputArchive archive;
        readCheckpointArchive(keptModelBytes(*p, first.runId), "run", archive);
        trainer.initFrom(archive, "run");
        for (const auto& name : trainer.trainableParameters())
            QVERIFY2(kg::ml::trainsUnderLora(name), name.c_str());
        const double share = static_cast<double>(trainer.parameterCount(true)) / static_cast<double>(trainer.parameterCount(false));
        QVERIFY2(share > 0 && share < 0.25, qPrintable(QString::number(share)));
        const auto before = trainer.parameterNorms();
        trainer.run();
        std::map<std::string, double> old(before.begin(), before.end());
        int adaptersMoved = 0;
        bool entityRows = false;
        for (const auto& [name, norm] : trainer.parameterNorms()) {
            if (kg::ml::trainsUnderLora(name)) {
                adaptersMoved += (name.find("lora_B") != std::string::npos || name.find("lora_delta") != std::string::npos) && norm > 0;
                entityRows |= name == (std::string(entities) == "full" ? "entity_lora_delta" : "entity_lora_B");
                continue;
            }
            QCOMPARE(norm, old.at(name)); // frozen: bit-identical
        }
        QVERIFY2(entityRows, entities);
        QCOMPARE(adaptersMoved, 2 * 6 + 2); // B of 6 projections in 2 layers, the entity and relation updates
        if (std::string(entities) == "adapter") {
            adapterCheckpoint = s(dir.filePath("adapter.ckpt"));
            saveCheckpoint(adapterCheckpoint, trainer);
        }
    }
    // A LoRA run stored before "lora_entities" existed (its config lacks the key) had entity
    // adapters: it reads back as such and loads; read as full, its shapes would not fit.
    {
        std::string bytes = readCheckpointFile(adapterCheckpoint);
        uint64_t metaLength = 0;
        std::memcpy(&metaLength, bytes.data() + 12, 8);
        auto meta = nlohmann::json::parse(bytes.substr(20, metaLength));
        QVERIFY(meta["config"]["transformer"].erase("lora_entities") == 1);
        const std::string newMeta = meta.dump();
        const uint64_t newLength = newMeta.size();
        std::string legacy = bytes.substr(0, 12) + std::string(reinterpret_cast<const char*>(&newLength), 8) + newMeta +
                             bytes.substr(20 + metaLength, bytes.size() - 20 - metaLength - 4);
        const auto crc = static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(legacy.data()), static_cast<uInt>(legacy.size())));
        legacy.append(reinterpret_cast<const char*>(&crc), 4);
        const CheckpointInfo info = checkpointInfoFromBytes(legacy, "legacy");
        QCOMPARE(info.config.transformer.loraEntities, std::string("adapter"));
        TextTrainer again(info.config, data, project);
        loadCheckpointBytes(legacy, "legacy", again);
        TrainConfig full = info.config;
        full.transformer.loraEntities = "full";
        TextTrainer wrong(full, data, project);
        QVERIFY_THROWS_EXCEPTION(kg::Error, loadCheckpointBytes(legacy, "legacy", wrong));
    }

    // Through the job: the run starts from run 1's model and keeps its own.
    const auto second = runJob(project, ft);
    QVERIFY(second.test);
    QVERIFY(TextModel::fromRun(project, second.runId));
    // Initialising from a KGE run is refused with a reason.
    TrainConfig kge;
    kge.model = ModelKind::DistMult;
    kge.dim = 16;
    kge.epochs = 1;
    kge.threads = 2;
    JobSpec spec;
    spec.config = kge;
    spec.checkpoint = s(dir.filePath("kge.ckpt"));
    const auto kgeRun = TrainJob(project, spec).run({});
    ft.transformer.initFrom = kgeRun.runId;
    try {
        runJob(project, ft);
        QFAIL("initialised a transformer from a KGE run");
    } catch (const kg::Error& e) {
        QVERIFY2(QString(e.what()).contains("not the transformer"), e.what());
    }
}

void TestTextModel::aRunKeepsItsTokenizer()
{
    // A run that read text keeps the tokenizer it was trained with: the project's may be
    // replaced since (a run with another vocabulary size trains and stores its own, or kgwb
    // tokenizer import), and the run still loads, ranks as before and starts fine-tuning.
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 40);
    TrainConfig c = small(2);
    c.transformer.useText = true;
    const auto first = runJob(project, c);
    const int64_t h = id(project, "e3"), r = id(project, "next", true);
    const auto before = TextModel::fromRun(project, first.runId)->rankTails(h, r, 5);
    auto tokenizerOfRun = [&](int64_t run) {
        auto p = kg::Project::open(project, kg::Project::OpenMode::ReadOnly);
        return openCheckpoint(keptModelBytes(*p, run), "run").tokenizer;
    };
    const std::string own = tokenizerOfRun(first.runId);
    QVERIFY(!own.empty());

    TrainConfig other = small(1);
    other.transformer.useText = true;
    other.transformer.vocabSize = 320;
    const auto second = runJob(project, other);
    {
        auto p = kg::Project::open(project, kg::Project::OpenMode::ReadOnly);
        const auto stored = TextCorpus::storedTokenizer(*p);
        QVERIFY(stored && stored->vocabSize == 320 && stored->bytes != own); // the project's was replaced
    }
    auto sameRanking = [&] {
        const auto after = TextModel::fromRun(project, first.runId)->rankTails(h, r, 5);
        QCOMPARE(after.size(), before.size());
        for (size_t i = 0; i < after.size(); ++i) {
            QCOMPARE(after[i].first, before[i].first);
            QVERIFY(std::abs(after[i].second - before[i].second) < 1e-4);
        }
    };
    sameRanking();
    {
        auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
        TextCorpus::importTokenizer(*p, tokenizerOfRun(second.runId), 300); // another, at run 1's size
    }
    sameRanking();

    // Fine-tuning from run 1 reads text with run 1's tokenizer, and keeps it.
    TrainConfig ft = small(1);
    ft.transformer.useText = true;
    ft.transformer.initFrom = first.runId;
    const auto third = runJob(project, ft);
    QCOMPARE(tokenizerOfRun(third.runId), own);
    // A model built with another tokenizer refuses run 1's piece rows.
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    TextTrainer mismatched(ft, KgData::fromProject(*p), project);
    torch::serialize::InputArchive archive;
    readCheckpointArchive(keptModelBytes(*p, first.runId), "run 1", archive);
    try {
        mismatched.initFrom(archive, "run 1");
        QFAIL("started from piece rows of another tokenizer");
    } catch (const kg::Error& e) {
        QVERIFY2(QString(e.what()).contains("another tokenizer"), e.what());
    }
}

void TestTextModel::resumeIsBitExact()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 40);
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const KgData data = KgData::fromProject(*p);
    TrainConfig c = small(4);
    c.transformer.dropout = 0.1; // dropout's RNG state is part of the checkpoint too
    TextTrainer straight(c, data, project);
    straight.run();
    TextTrainer first(c, data, project);
    const std::string ckpt = s(dir.filePath("t.ckpt"));
    first.run({}, nullptr, [&](const EpochResult& r) {
        if (r.epoch == 1) {
            saveCheckpoint(ckpt, first);
            return false;
        }
        return true;
    });
    for (int i = 0; i < 3; ++i) // the RNGs move on in between: the checkpoint must restore them
        torch::rand({10});
    TextTrainer resumed(c, data, project);
    loadCheckpoint(ckpt, resumed);
    QCOMPARE(resumed.epochsDone(), int64_t(2));
    resumed.run();
    QCOMPARE(resumed.parameterNorms(), straight.parameterNorms());
}

void TestTextModel::jointLossTermsAreLive()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 40);
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const KgData data = KgData::fromProject(*p);
    // Each term changes the first step's loss: on with λ = 1 vs off.
    auto firstLoss = [&](double lm, double kge, double reason) {
        TrainConfig c = small(1);
        c.transformer.lambdaLm = lm;
        c.transformer.lambdaKge = kge;
        c.transformer.lambdaReason = reason;
        TextTrainer t(c, data, project);
        return t.step({0, 1, 2, 3, 4, 5, 6, 7});
    };
    const double base = firstLoss(0, 0, 0);
    QVERIFY(firstLoss(1, 0, 0) > base + 0.1);
    QVERIFY(firstLoss(0, 1, 0) > base + 0.1);
    QVERIFY(firstLoss(0, 0, 1) != base);
    // With all terms, training still converges.
    TrainConfig c = small(12);
    c.transformer.lambdaLm = 0.5;
    c.transformer.lambdaKge = 0.5;
    c.transformer.lambdaReason = 0.5;
    TextTrainer t(c, data, project);
    const std::vector<double> losses = epochLosses(t);
    QVERIFY(std::all_of(losses.begin(), losses.end(), [](double l) { return std::isfinite(l); }));
    QVERIFY2(losses.back() < 0.85 * losses.front(), qPrintable(QString("%1 -> %2").arg(losses.front()).arg(losses.back())));
}

void TestTextModel::everyTailTargetsAndN3()
{
    // (hub, likes, ?) has six training tails, (e3, likes⁻¹, ?) two; the rest is a ring.
    QTemporaryDir dir;
    QByteArray tsv;
    for (int i = 0; i < 12; ++i)
        tsv += "e" + QByteArray::number(i) + "\tnext\te" + QByteArray::number((i + 1) % 12) + "\n";
    for (int i = 0; i < 6; ++i)
        tsv += "hub\tlikes\te" + QByteArray::number(i) + "\n";
    tsv += "hub2\tlikes\te3\n";
    const std::string project = s(dir.filePath("hub.kgwb"));
    {
        auto p = kg::Project::open(project);
        kg::import::ImportRequest req;
        req.tripleFiles = {s(kgtest::writeFile(dir, "hub.tsv", tsv))};
        kg::import::runImport(*p, req);
    }
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const KgData data = KgData::fromProject(*p);
    const auto train = data.trainInt64();
    const int64_t hub = data.entityIndex.at(p->entityByKey("hub")->id);
    const int64_t e3 = data.entityIndex.at(p->entityByKey("e3")->id);
    const int64_t likes = data.relationIndex.at(p->relationByKey("likes")->id);
    int64_t row = -1; // the training row (hub, likes, e3)
    for (int64_t i = 0; i < train.size(0); ++i)
        if (train[i][0].item<int64_t>() == hub && train[i][1].item<int64_t>() == likes && train[i][2].item<int64_t>() == e3)
            row = i;
    QVERIFY(row >= 0);
    // The loss of one step is the cross-entropy against the smoothed target: the example's
    // tail, or every training tail of the query sharing the mass. Checked against the
    // model's own scores (no context, no dropout: training and scoring see the same input),
    // after a few epochs so that the tails' probabilities differ.
    auto config = [](const char* targets) {
        TrainConfig c = small(3);
        c.transformer.context = 0;
        c.transformer.dropout = 0;
        c.transformer.targets = targets;
        return c;
    };
    const int64_t R = data.numRelations;
    const std::vector<int64_t> hubTails = [&] {
        std::vector<int64_t> out;
        for (int64_t i = 0; i < train.size(0); ++i)
            if (train[i][0].item<int64_t>() == hub && train[i][1].item<int64_t>() == likes)
                out.push_back(train[i][2].item<int64_t>());
        return out;
    }();
    QCOMPARE(hubTails.size(), size_t(6));
    struct Case {
        const char* targets;
        int64_t example, h, r;
        std::vector<int64_t> tails;
    };
    const int64_t hub2 = data.entityIndex.at(p->entityByKey("hub2")->id);
    for (const Case& k : {Case{"one", 2 * row, hub, likes, {e3}}, Case{"all", 2 * row, hub, likes, hubTails},
                          Case{"all", 2 * row + 1, e3, likes + R, {hub, hub2}}}) {
        TextTrainer t(config(k.targets), data, project);
        t.run();
        const auto logp = torch::log_softmax(t.scoreQueries({{k.h, k.r}})[0].to(torch::kFloat64), -1);
        const double ls = t.config().transformer.labelSmoothing, E = static_cast<double>(data.numEntities);
        double expected = -ls * logp.mean().item<double>();
        for (const int64_t tail : k.tails)
            expected -= (1 - ls) / static_cast<double>(k.tails.size()) * logp[tail].item<double>();
        double single = -ls * logp.mean().item<double>() - (1 - ls) * logp[k.tails[0]].item<double>();
        const double loss = t.step({k.example});
        const QString what = QString("%1: step loss %2, expected %3 (one tail: %4, E %5)")
                                 .arg(k.targets).arg(loss).arg(expected).arg(single).arg(E);
        qInfo("%s", qPrintable(what));
        QVERIFY2(std::abs(loss - expected) < 1e-4 * std::max(1.0, std::abs(expected)), qPrintable(what));
        if (k.tails.size() > 1) // the check tells the two targets apart
            QVERIFY2(std::abs(single - expected) > 1e-2, qPrintable(what));
    }
    // A batch mixes examples with different numbers of tails: the loss is the mean of theirs.
    {
        TextTrainer t(config("all"), data, project);
        t.run();
        const auto logp = torch::log_softmax(t.scoreQueries({{hub, likes}, {e3, likes + R}}).to(torch::kFloat64), -1);
        const double ls = t.config().transformer.labelSmoothing;
        double expected = 0;
        for (int i = 0; i < 2; ++i) {
            const auto& tails = i == 0 ? hubTails : std::vector<int64_t>{hub, hub2};
            expected -= ls * logp[i].mean().item<double>() / 2;
            for (const int64_t tail : tails)
                expected -= (1 - ls) / static_cast<double>(tails.size()) * logp[i][tail].item<double>() / 2;
        }
        const double loss = t.step({2 * row, 2 * row + 1});
        const QString what = QString("batch of 2: step loss %1, expected %2").arg(loss).arg(expected);
        qInfo("%s", qPrintable(what));
        QVERIFY2(std::abs(loss - expected) < 1e-4 * std::max(1.0, std::abs(expected)), qPrintable(what));
    }
    // N3 on the score's factors: a positive term at the first step, and a smaller query vector
    // (the output LayerNorm's gain) after training than without it.
    auto norm = [](const TextTrainer& t, const char* name) {
        for (const auto& [n, v] : t.parameterNorms())
            if (n == name)
                return v;
        return -1.0;
    };
    TrainConfig plain = config("all"), n3 = plain;
    plain.epochs = n3.epochs = 40;
    n3.reg = RegKind::N3;
    n3.regWeight = 0.05;
    TextTrainer a(plain, data, project), b(n3, data, project);
    QVERIFY(b.step({0, 1, 2, 3}) > a.step({0, 1, 2, 3}) + 1e-3);
    a.run();
    b.run();
    const QString norms = QString("output gain squared norm %1 without N3, %2 with; token table %3 / %4")
                              .arg(norm(a, "ln_out.weight")).arg(norm(b, "ln_out.weight"))
                              .arg(norm(a, "tokens.weight")).arg(norm(b, "tokens.weight"));
    qInfo("%s", qPrintable(norms));
    QVERIFY2(norm(b, "ln_out.weight") > 0 && norm(b, "ln_out.weight") < 0.9 * norm(a, "ln_out.weight"), qPrintable(norms));
}

void TestTextModel::attentionFormsAgree()
{
    // On the CPU, 4 tokens of head dim 32 take the broadcast attention and 8 the batched matmul
    // (ml/transformer.cpp). Four masked keys more must leave the real tokens' outputs and the
    // input's gradient as they were: both forms compute the same layer.
    torch::manual_seed(3);
    EncoderConfig c;
    c.dim = 64, c.heads = 2, c.ffn = 128, c.dropout = 0, c.roles = kRoleCount;
    EncoderLayer layer(c);
    {
        torch::NoGradGuard noGrad;
        layer->roleBias.normal_(); // the role bias must line up in both forms too
    }
    const int64_t B = 3, T = 4, P = 4, pairs = kRoleCount * kRoleCount;
    const auto x = torch::randn({B, T, c.dim}, torch::requires_grad());
    const auto padded = torch::cat({x, torch::randn({B, P, c.dim})}, 1);
    const auto roles = torch::randint(pairs, {B, T, T}, torch::kInt64);
    const auto rolesPadded = torch::randint(pairs, {B, T + P, T + P}, torch::kInt64);
    rolesPadded.narrow(1, 0, T).narrow(2, 0, T).copy_(roles);
    QVERIFY(broadcastAttention(torch::zeros({B, c.heads, T, c.dim / c.heads})));
    QVERIFY(!broadcastAttention(torch::zeros({B, c.heads, T + P, c.dim / c.heads})));
    const auto padding = torch::zeros({B, T}, torch::kBool);
    const auto paddingPadded = torch::cat({padding, torch::ones({B, P}, torch::kBool)}, 1);
    const auto y = layer->forward(x, padding, roles, nullptr);
    const auto yPadded = layer->forward(padded, paddingPadded, rolesPadded, nullptr).narrow(1, 0, T);
    const double gap = (y - yPadded).abs().max().item<double>();
    QVERIFY2(gap < 1e-4, qPrintable(QString("largest output difference %1").arg(gap)));
    const auto w = torch::randn_like(y);
    const auto g = torch::autograd::grad({(y * w).sum()}, {x})[0];
    const auto gPadded = torch::autograd::grad({(yPadded * w).sum()}, {x})[0];
    const double gradGap = (g - gPadded).abs().max().item<double>();
    QVERIFY2(gradGap < 1e-4, qPrintable(QString("largest gradient difference %1").arg(gradGap)));
    QVERIFY(g.abs().max().item<double>() > 1e-2); // a real gradient
}

void TestTextModel::bf16AutocastTrains()
{
    // bf16 autocast is for GPUs: on a CPU the job fails with a clear message (not a crash); on a
    // CUDA host it trains with finite, falling loss and fp32 master weights.
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 40);
    TrainConfig c = small(6);
    c.transformer.bf16 = true;
    if (!torch::cuda::is_available()) {
        try {
            runJob(project, c);
            QFAIL("bf16 accepted on a CPU");
        } catch (const kg::Error& e) {
            QVERIFY2(QString(e.what()).contains("bf16 autocast needs a CUDA device"), e.what());
        }
        return;
    }
    c.device = "cuda";
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const KgData data = KgData::fromProject(*p);
    TextTrainer t(c, data, project);
    const std::vector<double> losses = epochLosses(t);
    QVERIFY(std::all_of(losses.begin(), losses.end(), [](double l) { return std::isfinite(l); }));
    QVERIFY2(losses.back() < losses.front(), qPrintable(QString("%1 -> %2").arg(losses.front()).arg(losses.back())));
    const FilterIndex filter(data);
    QVERIFY(t.evaluate(data.valid, filter).mrr > 0); // evaluation runs in fp32 afterwards
}

QTEST_GUILESS_MAIN(TestTextModel)
