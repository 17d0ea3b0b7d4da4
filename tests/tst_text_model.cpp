// The transformer over verbalised triples: tokenizer stored in the project, learning a small
// generated graph, attention rows, LoRA training only adapters, joint loss, weights round trip
// with shape checks, and TorchScript import. Real LibTorch and sentencepiece, small data.
#include <QProcess>
#include <QTest>
#include <cmath>

#include "import/importer.h"
#include "ml/text_model.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "test_util.h"

using namespace kg::ml;
using kgtest::s;

namespace {


TextModelConfig small()
{
    TextModelConfig c;
    c.vocabSize = 400;
    c.dim = 64;
    c.heads = 4;
    c.layers = 2;
    c.ffn = 128;
    c.maxLen = 24;
    c.dropout = 0.0;
    c.lr = 3e-3;
    c.batchSize = 32;
    c.threads = 2;
    return c;
}

int64_t id(const std::string& project, const char* key, bool relation = false)
{
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    return relation ? p->relationByKey(key)->id : p->entityByKey(key)->id;
}

} // namespace

class TestTextModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tokenizerIsStoredInTheProject();
    void attentionRowsSumToOne();
    void learnsASmallGraph();
    void loraTrainsOnlyAdapters();
    void jointLossTrains();
    void weightsRoundTripAndShapeChecks();
    void importsTorchScriptWithShapeChecks();
};

void TestTextModel::tokenizerIsStoredInTheProject()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 60);
    std::string first;
    {
        TextModel m(project, small());
        auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
        const auto a = kg::ArtifactStore(*p).get("tokenizer");
        QVERIFY(a);
        QCOMPARE(a->kind, std::string("sentencepiece"));
        first = a->data;
        QVERIFY(first.size() > 1000);
    }
    TextModel again(project, small()); // reuses the stored model
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    QVERIFY(kg::ArtifactStore(*p).get("tokenizer")->data == first);
}

void TestTextModel::attentionRowsSumToOne()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 60);
    TextModel m(project, small());
    const auto maps = m.attention(id(project, "e3"), id(project, "next", true));
    QCOMPARE(maps.layers, 2);
    QCOMPARE(maps.heads, 4);
    const int T = static_cast<int>(maps.tokens.size());
    QCOMPARE(maps.tokens.front(), std::string("[CLS]"));
    QCOMPARE(maps.tokens.back(), std::string("[MASK]"));
    QCOMPARE(maps.weights.size(), size_t(2 * 4 * T * T));
    for (int l = 0; l < maps.layers; ++l)
        for (int h = 0; h < maps.heads; ++h)
            for (int q = 0; q < T; ++q) {
                double sum = 0;
                for (int k = 0; k < T; ++k) {
                    QVERIFY(maps.at(l, h, q, k) >= 0);
                    sum += maps.at(l, h, q, k);
                }
                QVERIFY2(std::abs(sum - 1) < 1e-4, qPrintable(QString::number(sum)));
            }
    // With a tail the sequence is longer, still normalised.
    const auto withTail = m.attention(id(project, "e3"), id(project, "next", true), id(project, "e4"));
    QVERIFY(withTail.tokens.size() >= maps.tokens.size());
}

void TestTextModel::learnsASmallGraph()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 60);
    TextModel m(project, small());
    const double before = m.evaluateTails(false).mrr;
    m.pretrain(3);
    std::vector<double> losses;
    m.finetune(60, nullptr, [&](const TextTrainProgress& p) { losses.push_back(p.loss); });
    const RankMetrics valid = m.evaluateTails(false);
    const QString what = QString("valid MRR %1 -> %2, loss %3 -> %4")
                             .arg(before).arg(valid.mrr).arg(losses.front()).arg(losses.back());
    qInfo("%s", qPrintable(what));
    QVERIFY2(losses.back() < 0.5 * losses.front(), qPrintable(what));
    QVERIFY2(valid.mrr > before + 0.15, qPrintable(what));
    // Training facts are recalled: e5 next ? -> e6 first.
    const auto ranked = m.rankTails(id(project, "e5"), id(project, "next", true), 3);
    QCOMPARE(ranked.front().first, id(project, "e6"));
}

void TestTextModel::loraTrainsOnlyAdapters()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 60);
    TextModelConfig c = small();
    c.loraRank = 4;
    TextModel m(project, c);
    m.pretrain(1);
    const auto before = m.parameterNorms();
    m.finetune(2);
    const auto trainable = m.trainableParameters();
    QVERIFY(!trainable.empty());
    for (const auto& name : trainable)
        QVERIFY2(name.find("lora_") != std::string::npos, name.c_str());
    const auto after = m.parameterNorms();
    int adaptersChanged = 0;
    std::map<std::string, double> old(before.begin(), before.end());
    for (const auto& [name, norm] : after) {
        if (!old.count(name)) { // adapters appear with LoRA
            QVERIFY(name.find("lora_") != std::string::npos);
            adaptersChanged += name.find("lora_B") != std::string::npos && norm > 0;
            continue;
        }
        QCOMPARE(norm, old.at(name)); // frozen: bit-identical
    }
    QCOMPARE(adaptersChanged, 2 * 6); // B of q,k,v,o,ff1,ff2 in both layers moved off zero
}

void TestTextModel::jointLossTrains()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 60);
    TextModelConfig c = small();
    c.lambdaLm = 0.5;
    c.lambdaKge = 0.5;
    c.lambdaReason = 0.5;
    TextModel m(project, c);
    std::vector<double> losses;
    m.finetune(15, nullptr, [&](const TextTrainProgress& p) { losses.push_back(p.loss); });
    for (double l : losses)
        QVERIFY(std::isfinite(l));
    QVERIFY2(losses.back() < 0.7 * losses.front(),
             qPrintable(QString("%1 -> %2").arg(losses.front()).arg(losses.back())));
    QVERIFY(m.evaluateTails(false).mrr > 0.1);
}

void TestTextModel::weightsRoundTripAndShapeChecks()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 60);
    TextModel a(project, small());
    a.finetune(3);
    const std::string path = s(dir.filePath("w.pt"));
    a.save(path);
    TextModel b(project, small());
    b.load(path);
    const auto ra = a.rankTails(id(project, "e7"), id(project, "next", true), 5);
    const auto rb = b.rankTails(id(project, "e7"), id(project, "next", true), 5);
    QCOMPARE(ra.size(), rb.size());
    for (size_t i = 0; i < ra.size(); ++i) {
        QCOMPARE(ra[i].first, rb[i].first);
        QCOMPARE(ra[i].second, rb[i].second);
    }
    TextModelConfig other = small();
    other.dim = 32;
    other.heads = 4;
    TextModel c(project, other);
    try {
        c.load(path);
        QFAIL("loaded weights of another shape");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Format);
        QVERIFY2(QString(e.what()).contains("shape"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(kg::Error, c.load(s(kgtest::writeFile(dir, "junk.pt", "junk"))));

    // Stored in the project for the next session: same answers, attention available.
    QVERIFY(!TextModel::fromProject(project));
    a.saveToProject();
    const auto stored = TextModel::fromProject(project);
    QVERIFY(stored);
    const auto rs = stored->rankTails(id(project, "e7"), id(project, "next", true), 5);
    for (size_t i = 0; i < ra.size(); ++i) {
        QCOMPARE(rs[i].first, ra[i].first);
        QCOMPARE(rs[i].second, ra[i].second);
    }
    {
        auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
        auto art = kg::ArtifactStore(*p).get("transformer");
        kg::ArtifactStore(*p).put("transformer", art->kind, art->data.substr(0, art->data.size() / 2), art->meta);
    }
    QVERIFY_THROWS_EXCEPTION(kg::Error, TextModel::fromProject(project)); // damaged: refused, not crashed
}

void TestTextModel::importsTorchScriptWithShapeChecks()
{
    QProcess probe;
    probe.start("/usr/bin/python3", {"-c", "import torch"});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("python3-torch is not available to write a TorchScript file");
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir, 60);
    auto script = [&](const QString& file, int dim) {
        QProcess py;
        py.start("/usr/bin/python3",
                 {"-c", QString("import torch\n"
                                "class M(torch.nn.Module):\n"
                                "    def __init__(self):\n"
                                "        super().__init__()\n"
                                "        self.task_head = torch.nn.Linear(%1, %1)\n"
                                "        torch.nn.init.constant_(self.task_head.weight, 0.25)\n"
                                "    def forward(self, x):\n"
                                "        return self.task_head(x)\n"
                                "torch.jit.save(torch.jit.trace(M(), torch.zeros(1, %1)), '%2')\n")
                            .arg(dim)
                            .arg(file)});
        return py.waitForFinished(120000) && py.exitCode() == 0;
    };
    const QString good = dir.filePath("good.ts"), bad = dir.filePath("bad.ts");
    QVERIFY(script(good, 64));
    QVERIFY(script(bad, 32));
    TextModel m(project, small());
    QCOMPARE(m.importTorchScript(s(good)), size_t(2)); // task_head.weight and .bias
    bool found = false;
    for (const auto& [name, norm] : m.parameterNorms())
        if (name == "task_head.weight") {
            found = true;
            QVERIFY(std::abs(norm - 64 * 64 * 0.0625) < 1e-3);
        }
    QVERIFY(found);
    try {
        m.importTorchScript(s(bad));
        QFAIL("imported a mis-shaped parameter");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Format);
        QVERIFY2(QString(e.what()).contains("task_head.weight"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(kg::Error, m.importTorchScript(s(kgtest::writeFile(dir, "x.ts", "nope"))));
}

QTEST_GUILESS_MAIN(TestTextModel)
#include "tst_text_model.moc"
