// The W3C RDF 1.1 N-Triples and Turtle test suites (tests/data/w3c, W3C Test Suite License)
// run against the RDF reader, as their manifests say:
//  - positive syntax: parses; negative syntax / negative eval: refused with file:line:column;
//  - eval: the triples equal the expected N-Triples, up to blank-node names.
// The reader keeps no literal datatypes (kgwb stores literals as labels and descriptions), so
// eval compares subject, predicate, object and language. Blank nodes are matched by colour
// refinement over the graph, which tells apart every graph in these suites.
#include <QTest>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "import/iri.h"
#include "import/rdf.h"
#include "io/byte_source.h"
#include "test_util.h"

using namespace kgtest;
namespace fs = std::filesystem;

namespace {

const fs::path kSuites = KGWB_W3C_DIR;

struct Graph {
    std::vector<std::array<std::string, 3>> triples; // object literals as "\"value\"@lang"
};

Graph parseFile(const fs::path& file, kg::import::RdfSyntax syntax, const std::string& base)
{
    kg::io::FileSource src(file.string());
    RecordingSink sink;
    kg::import::ParseOptions opts;
    opts.baseIri = base;
    kg::import::parseRdf(src, syntax, sink, opts, "x");
    Graph g;
    for (const auto& t : sink.triples)
        g.triples.push_back({t[0], t[1], t[2]});
    for (const auto& l : sink.literals)
        g.triples.push_back({l[0], l[1], "\"" + l[2] + "\"@" + l[3]});
    return g;
}

bool isBlank(const std::string& node) { return node.rfind("_:", 0) == 0; }

// Triples with each blank node replaced by a colour that depends only on the graph's shape.
std::multiset<std::string> canonical(const Graph& g)
{
    std::map<std::string, size_t> colour;
    for (const auto& t : g.triples)
        for (const auto& n : {t[0], t[2]})
            if (isBlank(n))
                colour[n] = 0;
    auto name = [&](const std::string& n) { return isBlank(n) ? "_:" + std::to_string(colour[n]) : n; };
    for (size_t round = 0; round <= colour.size(); ++round) {
        std::map<std::string, std::multiset<std::string>> around;
        for (const auto& t : g.triples) {
            if (isBlank(t[0]))
                around[t[0]].insert("s " + t[1] + " " + name(t[2]));
            if (isBlank(t[2]))
                around[t[2]].insert("o " + name(t[0]) + " " + t[1]);
        }
        std::map<std::string, size_t> next;
        for (auto& [node, c] : colour) {
            std::string sig = std::to_string(c);
            for (const auto& s : around[node])
                sig += "|" + s;
            next[node] = std::hash<std::string>{}(sig);
        }
        colour = next;
    }
    std::multiset<std::string> out;
    for (const auto& t : g.triples)
        out.insert(name(t[0]) + " " + t[1] + " " + name(t[2]));
    return out;
}

struct Test {
    std::string name, type;
    fs::path action, result;
};

// The manifest's tests, read with the reader under test (the manifests are plain Turtle).
std::vector<Test> manifest(const fs::path& dir)
{
    const std::string mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
    const std::string rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    const std::string base = kg::import::fileBaseIri((dir / "manifest.ttl").string());
    const Graph g = parseFile(dir / "manifest.ttl", kg::import::RdfSyntax::Turtle, base);
    std::map<std::string, Test> tests;
    auto local = [](const std::string& iri) {
        return fs::path(iri.substr(std::string("file://").size()));
    };
    for (const auto& [s, p, o] : g.triples) {
        if (p == rdfType && o.rfind("http://www.w3.org/ns/rdftest#Test", 0) == 0)
            tests[s].type = o.substr(o.find('#') + 1);
        else if (p == mf + "action")
            tests[s].action = local(o);
        else if (p == mf + "result")
            tests[s].result = local(o);
        else if (p == mf + "name" && o.size() > 2)
            tests[s].name = o.substr(1, o.rfind("\"@") - 1);
    }
    std::vector<Test> out;
    for (auto& [id, t] : tests)
        if (!t.type.empty())
            out.push_back(t);
    return out;
}

} // namespace

class TestRdfW3c : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void suite_data();
    void suite();
};

void TestRdfW3c::suite_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("result");
    size_t total = 0;
    for (const char* dir : {"ntriples", "turtle"}) {
        const auto tests = manifest(kSuites / dir);
        QVERIFY2(tests.size() > 60, dir); // 68 N-Triples, 291 Turtle tests
        total += tests.size();
        for (const auto& t : tests)
            QTest::newRow((std::string(dir) + "/" + t.name).c_str())
                << QString::fromStdString(t.type) << QString::fromStdString(t.action.string())
                << QString::fromStdString(t.result.string());
    }
    QCOMPARE(total, size_t(68 + 291));
}

void TestRdfW3c::suite()
{
    QFETCH(QString, type);
    QFETCH(QString, action);
    QFETCH(QString, result);
    const fs::path file = action.toStdString();
    QVERIFY2(fs::exists(file), qPrintable(action));
    const bool turtle = type.startsWith("TestTurtle");
    const auto syntax = turtle ? kg::import::RdfSyntax::Turtle : kg::import::RdfSyntax::NTriples;
    // Each file's base is its retrieval IRI at the suite's home (the suite's README).
    const std::string base = "http://www.w3.org/2013/TurtleTests/" + file.filename().string();
    if (type.contains("Negative")) {
        try {
            parseFile(file, syntax, base);
            QFAIL("accepted a file the suite says is invalid");
        } catch (const kg::Error& e) {
            QCOMPARE(e.code(), kg::Errc::Parse);
            QVERIFY2(e.where().line > 0 && e.where().column > 0 || QString(e.what()).contains("end of file"), e.what());
        }
        return;
    }
    Graph got;
    try {
        got = parseFile(file, syntax, base);
    } catch (const kg::Error& e) {
        QFAIL(e.what());
    }
    if (type == "TestTurtleEval") {
        const Graph expected = parseFile(result.toStdString(), kg::import::RdfSyntax::NTriples, {});
        const auto a = canonical(got), b = canonical(expected);
        if (a != b) {
            for (const auto& t : a)
                qInfo("got      %s", t.c_str());
            for (const auto& t : b)
                qInfo("expected %s", t.c_str());
        }
        QVERIFY(a == b);
    }
}

QTEST_GUILESS_MAIN(TestRdfW3c)
#include "tst_rdf_w3c.moc"
