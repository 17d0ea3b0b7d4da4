// Data-driven tests of the TSV/CSV parser and importer, through a real SQLite project.
#include <QTest>

#include "import/delimited.h"
#include "import/importer.h"
#include "import/write_behind.h"
#include "io/byte_source.h"
#include "store/project.h"
#include "store/sqlite.h"
#include "test_util.h"

using namespace kgtest;

namespace {
// n triples n0 rel n1, n1 rel n2, ... as TSV.
QByteArray chainTsv(int n)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += "n" + QByteArray::number(i) + "\trel\tn" + QByteArray::number(i + 1) + "\n";
    return out;
}
} // namespace

class TestDelimited : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void gzipIsDetectedByContent();
    void hugeLineWithinLimit();
    void duplicatesAcrossImportsAndSplits();
    void bulkImportDropsRepeats();
    void bulkImportKeepsSearchCurrent();
    void exclusiveImportUsesRollbackJournal();
    void writeBehindKeepsOrderAndRethrows();
    void skipModeReportsEveryBadLine();
    void allOrNothingRollsBack();
    void cancelLeavesProjectUnchanged();
    void labelsApplyToEntitiesAndRelations();
};

// Each row: input bytes, policy, expected triples (as "h|r|t;h|r|t"), expected error
// ("" = none; else "line:col:substring"), expected count of skipped lines.
void TestDelimited::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("skipBad");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("skipped");

    QTest::newRow("tsv") << QByteArray("a\tr\tb\nb\tr\tc\n") << false << "a|r|b;b|r|c" << "" << 0;
    QTest::newRow("no final newline") << QByteArray("a\tr\tb\nb\tr\tc") << false << "a|r|b;b|r|c" << "" << 0;
    QTest::newRow("crlf") << QByteArray("a\tr\tb\r\nb\tr\tc\r\n") << false << "a|r|b;b|r|c" << "" << 0;
    QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF" "a\tr\tb\n") << false << "a|r|b" << "" << 0;
    QTest::newRow("bom+crlf+header") << QByteArray("\xEF\xBB\xBFhead\trelation\ttail\r\na\tr\tb\r\n") << false
                                     << "a|r|b" << "" << 0;
    QTest::newRow("blank lines") << QByteArray("\na\tr\tb\n\n  \nb\tr\tc\n") << false << "a|r|b;b|r|c" << "" << 0;
    QTest::newRow("csv") << QByteArray("a,r,b\nb,r,c\n") << false << "a|r|b;b|r|c" << "" << 0;
    QTest::newRow("csv header") << QByteArray("subject,predicate,object\na,r,b\n") << false << "a|r|b" << "" << 0;
    QTest::newRow("quoted csv") << QByteArray("\"a, x\",r,\"say \"\"hi\"\"\"\n") << false
                                << "a, x|r|say \"hi\"" << "" << 0;
    QTest::newRow("quoted newline") << QByteArray("\"multi\nline\",r,b\nc,r,d\n") << false
                                    << "multi\nline|r|b;c|r|d" << "" << 0;
    QTest::newRow("quoted newline after plain field") << QByteArray("x,\"multi\nline\",b\nc,r,d\n") << false
                                                      << "x|multi\nline|b;c|r|d" << "" << 0;
    QTest::newRow("nul byte") << QByteArray("a\tr\tb\nc\tr\0x\td\n", 14) << false << "" << "2:4:NUL byte" << 0;
    QTest::newRow("semicolon") << QByteArray("a;r;b\nc;r;d\n") << false << "a|r|b;c|r|d" << "" << 0;
    QTest::newRow("pipe") << QByteArray("a|r|b\n") << false << "a|r|b" << "" << 0;
    QTest::newRow("unicode") << QByteArray("北京\t位于\t中国\n") << false << "北京|位于|中国" << "" << 0;
    QTest::newRow("tsv keeps quotes") << QByteArray("\"a\"\tr\tb\n") << false << "\"a\"|r|b" << "" << 0;
    QTest::newRow("too few fields") << QByteArray("a\tr\tb\nx\ty\n") << false << "" << "2:0:expected 3 fields" << 0;
    QTest::newRow("too many fields") << QByteArray("a\tr\tb\nx\ty\tz\tw\n") << false << ""
                                     << "2:0:found 4" << 0;
    QTest::newRow("empty field") << QByteArray("a\tr\tb\n\tr\tb\n") << false << "" << "2:0:empty head" << 0;
    QTest::newRow("invalid utf8") << QByteArray("a\tr\tb\nab\xFF" "c\tr\tb\n") << false << ""
                                  << "2:3:invalid UTF-8" << 0;
    QTest::newRow("overlong utf8") << QByteArray("a\tr\t\xC0\xAF\n") << false << "" << "1:5:invalid UTF-8" << 0;
    QTest::newRow("surrogate utf8") << QByteArray("a\tr\t\xED\xA0\x80\n") << false << "" << "1:5:invalid UTF-8" << 0;
    QTest::newRow("unclosed quote") << QByteArray("a,r,b\n\"open,r,b\n") << false << ""
                                    << "2:0:never closed" << 0;
    QTest::newRow("junk after quote") << QByteArray("\"a\"x,r,b\n") << false << "" << "1:4:after closing quote" << 0;
    QTest::newRow("skip bad lines") << QByteArray("a\tr\tb\nbad\nc\tr\td\nx\xFFy\tr\tz\n") << true
                                    << "a|r|b;c|r|d" << "" << 2;
}

void TestDelimited::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, skipBad);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    QFETCH(int, skipped);

    kg::io::MemorySource src(std::string_view(input.constData(), static_cast<size_t>(input.size())), "in.tsv");
    RecordingSink sink;
    kg::import::ParseOptions opts;
    opts.policy = skipBad ? kg::import::ErrorPolicy::SkipBadLines : kg::import::ErrorPolicy::AllOrNothing;
    try {
        kg::import::parseDelimitedTriples(src, sink, opts);
        QVERIFY2(error.isEmpty(), qPrintable("expected error " + error));
    } catch (const kg::Error& e) {
        QVERIFY2(!error.isEmpty(), e.what());
        const QStringList parts = error.split(':');
        QCOMPARE(e.code(), kg::Errc::Parse);
        QCOMPARE(QString::fromStdString(e.where().file), QStringLiteral("in.tsv"));
        QCOMPARE(e.where().line, parts[0].toULongLong());
        QCOMPARE(e.where().column, parts[1].toUInt());
        QVERIFY2(QString::fromStdString(e.reason()).contains(parts[2]), e.what());
        return;
    }
    QStringList got;
    for (const auto& t : sink.triples)
        got << QString::fromStdString(t[0] + "|" + t[1] + "|" + t[2]);
    QCOMPARE(got.join(';'), expected);
    QCOMPARE(static_cast<int>(sink.skippedLines.size()), skipped);
}

void TestDelimited::gzipIsDetectedByContent()
{
    QTemporaryDir dir;
    // Named .tsv but gzip inside, and .gz with plain text inside: content decides.
    const QString gz = writeGzip(dir, "data.tsv", "a\tr\tb\nb\tr\tc\n");
    const QString plain = writeFile(dir, "plain.tsv.gz", "x\tr\ty\n");
    auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(gz), s(plain)};
    const auto report = kg::import::runImport(*project, req);
    QCOMPARE(report.triplesAdded, 3u);
    QVERIFY(project->entityByKey("c").has_value());
    // A truncated gzip stream is an I/O error naming the file, and nothing is imported.
    QFile f(gz);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray whole = f.readAll();
    const QString cut = writeFile(dir, "cut.tsv.gz", whole.left(whole.size() - 12));
    req.tripleFiles = {s(cut)};
    auto project2 = kg::Project::open(s(dir.filePath("p2.kgwb")));
    QVERIFY_THROWS_EXCEPTION(kg::Error, kg::import::runImport(*project2, req));
    QCOMPARE(project2->tripleCount(), 0);
}

void TestDelimited::hugeLineWithinLimit()
{
    const std::string big(3u << 20, 'x'); // a 3 MiB entity key spanning buffer refills
    const std::string input = "a\tr\t" + big + "\nb\tr\tc\n";
    {
        kg::io::MemorySource src(input, "big.tsv");
        RecordingSink sink;
        kg::import::parseDelimitedTriples(src, sink, {});
        QCOMPARE(sink.triples.size(), size_t(2));
        QCOMPARE(sink.triples[0][2].size(), big.size());
    }
    {
        kg::io::MemorySource src(input, "big.tsv");
        RecordingSink sink;
        kg::import::ParseOptions opts;
        opts.maxLineBytes = 1u << 20;
        try {
            kg::import::parseDelimitedTriples(src, sink, opts);
            QFAIL("a line over the limit must fail");
        } catch (const kg::Error& e) {
            QCOMPARE(e.where().line, 1u);
            QVERIFY(QString::fromStdString(e.reason()).contains("longer than"));
        }
        kg::io::MemorySource again(input, "big.tsv");
        opts.policy = kg::import::ErrorPolicy::SkipBadLines;
        kg::import::parseDelimitedTriples(again, sink, opts);
        QCOMPARE(sink.triples.size(), size_t(1)); // the line after the huge one survives
        QCOMPARE(sink.triples[0][0], std::string("b"));
    }
}

void TestDelimited::duplicatesAcrossImportsAndSplits()
{
    QTemporaryDir dir;
    auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, "a.tsv", "a\tr\tb\na\tr\tb\nb\tr\tc\n"))};
    auto r1 = kg::import::runImport(*project, req);
    QCOMPARE(r1.triplesAdded, 2u);
    QCOMPARE(r1.duplicates, 1u);
    req.tripleFiles = {s(writeFile(dir, "b.tsv", "b\tr\tc\nc\tr\td\n"))};
    req.split = kg::Split::Test;
    auto r2 = kg::import::runImport(*project, req);
    QCOMPARE(r2.triplesAdded, 1u);
    QCOMPARE(r2.duplicates, 1u);
    const auto stats = project->stats();
    QCOMPARE(stats.train, 2);
    QCOMPARE(stats.test, 1);
    QCOMPARE(stats.entities, 4);
}

void TestDelimited::bulkImportDropsRepeats()
{
    // Large enough for the bulk path (indexes dropped, repeats found by sorting at the end):
    // repeats of a triple already there, within the file, and across files and splits. The
    // first occurrence stays, with its split.
    QTemporaryDir dir;
    auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, "old.tsv", "x\tr\ty\n"))};
    QCOMPARE(kg::import::runImport(*project, req).triplesAdded, 1u);
    QByteArray big;
    for (int i = 0; i < 100000; ++i) {
        big += "n" + QByteArray::number(i) + "\trel\tn" + QByteArray::number(i + 1) + "\n";
        if (i == 500)
            big += "x\tr\ty\n";
        if (i == 700)
            big += "n10\trel\tn11\n";
    }
    big += "z\tr\tw\nz\tr\tw\nz\tr\tw\n";
    kg::import::TripleFile train{s(writeFile(dir, "big.tsv", big))};
    kg::import::TripleFile valid{s(writeFile(dir, "valid.tsv", "n20\trel\tn21\nv\tr\tw\nn99999\trel\tn100000\n"))};
    valid.split = kg::Split::Valid;
    req.tripleFiles = {train, valid};
    const auto report = kg::import::runImport(*project, req);
    QCOMPARE(report.triplesAdded, 100002u);
    QCOMPARE(report.duplicates, 6u);
    auto stats = project->stats();
    QCOMPARE(stats.train, 100002);
    QCOMPARE(stats.valid, 1);
    QCOMPARE(project->tripleCount(), int64_t(100003));
    // The unique index is back: a small import of a repeat is caught by it.
    req.tripleFiles = {s(writeFile(dir, "again.tsv", "n5\trel\tn6\nnew\trel\tone\n"))};
    const auto again = kg::import::runImport(*project, req);
    QCOMPARE(again.duplicates, 1u);
    QCOMPARE(again.triplesAdded, 1u);
}

void TestDelimited::bulkImportKeepsSearchCurrent()
{
    // A bulk import drops the full-text triggers and rebuilds the index at the end: search
    // finds new entities by key and by labels set in the same import, and edits afterwards
    // (the triggers back) keep it current.
    const QByteArray big = chainTsv(100000);
    for (const bool withLabels : {false, true}) {
        QTemporaryDir dir;
        auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
        kg::import::ImportRequest req;
        req.tripleFiles = {s(writeFile(dir, "big.tsv", big))};
        if (withLabels)
            req.labelFiles = {s(writeFile(dir, "labels.tsv", "n777\tSeven Hundred Seventy-Seven\n"))};
        QCOMPARE(kg::import::runImport(*project, req).triplesAdded, 100000u);
        const auto hits = project->searchEntities("n99999", 5);
        QVERIFY(!hits.empty());
        QCOMPARE(hits.front().key, std::string("n99999"));
        const auto labelled = project->searchEntities("seventy", 5);
        QCOMPARE(labelled.size(), size_t(withLabels ? 1 : 0));
        if (withLabels)
            QCOMPARE(labelled.front().key, std::string("n777"));
        // The triggers are back: a rename is found at once.
        project->renameEntity(project->entityByKey("n5")->id, "Quintessence");
        QCOMPARE(project->searchEntities("quintessence", 5).size(), size_t(1));
    }
}

void TestDelimited::exclusiveImportUsesRollbackJournal()
{
    // ImportRequest::exclusive: a bulk import writes through a rollback journal when no other
    // connection has the project open, else stays in WAL mode; either way the project ends in
    // WAL mode with everything imported.
    const QByteArray big = chainTsv(100000);
    for (const bool otherConnection : {false, true}) {
        QTemporaryDir dir;
        const std::string path = s(dir.filePath("p.kgwb"));
        auto project = kg::Project::open(path);
        std::unique_ptr<kg::Project> reader;
        if (otherConnection) {
            reader = kg::Project::open(path, kg::Project::OpenMode::ReadOnly);
            QCOMPARE(reader->stats().triples, int64_t(0));
        }
        kg::import::ImportRequest req;
        req.tripleFiles = {s(writeFile(dir, "big.tsv", big))};
        req.exclusive = true;
        const auto report = kg::import::runImport(*project, req);
        QCOMPARE(report.triplesAdded, 100000u);
        QCOMPARE(report.rollbackJournal, !otherConnection);
        if (reader)
            QCOMPARE(reader->stats().triples, int64_t(100000));
        kg::sql::Database check(path, kg::sql::Database::Mode::ReadOnly);
        auto mode = check.prepare("PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(std::string(mode.textView(0)), std::string("wal"));
    }
}

void TestDelimited::writeBehindKeepsOrderAndRethrows()
{
    for (const bool threaded : {true, false}) {
        std::vector<int> ran;
        {
            kg::import::WriteBehind writes(threaded);
            for (int i = 0; i < 5000; ++i)
                writes.post([&ran, i] { ran.push_back(i); });
            writes.drain();
            QCOMPARE(ran.size(), size_t(5000));
            for (int i = 0; i < 5000; ++i)
                QCOMPARE(ran[static_cast<size_t>(i)], i);
        }
        // A write that throws: the error reaches the poster, and no later write runs.
        ran.clear();
        kg::import::WriteBehind writes(threaded);
        bool thrown = false;
        try {
            for (int i = 0; i < 5000; ++i)
                writes.post([&ran, i] {
                    if (i == 100)
                        throw kg::Error(kg::Errc::Database, "disk full");
                    ran.push_back(i);
                });
            writes.drain();
        } catch (const kg::Error& e) {
            thrown = true;
            QCOMPARE(e.code(), kg::Errc::Database);
        }
        QVERIFY(thrown);
        QCOMPARE(ran.size(), size_t(100));
        QVERIFY_THROWS_EXCEPTION(kg::Error, writes.drain());
    }
}

void TestDelimited::skipModeReportsEveryBadLine()
{
    QTemporaryDir dir;
    QByteArray data;
    for (int i = 0; i < 300; ++i)
        data += (i % 3 == 0) ? QByteArray("broken line\n") : QByteArray("e%1\tr\te%2\n").replace("%1", QByteArray::number(i)).replace("%2", QByteArray::number(i + 1));
    auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, "mixed.tsv", data))};
    req.parse.policy = kg::import::ErrorPolicy::SkipBadLines;
    req.maxIssues = 10;
    const auto report = kg::import::runImport(*project, req);
    QCOMPARE(report.skippedLines, 100u);
    QCOMPARE(report.issues.size(), size_t(10));
    QCOMPARE(report.issues[1].where.line, 4u);
    QCOMPARE(report.triplesAdded, 200u);
}

namespace {
// A dump of everything user-visible in a project, to prove a failed import changed nothing.
QString dumpProject(const QString& path)
{
    QString out;
    kg::sql::Database db(s(path), kg::sql::Database::Mode::ReadOnly);
    for (const char* q : {"SELECT id, key, label, description FROM entities ORDER BY id",
                          "SELECT id, key, label FROM relations ORDER BY id",
                          "SELECT id, head, rel, tail, split FROM triples ORDER BY id",
                          "SELECT count(*) FROM import_log",
                          "SELECT name FROM sqlite_schema ORDER BY name"}) {
        auto st = db.prepare(q);
        while (st.step())
            for (int c = 0; c < 5; ++c)
                out += QString::fromStdString(st.text(c)) + "|";
        out += "\n";
    }
    return out;
}
} // namespace

void TestDelimited::allOrNothingRollsBack()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("p.kgwb");
    {
        auto project = kg::Project::open(s(path));
        kg::import::ImportRequest req;
        req.tripleFiles = {s(writeFile(dir, "ok.tsv", "a\tr\tb\n"))};
        kg::import::runImport(*project, req);
    }
    const QString before = dumpProject(path);
    QByteArray big = chainTsv(200000); // large enough to take the bulk path (indexes dropped)
    big += "last line is bad\n";
    auto project = kg::Project::open(s(path));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, "big.tsv", big))};
    req.labelFiles = {s(writeFile(dir, "labels.tsv", "a\tAlpha\n"))};
    try {
        kg::import::runImport(*project, req);
        QFAIL("import should fail");
    } catch (const kg::Error& e) {
        QCOMPARE(e.where().line, 200001u);
        QVERIFY(QString::fromStdString(e.where().file).endsWith("big.tsv"));
    }
    QCOMPARE(dumpProject(path), before);
    // The project still works: search, and a further import use the restored indexes.
    QCOMPARE(project->searchEntities("a", 5).size(), size_t(1));
    req.tripleFiles = {s(writeFile(dir, "more.tsv", "a\tr\tb\nb\tr\tc\n"))};
    req.labelFiles.clear();
    QCOMPARE(kg::import::runImport(*project, req).duplicates, 1u);
}

void TestDelimited::cancelLeavesProjectUnchanged()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("p.kgwb");
    {
        auto project = kg::Project::open(s(path));
        project->addEntity("keep", "Keep me");
    }
    const QString before = dumpProject(path);
    QByteArray big;
    for (int i = 0; i < 300000; ++i)
        big += "n" + QByteArray::number(i) + "\trel\tn" + QByteArray::number(i % 977) + "\n";
    const QString file = writeFile(dir, "big.tsv", big);
    auto project = kg::Project::open(s(path));
    kg::CancelToken cancel;
    kg::import::ImportRequest req;
    req.tripleFiles = {s(file)};
    req.parse.cancel = &cancel;
    int calls = 0;
    try {
        kg::import::runImport(*project, req, [&](const kg::import::ImportProgress& p) {
            ++calls;
            QVERIFY(p.bytesDone <= p.bytesTotal);
            if (p.bytesDone > p.bytesTotal / 3)
                cancel.cancel();
        });
        QFAIL("import should have been cancelled");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Cancelled);
    }
    QVERIFY(calls > 0);
    QCOMPARE(dumpProject(path), before);
}

void TestDelimited::labelsApplyToEntitiesAndRelations()
{
    QTemporaryDir dir;
    auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, "t.tsv", "/m/1\t/film/genre\t/m/2\n"))};
    req.labelFiles = {s(writeFile(dir, "e.tsv", "id\tlabel\tdescription\n/m/1\tAlien\tA 1979 film\n/m/3\tOnly labelled\n")),
                      s(writeFile(dir, "r.tsv", "/film/genre\tgenre\n"))};
    const auto report = kg::import::runImport(*project, req);
    QCOMPARE(report.labelsApplied, 3u);
    QCOMPARE(project->entityByKey("/m/1")->label, std::string("Alien"));
    QCOMPARE(project->entityByKey("/m/1")->description, std::string("A 1979 film"));
    QCOMPARE(project->entityByKey("/m/3")->label, std::string("Only labelled"));
    QCOMPARE(project->relationByKey("/film/genre")->label, std::string("genre"));
    QVERIFY(!project->entityByKey("/film/genre").has_value());
    QCOMPARE(project->searchEntities("1979", 5).front().key, std::string("/m/1"));
}

QTEST_GUILESS_MAIN(TestDelimited)
#include "tst_delimited.moc"
