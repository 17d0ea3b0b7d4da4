// kgwb docs import|list|search and kgwb candidates list|accept|reject: the text corpus and the
// review of candidate triples extracted from it (no LibTorch needed).
#include <cstdio>
#include <string>

#include "args.h"
#include "interrupt.h"
#include "core/error.h"
#include "store/candidate_store.h"
#include "store/doc_store.h"
#include "store/project.h"
#include "text/doc_import.h"

namespace kgcli {
namespace {

std::string keyOf(kg::Project& p, int64_t id, bool relation = false)
{
    const auto r = relation ? p.relation(id) : p.entity(id);
    return r ? r->key : "#" + std::to_string(id);
}

std::string labelOf(kg::Project& p, int64_t id)
{
    const auto r = p.entity(id);
    return r ? r->displayName() : "#" + std::to_string(id);
}

int64_t entityArg(kg::Project& p, const std::string& key)
{
    const auto e = p.entityByKey(key);
    if (!e)
        throw kg::Error(kg::Errc::NotFound, "no entity with key '" + key + "'");
    return e->id;
}

int runDocsImport(int argc, char** argv)
{
    Args args(argc, argv, 3, {"max-mb"}, {"descriptions"});
    const auto& pos = args.positional();
    if (pos.empty() || (pos.size() == 1 && !args.flag("descriptions")))
        throw UsageError("docs import needs PROJECT FILE... (or --descriptions)");
    std::vector<std::string> files(pos.begin() + 1, pos.end());
    if (!files.empty()) {
        kg::text::DocImportOptions o;
        o.maxBytes = static_cast<uint64_t>(args.intValue("max-mb", 64)) << 20;
        const auto r = [&] {
            const InterruptScope interrupt;
            return kg::text::importDocuments(pos[0], files, o, {}, &interruptToken());
        }();
        std::printf("imported %lld documents, %lld sentences (%.1f MB) in %.2f s\n",
                    static_cast<long long>(r.documents), static_cast<long long>(r.sentences),
                    static_cast<double>(r.bytes) / 1e6, r.seconds);
    }
    if (args.flag("descriptions")) {
        const int64_t n = kg::text::importDescriptions(pos[0]);
        std::printf("added %lld entity descriptions as documents\n", static_cast<long long>(n));
    }
    return Ok;
}

int runDocsList(int argc, char** argv)
{
    Args args(argc, argv, 3, {"limit"}, {});
    if (args.positional().size() != 1)
        throw UsageError("docs list needs PROJECT");
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    kg::DocStore docs(*project);
    const auto c = docs.counts();
    std::printf("%lld documents (%lld entity descriptions), %lld sentences\n", static_cast<long long>(c.documents),
                static_cast<long long>(c.descriptions), static_cast<long long>(c.sentences));
    const int limit = args.intValue("limit", 20);
    int shown = 0;
    for (const auto& d : docs.documents()) {
        if (d.format == "description" || shown++ >= limit)
            continue;
        std::printf("%6lld  %-9s %6lld sentences  %s\n", static_cast<long long>(d.id), d.format.c_str(),
                    static_cast<long long>(d.sentences), d.name.c_str());
    }
    return Ok;
}

int runDocsSearch(int argc, char** argv)
{
    Args args(argc, argv, 3, {"limit"}, {});
    if (args.positional().size() != 2)
        throw UsageError("docs search needs PROJECT TEXT");
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    for (const auto& s : kg::DocStore(*project).search(args.positional()[1], args.intValue("limit", 20)))
        std::printf("%lld/%lld  %s\n", static_cast<long long>(s.doc), static_cast<long long>(s.id), s.text.c_str());
    return Ok;
}

// The evidence sentence with both mentions in [brackets] (head) and <angle brackets> (tail).
std::string marked(const kg::CandidateEvidence& e)
{
    std::string out;
    for (int i = 0; i <= static_cast<int>(e.text.size()); ++i) {
        if (e.headEnd > e.headBegin && i == e.headEnd)
            out += ']';
        if (e.tailEnd > e.tailBegin && i == e.tailEnd)
            out += '>';
        if (e.headEnd > e.headBegin && i == e.headBegin)
            out += '[';
        if (e.tailEnd > e.tailBegin && i == e.tailBegin)
            out += '<';
        if (i < static_cast<int>(e.text.size()))
            out += e.text[static_cast<size_t>(i)];
    }
    return out;
}

int runCandidates(int argc, char** argv)
{
    const std::string sub = argc > 3 ? argv[3] : "";
    Args args(argc, argv, 4, {"status", "limit", "offset", "min-score", "above", "relation", "head", "tail"}, {});
    if (argc < 4)
        throw UsageError("candidates needs PROJECT list|accept|reject");
    auto project = kg::Project::open(argv[2], kg::Project::OpenMode::MustExist);
    kg::CandidateStore store(*project);
    auto id = [](const std::string& s) {
        try {
            size_t used = 0;
            const long long v = std::stoll(s, &used);
            if (used == s.size())
                return static_cast<int64_t>(v);
        } catch (const std::exception&) {
        }
        throw UsageError("'" + s + "' is not a candidate id");
    };
    if (sub == "list") {
        const auto c = store.counts();
        std::printf("%lld pending, %lld accepted, %lld rejected\n", static_cast<long long>(c.pending),
                    static_cast<long long>(c.accepted), static_cast<long long>(c.rejected));
        const double minScore = args.realValue("min-score", 0);
        for (const auto& cand : store.list(args.value("status").value_or("pending"), minScore,
                                           args.intValue("limit", 20), args.intValue("offset", 0))) {
            std::printf("%6lld  %.3f  %s  %s  %s  (%s -- %s)  [%s]\n", static_cast<long long>(cand.id), cand.score,
                        keyOf(*project, cand.head).c_str(), keyOf(*project, cand.rel, true).c_str(),
                        keyOf(*project, cand.tail).c_str(), labelOf(*project, cand.head).c_str(),
                        labelOf(*project, cand.tail).c_str(), cand.status.c_str());
            if (!cand.evidence.empty())
                std::printf("        %s: %s\n", cand.evidence.front().docName.c_str(), marked(cand.evidence.front()).c_str());
        }
        return Ok;
    }
    if (sub == "accept") {
        if (args.value("above")) {
            const int64_t n = store.acceptAbove(args.realValue("above", 1));
            std::printf("accepted %lld candidates (one undoable edit)\n", static_cast<long long>(n));
            return Ok;
        }
        if (args.positional().size() != 1)
            throw UsageError("candidates accept needs ID (or --above SCORE)");
        int64_t rel = 0;
        if (auto r = args.value("relation")) {
            const auto rec = project->relationByKey(*r);
            if (!rec)
                throw kg::Error(kg::Errc::NotFound, "no relation with key '" + *r + "'");
            rel = rec->id;
        }
        const int64_t head = args.value("head") ? entityArg(*project, *args.value("head")) : 0;
        const int64_t tail = args.value("tail") ? entityArg(*project, *args.value("tail")) : 0;
        const int64_t triple = store.accept(id(args.positional()[0]), head, rel, tail);
        std::printf("accepted: triple %lld added to train (undo with kgwb edit PROJECT undo)\n",
                    static_cast<long long>(triple));
        return Ok;
    }
    if (sub == "reject") {
        if (args.positional().empty())
            throw UsageError("candidates reject needs ID...");
        for (const auto& text : args.positional())
            store.reject(id(text));
        std::printf("rejected %zu candidates; they will not be proposed again\n", args.positional().size());
        return Ok;
    }
    throw UsageError("candidates needs list, accept or reject");
}

} // namespace

int runDocs(int argc, char** argv)
{
    const std::string sub = argc > 2 ? argv[2] : "";
    if (sub == "import")
        return runDocsImport(argc, argv);
    if (sub == "list")
        return runDocsList(argc, argv);
    if (sub == "search")
        return runDocsSearch(argc, argv);
    throw UsageError("docs needs import, list or search");
}

int runCandidatesCommand(int argc, char** argv) { return runCandidates(argc, argv); }

} // namespace kgcli
