// JobSpec JSON (torch-free; see ml/train_job.h).
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "ml/train_job.h"

namespace kg::ml {

std::string resumePath(const std::string& checkpoint) { return checkpoint + ".resume"; }

std::string JobSpec::toJson() const
{
    return nlohmann::json{{"config", nlohmann::json::parse(config.toJson())},
                          {"checkpoint", checkpoint},
                          {"resume_from", resumeFrom},
                          {"continue_run", continueRun},
                          {"eval_every", evalEvery},
                          {"patience", patience},
                          {"evaluate_test", evaluateTest},
                          {"progress_interval_ms", progressIntervalMs}}
        .dump(2);
}

JobSpec JobSpec::fromJson(const std::string& text)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(Errc::InvalidArgument, std::string("job spec is not valid JSON: ") + e.what());
    }
    if (!j.is_object())
        throw Error(Errc::InvalidArgument, "job spec must be a JSON object");
    JobSpec s;
    for (const auto& item : j.items()) {
        const std::string& key = item.key(); // (not a structured binding: clang 14 cannot capture one)
        const auto& value = item.value();
        auto expect = [&](bool ok, const char* what) {
            if (!ok)
                throw Error(Errc::InvalidArgument, "job spec field '" + key + "' must be " + what);
        };
        if (key == "config") {
            expect(value.is_object(), "an object");
            s.config = TrainConfig::fromJson(value.dump());
        } else if (key == "checkpoint" || key == "resume_from") {
            expect(value.is_string(), "a string");
            (key == "checkpoint" ? s.checkpoint : s.resumeFrom) = value.get<std::string>();
        } else if (key == "continue_run" || key == "eval_every" || key == "patience" ||
                   key == "progress_interval_ms") {
            expect(value.is_number_integer() && value.get<int64_t>() >= 0, "a non-negative integer");
            const auto v = value.get<int64_t>();
            if (key == "continue_run")
                s.continueRun = v;
            else if (key == "eval_every")
                s.evalEvery = static_cast<int>(v);
            else if (key == "patience")
                s.patience = static_cast<int>(v);
            else
                s.progressIntervalMs = static_cast<int>(v);
        } else if (key == "evaluate_test") {
            expect(value.is_boolean(), "true or false");
            s.evaluateTest = value.get<bool>();
        } else {
            throw Error(Errc::InvalidArgument, "job spec has unknown field '" + key + "'");
        }
    }
    return s;
}

nlohmann::json toJson(const RankMetrics& m)
{
    return {{"mrr", m.mrr}, {"mr", m.meanRank}, {"hits@1", m.hits1}, {"hits@3", m.hits3}, {"hits@10", m.hits10},
            {"queries", m.queries}};
}

const char* eventKindName(JobEvent::Kind kind)
{
    switch (kind) {
    case JobEvent::Kind::Preparing: return "preparing";
    case JobEvent::Kind::Started: return "started";
    case JobEvent::Kind::Progress: return "progress";
    case JobEvent::Kind::Epoch: return "epoch";
    case JobEvent::Kind::Validation: return "validation";
    case JobEvent::Kind::Checkpoint: return "checkpoint";
    case JobEvent::Kind::Finished: return "finished";
    }
    return "?";
}

JobEvent JobEvent::preparing(const char* stage, int64_t epochs)
{
    JobEvent e;
    e.kind = Kind::Preparing;
    e.epochs = epochs;
    e.text = stage;
    return e;
}

std::string JobEvent::toJson() const
{
    nlohmann::json j{{"event", eventKindName(kind)}, {"run", runId}, {"epoch", epoch}, {"epochs", epochs},
                     {"step", step}, {"steps_per_epoch", stepsPerEpoch}};
    if (kind == Kind::Progress || kind == Kind::Epoch) {
        j["loss"] = loss;
        j["triples_per_second"] = triplesPerSecond;
        if (tokensPerSecond > 0)
            j["tokens_per_second"] = tokensPerSecond;
        j["eta_seconds"] = etaSeconds;
        j["memory_bytes"] = memoryBytes;
    }
    if ((kind == Kind::Validation || kind == Kind::Finished) && metrics.queries > 0)
        j["metrics"] = ml::toJson(metrics);
    if (!text.empty())
        j["text"] = text;
    return j.dump();
}

} // namespace kg::ml
