// kgwb stats / search: read-only queries.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "graph/graph_export.h"
#include "store/project.h"
#include "store/run_summary.h"
#include "store/run_store.h"

namespace kgcli {

int runStats(int argc, char** argv)
{
    Args args(argc, argv, 2, {}, {"json"});
    if (args.positional().size() != 1)
        throw UsageError("stats needs exactly one PROJECT");
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    const kg::ProjectStats s = project->stats();
    if (args.flag("json")) {
        nlohmann::json j{{"entities", s.entities},   {"relations", s.relations},
                         {"triples", s.triples},     {"train", s.train},
                         {"valid", s.valid},         {"test", s.test},
                         {"labelled_entities", s.labelledEntities},
                         {"described_entities", s.describedEntities}};
        std::printf("%s\n", j.dump(2).c_str());
        return Ok;
    }
    std::printf("project     %s\n", project->path().c_str());
    std::printf("entities    %lld (%lld labelled, %lld described)\n",
                static_cast<long long>(s.entities), static_cast<long long>(s.labelledEntities),
                static_cast<long long>(s.describedEntities));
    std::printf("relations   %lld\n", static_cast<long long>(s.relations));
    std::printf("triples     %lld (train %lld, valid %lld, test %lld)\n",
                static_cast<long long>(s.triples), static_cast<long long>(s.train),
                static_cast<long long>(s.valid), static_cast<long long>(s.test));
    return Ok;
}

int runExport(int argc, char** argv)
{
    Args args(argc, argv, 2, {"out", "split"}, {});
    const auto out = args.value("out");
    if (args.positional().size() != 1 || !out)
        throw UsageError("usage: export PROJECT --out FILE.tsv [--split train|valid|test]");
    std::optional<kg::Split> split;
    if (auto s = args.value("split")) {
        split = kg::parseSplit(*s);
        if (!split)
            throw UsageError("--split takes train, valid or test");
    }
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::ReadOnly);
    const int64_t n = kg::graph::writeProjectTsv(*project, *out, split);
    std::printf("%lld triples written to %s\n", static_cast<long long>(n), out->c_str());
    return Ok;
}

int runSearch(int argc, char** argv)
{
    Args args(argc, argv, 2, {"limit"}, {"json"});
    if (args.positional().size() < 2)
        throw UsageError("search needs a PROJECT and TEXT");
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    std::string text;
    for (size_t i = 1; i < args.positional().size(); ++i)
        text += (i > 1 ? " " : "") + args.positional()[i];
    const auto hits = project->searchEntities(text, args.intValue("limit", 20));
    if (args.flag("json")) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& e : hits)
            j.push_back({{"id", e.id}, {"key", e.key}, {"label", e.label},
                         {"description", e.description}});
        std::printf("%s\n", j.dump(2).c_str());
        return Ok;
    }
    for (const auto& e : hits) {
        std::string desc = e.description.substr(0, 70);
        std::printf("%-8lld %-24s %s%s%s\n", static_cast<long long>(e.id), e.key.c_str(),
                    e.displayName().c_str(), desc.empty() ? "" : " — ", desc.c_str());
    }
    if (hits.empty())
        std::printf("no entity matches '%s'\n", text.c_str());
    return Ok;
}

int runRuns(int argc, char** argv)
{
    Args args(argc, argv, 2, {}, {"json"});
    if (args.positional().size() != 1)
        throw UsageError("runs needs exactly one PROJECT");
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    kg::RunStore store(*project);
    const auto runs = store.runs();
    if (args.flag("json")) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& r : runs)
            j.push_back({{"id", r.id}, {"created", r.created}, {"finished", r.finished}, {"kind", r.kind},
                         {"status", r.status}, {"config", nlohmann::json::parse(r.config)},
                         {"final", nlohmann::json::parse(r.finalMetrics)}, {"checkpoint", r.checkpoint}});
        std::printf("%s\n", j.dump(2).c_str());
        return Ok;
    }
    for (const auto& r : runs) {
        const kg::RunSummary sum = kg::summarize(r);
        const std::string mrr = sum.testMrr >= 0 ? std::to_string(sum.testMrr).substr(0, 6) : "-";
        std::printf("%4lld  %s  %-13s %-9s dim %-5s test MRR %s\n", static_cast<long long>(r.id), r.created.c_str(),
                    r.status.c_str(), sum.model.empty() ? "?" : sum.model.c_str(), std::to_string(sum.dim).c_str(),
                    mrr.c_str());
    }
    if (runs.empty())
        std::printf("no runs recorded\n");
    return Ok;
}

} // namespace kgcli
