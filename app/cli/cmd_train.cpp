// kgwb train / eval / predict: the LibTorch engine from the command line.
#include <chrono>
#include <optional>
#include <cstdio>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "args.h"
#include "interrupt.h"
#include "train_args.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/explainer.h"
#include "ml/job_trainer.h"
#include "ml/kg_data.h"
#include "ml/train_job.h"
#include "io/whole_file.h"
#include "ml/train_presets.h"
#include "ml/trainer.h"
#include "store/project.h"

namespace kgcli {
namespace {

// Config from --config FILE or --preset ID (else `base`), then individual flags on top.
kg::ml::TrainConfig configFrom(const Args& args, kg::ml::TrainConfig base)
{
    kg::ml::TrainConfig c = base;
    if (args.value("config") && args.value("preset"))
        throw UsageError("give --config or --preset, not both");
    if (auto f = args.value("config"))
        c = kg::ml::TrainConfig::fromJson(kg::io::readWholeFile(*f, "config"));
    if (auto id = args.value("preset"))
        c = kg::ml::trainPreset(*id).config;
    // Command-line flags override the file: build a JSON patch and re-validate.
    auto j = nlohmann::json::parse(c.toJson());
    for (const char* key : {"model", "mode", "loss", "sampler", "reg", "optimizer", "updates", "device"})
        if (auto v = args.value(key))
            j[key] = *v;
    // A model named here without --lr (or a config file) starts from that model's own rate
    // (TrainConfig::fromJson fills in defaultLearningRate), not the base config's.
    if (args.value("model") && !args.value("lr") && !args.value("config") && !args.value("preset"))
        j.erase("lr");
    auto integer = [&](const std::string& flag, const std::string& v) {
        try {
            size_t used = 0;
            const long long n = std::stoll(v, &used);
            if (used == v.size())
                return n;
        } catch (const std::exception&) {
        }
        throw UsageError("--" + flag + " needs an integer, not '" + v + "'");
    };
    auto number = [&](const std::string& flag, const std::string& v) {
        try {
            size_t used = 0;
            const double x = std::stod(v, &used);
            if (used == v.size())
                return x;
        } catch (const std::exception&) {
        }
        throw UsageError("--" + flag + " needs a number, not '" + v + "'");
    };
    for (const auto& [flag, key] : std::vector<std::pair<std::string, std::string>>{
             {"dim", "dim"}, {"epochs", "epochs"}, {"batch", "batch_size"}, {"negatives", "negatives"},
             {"neg-chunk", "neg_chunk"}, {"threads", "threads"}, {"seed", "seed"}, {"eval-batch", "eval_batch"}}) {
        if (auto v = args.value(flag))
            j[key] = integer(flag, *v);
    }
    for (const auto& [flag, key] : std::vector<std::pair<std::string, std::string>>{
             {"lr", "lr"}, {"gamma", "gamma"}, {"reg-weight", "reg_weight"}, {"margin", "margin"},
             {"adv-temperature", "adv_temperature"}}) {
        if (auto v = args.value(flag))
            j[key] = number(flag, *v);
    }
    // Transformer settings (ml/train_config.h TransformerOptions).
    if (j.value("model", "") == "transformer") {
        auto& t = j["transformer"];
        if (!t.is_object())
            t = nlohmann::json::object();
        for (const auto& [flag, key] : std::vector<std::pair<std::string, std::string>>{
                 {"init-from", "init_from"}, {"heads", "heads"}, {"layers", "layers"}, {"ffn", "ffn"},
                 {"context", "context"}, {"text-tokens", "text_tokens"}, {"vocab-size", "vocab_size"},
                 {"lora-rank", "lora_rank"}})
            if (auto v = args.value(flag))
                t[key] = integer(flag, *v);
        for (const auto& [flag, key] : std::vector<std::pair<std::string, std::string>>{
                 {"dropout", "dropout"}, {"label-smoothing", "label_smoothing"}, {"lora-alpha", "lora_alpha"},
                 {"lambda-lm", "lambda_lm"}, {"lambda-kge", "lambda_kge"}, {"lambda-reason", "lambda_reason"},
                 {"mask-probability", "mask_probability"}, {"head-mask", "head_mask"}, {"warmup", "warmup"}})
            if (auto v = args.value(flag))
                t[key] = number(flag, *v);
        if (args.flag("cosine"))
            t["cosine_decay"] = true;
        if (args.flag("shortcut") && args.flag("no-shortcut"))
            throw UsageError("give --shortcut or --no-shortcut, not both");
        if (args.flag("shortcut") || args.flag("no-shortcut"))
            t["shortcut"] = args.flag("shortcut");
        if (auto v = args.value("stage"))
            t["stage"] = *v;
        if (auto v = args.value("lora-targets"))
            t["lora_targets"] = *v;
        if (auto v = args.value("lora-entities"))
            t["lora_entities"] = *v;
        if (auto v = args.value("targets"))
            t["targets"] = *v;
        if (args.flag("use-text"))
            t["use_text"] = true;
        if (args.flag("bf16"))
            t["bf16"] = true;
    }
    // Graph encoder settings (ml/train_config.h GnnOptions).
    if (j.value("model", "") == "compgcn") {
        auto& g = j["gnn"];
        if (!g.is_object())
            g = nlohmann::json::object();
        if (auto v = args.value("layers"))
            g["layers"] = integer("layers", *v);
        for (const auto& [flag, key] : std::vector<std::pair<std::string, std::string>>{
                 {"dropout", "dropout"}, {"label-smoothing", "label_smoothing"}})
            if (auto v = args.value(flag))
                g[key] = number(flag, *v);
    }
    return kg::ml::TrainConfig::fromJson(j.dump());
}

void printMetrics(const char* what, const kg::ml::RankMetrics& m)
{
    std::printf("%s: MRR %.4f  MR %.1f  Hits@1 %.4f  Hits@3 %.4f  Hits@10 %.4f  (%lld queries)\n", what,
                m.mrr, m.meanRank, m.hits1, m.hits3, m.hits10, static_cast<long long>(m.queries));
}

const std::set<std::string> kTrainValues = {"config", "preset", "model", "mode", "loss", "sampler", "reg", "optimizer", "updates",
                                            "device", "dim", "epochs", "batch", "negatives", "neg-chunk",
                                            "threads", "seed", "lr", "gamma", "reg-weight", "margin",
                                            "adv-temperature", "checkpoint", "resume", "eval-every", "patience",
                                            "job", "continue-run", "eval-batch", "stage", "init-from", "heads",
                                            "layers", "ffn", "context", "text-tokens", "vocab-size", "lora-rank",
                                            "dropout", "label-smoothing", "lora-alpha", "lora-targets", "lora-entities",
                                            "lambda-lm",
                                            "targets", "lambda-kge", "lambda-reason", "mask-probability", "head-mask", "warmup",
                                            "world-size", "rank", "master"};

} // namespace

kg::ml::TrainConfig trainConfigFromArgs(const Args& args, kg::ml::TrainConfig base) { return configFrom(args, base); }
const std::set<std::string>& trainValueOptions() { return kTrainValues; }

int runTrain(int argc, char** argv)
{
    Args args(argc, argv, 2, kTrainValues,
              {"quiet", "json-events", "use-text", "bf16", "cosine", "shortcut", "no-shortcut", "list-presets"});
    if (args.flag("list-presets")) {
        for (const auto& p : kg::ml::trainPresets())
            std::printf("%-22s %s\n", p.id.c_str(), p.summary.c_str());
        return 0;
    }
    if (args.positional().size() != 1)
        throw UsageError("train needs exactly one PROJECT");
    kg::ml::JobSpec spec;
    if (auto f = args.value("job"))
        spec = kg::ml::JobSpec::fromJson(kg::io::readWholeFile(*f, "job spec"));
    kg::ml::TrainConfig base = spec.config;
    if (auto r = args.value("resume"); r && !args.value("job") && !args.value("config"))
        base = kg::ml::readCheckpointInfo(*r).config; // resume with the run's own settings; flags override
    spec.config = configFrom(args, base);
    if (auto v = args.value("checkpoint"))
        spec.checkpoint = *v;
    if (auto v = args.value("resume"))
        spec.resumeFrom = *v;
    spec.evalEvery = args.intValue("eval-every", args.value("job") ? spec.evalEvery : 0);
    spec.patience = args.intValue("patience", spec.patience);
    spec.continueRun = args.intValue("continue-run", static_cast<int>(spec.continueRun));
    if (args.value("world-size")) {
        for (const char* job : {"resume", "continue-run", "job"})
            if (args.value(job))
                throw UsageError(std::string("--") + job + " is not available with --world-size (a data-parallel run "
                                                           "starts afresh or from --init-from)");
        if (args.flag("json-events"))
            throw UsageError("--json-events is not available with --world-size");
#ifdef KGWB_HAVE_FED
        return runTrainDataParallel(args, spec.config);
#else
        throw kg::Error(kg::Errc::InvalidArgument, "this kgwb was built without torch.distributed (needs libgloo-dev)");
#endif
    }

    kg::ml::TrainJob job(args.positional()[0], spec);
    std::optional<InterruptScope> interrupt;
    interrupt.emplace(job);
    const bool quiet = args.flag("quiet");
    const bool jsonEvents = args.flag("json-events");
    auto lastPrint = std::chrono::steady_clock::now();
    const auto& c = spec.config;
    const auto result = job.run([&](const kg::ml::JobEvent& e) {
        using K = kg::ml::JobEvent::Kind;
        if (jsonEvents) {
            std::printf("%s\n", e.toJson().c_str());
            std::fflush(stdout);
            return;
        }
        if (e.kind == K::Preparing && !quiet) {
            std::fprintf(stderr, "preparing: %s\n",
                         e.text == "project" ? "reading the project's graph"
                                             : "building the model (a transformer trains or loads its tokenizer)");
        } else if (e.kind == K::Started) {
            std::printf("training %s (dim %lld) as run %lld, device %s\n", kg::ml::modelName(c.model),
                        static_cast<long long>(c.dim), static_cast<long long>(e.runId), e.text.c_str());
        } else if (e.kind == K::Progress && !quiet) {
            const auto now = std::chrono::steady_clock::now();
            if (now - lastPrint < std::chrono::seconds(2))
                return;
            lastPrint = now;
            const std::string tokens =
                e.tokensPerSecond > 0 ? "  " + std::to_string(static_cast<long long>(e.tokensPerSecond)) + " tokens/s" : "";
            std::fprintf(stderr, "epoch %lld/%lld step %lld loss %.4f  %.0f triples/s%s  ETA %.0f s\n",
                         static_cast<long long>(e.epoch), static_cast<long long>(e.epochs),
                         static_cast<long long>(e.step), e.loss, e.triplesPerSecond, tokens.c_str(), e.etaSeconds);
        } else if (e.kind == K::Epoch && !quiet) {
            std::printf("epoch %lld: mean loss %.5f\n", static_cast<long long>(e.epoch), e.loss);
        } else if (e.kind == K::Validation) {
            printMetrics("  valid", e.metrics);
        }
        std::fflush(stdout); // epochs and validations in order with stderr's progress in one file
    });
    interrupt.reset();
    if (result.status == "stopped_early")
        std::printf("early stop: valid MRR has not improved for %d evaluations (best %.4f)\n", spec.patience,
                    result.bestValidMrr.value_or(0));
    if (result.status == "cancelled" && result.runId == 0)
        throw kg::Error(kg::Errc::Cancelled, "training cancelled while it was being set up (no run recorded)");
    if (result.status == "cancelled") {
        if (!spec.checkpoint.empty())
            std::printf("cancelled after %lld epochs; checkpoint in %s, resumable state in %s\n",
                        static_cast<long long>(result.epochsDone), spec.checkpoint.c_str(),
                        kg::ml::resumePath(spec.checkpoint).c_str());
        throw kg::Error(kg::Errc::Cancelled, "training cancelled (recorded as run " +
                                                 std::to_string(result.runId) + ")");
    }
    if (result.test)
        printMetrics("test", *result.test);
    if (!jsonEvents)
        std::printf("recorded as run %lld\n", static_cast<long long>(result.runId));
    return Ok;
}

namespace {

// Rebuilds a trainer (KGE or transformer) shaped like the checkpoint and loads it.
std::unique_ptr<kg::ml::JobTrainer> restore(const std::string& project, const std::string& path,
                                            const kg::ml::KgData& data, const Args& args)
{
    auto checkpoint = kg::ml::openCheckpoint(kg::ml::readCheckpointFile(path), path); // read once
    kg::ml::TrainConfig config = checkpoint.info.config;
    if (auto d = args.value("device"))
        config.device = *d;
    config.transformer.initFrom = 0;
    config.transformer.stage = kg::ml::TextStage::Finetune;
    const bool transformer = config.model == kg::ml::ModelKind::Transformer; // its own tokenizer, if it read text
    auto trainer = kg::ml::makeTrainer(config, data, project,
                                       transformer ? checkpoint.tokenizer : std::string());
    kg::ml::loadCheckpoint(checkpoint, path, *trainer);
    return trainer;
}

} // namespace

int runEval(int argc, char** argv)
{
    Args args(argc, argv, 2, {"checkpoint", "split", "device", "filter-also"}, {});
    if (args.positional().size() != 1 || !args.value("checkpoint"))
        throw UsageError("eval needs a PROJECT and --checkpoint FILE");
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    const kg::ml::KgData data = kg::ml::KgData::fromProject(*project);
    auto trainer = restore(args.positional()[0], *args.value("checkpoint"), data, args);
    const std::string split = args.value("split").value_or("test");
    const torch::Tensor& triples = split == "valid" ? data.valid : split == "train" ? data.train : data.test;
    const auto start = std::chrono::steady_clock::now();
    torch::Tensor extra;
    if (auto f = args.value("filter-also")) {
        int64_t skipped = 0;
        extra = kg::ml::readKnownTriples(*project, data, *f, &skipped);
        std::printf("filtering also %lld known triples of %s (%lld with keys this project lacks skipped)\n",
                    static_cast<long long>(extra.size(0)), f->c_str(), static_cast<long long>(skipped));
    }
    using Clock = std::chrono::steady_clock;
    const kg::ml::FilterIndex filter(data, extra);
    const auto ranking = Clock::now();
    const auto m = trainer->evaluate(triples, filter);
    const auto end = Clock::now();
    printMetrics(split.c_str(), m);
    std::printf("evaluated in %.2f s (ranking %.2f s, after building the filter index)\n",
                std::chrono::duration<double>(end - start).count(), std::chrono::duration<double>(end - ranking).count());
    return Ok;
}

int runPredict(int argc, char** argv)
{
    Args args(argc, argv, 2, {"checkpoint", "k", "device"}, {});
    const auto& pos = args.positional();
    if (pos.size() != 3 || !args.value("checkpoint"))
        throw UsageError("predict needs PROJECT HEAD RELATION and --checkpoint FILE");
    auto project = kg::Project::open(pos[0], kg::Project::OpenMode::MustExist);
    const auto head = project->entityByKey(pos[1]);
    const auto rel = project->relationByKey(pos[2]);
    if (!head)
        throw kg::Error(kg::Errc::NotFound, "no entity with key '" + pos[1] + "'");
    if (!rel)
        throw kg::Error(kg::Errc::NotFound, "no relation with key '" + pos[2] + "'");
    const std::string projectPath = pos[0];
    project.reset();
    // The engine's one ranking entry point (also behind the Explain tab and kgwb explain).
    kg::ml::Explainer explainer(projectPath, *args.value("checkpoint"));
    auto labels = kg::Project::open(projectPath, kg::Project::OpenMode::ReadOnly);
    std::printf("%s  %s  ?\n", head->displayName().c_str(), rel->displayName().c_str());
    int i = 0;
    for (const auto& a : explainer.answers(head->id, rel->id, args.intValue("k", 10))) {
        const auto e = labels->entity(a.entity);
        std::printf("%3d  %10.4f  %-30s %s\n", ++i, a.score, e ? e->displayName().c_str() : "?", a.known ? "(known)" : "");
    }
    return Ok;
}

} // namespace kgcli
