// Relation extraction learns from the graph (distant supervision) on generated biographies:
// people born in, living in and working for places and companies, told in several phrasings,
// with "visited" sentences that state no fact. 20% of the facts are hidden from the graph;
// the extractor, trained on sentences about the rest, must propose the hidden ones, telling
// "born in" from "lives in" (same entity types), which the co-occurrence baseline cannot.
#include <QTest>
#include <random>
#include <set>

#include "ml/extract.h"
#include "store/candidate_store.h"
#include "store/doc_store.h"
#include "test_util.h"

using kgtest::s;
using kgtest::Biographies;
using kgtest::writeBiographies;
using Hrt = kgtest::Hrt;

namespace {

struct Scores {
    double precision = 0, recall = 0;
};

// Precision of the candidates scoring >= 0.5 against the hidden facts, and their recall.
Scores scoreAgainst(const std::string& project, const std::vector<kg::CandidateRecord>& ranked, const std::set<Hrt>& hidden,
                    double minScore)
{
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    int tp = 0, n = 0;
    for (const auto& c : ranked) {
        if (c.score < minScore)
            continue;
        ++n;
        tp += hidden.count({p->entity(c.head)->key, p->relation(c.rel)->key, p->entity(c.tail)->key}) != 0;
    }
    return {n ? static_cast<double>(tp) / n : 0, static_cast<double>(tp) / static_cast<double>(hidden.size())};
}

} // namespace

class TstExtract : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void learnsRelationsFromTheGraph()
    {
        QTemporaryDir dir;
        const Biographies b = writeBiographies(dir, qEnvironmentVariableIsSet("KGWB_SEED") ? qEnvironmentVariableIntValue("KGWB_SEED") : 11);
        kg::ml::ExtractTrainSpec spec;
        spec.dim = 32;
        spec.epochs = 15;
        spec.batchSize = 16;
        spec.lr = 3e-3;
        spec.vocabSize = 400;
        spec.threads = 2;
        std::vector<kg::ml::JobEvent::Kind> kinds;
        const auto trained = kg::ml::ExtractJob(b.project, spec).run([&](const kg::ml::JobEvent& e) {
            if (e.kind != kg::ml::JobEvent::Kind::Progress)
                kinds.push_back(e.kind);
        });
        QCOMPARE(trained.status, std::string("finished"));
        QVERIFY(trained.positives > 50);
        QVERIFY(kinds.size() > 4); // setup: project, model, corpus; then the run
        for (int i = 0; i < 3; ++i)
            QCOMPARE(kinds[static_cast<size_t>(i)], kg::ml::JobEvent::Kind::Preparing);
        QCOMPARE(kinds[3], kg::ml::JobEvent::Kind::Started);
        QCOMPARE(kinds.back(), kg::ml::JobEvent::Kind::Finished);

        kg::ml::ExtractOptions o;
        o.minScore = 0.1;
        std::vector<kg::CandidateRecord> ranked;
        const auto report = kg::ml::extractTriples(b.project, o, {}, nullptr, &ranked);
        QCOMPARE(report.stored, report.candidates); // nothing decided yet
        const Scores model = scoreAgainst(b.project, ranked, b.hidden, 0.5);
        const Scores base = scoreAgainst(b.project, kg::ml::cooccurrenceBaseline(b.project), b.hidden, 0);
        qInfo("hidden %zu; extractor precision %.3f recall %.3f; baseline precision %.3f recall %.3f", b.hidden.size(),
              model.precision, model.recall, base.precision, base.recall);
        // Seeds 11-14 gave precision 0.95-1.00 and recall 0.79-0.93 (baseline precision <= 0.05).
        QVERIFY2(model.precision >= 0.75, qPrintable(QString::number(model.precision)));
        QVERIFY2(model.recall >= 0.6, qPrintable(QString::number(model.recall)));
        QVERIFY(model.precision > base.precision + 0.3);

        // Every candidate has its evidence sentence with both mentions marked.
        auto p = kg::Project::open(b.project, kg::Project::OpenMode::MustExist);
        const auto listed = kg::CandidateStore(*p).list("pending", 0.5, 5);
        QVERIFY(!listed.empty());
        for (const auto& c : listed) {
            const auto& e = c.evidence.at(0);
            QCOMPARE(e.text.substr(static_cast<size_t>(e.headBegin), static_cast<size_t>(e.headEnd - e.headBegin)),
                     p->entity(c.head)->label);
            QCOMPARE(e.text.substr(static_cast<size_t>(e.tailBegin), static_cast<size_t>(e.tailEnd - e.tailBegin)),
                     p->entity(c.tail)->label);
        }
        // Rejected candidates are not proposed by the next extraction.
        const int64_t rejected = listed.front().id;
        kg::CandidateStore(*p).reject(rejected);
        p.reset();
        kg::ml::extractTriples(b.project, o);
        auto q = kg::Project::open(b.project, kg::Project::OpenMode::MustExist);
        for (const auto& c : kg::CandidateStore(*q).list("pending", 0, 100000, 0, false))
            QVERIFY(!(c.head == listed.front().head && c.rel == listed.front().rel && c.tail == listed.front().tail));
        QCOMPARE(kg::CandidateStore(*q).counts().rejected, int64_t(1));
    }

    void refusesACorpusWithoutDocuments()
    {
        QTemporaryDir dir;
        const std::string path = s(dir.filePath("e.kgwb"));
        {
            auto p = kg::Project::open(path);
            const auto a = p->addEntity("a", "Anna"), b = p->addEntity("b", "Berlin");
            p->addTriple(a, p->addRelation("lives_in"), b);
        }
        try {
            kg::ml::ExtractJob(path, {}).run();
            QFAIL("trained without documents");
        } catch (const kg::Error& e) {
            QVERIFY2(std::string(e.what()).find("no documents") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(kg::Error, kg::ml::extractTriples(path, {}));
    }
};

QTEST_GUILESS_MAIN(TstExtract)
#include "tst_extract.moc"
