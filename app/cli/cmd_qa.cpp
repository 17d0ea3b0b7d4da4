// kgwb qa import | qa train | ask: question answering over the graph (LibTorch builds).
#include <algorithm>
#include <optional>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "args.h"
#include "interrupt.h"
#include "ml/qa.h"
#include "qa_json.h"
#include "qa/qa_import.h"
#include "qa/qa_synth.h"
#include "store/project.h"
#include "store/qa_store.h"

namespace kgcli {
namespace {

std::string entityName(kg::Project& p, int64_t id)
{
    const auto e = p.entity(id);
    return e ? e->key : "#" + std::to_string(id);
}

std::string relationName(kg::Project& p, int64_t id, bool inverse)
{
    const auto r = p.relation(id);
    return (inverse ? "~" : "") + (r ? r->key : "#" + std::to_string(id));
}

int runQaImport(int argc, char** argv)
{
    Args args(argc, argv, 3, {"split-file", "split"}, {"replace"});
    const auto& pos = args.positional();
    if (pos.size() != 2)
        throw UsageError("qa import needs PROJECT FILE");
    kg::qa::QaImportOptions o;
    o.splitFile = args.value("split-file").value_or("");
    o.replace = args.flag("replace");
    if (auto s = args.value("split")) {
        const auto split = kg::parseSplit(*s);
        if (!split)
            throw UsageError("--split must be train, valid or test");
        o.split = *split;
    }
    auto project = kg::Project::open(pos[0], kg::Project::OpenMode::MustExist);
    const auto r = kg::qa::importQaPairs(*project, pos[1], o);
    const auto c = kg::QaStore(*project).counts();
    std::printf("imported %lld questions (train %lld, valid %lld, test %lld; %lld with a gold path); the project "
                "now has %lld (%lld synthetic)\n",
                static_cast<long long>(r.total()), static_cast<long long>(r.train), static_cast<long long>(r.valid),
                static_cast<long long>(r.test), static_cast<long long>(r.withPath), static_cast<long long>(c.total()),
                static_cast<long long>(c.synthetic));
    return Ok;
}

int runQaSynth(int argc, char** argv)
{
    Args args(argc, argv, 3, {"count", "hops", "seed", "max-answers"}, {});
    if (args.positional().size() != 1)
        throw UsageError("qa synth needs PROJECT");
    kg::qa::SynthOptions o;
    o.count = args.intValue("count", static_cast<int>(o.count));
    o.maxHops = args.intValue("hops", static_cast<int>(o.maxHops));
    o.seed = static_cast<uint64_t>(args.intValue("seed", static_cast<int>(o.seed)));
    o.maxAnswers = args.intValue("max-answers", static_cast<int>(o.maxAnswers));
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    const int64_t n = kg::qa::synthesizeQuestions(*project, o);
    const auto c = kg::QaStore(*project).counts();
    std::printf("added %lld synthetic questions; the project has %lld (%lld synthetic)\n", static_cast<long long>(n),
                static_cast<long long>(c.total()), static_cast<long long>(c.synthetic));
    return Ok;
}

int runQaTrain(int argc, char** argv)
{
    Args args(argc, argv, 3,
              {"dim", "epochs", "lr", "batch", "hops", "beam", "seed", "threads", "eval-every", "max-paths",
               "encoder-from", "vocab-size", "word-dropout"},
              {"weak", "pieces", "quiet", "json-events"});
    if (args.positional().size() != 1)
        throw UsageError("qa train needs PROJECT");
    nlohmann::json spec = nlohmann::json::parse(kg::ml::QaTrainSpec{}.toJson());
    args.copyNumber(spec, "dim", "dim");
    args.copyNumber(spec, "epochs", "epochs");
    args.copyNumber(spec, "lr", "lr", true);
    args.copyNumber(spec, "batch", "batch_size");
    args.copyNumber(spec, "hops", "max_hops");
    args.copyNumber(spec, "beam", "beam");
    args.copyNumber(spec, "seed", "seed");
    args.copyNumber(spec, "threads", "threads");
    args.copyNumber(spec, "eval-every", "eval_every");
    args.copyNumber(spec, "max-paths", "max_paths");
    args.copyNumber(spec, "encoder-from", "encoder_from");
    args.copyNumber(spec, "vocab-size", "vocab_size");
    args.copyNumber(spec, "word-dropout", "word_dropout", true);
    if (args.flag("weak"))
        spec["weak"] = true;
    if (args.flag("pieces"))
        spec["pieces"] = true;
    kg::ml::QaJob job(args.positional()[0], kg::ml::QaTrainSpec::fromJson(spec.dump()));
    std::optional<InterruptScope> interrupt;
    interrupt.emplace(job);
    const bool quiet = args.flag("quiet"), json = args.flag("json-events");
    const auto result = job.run([&](const kg::ml::JobEvent& e) {
        if (json) {
            std::printf("%s\n", e.toJson().c_str());
            std::fflush(stdout);
        } else if (!quiet && e.kind == kg::ml::JobEvent::Kind::Epoch) {
            std::printf("epoch %lld/%lld  loss %.4f\n", static_cast<long long>(e.epoch), static_cast<long long>(e.epochs),
                        e.loss);
        } else if (!quiet && e.kind == kg::ml::JobEvent::Kind::Validation) {
            std::printf("  valid Hits@1 %.3f  MRR %.3f\n", e.metrics.hits1, e.metrics.mrr);
        }
        std::fflush(stdout); // in order with stderr's lines when both go to one file
    });
    interrupt.reset();
    const auto& t = result.test;
    std::printf("run %lld %s after %lld epochs; test Hits@1 %.3f  MRR %.3f  path %.3f  linking %.3f  (%lld questions, "
                "%lld synthetic, %.1f ms each)%s\n",
                static_cast<long long>(result.runId), result.status.c_str(), static_cast<long long>(result.epochsDone),
                t.hits1, t.mrr, t.pathAccuracy, t.linkAccuracy, static_cast<long long>(t.questions),
                static_cast<long long>(t.synthetic), t.msPerQuestion,
                result.skipped ? (" ; " + std::to_string(result.skipped) + " training questions had no usable path").c_str()
                               : "");
    return result.status == "cancelled" ? Cancelled : Ok;
}

} // namespace

nlohmann::json askJson(kg::Project& project, const std::string& question, const kg::ml::QaResult& res, int64_t run)
{
    nlohmann::json j;
    j["question"] = question;
    j["words"] = res.words;
    j["run"] = run;
    j["topic"] = res.topic ? nlohmann::json(entityName(project, res.topic)) : nlohmann::json(nullptr);
    j["topic_words"] = {res.topicBegin, res.topicEnd};
    j["linked_by"] = res.linkedBy;
    j["ms"] = res.milliseconds;
    j["paths"] = nlohmann::json::array();
    for (const auto& p : res.paths) {
        nlohmann::json jp{{"probability", p.probability}, {"reached", p.reached}, {"hops", nlohmann::json::array()}};
        for (const auto& h : p.hops)
            jp["hops"].push_back({{"relation", relationName(project, h.relation, false)},
                                  {"inverse", h.inverse},
                                  {"probability", h.probability},
                                  {"attention", h.attention}});
        j["paths"].push_back(jp);
    }
    j["answers"] = nlohmann::json::array();
    for (const auto& a : res.answers) {
        nlohmann::json chain = nlohmann::json::array();
        for (const int64_t e : a.chain)
            chain.push_back(entityName(project, e));
        j["answers"].push_back({{"entity", entityName(project, a.entity)}, {"score", a.score}, {"path", a.path},
                                {"chain", chain}, {"triples", a.triples},
                                {"predicted_hops", std::vector<bool>(a.predicted.begin(), a.predicted.end())}});
    }
    return j;
}

int runQa(int argc, char** argv)
{
    const std::string sub = argc > 2 ? argv[2] : "";
    if (sub == "import")
        return runQaImport(argc, argv);
    if (sub == "train")
        return runQaTrain(argc, argv);
    if (sub == "synth")
        return runQaSynth(argc, argv);
    throw UsageError("qa needs import, synth or train");
}

int runAsk(int argc, char** argv)
{
    Args args(argc, argv, 2, {"run", "topic", "path", "k", "beam", "complete-with", "min-probability"}, {"json"});
    const auto& pos = args.positional();
    if (pos.size() != 2)
        throw UsageError("ask needs PROJECT \"QUESTION\"");
    double minProbability = 0.5;
    if (auto v = args.value("min-probability")) {
        try {
            minProbability = std::stod(*v);
        } catch (const std::exception&) {
            throw UsageError("--min-probability needs a number");
        }
    }
    auto answerer = kg::ml::QaAnswerer::load(pos[0], args.intValue("run", 0), args.intValue("complete-with", 0), minProbability);
    auto project = kg::Project::open(pos[0], kg::Project::OpenMode::ReadOnly);
    kg::ml::QaAskOptions o;
    o.k = args.intValue("k", 5);
    o.beam = args.intValue("beam", 8);
    if (o.k < 1 || o.beam < 1)
        throw UsageError("--k and --beam must be positive");
    if (auto key = args.value("topic")) {
        const auto e = project->entityByKey(*key);
        if (!e)
            throw kg::Error(kg::Errc::NotFound, "no entity with key '" + *key + "'");
        o.topic = e->id;
    }
    if (auto path = args.value("path")) {
        std::stringstream in(*path);
        std::string key;
        while (std::getline(in, key, ',')) {
            const bool inverse = !key.empty() && key[0] == '~';
            const auto r = project->relationByKey(inverse ? key.substr(1) : key);
            if (!r)
                throw kg::Error(kg::Errc::NotFound, "no relation with key '" + key + "'");
            o.path.push_back(inverse ? -r->id : r->id);
        }
    }
    const auto res = answerer->ask(pos[1], o);
    auto pathText = [&](const kg::ml::QaPath& p) {
        std::string s;
        for (const auto& h : p.hops)
            s += (s.empty() ? "" : " > ") + relationName(*project, h.relation, h.inverse);
        return s;
    };
    if (args.flag("json")) {
        std::printf("%s\n", askJson(*project, pos[1], res, answerer->run()).dump(2).c_str());
        return Ok;
    }
    if (!res.topic) {
        std::printf("no entity of the graph is named in the question (give one with --topic KEY)\n");
        return Failed;
    }
    std::printf("topic: %s (%s)\n", entityName(*project, res.topic).c_str(), res.linkedBy.c_str());
    for (size_t i = 0; i < res.answers.size(); ++i) {
        const auto& a = res.answers[i];
        std::string chain;
        for (size_t h = 0; h < a.chain.size(); ++h)
            chain += (h == 0 ? "" : h - 1 < a.predicted.size() && a.predicted[h - 1] ? " -(predicted)-> " : " -> ") +
                     entityName(*project, a.chain[h]);
        std::printf("%2zu. %-32s %.3f  via %s  (%s)\n", i + 1, entityName(*project, a.entity).c_str(), a.score,
                    pathText(res.paths[a.path]).c_str(), chain.c_str());
    }
    if (!res.paths.empty()) {
        std::printf("hops of the best path (question words by attention):\n");
        for (const auto& h : res.paths.front().hops) {
            std::vector<size_t> order(h.attention.size());
            for (size_t i = 0; i < order.size(); ++i)
                order[i] = i;
            std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return h.attention[a] > h.attention[b]; });
            std::string words;
            for (size_t i = 0; i < std::min<size_t>(3, order.size()); ++i) {
                char buf[96];
                std::snprintf(buf, sizeof buf, "%s%s %.2f", i ? ", " : "", res.words[order[i]].c_str(), h.attention[order[i]]);
                words += buf;
            }
            std::printf("  %-40s p=%.3f  %s\n", relationName(*project, h.relation, h.inverse).c_str(), h.probability,
                        words.c_str());
        }
        for (size_t i = 1; i < res.paths.size() && i < 4; ++i)
            std::printf("  alternative: %s  p=%.3f (%lld entities)\n", pathText(res.paths[i]).c_str(),
                        res.paths[i].probability, static_cast<long long>(res.paths[i].reached));
    }
    std::printf("(%.1f ms)\n", res.milliseconds);
    return Ok;
}

} // namespace kgcli
