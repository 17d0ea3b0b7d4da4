// Documents, mentions and the review of candidate triples (no LibTorch): document import
// (formats, refusals with nothing written), sentence splitting, Aho-Corasick mention
// matching with overlaps and ambiguity, and accept/reject/undo/redo of candidates with their
// provenance across reopening (real project files).
#include <QTest>

#include "core/error.h"
#include "reason/graph_index.h"
#include "store/candidate_store.h"
#include "store/doc_store.h"
#include "test_util.h"
#include "text/doc_import.h"
#include "text/mention_matcher.h"
#include "text/mention_pairs.h"

using kgtest::s;

namespace {

std::vector<std::string> names(const std::vector<kg::text::TextMention>& ms, const std::string& text)
{
    std::vector<std::string> out;
    for (const auto& m : ms)
        out.push_back(text.substr(static_cast<size_t>(m.begin), static_cast<size_t>(m.end - m.begin)));
    return out;
}

} // namespace

class TstDocs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void splitsSentences()
    {
        const auto s = kg::text::splitSentences(
            "Dr. Smith met J. R. R. Tolkien in Oxford. They talked, e.g. about trees!  Then   they left.\n\n"
            "A new paragraph without a full stop\nthat wraps");
        QCOMPARE(s.size(), size_t(4));
        QCOMPARE(s[0], std::string("Dr. Smith met J. R. R. Tolkien in Oxford."));
        QCOMPARE(s[1], std::string("They talked, e.g. about trees!"));
        QCOMPARE(s[2], std::string("Then they left."));
        QCOMPARE(s[3], std::string("A new paragraph without a full stop that wraps"));
    }

    void stripsHtmlAndMarkdown()
    {
        const std::string html = kg::text::stripHtml(
            "<html><head><title>T</title><style>p{color:red}</style><script>var a = '<p>';</script></head>"
            "<body><p>Caf&eacute; &amp; bar &#x263A;</p><!-- hidden --><div>Second <b>block</b></div></body></html>");
        const auto hs = kg::text::splitSentences(html);
        QCOMPARE(hs.size(), size_t(3));
        QCOMPARE(hs[1], std::string("Caf\xC3\xA9 & bar \xE2\x98\xBA"));
        QCOMPARE(hs[2], std::string("Second block"));
        const auto ms = kg::text::splitSentences(kg::text::stripMarkdown(
            "# Title here\n\nSome *bold* and [a link](http://x.org/y) with `code`.\n- item one\n- item two\n"));
        QCOMPARE(ms.size(), size_t(4));
        QCOMPARE(ms[0], std::string("Title here"));
        QCOMPARE(ms[1], std::string("Some bold and a link with code."));
        QCOMPARE(ms[3], std::string("item two"));
    }

    void importsAndRefusesDocuments()
    {
        QTemporaryDir dir;
        const std::string project = s(dir.filePath("p.kgwb"));
        kg::Project::open(project);
        const QString good = kgtest::writeFile(dir, "a.md", "# Paris\n\nParis is the capital of France.\n");
        const QString gz = kgtest::writeGzip(dir, "b.html.gz", "<p>Lyon is a city. It is in France.</p>");
        const auto r = kg::text::importDocuments(project, {s(good), s(gz)});
        QCOMPARE(r.documents, int64_t(2));
        QCOMPARE(r.sentences, int64_t(4));
        {
            auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
            kg::DocStore docs(*p);
            const auto list = docs.documents();
            QCOMPARE(list.size(), size_t(2));
            QCOMPARE(list[1].format, std::string("html"));
            QCOMPARE(docs.search("capital").size(), size_t(1));
        }

        // Each bad file is named (with the line for bad encoding); nothing is written, the
        // good file in the same import included.
        const QString binary = kgtest::writeFile(dir, "c.txt", QByteArray("abc\0def", 7));
        const QString latin1 = kgtest::writeFile(dir, "d.txt", "line one\nline two caf\xE9\n");
        const QString empty = kgtest::writeFile(dir, "e.txt", "  \n\n ");
        const QString good2 = kgtest::writeFile(dir, "f.txt", "Nice is by the sea.");
        try {
            kg::text::importDocuments(project, {s(good2), s(binary), s(latin1), s(empty), s(dir.filePath("missing.txt"))});
            QFAIL("bad documents were accepted");
        } catch (const kg::Error& e) {
            const std::string why = e.what();
            QVERIFY2(why.find("c.txt") != std::string::npos && why.find("NUL") != std::string::npos, why.c_str());
            QVERIFY2(why.find("d.txt:2") != std::string::npos && why.find("UTF-8") != std::string::npos, why.c_str());
            QVERIFY2(why.find("e.txt") != std::string::npos && why.find("no text") != std::string::npos, why.c_str());
            QVERIFY2(why.find("missing.txt") != std::string::npos, why.c_str());
            QVERIFY2(why.find("f.txt") == std::string::npos, why.c_str());
        }
        kg::text::DocImportOptions small;
        small.maxBytes = 8;
        QVERIFY_THROWS_EXCEPTION(kg::Error, kg::text::importDocuments(project, {s(good2)}, small));
        auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
        QCOMPARE(kg::DocStore(*p).counts().documents, int64_t(2));
        QCOMPARE(kg::DocStore(*p).counts().sentences, int64_t(4));
    }

    void matchesLongestMentionsWithOverlaps()
    {
        kg::text::MentionMatcher m;
        m.add(1, "New York");
        m.add(2, "New York City");
        m.add(3, "York");
        m.add(4, "City Hall");
        m.add(5, "the");    // a function word alone: never a name
        m.add(6, "Robin-Hood");
        m.add(7, "a");
        m.build();
        const std::string text = "The New York City Hall hosted robin hood, not York.";
        const auto words = kg::text::wordSpans(text);
        QCOMPARE(m.allMatches(words).size(), size_t(6)); // New York, York, New York City, City Hall, robin hood, York
        const auto ms = m.mentions(words);
        QCOMPARE(names(ms, text), (std::vector<std::string>{"New York City", "robin hood", "York"}));
        QCOMPARE(ms[0].entities, std::vector<int64_t>{2});
        QCOMPARE(ms[1].entities, std::vector<int64_t>{6});
    }

    void resolvesAmbiguityByContextThenDegree()
    {
        kg::text::MentionMatcher m;
        m.add(1, "Paris"); // the city
        m.add(2, "Paris"); // the Trojan prince
        m.add(3, "France");
        m.add(4, "Troy");
        m.add(5, "Helen");
        m.build();
        // 2 has the higher degree, but 1 is a neighbour of France.
        const auto g = kg::reason::GraphIndex::fromTriples(
            {{1, 1, 1, 3, kg::Split::Train}, {2, 2, 2, 4, kg::Split::Train}, {3, 2, 3, 5, kg::Split::Train},
             {4, 5, 3, 2, kg::Split::Train}});
        const kg::text::PairFinder finder(m, g);
        auto chosen = [&](const std::string& text, int64_t docEntity = 0) {
            const auto ms = m.mentions(text);
            return finder.resolve(docEntity, {ms}).front();
        };
        QCOMPARE(chosen("Paris is the capital of France."), (std::vector<int64_t>{1, 3}));
        QCOMPARE(chosen("Paris took Helen to Troy."), (std::vector<int64_t>{2, 5, 4}));
        QCOMPARE(chosen("Paris."), (std::vector<int64_t>{2}));            // no context: degree
        QCOMPARE(chosen("Paris was here.", 1), (std::vector<int64_t>{1})); // the document's own entity

        // A description pairs its entity with each other mention; other text pairs mentions.
        const auto d = finder.pairs(3, {{10, 1, 3, "France has Paris and Troy."}});
        QCOMPARE(d.pairs.size(), size_t(2));
        QCOMPARE(d.pairs[0].a, int64_t(3));
        QCOMPARE(d.pairs[0].aEnd - d.pairs[0].aBegin, 6);
        const auto free = finder.pairs(0, {{11, 2, 0, "Helen met Paris in Troy."}});
        QCOMPARE(free.pairs.size(), size_t(3));
    }

    void acceptUndoRedoKeepsProvenance()
    {
        QTemporaryDir dir;
        const std::string path = s(dir.filePath("c.kgwb"));
        int64_t alice = 0, paris = 0, lyon = 0, born = 0, cand = 0;
        {
            auto p = kg::Project::open(path);
            alice = p->addEntity("alice", "Alice");
            paris = p->addEntity("paris", "Paris");
            lyon = p->addEntity("lyon", "Lyon");
            born = p->addRelation("born_in", "born in");
            kg::NewDocument d;
            d.name = "bio.txt";
            d.format = "text";
            d.sentences = {"Alice was born in Paris."};
            kg::DocStore(*p).add({d});
            const auto sentence = kg::DocStore(*p).search("born").at(0).id;
            kg::CandidateRecord c;
            c.head = alice;
            c.rel = born;
            c.tail = paris;
            c.score = 0.9;
            c.evidence.push_back({sentence, 0.9, 0, 5, 18, 23, {}, 0, {}});
            QCOMPARE(kg::CandidateStore(*p).replacePending(0, {c}), int64_t(1));
            cand = kg::CandidateStore(*p).list().at(0).id;
            const auto triple = kg::CandidateStore(*p).accept(cand);
            QVERIFY(p->triple(triple).has_value());
        }
        auto reopen = [&] { return kg::Project::open(path, kg::Project::OpenMode::MustExist); };
        {
            auto p = reopen();
            kg::CandidateStore store(*p);
            const auto prov = store.provenance(paris);
            QCOMPARE(prov.size(), size_t(1));
            QCOMPARE(prov[0].status, std::string("accepted"));
            QCOMPARE(prov[0].evidence.at(0).docName, std::string("bio.txt"));
            QCOMPARE(prov[0].evidence.at(0).text.substr(18, 5), std::string("Paris"));
            QVERIFY(!prov[0].decided.empty());
            QCOMPARE(p->undo(), std::string("accept candidate"));
            QCOMPARE(p->tripleCount(), int64_t(0));
            QCOMPARE(store.get(cand).status, std::string("pending"));
        }
        {
            auto p = reopen();
            QCOMPARE(kg::CandidateStore(*p).get(cand).status, std::string("pending"));
            p->redo();
            QCOMPARE(p->tripleCount(), int64_t(1));
        }
        {
            auto p = reopen();
            kg::CandidateStore store(*p);
            QCOMPARE(store.get(cand).status, std::string("accepted"));
            QCOMPARE(store.provenance(alice).size(), size_t(1));
            // Accepting twice, or a triple already present, is refused.
            QVERIFY_THROWS_EXCEPTION(kg::Error, store.accept(cand));
            // An edited acceptance adds the edited triple.
            kg::CandidateRecord c2;
            c2.head = alice;
            c2.rel = born;
            c2.tail = lyon;
            c2.score = 0.4;
            QCOMPARE(store.replacePending(0, {c2}), int64_t(1));
            const auto id2 = store.list().at(0).id;
            QVERIFY_THROWS_EXCEPTION(kg::Error, store.accept(id2, 0, 0, paris)); // (alice, born, paris) exists
            QCOMPARE(store.get(id2).status, std::string("pending"));
            const auto t2 = store.accept(id2, 0, 0, 0);
            QCOMPARE(p->triple(t2)->tail, lyon);
        }
    }

    void rejectedAreNotProposedAgain()
    {
        QTemporaryDir dir;
        auto p = kg::Project::open(s(dir.filePath("r.kgwb")));
        const auto a = p->addEntity("a", "A"), b = p->addEntity("b", "B"), c = p->addEntity("c", "C");
        const auto r = p->addRelation("r");
        p->addTriple(a, r, c);
        kg::CandidateStore store(*p);
        kg::CandidateRecord x{0, a, r, b, 0.8, 0, "pending", 0, "", {}};
        kg::CandidateRecord known{0, a, r, c, 0.9, 0, "pending", 0, "", {}};
        QCOMPARE(store.replacePending(0, {x, known}), int64_t(1)); // (a, r, c) is in the graph
        const auto id = store.list().at(0).id;
        store.reject(id);
        QCOMPARE(store.counts().rejected, int64_t(1));
        QCOMPARE(store.replacePending(0, {x}), int64_t(0));
        QCOMPARE(store.counts().pending, int64_t(0));
        p->undo(); // the rejection
        QCOMPARE(store.get(id).status, std::string("pending"));
        p->redo();
        QCOMPARE(store.get(id).status, std::string("rejected"));
        // Bulk acceptance is one undoable edit.
        kg::CandidateRecord y{0, b, r, c, 0.7, 0, "pending", 0, "", {}};
        kg::CandidateRecord z{0, c, r, a, 0.2, 0, "pending", 0, "", {}};
        QCOMPARE(store.replacePending(0, {y, z}), int64_t(2));
        QCOMPARE(store.acceptAbove(0.5), int64_t(1));
        QCOMPARE(p->tripleCount(), int64_t(2));
        p->undo();
        QCOMPARE(p->tripleCount(), int64_t(1));
        QCOMPARE(store.counts().pending, int64_t(2));
    }
};

QTEST_GUILESS_MAIN(TstDocs)
#include "tst_docs.moc"
