// What the run lists show of a recorded run, read once from its stored JSON (config and final
// metrics) instead of by every front end: model, size, stage, epochs and the final figures.
// A field the run does not have stays empty / negative.
#pragma once

#include <cstdint>
#include <string>

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

} // namespace kg
