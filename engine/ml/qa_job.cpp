// Training and evaluation of the question-answering reasoner (ml/qa.h).
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_set>

#include "ml/job_trainer.h"
#include "ml/spec_fields.h"
#include "ml/qa.h"
#include "ml/qa_model.h"
#include "ml/qa_train_data.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "store/qa_store.h"
#include "store/run_lease.h"
#include "store/run_store.h"

namespace kg::ml {

std::string QaTrainSpec::toJson() const
{
    return nlohmann::json{{"model", "qa-chain"},  {"dim", dim},          {"epochs", epochs},
                          {"lr", lr},             {"batch_size", batchSize}, {"max_hops", maxHops},
                          {"dropout", dropout},   {"seed", seed},        {"threads", threads},
                          {"beam", beam},         {"weak", weak},        {"max_paths", maxPaths},
                          {"eval_every", evalEvery}, {"pieces", pieces}, {"encoder_from", encoderFrom},
                          {"vocab_size", vocabSize}, {"word_dropout", wordDropout}}
        .dump();
}

QaTrainSpec QaTrainSpec::fromJson(const std::string& json)
{
    const SpecFields fields(json, "a question-answering spec");
    QaTrainSpec s;
    fields.get("dim", s.dim);
    fields.get("epochs", s.epochs);
    fields.get("lr", s.lr);
    fields.get("batch_size", s.batchSize);
    fields.get("max_hops", s.maxHops);
    fields.get("dropout", s.dropout);
    fields.get("seed", s.seed);
    fields.get("threads", s.threads);
    fields.get("beam", s.beam);
    fields.get("weak", s.weak);
    fields.get("max_paths", s.maxPaths);
    fields.get("eval_every", s.evalEvery);
    fields.get("pieces", s.pieces);
    fields.get("encoder_from", s.encoderFrom);
    fields.get("vocab_size", s.vocabSize);
    fields.get("word_dropout", s.wordDropout);
    const auto check = &SpecFields::check;
    check(s.dim >= 4 && s.dim <= 1024 && s.dim % 2 == 0, "dim");
    check(s.epochs >= 1 && s.epochs <= 100000, "epochs");
    check(s.lr > 0 && s.lr < 1, "lr");
    check(s.batchSize >= 1, "batch_size");
    check(s.maxHops >= 1 && s.maxHops <= 4, "max_hops");
    check(s.dropout >= 0 && s.dropout < 1, "dropout");
    check(s.beam >= 1 && s.beam <= 128, "beam");
    check(s.maxPaths >= 1 && s.maxPaths <= 256, "max_paths");
    check(s.evalEvery >= 0, "eval_every");
    check(s.encoderFrom >= 0, "encoder_from");
    check(s.vocabSize >= 300 && s.vocabSize <= 64000, "vocab_size");
    check(s.wordDropout >= 0 && s.wordDropout < 1, "word_dropout");
    return s;
}

QaJob::QaJob(std::string projectPath, QaTrainSpec spec)
    : projectPath_(std::move(projectPath))
    , spec_(std::move(spec))
{
}

namespace {

std::string modelName(int64_t run) { return "qa.run." + std::to_string(run); }

nlohmann::json metricsJson(const QaMetrics& m)
{
    return {{"hits@1", m.hits1},         {"mrr", m.mrr},           {"path_accuracy", m.pathAccuracy},
            {"link_accuracy", m.linkAccuracy}, {"ms_per_question", m.msPerQuestion}, {"questions", m.questions},
            {"synthetic_questions", m.synthetic}};
}

JobEvent event(JobEvent::Kind kind, int64_t run, int64_t epoch, int64_t epochs)
{
    JobEvent e;
    e.kind = kind;
    e.runId = run;
    e.epoch = epoch;
    e.epochs = epochs;
    return e;
}

RankMetrics asRank(const QaMetrics& m)
{
    RankMetrics r;
    r.hits1 = m.hits1;
    r.mrr = m.mrr;
    r.queries = m.questions;
    return r;
}

} // namespace

QaJobResult QaJob::run(const std::function<void(const JobEvent&)>& onEvent)
{
    using Clock = std::chrono::steady_clock;
    const auto emit = [&](JobEvent e) {
        if (onEvent)
            onEvent(e);
    };
    auto project = Project::open(projectPath_, Project::OpenMode::MustExist);
    setTorchThreads(spec_.threads);
    torch::manual_seed(spec_.seed);

    emit(JobEvent::preparing("model", spec_.epochs)); // the questions, word table and, with pieces, tokenizer
    QaTrainData data(*project, spec_);
    QaJobResult result;
    if (cancel_.cancelled()) { // during setup: no run recorded (see JobEvent)
        result.status = "cancelled";
        return result;
    }
    result.skipped = data.skipped();
    RunStore history(*project);
    RunLease lease;
    result.runId = history.createRun("qa", spec_.toJson(), &lease);
    std::string best; // the best model by valid Hits@1 so far ("" until a validation: keep the latest)
    try {
        JobEvent start = event(JobEvent::Kind::Started, result.runId, 0, spec_.epochs);
        start.text = "cpu";
        emit(start);
        QaModelFile& file = data.model();
        torch::optim::Adam optimizer(file.model->parameters(), torch::optim::AdamOptions(spec_.lr));
        std::mt19937_64 rng(spec_.seed);
        const int64_t steps = data.stepsPerEpoch();
        double bestHits = -1;
        int64_t step = 0;
        auto lastProgress = Clock::now() - std::chrono::hours(1);
        const auto started = Clock::now();
        for (int64_t epoch = 0; epoch < spec_.epochs; ++epoch) {
            file.model->train();
            auto order = data.shuffled(rng);
            double sum = 0;
            for (int64_t s = 0; s < steps; ++s) {
                while (paused_.load() && !cancel_.cancelled())
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                cancel_.throwIfCancelled();
                optimizer.zero_grad();
                const double l = JobTrainer::optimizerStep(optimizer, data.batchLoss(order, s));
                sum += l;
                ++step;
                if (Clock::now() - lastProgress > std::chrono::milliseconds(spec_.progressIntervalMs)) {
                    lastProgress = Clock::now();
                    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
                    const double total = static_cast<double>(spec_.epochs * steps);
                    JobEvent e = event(JobEvent::Kind::Progress, result.runId, epoch + 1, spec_.epochs);
                    e.step = step;
                    e.stepsPerEpoch = steps;
                    e.loss = l;
                    e.etaSeconds = elapsed / static_cast<double>(step) * (total - static_cast<double>(step));
                    e.triplesPerSecond = static_cast<double>(step * spec_.batchSize) / std::max(elapsed, 1e-9);
                    emit(e);
                }
            }
            result.epochsDone = epoch + 1;
            const double mean = sum / static_cast<double>(std::max<int64_t>(steps, 1));
            history.addMetric(result.runId, step, epoch + 1, "loss", mean);
            JobEvent ep = event(JobEvent::Kind::Epoch, result.runId, epoch + 1, spec_.epochs);
            ep.step = step;
            ep.stepsPerEpoch = steps;
            ep.loss = mean;
            emit(ep);
            const bool last = epoch + 1 == spec_.epochs;
            if (spec_.evalEvery > 0 && data.hasValid() && ((epoch + 1) % spec_.evalEvery == 0 || last)) {
                const QaMetrics m = data.evaluate(Split::Valid, &cancel_);
                history.addMetric(result.runId, step, epoch + 1, "valid_hits@1", m.hits1);
                history.addMetric(result.runId, step, epoch + 1, "valid_mrr", m.mrr);
                JobEvent e = event(JobEvent::Kind::Validation, result.runId, epoch + 1, spec_.epochs);
                e.step = step;
                e.metrics = asRank(m);
                emit(e);
                if (m.hits1 > bestHits) {
                    bestHits = m.hits1;
                    best = file.toBytes();
                    result.valid = m;
                }
            }
        }
        result.status = "finished";
        if (!best.empty())
            data.load(best);
        result.test = data.evaluate(Split::Test, &cancel_);
    } catch (const Error& e) {
        if (e.code() != Errc::Cancelled) {
            history.finishRun(result.runId, "failed", nlohmann::json{{"error", e.what()}}.dump());
            throw;
        }
        result.status = "cancelled";
        if (!best.empty())
            data.load(best);
    } catch (const c10::Error& e) {
        history.finishRun(result.runId, "failed", nlohmann::json{{"error", e.what_without_backtrace()}}.dump());
        throw Error(Errc::InvalidArgument, std::string("question-answering training failed: ") + e.what_without_backtrace());
    }
    const nlohmann::json final = {{"epochs", result.epochsDone},
                                  {"best_valid_mrr", result.valid.mrr},
                                  {"valid", metricsJson(result.valid)},
                                  {"test", metricsJson(result.test)},
                                  {"skipped_questions", result.skipped}};
    if (result.epochsDone > 0)
        ArtifactStore(*project).put(modelName(result.runId), "kgwb-qa", data.model().toBytes(),
                                    nlohmann::json{{"run", result.runId}}.dump());
    history.finishRun(result.runId, result.status, final.dump());
    JobEvent done = event(JobEvent::Kind::Finished, result.runId, result.epochsDone, spec_.epochs);
    done.metrics = asRank(result.test);
    done.text = result.status;
    emit(done);
    return result;
}

} // namespace kg::ml
