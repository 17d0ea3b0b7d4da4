#include "store/run_summary.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace kg {

RunSummary summarize(const RunRecord& run)
{
    RunSummary s;
    const auto config = nlohmann::json::parse(run.config, nullptr, false);
    if (config.is_object()) {
        if (config.contains("model") && config["model"].is_string())
            s.model = config["model"].get<std::string>();
        if (config.contains("dim") && config["dim"].is_number())
            s.dim = config["dim"].get<int64_t>();
        if (config.contains("transformer") && config["transformer"].is_object() &&
            config["transformer"].contains("stage") && config["transformer"]["stage"].is_string())
            s.stage = config["transformer"]["stage"].get<std::string>();
    }
    const auto final = nlohmann::json::parse(run.finalMetrics, nullptr, false);
    if (final.is_object()) {
        auto number = [](const nlohmann::json& j, const char* key, double fallback) {
            return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
        };
        s.epochs = static_cast<int64_t>(number(final, "epochs", -1));
        s.bestValidMrr = number(final, "best_valid_mrr", -1);
        if (final.contains("test") && final["test"].is_object()) {
            s.testMrr = number(final["test"], "mrr", -1);
            s.testHits10 = number(final["test"], "hits@10", -1);
        }
    }
    return s;
}

bool keepsModel(const RunRecord& run, const RunSummary& /*summary*/)
{
    if (run.status != "finished" && run.status != "stopped_early")
        return false;
    if (run.kind == "transformer")
        return true;
    std::error_code missing;
    return run.kind == "kge" && !run.checkpoint.empty() &&
           std::filesystem::exists(run.checkpoint, missing);
}

std::vector<KeptModel> keptModels(Project& project)
{
    std::vector<KeptModel> out;
    for (auto& run : RunStore(project).runs()) { // newest first
        RunSummary summary = summarize(run);
        if (keepsModel(run, summary))
            out.push_back({std::move(run), std::move(summary)});
    }
    return out;
}

} // namespace kg
