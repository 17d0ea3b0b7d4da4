// A training job for the widget tests.
#pragma once

#include "ml/train_job.h"

namespace kgtest {

// DistMult d16 on the CPU in batches of 2: many small steps, so slow enough to pause and cancel
// mid-run, with progress every 20 ms and validation after each epoch.
inline kg::ml::JobSpec slowSpec(int epochs)
{
    kg::ml::JobSpec spec;
    spec.config.model = kg::ml::ModelKind::DistMult;
    spec.config.dim = 16;
    spec.config.mode = kg::ml::TrainMode::OneVsAll;
    spec.config.batchSize = 2;
    spec.config.epochs = epochs;
    spec.config.lr = 0.02;
    spec.config.threads = 1;
    spec.config.device = "cpu";
    spec.evalEvery = 1;
    spec.progressIntervalMs = 20;
    return spec;
}

} // namespace kgtest
