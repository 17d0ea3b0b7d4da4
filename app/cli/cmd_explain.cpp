// kgwb rules / explain / export-embeddings / similar / map (LibTorch builds).
#include <chrono>
#include <fstream>
#include <iostream>
#include <cstdio>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "args.h"
#include "interrupt.h"
#include "core/cancel.h"
#include "io/tsv.h"
#include "ml/embedding_export.h"
#include "ml/embedding_map.h"
#include "ml/explainer.h"
#include "store/project.h"
#include "store/run_summary.h"

namespace kgcli {
namespace {

kg::reason::MiningOptions miningFrom(const Args& args)
{
    kg::reason::MiningOptions o;
    o.maxLength = args.intValue("max-length", o.maxLength);
    o.samplesPerRelation = args.intValue("samples", o.samplesPerRelation);
    o.evalSources = args.intValue("eval-sources", o.evalSources);
    o.threads = args.intValue("threads", o.threads);
    if (o.threads < 0)
        throw UsageError("--threads must be 0 (one per core) or more");
    if (o.maxLength < 1 || o.maxLength > 3)
        throw UsageError("--max-length must be 1, 2 or 3");
    return o;
}

// The model that --run N or --checkpoint F names: "run:N" (--run wins), the file, or "" when
// neither is given.
std::string modelOption(const Args& args)
{
    if (args.value("run"))
        return kg::modelKey(args.intValue("run", 0));
    return args.value("checkpoint").value_or("");
}

// The same where exactly one of the two must be given; `usage` says so otherwise.
std::string requiredModelOption(const Args& args, const std::string& usage)
{
    if (!!args.value("checkpoint") == !!args.value("run"))
        throw UsageError(usage);
    return modelOption(args);
}

} // namespace

int runRules(int argc, char** argv)
{
    Args args(argc, argv, 2, {"max-length", "samples", "eval-sources", "threads"}, {});
    if (args.positional().size() != 1)
        throw UsageError("rules needs exactly one PROJECT");
    const auto start = std::chrono::steady_clock::now();
    const size_t n = kg::ml::mineAndStoreRules(args.positional()[0], miningFrom(args));
    std::printf("mined %zu rules in %.1f s; stored in the project\n", n,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return Ok;
}

int runExplain(int argc, char** argv)
{
    Args args(argc, argv, 2, {"checkpoint", "run", "k", "max-length", "samples", "eval-sources", "max-facts", "candidates", "max-rows"},
              {"json", "necessary", "sufficient"});
    const auto& pos = args.positional();
    if (pos.size() != 3 && pos.size() != 4)
        throw UsageError("explain needs PROJECT HEAD RELATION [TAIL]");
    std::optional<int64_t> head, relation, tail;
    {
        auto project = kg::Project::open(pos[0], kg::Project::OpenMode::MustExist);
        auto need = [&](std::optional<kg::EntityRecord> r, const std::string& what, const std::string& key) {
            if (!r)
                throw kg::Error(kg::Errc::NotFound, "no " + what + " with key '" + key + "'");
            return r->id;
        };
        head = need(project->entityByKey(pos[1]), "entity", pos[1]);
        relation = need(project->relationByKey(pos[2]), "relation", pos[2]);
        if (pos.size() == 4)
            tail = need(project->entityByKey(pos[3]), "entity", pos[3]);
    }
    const std::string model = modelOption(args);
    kg::ml::ExplainJsonOptions options;
    options.necessary = args.flag("necessary");
    options.sufficient = args.flag("sufficient");
    options.search.maxSize = static_cast<int>(args.intValue("max-facts", options.search.maxSize));
    options.search.candidates = static_cast<int>(args.intValue("candidates", options.search.candidates));
    options.search.maxRows = static_cast<int>(args.intValue("max-rows", options.search.maxRows));
    if (options.search.maxSize < 1 || options.search.candidates < 1 || options.search.maxRows < 0)
        throw UsageError("--max-facts and --candidates must be at least 1, --max-rows at least 0");
    if ((options.necessary || options.sufficient) && model.empty())
        throw UsageError("--necessary and --sufficient need a model: --checkpoint F or --run N");
    kg::ml::Explainer explainer(pos[0], model, miningFrom(args));
    const std::string json = explainer.explainJson(*head, *relation, tail, args.intValue("k", 10), options);
    if (args.flag("json")) {
        std::printf("%s\n", json.c_str());
        return Ok;
    }
    const auto j = nlohmann::json::parse(json);
    std::printf("%s  %s  ?   (answers by %s)\n", j["head"]["label"].get<std::string>().c_str(),
                j["relation"]["label"].get<std::string>().c_str(), j["scorer"].get<std::string>().c_str());
    for (const auto& a : j["answers"])
        std::printf("%3d  %9.4f  %-40s %s\n", a["rank"].get<int>(), a["score"].get<double>(),
                    a["label"].get<std::string>().c_str(), a["known"].get<bool>() ? "(known)" : "");
    if (j.contains("explained")) {
        std::printf("\npaths to %s:\n", j["explained"]["label"].get<std::string>().c_str());
        int shown = 0;
        for (const auto& p : j["paths"]) {
            if (++shown > 15)
                break;
            std::string line;
            for (const auto& s : p["steps"])
                line += (line.empty() ? s["from"]["label"].get<std::string>() : std::string()) + " -" +
                        s["relation"]["label"].get<std::string>() + (s["inverse"].get<bool>() ? "^-1" : "") +
                        "-> " + s["to"]["label"].get<std::string>();
            // A path's model score is its support: the answer's score drop without it.
            const std::string model = !p.contains("model_score") ? std::string()
                                      : (p.contains("support") ? " drop " : " model ") +
                                            std::to_string(p["model_score"].get<double>()).substr(0, 7);
            std::printf("  rule conf %.3f%s  %s\n", p["rule_confidence"].get<double>(), model.c_str(), line.c_str());
        }
        std::printf("(%zu paths)\n", j["paths"].size());
        const std::string answer = j["explained"]["label"].get<std::string>();
        auto fact = [](const nlohmann::json& f) {
            return f["head"]["label"].get<std::string>() + " -" + f["relation"]["label"].get<std::string>() + "-> " +
                   f["tail"]["label"].get<std::string>();
        };
        if (j.contains("transformer") && !j["transformer"]["context_facts"].empty()) {
            const auto& t = j["transformer"];
            std::printf("\ncontext facts in the transformer's input (score %.4f; strongest support first):\n"
                        "  drop without it  attribution  rollout\n",
                        t["answer_score"].get<double>());
            int shownFacts = 0;
            for (const auto& f : t["context_facts"]) {
                if (++shownFacts > 10)
                    break;
                std::printf("  %+15.4f  %+11.3g  %7.3f  %s\n", f["occlusion"].get<double>(),
                            f["attribution"].get<double>(), f["rollout"].get<double>(), fact(f).c_str());
            }
        }
        if (j.contains("necessary")) {
            const auto& n = j["necessary"];
            const size_t count = n["facts"].size();
            if (count == 0)
                std::printf("\nnecessary facts: none (the head has no other training facts)\n");
            else if (n["achieved"].get<bool>())
                std::printf("\nnecessary: without these %zu fact%s, %s falls from rank %g to %g (%.1f s)\n", count,
                            count == 1 ? "" : "s", answer.c_str(), n["rank_before"].get<double>(),
                            n["rank_after"].get<double>(), n["seconds"].get<double>());
            else
                std::printf("\nnecessary: no set of up to %d facts makes %s drop; the strongest %zu leave it at rank %g "
                            "(from %g) (%.1f s)\n",
                            options.search.maxSize, answer.c_str(), count, n["rank_after"].get<double>(),
                            n["rank_before"].get<double>(), n["seconds"].get<double>());
            for (const auto& f : n["facts"])
                std::printf("  %s\n", fact(f).c_str());
        }
        if (j.contains("sufficient")) {
            const auto& su = j["sufficient"];
            std::printf("\nsufficient: copied onto %zu other entities, these %zu fact%s make %s their top answer for "
                        "%.0f%% (mean rank %.1f -> %.1f)%s (%.1f s)\n",
                        su["entities"].size(), su["facts"].size(), su["facts"].size() == 1 ? "" : "s", answer.c_str(),
                        100 * su["converted_share"].get<double>(), su["rank_before"].get<double>(),
                        su["rank_after"].get<double>(), su["achieved"].get<bool>() ? "" : " - fewer than half",
                        su["seconds"].get<double>());
            for (const auto& f : su["facts"])
                std::printf("  %s\n", fact(f).c_str());
        }
    }
    std::printf("explained in %.1f ms\n", j["elapsed_ms"].get<double>());
    return Ok;
}

int runExportEmbeddings(int argc, char** argv)
{
    Args args(argc, argv, 2, {"checkpoint", "run", "out"}, {});
    const char* usage = "export-embeddings needs PROJECT, one of --checkpoint F, --run N, and --out DIR";
    if (args.positional().size() != 1 || !args.value("out"))
        throw UsageError(usage);
    const std::string model = requiredModelOption(args, usage);
    // Ctrl-C stops between rows and leaves an earlier export in DIR as it was.
    const InterruptScope interrupt;
    const bool tty = isatty(fileno(stderr));
    const auto r = kg::ml::exportEmbeddings(
        args.positional()[0], model, *args.value("out"), [tty](int64_t done, int64_t total) {
            if (tty)
                std::fprintf(stderr, "\r%lld / %lld entities", static_cast<long long>(done), static_cast<long long>(total));
        },
        &interruptToken());
    if (tty)
        std::fprintf(stderr, "\n");
    std::printf("wrote %lld x %lld embeddings to %s and %s (TensorBoard projector format)\n",
                static_cast<long long>(r.rows), static_cast<long long>(r.dim), r.vectors.c_str(), r.metadata.c_str());
    return Ok;
}

int runSimilar(int argc, char** argv)
{
    Args args(argc, argv, 2, {"checkpoint", "run", "k"}, {"json"});
    const auto& pos = args.positional();
    const char* usage = "similar needs PROJECT ENTITY and one of --checkpoint F, --run N";
    if (pos.size() != 2)
        throw UsageError(usage);
    const std::string model = requiredModelOption(args, usage);
    const int k = args.intValue("k", 10);
    if (k < 1)
        throw UsageError("--k must be 1 or more");
    auto project = kg::Project::open(pos[0], kg::Project::OpenMode::MustExist);
    const auto e = project->entityByKey(pos[1]);
    if (!e)
        throw kg::Error(kg::Errc::NotFound, "no entity with key '" + pos[1] + "'");
    const int64_t entity = e->id;
    const InterruptScope interrupt;
    const kg::ml::EmbeddingMap map = kg::ml::mapEmbeddings(pos[0], model, &interruptToken());
    const auto near = kg::ml::nearestEntities(map, entity, k);
    auto keyOf = [&](int64_t id) {
        const auto e = project->entity(id);
        return e ? e->key : std::to_string(id);
    };
    const std::string& self = map.names[static_cast<size_t>(map.rowOf(entity))];
    if (args.flag("json")) {
        nlohmann::json j = {{"model", map.model},
                            {"entity", {{"key", pos[1]}, {"label", self}}},
                            {"explained_variance", {map.explained[0], map.explained[1]}},
                            {"neighbours", nlohmann::json::array()}};
        for (const auto& [id, cosine] : near)
            j["neighbours"].push_back({{"key", keyOf(id)},
                                       {"label", map.names[static_cast<size_t>(map.rowOf(id))]},
                                       {"cosine", cosine}});
        std::printf("%s\n", j.dump(2).c_str());
        return Ok;
    }
    std::printf("nearest to %s by cosine similarity of %s entity vectors:\n", self.c_str(), map.model.c_str());
    for (size_t i = 0; i < near.size(); ++i)
        std::printf("%3zu. %+.4f  %s  (%s)\n", i + 1, static_cast<double>(near[i].second),
                    map.names[static_cast<size_t>(map.rowOf(near[i].first))].c_str(), keyOf(near[i].first).c_str());
    return Ok;
}

int runMap(int argc, char** argv)
{
    Args args(argc, argv, 2, {"checkpoint", "run", "out"}, {"tsne"});
    const auto& pos = args.positional();
    const char* usage = "map needs PROJECT and one of --checkpoint F, --run N";
    if (pos.size() != 1)
        throw UsageError(usage);
    const std::string model = requiredModelOption(args, usage);
    const InterruptScope interrupt;
    const kg::ml::EmbeddingMap map = kg::ml::mapEmbeddings(pos[0], model, &interruptToken());
    std::vector<float> xy = map.xy;
    if (args.flag("tsne")) {
        const bool tty = isatty(fileno(stderr));
        xy = kg::ml::storedTsneCoordinates(
            pos[0], model, map,
            [tty](int done, int total, const std::vector<double>&) {
                if (tty)
                    std::fprintf(stderr, "\rt-SNE: iteration %d of %d", done, total);
            },
            &interruptToken());
        if (tty)
            std::fprintf(stderr, "\n");
        if (const int64_t sample = kg::ml::tsneSampleSize(static_cast<int64_t>(map.rows())); sample < int64_t(map.rows()))
            std::fprintf(stderr,
                         "t-SNE laid out a sample of %lld of the %zu entities; the others were placed beside their "
                         "nearest sampled entities\n",
                         static_cast<long long>(sample), map.rows());
    }
    auto project = kg::Project::open(pos[0], kg::Project::OpenMode::ReadOnly);
    std::ofstream file;
    if (args.value("out")) {
        file.open(*args.value("out"));
        if (!file)
            throw kg::Error(kg::Errc::Io, "cannot write '" + *args.value("out") + "'");
    }
    std::ostream& out = args.value("out") ? file : std::cout;
    out << "key\tlabel\tx\ty\tmain_relation\n";
    char coords[64];
    for (size_t i = 0; i < map.rows(); ++i) {
        const auto e = project->entity(map.entities[i]);
        const auto r = map.mainRelation[i] ? project->relation(map.mainRelation[i]) : std::nullopt;
        std::snprintf(coords, sizeof coords, "%.6g\t%.6g", static_cast<double>(xy[2 * i]), static_cast<double>(xy[2 * i + 1]));
        out << kg::io::tsvField(e ? e->key : std::to_string(map.entities[i])) << '\t' << kg::io::tsvField(map.names[i]) << '\t' << coords
            << '\t' << (r ? kg::io::tsvField(r->key) : std::string()) << '\n';
    }
    out.flush();
    if (!out)
        throw kg::Error(kg::Errc::Io, "writing the map failed");
    if (args.value("out"))
        std::printf("wrote %zu entities of %s (%s) to %s\n", map.rows(), map.model.c_str(),
                    args.flag("tsne") ? "t-SNE" : "PCA", args.value("out")->c_str());
    return Ok;
}

} // namespace kgcli
