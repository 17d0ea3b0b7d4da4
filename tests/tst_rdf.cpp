// N-Triples and Turtle import through Serd: expansion, literals, errors with positions.
#include <QTest>

#include "import/importer.h"
#include "import/iri.h"
#include "import/rdf.h"
#include "io/byte_source.h"
#include "store/project.h"
#include "test_util.h"

using namespace kgtest;

namespace {

// What the parser hands its sink for `input`, read as a source named `name`; errors propagate.
RecordingSink parseBytes(const QByteArray& input, bool turtle, const kg::import::ParseOptions& opts = {},
                         const std::string& name = "in.ttl")
{
    kg::io::MemorySource src(std::string_view(input.constData(), static_cast<size_t>(input.size())), name);
    RecordingSink sink;
    kg::import::parseRdf(src, turtle ? kg::import::RdfSyntax::Turtle : kg::import::RdfSyntax::NTriples, sink, opts);
    return sink;
}

kg::import::ParseOptions skipBadLines()
{
    kg::import::ParseOptions opts;
    opts.policy = kg::import::ErrorPolicy::SkipBadLines;
    return opts;
}

} // namespace

class TestRdf : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void errorsNameLineAndColumn_data();
    void errorsNameLineAndColumn();
    void nulInsideALiteralIsKept();
    void relativeIrisResolveAgainstTheBase();
    void skipModeRecovers();
    void importSetsLabelsAndDescriptions();
    void gzippedTurtleImports();
    void blankNodesAreScopedPerFile();
};

void TestRdf::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("turtle");
    QTest::addColumn<QString>("expected"); // triples "s|p|o;..."
    QTest::addColumn<int>("literals");

    QTest::newRow("ntriples") << QByteArray("<http://x/a> <http://x/r> <http://x/b> .\n"
                                            "<http://x/b> <http://x/r> <http://x/c> .\n")
                              << false << "http://x/a|http://x/r|http://x/b;http://x/b|http://x/r|http://x/c" << 0;
    QTest::newRow("ntriples crlf+comment") << QByteArray("# comment\r\n<http://x/a> <http://x/r> <http://x/b> .\r\n")
                                           << false << "http://x/a|http://x/r|http://x/b" << 0;
    QTest::newRow("ntriples literal") << QByteArray("<http://x/a> <http://www.w3.org/2000/01/rdf-schema#label> \"A\"@en .\n")
                                      << false << "" << 1;
    QTest::newRow("ntriples blank") << QByteArray("_:n1 <http://x/r> <http://x/b> .\n") << false
                                    << "_:b_n1|http://x/r|http://x/b" << 0;
    QTest::newRow("turtle prefixes") << QByteArray("@prefix ex: <http://x/> .\nex:a ex:r ex:b , ex:c ; ex:s ex:d .\n")
                                     << true << "http://x/a|http://x/r|http://x/b;http://x/a|http://x/r|http://x/c;http://x/a|http://x/s|http://x/d" << 0;
    QTest::newRow("turtle sparql prefix+base") << QByteArray("BASE <http://x/>\nPREFIX e: <http://e/>\n<a> e:r <b> .\n")
                                               << true << "http://x/a|http://e/r|http://x/b" << 0;
    QTest::newRow("turtle a keyword") << QByteArray("@prefix ex: <http://x/> .\nex:a a ex:Person .\n") << true
                                      << "http://x/a|http://www.w3.org/1999/02/22-rdf-syntax-ns#type|http://x/Person" << 0;
    QTest::newRow("turtle literals") << QByteArray("@prefix ex: <http://x/> .\nex:a ex:age 42 ; ex:name \"\"\"long\nname\"\"\" .\n")
                                     << true << "" << 2;
    QTest::newRow("turtle unicode") << QByteArray("@prefix ex: <http://x/> .\nex:北京 ex:位于 ex:中国 .\n") << true
                                    << "http://x/北京|http://x/位于|http://x/中国" << 0;
    QTest::newRow("turtle bom") << QByteArray("\xEF\xBB\xBF@prefix ex: <http://x/> .\nex:a ex:r ex:b .\n") << true
                                << "http://x/a|http://x/r|http://x/b" << 0;
}

void TestRdf::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, turtle);
    QFETCH(QString, expected);
    QFETCH(int, literals);
    const RecordingSink sink = parseBytes(input, turtle);
    QStringList got;
    for (const auto& t : sink.triples)
        got << QString::fromStdString(t[0] + "|" + t[1] + "|" + t[2]);
    QCOMPARE(got.join(';'), expected);
    QCOMPARE(static_cast<int>(sink.literals.size()), literals);
    QVERIFY(sink.skippedLines.empty());
}

void TestRdf::errorsNameLineAndColumn_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("turtle");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing dot") << QByteArray("<http://x/a> <http://x/r> <http://x/b> .\n<http://x/a> <http://x/r> <http://x/c>\n")
                                 << false << 3 << "";
    QTest::newRow("bad iri") << QByteArray("<http://x/a> <http://x/r> <http://x/b> .\n<http://x/a> <http://x/ r> <http://x/c> .\n")
                             << false << 2 << "";
    QTest::newRow("undefined prefix") << QByteArray("@prefix ex: <http://x/> .\nex:a nope:r ex:b .\n") << true << 2
                                      << "undefined prefix";
    QTest::newRow("unterminated literal") << QByteArray("@prefix ex: <http://x/> .\nex:a ex:r \"open .\n") << true << 2 << "";
    QTest::newRow("empty iri without base") << QByteArray("<> <http://x/r> <http://x/b> .\n") << false << 1
                                            << "IRI";
    QTest::newRow("nul outside a literal") << QByteArray("<ht\x0b\0\0\0.\x9ft/", 11) << false << 1 << "";
    QTest::newRow("nul in an iri") << QByteArray("<http://x/a> <http://x/r> <http://x/b> .\n<http://x/\0> <http://x/r> <http://x/b> .\n", 82)
                                   << false << 2 << "";
    QTest::newRow("invalid utf8") << QByteArray("<http://x/a> <http://x/r> \"\xFF\xFE\" .\n") << false << 1 << "";
}

void TestRdf::errorsNameLineAndColumn()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, turtle);
    QFETCH(int, line);
    QFETCH(QString, reason);
    try {
        parseBytes(input, turtle, {}, "bad.rdf");
        QFAIL("expected a parse error");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Parse);
        QCOMPARE(QString::fromStdString(e.where().file), QStringLiteral("bad.rdf"));
        if (line > 0) {
            QCOMPARE(static_cast<int>(e.where().line), line);
            // Serd gives a column except when the input simply ends too early.
            if (!QString::fromStdString(e.reason()).contains("end of file"))
                QVERIFY2(e.where().column > 0, e.what());
        }
        QVERIFY2(QString::fromStdString(e.reason()).contains(reason), e.what());
        QVERIFY2(!e.reason().empty(), e.what());
    }
}

void TestRdf::nulInsideALiteralIsKept()
{
    const QByteArray input("<http://x/a> <http://x/r> \"a\0b\" .\n<http://x/a> <http://x/s> <http://x/b> .\n", 75);
    for (const auto policy : {kg::import::ErrorPolicy::AllOrNothing, kg::import::ErrorPolicy::SkipBadLines})
        for (const bool turtle : {false, true}) {
            kg::import::ParseOptions opts;
            opts.policy = policy;
            const RecordingSink sink = parseBytes(input, turtle, opts, "nul.nt");
            QVERIFY(sink.skippedLines.empty());
            QCOMPARE(sink.literals.size(), size_t(1));
            QCOMPARE(sink.literals[0][2], std::string("a\0b", 3));
            QCOMPARE(sink.triples.size(), size_t(1));
        }
}

void TestRdf::relativeIrisResolveAgainstTheBase()
{
    auto parse = [](const QByteArray& input, const std::string& base) {
        kg::import::ParseOptions opts;
        opts.baseIri = base;
        return parseBytes(input, true, opts).triples;
    };
    // --base; dot segments in the middle of the path are removed (RFC 3986 5.2.4).
    const auto t = parse("<a> <./g/../r> <bb/ccc/./h/../i> .\n", "http://x/base/doc.ttl");
    QCOMPARE(t.size(), size_t(1));
    QCOMPARE(t[0][0], std::string("http://x/base/a"));
    QCOMPARE(t[0][1], std::string("http://x/base/r"));
    QCOMPARE(t[0][2], std::string("http://x/base/bb/ccc/i"));
    // An absolute IRI stays as written.
    QCOMPARE(parse("<http://y/a/./b> <r> <c> .\n", "http://x/")[0][0], std::string("http://y/a/./b"));
    // Without --base, a file's own file:// URI.
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/my doc.ttl").toStdString();
    QCOMPARE(kg::import::fileBaseIri(path), std::string());
    writeFile(dir, "my doc.ttl", "<#a> <r> <../b> .\n");
    const std::string fileBase = kg::import::fileBaseIri(path);
    QVERIFY2(QString::fromStdString(fileBase).endsWith("/my%20doc.ttl"), fileBase.c_str());
    kg::io::FileSource file(path);
    RecordingSink sink;
    kg::import::parseRdf(file, kg::import::RdfSyntax::Turtle, sink, {});
    QCOMPARE(sink.triples.size(), size_t(1));
    QCOMPARE(sink.triples[0][0], fileBase + "#a");
    QCOMPARE(kg::import::removeDotSegments("http://a/b/c/../../../d"), std::string("http://a/d"));
    QCOMPARE(kg::import::removeDotSegments("http://a/b/./c?x=./y#../z"), std::string("http://a/b/c?x=./y#../z"));
}

void TestRdf::skipModeRecovers()
{
    const QByteArray input("<http://x/a> <http://x/r> <http://x/b> .\n"
                           "<http://x/a> <http://x/ bad> <http://x/c> .\n"
                           "<http://x/c> <http://x/r> <http://x/d> .\n");
    const RecordingSink sink = parseBytes(input, false, skipBadLines(), "mixed.nt");
    QVERIFY(!sink.skippedLines.empty());
    QCOMPARE(sink.skippedLines.front().first.line, 2u);
    QCOMPARE(sink.triples.front()[2], std::string("http://x/b"));
    QCOMPARE(sink.triples.back()[2], std::string("http://x/d"));

    // Turtle allows <> (relative to @base); without a base it would be an empty key.
    const QByteArray empty("<> <http://x/r> <http://x/b> .\n<http://x/a> <http://x/r> <http://x/b> .\n");
    const RecordingSink sink2 = parseBytes(empty, true, skipBadLines(), "e.nt");
    QCOMPARE(sink2.triples.size(), size_t(1));
    bool named = false; // Serd may add its own warning for the same statement
    for (const auto& [where, reason] : sink2.skippedLines)
        named = named || QString::fromStdString(reason).contains("empty IRI");
    QVERIFY(named);
}

void TestRdf::importSetsLabelsAndDescriptions()
{
    QTemporaryDir dir;
    const QString file = writeFile(dir, "kg.ttl", R"(@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
ex:curie ex:bornIn ex:warsaw ;
    rdfs:label "Maria Skłodowska"@pl , "Marie Curie"@en ;
    schema:description "Physicist and chemist" ;
    ex:birthYear 1867 .
ex:warsaw rdfs:label "Warszawa"@pl .
)");
    auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(file)};
    const auto report = kg::import::runImport(*project, req);
    QCOMPARE(report.triplesAdded, 1u);
    QCOMPARE(report.literalsSkipped, 1u); // birthYear
    const auto curie = project->entityByKey("http://example.org/curie");
    QVERIFY(curie);
    QCOMPARE(curie->label, std::string("Marie Curie"));      // English preferred over Polish
    QCOMPARE(curie->description, std::string("Physicist and chemist"));
    QCOMPARE(project->entityByKey("http://example.org/warsaw")->label, std::string("Warszawa")); // only label
    QCOMPARE(project->relationByKey("http://example.org/bornIn")->label, std::string("bornIn")); // local name
    QCOMPARE(project->searchEntities("chemist", 3).size(), size_t(1));
}

void TestRdf::gzippedTurtleImports()
{
    QTemporaryDir dir;
    const QString file = writeGzip(dir, "kg.ttl.gz", "@prefix ex: <http://x/> .\nex:a ex:r ex:b .\nex:b ex:r ex:c .\n");
    QCOMPARE(kg::import::detectFormat(s(file)), kg::import::FileFormat::Turtle);
    const QString noExt = writeGzip(dir, "kgdata", "<http://x/a> <http://x/r> <http://x/b> .\n");
    QCOMPARE(kg::import::detectFormat(s(noExt)), kg::import::FileFormat::NTriples);
    auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(file), s(noExt)};
    QCOMPARE(kg::import::runImport(*project, req).triplesAdded, 2u); // a-r-b appears in both
}

void TestRdf::blankNodesAreScopedPerFile()
{
    QTemporaryDir dir;
    const QString f1 = writeFile(dir, "one.nt", "_:x <http://x/r> <http://x/a> .\n");
    const QString f2 = writeFile(dir, "two.nt", "_:x <http://x/r> <http://x/a> .\n");
    auto project = kg::Project::open(s(dir.filePath("p.kgwb")));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(f1), s(f2)};
    const auto report = kg::import::runImport(*project, req);
    QCOMPARE(report.triplesAdded, 2u); // two different blank nodes
    QCOMPARE(report.entitiesAdded, 3u);
}

QTEST_GUILESS_MAIN(TestRdf)
#include "tst_rdf.moc"
