// Data-parallel training of a KGE model or the transformer across processes or machines on
// c10d Gloo: N ranks train one model, each on its share of every global batch, and sum their
// gradients with an all-reduce before each step (ml/job_trainer.h setDataParallel), so every
// rank holds the same model as one process with the same global batch would (up to float
// summation order, and dropout, which each rank draws for its own rows). A transformer can
// start from a kept run (config.transformer.initFrom, both stages and LoRA alike). CompGCN is
// refused: each rank would encode the whole graph again. Rank 0 hosts the TCPStore
// rendezvous, records the run in the project's history (loss per epoch, test metrics, and a
// transformer's kept model, as a training job does; a cancelled or failed run is recorded as
// such), validates (evalEvery, keeping the best model; patience stops every rank after the
// same epoch), evaluates and writes the checkpoint. Torch-free header.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/cancel.h"
#include "ml/rank_metrics.h"
#include "ml/train_config.h"

namespace kg::fed {

struct DataParallelOptions {
    std::string project;         // every rank reads the same triples (its own copy or a shared file)
    ml::TrainConfig config;      // batchSize is the global batch
    int world = 1, rank = 0;     // world 1: plain training through the same code path
    std::string host = "127.0.0.1";
    int port = 29500;
    double timeoutSeconds = 1800;
    std::string checkpoint;      // rank 0 writes it at the end, or at each best validation ("" = none)
    int evalEvery = 0;           // rank 0 validates every N epochs and keeps the best model (0 = never)
    int patience = 0;            // all ranks stop after P validations without a better MRR (0 = never)
    const CancelToken* cancel = nullptr;
};

struct DataParallelResult {
    int64_t runId = 0;             // rank 0: the run recorded in the project's history (others: 0)
    std::vector<double> epochLoss; // mean loss per epoch, averaged over the ranks
    ml::RankMetrics test;          // rank 0 only (others: queries 0): of the kept (best) model
    std::optional<double> bestValidMrr; // rank 0, when it validated
};

// Throws Error: Io (a rank left or timed out), InvalidArgument, Cancelled. onValid: rank 0's
// validations.
DataParallelResult trainDataParallel(const DataParallelOptions& options,
                                     const std::function<void(int epoch, double loss)>& onEpoch = {},
                                     const std::function<void(int epoch, const ml::RankMetrics&)>& onValid = {});

} // namespace kg::fed
