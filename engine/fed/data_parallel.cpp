#include "fed/data_parallel.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <optional>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "core/error.h"
#include "fed/fed_model.h"
#include "fed/gloo_group.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/kg_data.h"
#include "ml/text_corpus.h"
#include "ml/text_trainer.h"
#include "ml/train_job.h"
#include "ml/trainer.h"
#include "store/project.h"
#include "store/run_store.h"

namespace kg::fed {

DataParallelResult trainDataParallel(const DataParallelOptions& o, const std::function<void(int, double)>& onEpoch,
                                     const std::function<void(int, const ml::RankMetrics&)>& onValid)
{
    if (o.world < 1 || o.rank < 0 || o.rank >= o.world)
        throw Error(Errc::InvalidArgument, "rank must be in [0, world size)");
    if (o.config.device != "cpu" && o.config.device != "auto")
        throw Error(Errc::InvalidArgument, "data-parallel training runs on the CPU (Gloo all-reduces CPU tensors), not on '" +
                                               o.config.device + "'; leave --device at cpu or auto");
    ml::TrainConfig config = o.config;
    config.device = "cpu"; // Gloo all-reduces CPU tensors (NCCL would take CUDA ones)
    // Rank 0 records the run in the project's history; the others only read it.
    auto project = Project::open(o.project, o.rank == 0 ? Project::OpenMode::MustExist : Project::OpenMode::ReadOnly);
    const ml::KgData data = ml::KgData::fromProject(*project);
    // A transformer reading text: every rank must cut words alike, with the tokenizer rank 0's
    // project holds (trained and stored here first when it has none, before any other rank
    // builds its model from the same project file).
    const bool text = ml::needsText(config);
    // Starting from a run's model (read and parsed once): its tokenizer (every rank reads the same run).
    const int64_t initRun = config.model == ml::ModelKind::Transformer ? config.transformer.initFrom : 0;
    std::optional<ml::OpenedCheckpoint> init;
    if (initRun > 0)
        init = ml::readInitFrom(*project, initRun);
    const std::string initTokenizer = text && init ? init->tokenizer : std::string();
    if (text && o.rank == 0 && initTokenizer.empty())
        ml::TextCorpus::exportTokenizer(*project, config.transformer.vocabSize);
    // What every rank must share: the settings, the triples' counts and the tokenizer.
    auto shapeOf = [&] {
        std::string shape = config.toJson() + "|" + std::to_string(data.numEntities) + "|" +
                            std::to_string(data.numRelations) + "|" + std::to_string(data.train.size(0));
        if (text && !initTokenizer.empty()) {
            shape += "|" + tokenizerDigest(initTokenizer);
        } else if (text) {
            const auto stored = ml::TextCorpus::storedTokenizer(*project);
            shape += "|" + (stored && stored->vocabSize == config.transformer.vocabSize ? tokenizerDigest(stored->bytes)
                                                                                       : std::string("no tokenizer"));
        }
        return shape;
    };
    c10::intrusive_ptr<c10d::PrefixStore> prefixed;
    if (o.world > 1) {
        auto store = openStore(o.host, o.port, o.rank == 0, o.world, o.timeoutSeconds);
        prefixed = c10::make_intrusive<c10d::PrefixStore>("kgwb-dp", store);
        // Compared before anyone trains. Each rank answers rank 0, so a rank that differs
        // stops rank 0 at once (instead of leaving it waiting for the group).
        if (o.rank == 0) {
            const std::string shape = shapeOf();
            prefixed->set("shape", std::vector<uint8_t>(shape.begin(), shape.end()));
            for (int r = 1; r < o.world; ++r) {
                const auto v = getKey(*prefixed, "verdict/" + std::to_string(r), "rank " + std::to_string(r) + "'s check");
                if (const std::string verdict(v.begin(), v.end()); verdict != "ok")
                    throw Error(Errc::InvalidArgument, "rank " + std::to_string(r) + ": " + verdict);
            }
        } else {
            const auto theirs = getKey(*prefixed, "shape", "rank 0's settings");
            const bool same = std::string(theirs.begin(), theirs.end()) == shapeOf();
            const std::string verdict =
                same ? "ok"
                     : std::string("this rank's settings or triples differ from rank 0's") +
                           (text ? " (or its tokenizer: give every rank's project the same one, kgwb tokenizer export, "
                                   "then kgwb tokenizer import)"
                                 : "");
            prefixed->set("verdict/" + std::to_string(o.rank), std::vector<uint8_t>(verdict.begin(), verdict.end()));
            if (!same)
                throw Error(Errc::InvalidArgument, verdict);
        }
    }
    const auto owned = ml::makeTrainer(config, data, o.project, initTokenizer);
    ml::JobTrainer& trainer = *owned;
    if (initRun > 0)
        static_cast<ml::TextTrainer&>(trainer).initFrom(init->archive, "run " + std::to_string(initRun));
    if (o.rank != 0)
        project.reset();

    c10::intrusive_ptr<c10d::ProcessGroupGloo> pg;
    if (o.world > 1) {
        pg = makeGroup(prefixed, o.rank, o.world, o.host, o.timeoutSeconds);
        trainer.setDataParallel(o.rank, o.world, [&](std::vector<torch::Tensor>& grads) {
            // One flat buffer: one collective per step.
            auto flat = torch::cat([&] {
                std::vector<torch::Tensor> v;
                for (auto& g : grads)
                    v.push_back(g.reshape({-1}));
                return v;
            }());
            std::vector<at::Tensor> t{flat};
            waitWork(pg->allreduce(t), "all-reducing gradients", o.timeoutSeconds);
            int64_t at = 0;
            for (auto& g : grads) {
                g.copy_(flat.narrow(0, at, g.numel()).view_as(g));
                at += g.numel();
            }
        });
    } else {
        trainer.setDataParallel(0, 1, [](std::vector<torch::Tensor>&) {});
    }
    DataParallelResult result;
    RunLease lease; // held until this returns; a killed rank 0 leaves the run 'interrupted'
    std::optional<RunStore> history;
    const bool transformer = config.model == ml::ModelKind::Transformer;
    std::optional<ml::Validations> validations; // rank 0's
    if (project) {
        history.emplace(*project);
        result.runId = history->createRun(transformer ? "transformer" : "kge", config.toJson(), &lease);
        if (!o.checkpoint.empty())
            history->setCheckpoint(result.runId, o.checkpoint);
        validations.emplace(*history, result.runId, o.patience);
    }
    const int64_t stepsPerEpoch = trainer.stepsPerEpoch();
    nlohmann::json final{{"world_size", o.world}};
    std::string kept; // rank 0: the best model so far, when validating
    // Ends the recorded run as cancelled or failed; a transformer keeps what it learnt.
    auto endRun = [&](const std::string& status, const std::string& error) {
        if (!history)
            return;
        final["epochs"] = trainer.epochsDone();
        if (!error.empty())
            final["error"] = error;
        try {
            if (status == "cancelled" && transformer && trainer.epochsDone() > 0)
                ml::storeKeptModel(*project, result.runId, kept.empty() ? ml::checkpointBytes(trainer) : kept,
                                   trainer.epochsDone());
            history->finishRun(result.runId, status, final.dump(), o.checkpoint);
        } catch (const Error&) {
            // the lease marks the run interrupted if it cannot be finished here
        }
    };
    std::optional<ml::FilterIndex> filter; // rank 0, built at the first evaluation
    auto filterIndex = [&]() -> const ml::FilterIndex& {
        if (!filter)
            filter.emplace(data);
        return *filter;
    };
    std::string status = "finished";
    try {
        trainer.run({}, o.cancel, [&](const ml::EpochResult& e) {
            const int64_t epoch = e.epoch + 1;
            // Rank 0 validates while the others wait at the all-reduce below, which carries its
            // decision to stop early with the epoch's loss, so every rank stops after this epoch.
            bool stop = false;
            if (validations && o.evalEvery > 0 && epoch % o.evalEvery == 0 && data.valid.size(0) > 0) {
                const auto m = trainer.evaluate(data.valid, filterIndex(), o.cancel);
                const bool better = validations->record(epoch * stepsPerEpoch, epoch, m);
                if (onValid)
                    onValid(static_cast<int>(epoch), m);
                if (better) {
                    kept = ml::checkpointBytes(trainer);
                    if (!o.checkpoint.empty())
                        ml::saveCheckpoint(o.checkpoint, trainer);
                }
                stop = validations->exhausted();
            }
            double loss = e.meanLoss;
            if (pg) { // the run's loss: the mean of the ranks' (their shares are equal but for one row)
                std::vector<at::Tensor> t{torch::tensor({loss, stop ? 1.0 : 0.0}, torch::kFloat64)};
                waitWork(pg->allreduce(t), "summing the epoch's loss", o.timeoutSeconds);
                loss = t[0][0].item<double>() / o.world;
                stop = t[0][1].item<double>() > 0;
            }
            result.epochLoss.push_back(loss);
            if (history)
                history->addMetric(result.runId, epoch * stepsPerEpoch, epoch, "loss", loss);
            if (onEpoch)
                onEpoch(static_cast<int>(epoch), loss);
            if (stop)
                status = "stopped_early";
            return !stop;
        });
        if (o.rank == 0) {
            final["epochs"] = trainer.epochsDone(); // trained; loading the best model below rewinds it
            if (kept.empty()) {
                kept = ml::checkpointBytes(trainer);
                if (!o.checkpoint.empty())
                    ml::saveCheckpoint(o.checkpoint, trainer);
            } else {
                ml::loadCheckpointBytes(kept, "the best model", trainer); // test the kept model
            }
            if (transformer)
                ml::storeKeptModel(*project, result.runId, kept, trainer.epochsDone());
            if (data.test.size(0) > 0) {
                result.test = trainer.evaluate(data.test, filterIndex(), o.cancel);
                final["test"] = ml::toJson(result.test);
            }
            result.bestValidMrr = validations->best();
            if (result.bestValidMrr)
                final["best_valid_mrr"] = *result.bestValidMrr;
            history->finishRun(result.runId, status, final.dump(), o.checkpoint);
        }
    } catch (const Error& e) {
        endRun(e.code() == Errc::Cancelled ? "cancelled" : "failed", e.code() == Errc::Cancelled ? "" : e.what());
        throw;
    } catch (const c10::Error& e) {
        endRun("failed", e.what_without_backtrace());
        throw Error(Errc::Library, std::string("training failed: ") + e.what_without_backtrace());
    }
    if (pg) {
        std::vector<at::Tensor> done{torch::zeros({1})};
        waitWork(pg->allreduce(done), "finishing", o.timeoutSeconds); // rank 0 keeps the store up until all are done
    }
    return result;
}

} // namespace kg::fed
