// What the run lists show of a recorded run, read once from its stored JSON (config and final
// metrics) instead of by every front end: model, size, stage, epochs and the final figures.
// A field the run does not have stays empty / negative.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/run_store.h"

namespace kg {

struct RunSummary {
    std::string model;          // "complex", "transformer", ...
    int64_t dim = 0;
    std::string stage;          // transformer runs: "pretrain" / "finetune"
    int64_t epochs = -1;        // epochs finished
    double bestValidMrr = -1;
    double testMrr = -1, testHits10 = -1;
};

// Never throws: unreadable JSON gives an empty summary.
RunSummary summarize(const RunRecord& run);

// Whether a run's trained model can be read back by its key "run:N" (ml::readModel):
// finished or stopped early, and either a transformer (the job keeps it in the project) or a
// KGE or CompGCN run whose checkpoint file still exists.
bool keepsModel(const RunRecord& run, const RunSummary& summary);

// The key that names run N's kept model: "run:N" (ml::runOf parses it).
inline std::string modelKey(int64_t run) { return "run:" + std::to_string(run); }

struct KeptModel {
    RunRecord run;
    RunSummary summary;
    std::string key() const { return modelKey(run.id); }
};

// The runs with a kept model, newest first: the Explain tab's rankers, the Embeddings tab's
// maps and the candidate review's plausibility models list these.
std::vector<KeptModel> keptModels(Project& project);

} // namespace kg
