// kgwb train / eval / predict: the LibTorch engine from the command line.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "args.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/kg_data.h"
#include "ml/trainer.h"
#include "store/project.h"
#include "store/run_store.h"

namespace kgcli {
namespace {

kg::CancelToken* gTrainCancel = nullptr;
extern "C" void onTrainSignal(int)
{
    if (gTrainCancel)
        gTrainCancel->cancel();
}

kg::ml::TrainConfig configFrom(const Args& args)
{
    kg::ml::TrainConfig c;
    if (auto f = args.value("config")) {
        std::ifstream in(*f);
        if (!in)
            throw kg::Error(kg::Errc::Io, "cannot read config file '" + *f + "'");
        std::stringstream ss;
        ss << in.rdbuf();
        c = kg::ml::TrainConfig::fromJson(ss.str());
    }
    // Command-line flags override the file: build a JSON patch and re-validate.
    auto j = nlohmann::json::parse(c.toJson());
    for (const char* key : {"model", "mode", "loss", "sampler", "reg", "optimizer", "device"})
        if (auto v = args.value(key))
            j[key] = *v;
    for (const auto& [flag, key] : std::vector<std::pair<std::string, std::string>>{
             {"dim", "dim"}, {"epochs", "epochs"}, {"batch", "batch_size"}, {"negatives", "negatives"},
             {"neg-chunk", "neg_chunk"}, {"threads", "threads"}, {"seed", "seed"}}) {
        if (auto v = args.value(flag))
            j[key] = std::stoll(*v);
    }
    for (const auto& [flag, key] : std::vector<std::pair<std::string, std::string>>{
             {"lr", "lr"}, {"gamma", "gamma"}, {"reg-weight", "reg_weight"}, {"margin", "margin"},
             {"adv-temperature", "adv_temperature"}}) {
        if (auto v = args.value(flag))
            j[key] = std::stod(*v);
    }
    return kg::ml::TrainConfig::fromJson(j.dump());
}

nlohmann::json metricsJson(const kg::ml::RankMetrics& m)
{
    return {{"mrr", m.mrr}, {"mr", m.meanRank}, {"hits@1", m.hits1}, {"hits@3", m.hits3}, {"hits@10", m.hits10},
            {"queries", m.queries}};
}

void printMetrics(const char* what, const kg::ml::RankMetrics& m)
{
    std::printf("%s: MRR %.4f  MR %.1f  Hits@1 %.4f  Hits@3 %.4f  Hits@10 %.4f  (%lld queries)\n", what,
                m.mrr, m.meanRank, m.hits1, m.hits3, m.hits10, static_cast<long long>(m.queries));
}

const std::set<std::string> kTrainValues = {"config", "model", "mode", "loss", "sampler", "reg", "optimizer",
                                            "device", "dim", "epochs", "batch", "negatives", "neg-chunk",
                                            "threads", "seed", "lr", "gamma", "reg-weight", "margin",
                                            "adv-temperature", "checkpoint", "resume", "eval-every", "patience"};

} // namespace

int runTrain(int argc, char** argv)
{
    Args args(argc, argv, 2, kTrainValues, {"quiet"});
    if (args.positional().size() != 1)
        throw UsageError("train needs exactly one PROJECT");
    kg::ml::TrainConfig config = configFrom(args);
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    const kg::ml::KgData data = kg::ml::KgData::fromProject(*project);
    kg::ml::Trainer trainer(config, data);
    if (auto resume = args.value("resume"))
        kg::ml::loadCheckpoint(*resume, trainer);
    const auto checkpoint = args.value("checkpoint");
    const int evalEvery = args.intValue("eval-every", 0);
    const int patience = args.intValue("patience", 0);
    std::printf("training %s (dim %lld) on %lld triples, %lld entities, %lld relations, device %s\n",
                kg::ml::modelName(config.model), static_cast<long long>(config.dim),
                static_cast<long long>(data.train.size(0)), static_cast<long long>(data.numEntities),
                static_cast<long long>(data.numRelations), trainer.device().str().c_str());

    // Every run is recorded in the project: config, loss/validation curves, final metrics.
    kg::RunStore history(*project);
    const int64_t runId = history.createRun("kge", config.toJson());
    std::string status = "finished";
    kg::CancelToken cancel;
    gTrainCancel = &cancel;
    std::signal(SIGINT, onTrainSignal);
    std::signal(SIGTERM, onTrainSignal);
    const kg::ml::FilterIndex filter(data);
    double best = -1;
    int sinceBest = 0;
    const bool quiet = args.flag("quiet");
    auto lastPrint = std::chrono::steady_clock::now();
    auto onProgress = [&](const kg::ml::TrainProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (quiet || now - lastPrint < std::chrono::seconds(2))
            return;
        lastPrint = now;
        std::fprintf(stderr, "epoch %lld/%lld step %lld loss %.4f  %.0f triples/s  ETA %.0f s\n",
                     static_cast<long long>(p.epoch + 1), static_cast<long long>(p.epochs),
                     static_cast<long long>(p.step), p.loss, p.triplesPerSecond, p.etaSeconds);
    };
    auto onEpoch = [&](const kg::ml::EpochResult& e) {
        if (!quiet)
            std::printf("epoch %lld: mean loss %.5f\n", static_cast<long long>(e.epoch + 1), e.meanLoss);
        const int64_t step = (e.epoch + 1) * ((data.train.size(0) + config.batchSize - 1) / config.batchSize);
        history.addMetric(runId, step, e.epoch + 1, "loss", e.meanLoss);
        if (evalEvery <= 0 || (e.epoch + 1) % evalEvery != 0 || data.valid.size(0) == 0)
            return true;
        const auto m = kg::ml::evaluate(trainer.model(), data.valid, filter, config.evalBatch, &cancel);
        printMetrics("  valid", m);
        history.addMetric(runId, step, e.epoch + 1, "valid_mrr", m.mrr);
        history.addMetric(runId, step, e.epoch + 1, "valid_hits@10", m.hits10);
        if (m.mrr > best) {
            best = m.mrr;
            sinceBest = 0;
            if (checkpoint)
                kg::ml::saveCheckpoint(*checkpoint, trainer);
            return true;
        }
        if (patience > 0 && ++sinceBest >= patience) {
            std::printf("early stop: valid MRR has not improved for %d evaluations (best %.4f)\n", patience, best);
            status = "stopped_early";
            return false;
        }
        return true;
    };
    try {
        trainer.run(onProgress, &cancel, onEpoch);
    } catch (const kg::Error& e) {
        const bool cancelled = e.code() == kg::Errc::Cancelled;
        if (cancelled && checkpoint && best < 0) {
            kg::ml::saveCheckpoint(*checkpoint, trainer); // keep the work done so far
            std::printf("cancelled; checkpoint of epoch %lld written to %s\n",
                        static_cast<long long>(trainer.epochsDone()), checkpoint->c_str());
        }
        history.finishRun(runId, cancelled ? "cancelled" : "failed",
                          nlohmann::json{{"error", e.what()}, {"epochs", trainer.epochsDone()}}.dump(),
                          checkpoint.value_or(""));
        throw;
    }
    if (checkpoint && best < 0)
        kg::ml::saveCheckpoint(*checkpoint, trainer);
    if (checkpoint && best >= 0)
        kg::ml::loadCheckpoint(*checkpoint, trainer); // evaluate the best model
    nlohmann::json final{{"epochs", trainer.epochsDone()}};
    if (best >= 0)
        final["best_valid_mrr"] = best;
    if (data.test.size(0) > 0) {
        const auto m = kg::ml::evaluate(trainer.model(), data.test, filter, config.evalBatch, &cancel);
        printMetrics("test", m);
        final["test"] = metricsJson(m);
    }
    history.finishRun(runId, status, final.dump(), checkpoint.value_or(""));
    std::printf("recorded as run %lld\n", static_cast<long long>(runId));
    return Ok;
}

namespace {

// Rebuilds a trainer shaped like the checkpoint and loads it.
std::unique_ptr<kg::ml::Trainer> restore(const std::string& path, const kg::ml::KgData& data, const Args& args)
{
    kg::ml::TrainConfig config = kg::ml::readCheckpointInfo(path).config;
    if (auto d = args.value("device"))
        config.device = *d;
    auto trainer = std::make_unique<kg::ml::Trainer>(config, data);
    kg::ml::loadCheckpoint(path, *trainer);
    return trainer;
}

} // namespace

int runEval(int argc, char** argv)
{
    Args args(argc, argv, 2, {"checkpoint", "split", "device"}, {});
    if (args.positional().size() != 1 || !args.value("checkpoint"))
        throw UsageError("eval needs a PROJECT and --checkpoint FILE");
    auto project = kg::Project::open(args.positional()[0], kg::Project::OpenMode::MustExist);
    const kg::ml::KgData data = kg::ml::KgData::fromProject(*project);
    auto trainer = restore(*args.value("checkpoint"), data, args);
    const std::string split = args.value("split").value_or("test");
    const torch::Tensor& triples = split == "valid" ? data.valid : split == "train" ? data.train : data.test;
    const auto start = std::chrono::steady_clock::now();
    const auto m = kg::ml::evaluate(trainer->model(), triples, kg::ml::FilterIndex(data), trainer->config().evalBatch);
    printMetrics(split.c_str(), m);
    std::printf("evaluated in %.2f s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
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
    const kg::ml::KgData data = kg::ml::KgData::fromProject(*project);
    auto trainer = restore(*args.value("checkpoint"), data, args);
    const kg::ml::FilterIndex filter(data);
    torch::NoGradGuard noGrad;
    const auto dev = trainer->device();
    const auto h = torch::tensor({data.entityIndex.at(head->id)}, torch::kInt64).to(dev);
    const auto r = torch::tensor({data.relationIndex.at(rel->id)}, torch::kInt64).to(dev);
    const auto scores = trainer->model()->scoreAllTails(h, r).squeeze(0).to(torch::kCPU);
    const int k = std::min<int>(args.intValue("k", 10), static_cast<int>(scores.size(0)));
    const auto top = scores.topk(k);
    const auto& known = filter.tails(h.item<int64_t>(), r.item<int64_t>());
    std::printf("%s  %s  ?\n", head->displayName().c_str(), rel->displayName().c_str());
    for (int i = 0; i < k; ++i) {
        const int64_t dense = std::get<1>(top)[i].item<int64_t>();
        const auto e = project->entity(data.entityIds[static_cast<size_t>(dense)]);
        const bool isKnown = std::find(known.begin(), known.end(), dense) != known.end();
        std::printf("%3d  %10.4f  %-30s %s\n", i + 1, std::get<0>(top)[i].item<double>(),
                    e ? e->displayName().c_str() : "?", isKnown ? "(known)" : "");
    }
    return Ok;
}

} // namespace kgcli
