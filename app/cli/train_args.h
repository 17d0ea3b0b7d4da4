// Model settings from the command line, shared by `train` and `fed serve` (cmd_train.cpp).
#pragma once

#include <set>
#include <string>

#include "args.h"
#include "ml/train_config.h"

namespace kgcli {

// --config FILE (else `base`), then the individual flags (--model, --dim, --lr, ...) on top.
kg::ml::TrainConfig trainConfigFromArgs(const Args& args, kg::ml::TrainConfig base);
// The value options trainConfigFromArgs reads, for Args.
const std::set<std::string>& trainValueOptions();
// kgwb train --world-size N --rank R --master HOST:PORT (cmd_fed.cpp, builds with federation).
int runTrainDataParallel(const Args& args, const kg::ml::TrainConfig& config);

} // namespace kgcli
