// Project store: schema/migrations, WAL, FTS search, and the persistent undo/redo log.
#include <QFile>
#include <QTest>

#include "import/importer.h"
#include "store/project.h"
#include "store/candidate_store.h"
#include "store/doc_store.h"
#include "store/run_store.h"
#include "store/run_summary.h"
#include "store/schema.h"
#include "store/sqlite.h"
#include "test_util.h"

using namespace kgtest;

class TestProject : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runSummaryReadsStoredJson();
    void keptModelsAreTheRunsThatCanBeRead();
    void createsVersionedWalProject();
    void rejectsForeignAndNewerFiles();
    void missingProjectIsNotFound();
    void searchRanksAndMatchesPrefixes();
    void editUndoRedoSurvivesReopen();
    void deleteEntityUndoRestoresTriples();
    void newEditDropsRedoBranch();
    void conflictsAreTypedErrors();
    void undoThatWouldBreakImportedDataIsRefused();
    void migratesVersion1ToCurrent();
    void runStoreRecordsCurves();
};

void TestProject::createsVersionedWalProject()
{
    QTemporaryDir dir;
    const std::string path = s(dir.filePath("p.kgwb"));
    kg::Project::open(path);
    kg::sql::Database db(path, kg::sql::Database::Mode::ReadOnly);
    QCOMPARE(kg::schema::version(db), kg::schema::kCurrentVersion);
    auto mode = db.prepare("PRAGMA journal_mode");
    QVERIFY(mode.step());
    QCOMPARE(mode.text(0), std::string("wal"));
    auto app = db.prepare("PRAGMA application_id");
    QVERIFY(app.step());
    QCOMPARE(app.int64(0), static_cast<int64_t>(kg::schema::kApplicationId));
    // Reopening an up-to-date project is a no-op migration.
    auto again = kg::Project::open(path);
    QCOMPARE(again->stats().entities, 0);
}

void TestProject::rejectsForeignAndNewerFiles()
{
    QTemporaryDir dir;
    const std::string foreign = s(dir.filePath("other.db"));
    {
        kg::sql::Database db(foreign, kg::sql::Database::Mode::ReadWriteCreate);
        db.exec("CREATE TABLE t(x)");
    }
    try {
        kg::Project::open(foreign);
        QFAIL("a foreign database must be refused");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Schema);
        QVERIFY(QString::fromStdString(e.reason()).contains("not a KG Workbench project"));
    }
    const std::string newer = s(dir.filePath("newer.kgwb"));
    kg::Project::open(newer);
    {
        kg::sql::Database db(newer, kg::sql::Database::Mode::ReadWrite);
        db.exec("PRAGMA user_version = 99");
    }
    try {
        kg::Project::open(newer);
        QFAIL("a newer schema must be refused");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Schema);
        QVERIFY(QString::fromStdString(e.reason()).contains("newer"));
    }
    const QString text = writeFile(dir, "notes.txt", "this is not sqlite at all, just text\n");
    QVERIFY_THROWS_EXCEPTION(kg::Error, kg::Project::open(s(text)));
}

void TestProject::missingProjectIsNotFound()
{
    QTemporaryDir dir;
    try {
        kg::Project::open(s(dir.filePath("nope.kgwb")), kg::Project::OpenMode::MustExist);
        QFAIL("must throw");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::NotFound);
    }
    QVERIFY(!QFile::exists(dir.filePath("nope.kgwb")));
}

void TestProject::searchRanksAndMatchesPrefixes()
{
    QTemporaryDir dir;
    auto p = kg::Project::open(s(dir.filePath("p.kgwb")));
    p->addEntity("q1", "Marie Curie", "Physicist and chemist");
    p->addEntity("q2", "Pierre Curie", "Physicist");
    p->addEntity("q3", "Curium", "Chemical element named after the Curies");
    p->addEntity("q4", "Zürich", "City in Switzerland");
    auto hits = p->searchEntities("curi", 10);
    QCOMPARE(hits.size(), size_t(3));
    hits = p->searchEntities("marie cur", 10);
    QCOMPARE(hits.size(), size_t(1));
    QCOMPARE(hits[0].key, std::string("q1"));
    QCOMPARE(p->searchEntities("zurich", 10).size(), size_t(1)); // diacritics folded
    QCOMPARE(p->searchEntities("q4", 10).front().key, std::string("q4")); // exact key first
    QCOMPARE(p->searchEntities("\"unbalanced", 10).size(), size_t(0));    // no FTS syntax error
    QCOMPARE(p->searchEntities("physicist", 1).size(), size_t(1));       // limit respected
    // Ranked by bm25 with labels weighted over descriptions, not returned in id order.
    p->addEntity("q5", "Chemist", "A person");
    QCOMPARE(p->searchEntities("chemist", 1).front().key, std::string("q5"));
    QCOMPARE(p->searchEntities("chemist", 10).size(), size_t(2));
    p->renameEntity(p->entityByKey("q4")->id, "Zurich (city)");
    QCOMPARE(p->searchEntities("city", 10).size(), size_t(1)); // FTS follows edits
}

void TestProject::editUndoRedoSurvivesReopen()
{
    QTemporaryDir dir;
    const std::string path = s(dir.filePath("p.kgwb"));
    int64_t a = 0, b = 0, r = 0, t = 0;
    {
        auto p = kg::Project::open(path);
        a = p->addEntity("a", "Alpha");
        b = p->addEntity("b", "Beta");
        r = p->addRelation("knows", "knows");
        t = p->addTriple(a, r, b);
        p->renameEntity(a, "Alpha Prime");
        QCOMPARE(p->history().size(), size_t(5));
    }
    {
        auto p = kg::Project::open(path);
        QCOMPARE(p->entity(a)->label, std::string("Alpha Prime"));
        QCOMPARE(p->undo(), std::string("rename entity"));
        QCOMPARE(p->entity(a)->label, std::string("Alpha"));
        QCOMPARE(p->undo(), std::string("add triple"));
        QVERIFY(!p->triple(t));
        QVERIFY(p->canRedo());
    }
    {
        auto p = kg::Project::open(path);
        QCOMPARE(p->redo(), std::string("add triple"));
        QCOMPARE(p->triple(t)->tail, b);
        QCOMPARE(p->redo(), std::string("rename entity"));
        QCOMPARE(p->entity(a)->label, std::string("Alpha Prime"));
        QCOMPARE(p->redo(), std::string());
        while (!p->undo().empty()) {
        }
        QCOMPARE(p->stats().entities, 0);
        QCOMPARE(p->stats().relations, 0);
        QVERIFY(!p->canUndo());
    }
}

void TestProject::deleteEntityUndoRestoresTriples()
{
    QTemporaryDir dir;
    auto p = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, "t.tsv", "a\tr\tb\nb\tr\tc\nc\tr\ta\nb\ts\tb\n"))};
    kg::import::runImport(*p, req);
    const auto before = p->triples(0, 100);
    const int64_t b = p->entityByKey("b")->id;
    p->deleteEntity(b);
    QCOMPARE(p->tripleCount(), 1);
    QVERIFY(!p->entity(b));
    QCOMPARE(p->searchEntities("b", 5).size(), size_t(0));
    QCOMPARE(p->undo(), std::string("delete entity"));
    const auto after = p->triples(0, 100);
    QCOMPARE(after.size(), before.size());
    for (size_t i = 0; i < after.size(); ++i) {
        QCOMPARE(after[i].id, before[i].id);
        QCOMPARE(after[i].head, before[i].head);
        QCOMPARE(after[i].tail, before[i].tail);
    }
    QCOMPARE(p->searchEntities("b", 5).size(), size_t(1));
}

void TestProject::newEditDropsRedoBranch()
{
    QTemporaryDir dir;
    auto p = kg::Project::open(s(dir.filePath("p.kgwb")));
    p->addEntity("x");
    p->addEntity("y");
    p->undo();
    QVERIFY(p->canRedo());
    p->addEntity("z");
    QVERIFY(!p->canRedo());
    QCOMPARE(p->redo(), std::string());
    QVERIFY(!p->entityByKey("y"));
}

void TestProject::conflictsAreTypedErrors()
{
    QTemporaryDir dir;
    auto p = kg::Project::open(s(dir.filePath("p.kgwb")));
    const int64_t a = p->addEntity("a");
    const int64_t r = p->addRelation("r");
    p->addTriple(a, r, a);
    auto code = [&](auto&& fn) {
        try {
            fn();
        } catch (const kg::Error& e) {
            return e.code();
        }
        return kg::Errc::Io; // "no error" marker, never expected below
    };
    QCOMPARE(code([&] { p->addEntity("a"); }), kg::Errc::Conflict);
    QCOMPARE(code([&] { p->addTriple(a, r, a); }), kg::Errc::Conflict);
    QCOMPARE(code([&] { p->addTriple(a, r, 999); }), kg::Errc::NotFound);
    QCOMPARE(code([&] { p->deleteTriple(999); }), kg::Errc::NotFound);
    QCOMPARE(code([&] { p->renameEntity(999, "x"); }), kg::Errc::NotFound);
    QCOMPARE(code([&] { p->addEntity(""); }), kg::Errc::InvalidArgument);
    QCOMPARE(p->history().size(), size_t(3)); // failed edits leave no history
}

void TestProject::undoThatWouldBreakImportedDataIsRefused()
{
    QTemporaryDir dir;
    auto p = kg::Project::open(s(dir.filePath("p.kgwb")));
    p->addEntity("a", "Alpha");
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, "t.tsv", "a\tr\tb\n"))};
    kg::import::runImport(*p, req);
    try {
        p->undo(); // would delete entity a, which imported triples now use
        QFAIL("undo must be refused");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Conflict);
    }
    QCOMPARE(p->entityByKey("a")->label, std::string("Alpha"));
    QCOMPARE(p->tripleCount(), 1);
    QVERIFY(p->canUndo());
}

void TestProject::migratesVersion1ToCurrent()
{
    QTemporaryDir dir;
    const std::string path = s(dir.filePath("old.kgwb"));
    {
        auto p = kg::Project::open(path);
        p->addEntity("a", "Alpha");
    }
    {
        // Turn the file back into a version-1 project: what 0.1 wrote before run history.
        kg::sql::Database db(path, kg::sql::Database::Mode::ReadWrite);
        db.exec("DROP TABLE candidate_evidence; DROP TABLE candidates; DROP TABLE sentence_fts; DROP TABLE sentences; "
                "DROP TABLE documents; DROP TABLE qa_pairs; DROP TABLE artifacts; DROP TABLE layouts; "
                "DROP TABLE run_metrics; DROP TABLE runs; PRAGMA user_version = 1");
    }
    auto p = kg::Project::open(path);
    {
        kg::sql::Database db(path, kg::sql::Database::Mode::ReadOnly);
        QCOMPARE(kg::schema::version(db), kg::schema::kCurrentVersion);
    }
    QCOMPARE(p->entityByKey("a")->label, std::string("Alpha"));
    QCOMPARE(p->undo(), std::string("add entity")); // the edit history survived too
    kg::RunStore runs(*p);
    QVERIFY(runs.runs().empty());
    QCOMPARE(kg::DocStore(*p).counts().documents, int64_t(0)); // the v6 tables are there
    QCOMPARE(kg::CandidateStore(*p).counts().pending, int64_t(0));
}

void TestProject::runStoreRecordsCurves()
{
    QTemporaryDir dir;
    const std::string path = s(dir.filePath("p.kgwb"));
    int64_t id = 0;
    {
        auto p = kg::Project::open(path);
        kg::RunStore runs(*p);
        id = runs.createRun("kge", "{\"model\": \"rotate\"}");
        for (int e = 1; e <= 3; ++e)
            runs.addMetric(id, e * 10, e, "loss", 1.0 / e);
        runs.addMetric(id, 30, 3, "valid_mrr", 0.42);
        QCOMPARE(runs.run(id)->status, std::string("running"));
        runs.finishRun(id, "finished", "{\"test\": {\"mrr\": 0.4}}", "/tmp/x.ckpt");
        QVERIFY_THROWS_EXCEPTION(kg::Error, runs.finishRun(999, "finished", "{}"));
    }
    auto p = kg::Project::open(path); // survives reopening
    kg::RunStore runs(*p);
    const auto rec = runs.run(id);
    QVERIFY(rec);
    QCOMPARE(rec->status, std::string("finished"));
    QCOMPARE(rec->checkpoint, std::string("/tmp/x.ckpt"));
    QVERIFY(!rec->finished.empty());
    const auto loss = runs.metric(id, "loss");
    QCOMPARE(loss.size(), size_t(3));
    QCOMPARE(loss[2].step, 30);
    QCOMPARE(loss[2].value, 1.0 / 3);
    QCOMPARE(runs.metricNames(id), (std::vector<std::string>{"loss", "valid_mrr"}));
    runs.deleteRun(id);
    QVERIFY(runs.runs().empty());
    QVERIFY(runs.metric(id, "loss").empty());
}

void TestProject::runSummaryReadsStoredJson()
{
    kg::RunRecord run;
    run.config = R"({"model":"transformer","dim":128,"transformer":{"stage":"finetune"}})";
    run.finalMetrics = R"({"epochs":20,"best_valid_mrr":0.9,"test":{"mrr":0.8954,"hits@10":0.99}})";
    const kg::RunSummary s = kg::summarize(run);
    QCOMPARE(s.model, std::string("transformer"));
    QCOMPARE(s.dim, int64_t(128));
    QCOMPARE(s.stage, std::string("finetune"));
    QCOMPARE(s.epochs, int64_t(20));
    QCOMPARE(s.bestValidMrr, 0.9);
    QCOMPARE(s.testMrr, 0.8954);
    QCOMPARE(s.testHits10, 0.99);
    // A run that failed before any metric, and damaged JSON: empty fields, no throw.
    run.finalMetrics = "{}";
    run.config = "{not json";
    const kg::RunSummary empty = kg::summarize(run);
    QVERIFY(empty.model.empty());
    QCOMPARE(empty.epochs, int64_t(-1));
    QCOMPARE(empty.testMrr, -1.0);
}

void TestProject::keptModelsAreTheRunsThatCanBeRead()
{
    QTemporaryDir dir;
    auto p = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::RunStore runs(*p);
    const std::string ckpt = s(dir.filePath("kept.ckpt"));
    QFile file(QString::fromStdString(ckpt));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    auto run = [&](const char* kind, const char* model, const char* status, const std::string& checkpoint) {
        const int64_t id = runs.createRun(kind, std::string(R"({"model":")") + model + "\"}");
        runs.finishRun(id, status, "{}", checkpoint);
        return id;
    };
    const int64_t kge = run("kge", "complex", "finished", ckpt);
    run("kge", "rotate", "finished", s(dir.filePath("deleted.ckpt"))); // its file is gone
    const int64_t gnn = run("kge", "compgcn", "finished", ckpt);        // ranks and maps as well
    run("kge", "distmult", "failed", ckpt);
    run("kge", "distmult", "cancelled", ckpt);
    run("qa", "chain", "finished", ckpt);
    run("extract", "transformer", "finished", "");
    const int64_t early = run("kge", "distmult", "stopped_early", ckpt);
    const int64_t transformer = run("transformer", "transformer", "finished", "");
    std::vector<int64_t> ids;
    for (const auto& kept : kg::keptModels(*p))
        ids.push_back(kept.run.id);
    QCOMPARE(ids, (std::vector<int64_t>{transformer, early, gnn, kge})); // newest first
    const auto kept = kg::keptModels(*p);
    QCOMPARE(kept.back().summary.model, std::string("complex"));
    QCOMPARE(kept.back().key(), "run:" + std::to_string(kge));
}

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
