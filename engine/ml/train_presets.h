// Named starting configurations for training jobs. The Training tab's preset box, `kgwb train
// --preset ID` and the benchmarks read this one list, so a recipe measured in one is the recipe
// the others run. Torch-free. The translated names and descriptions the dialog shows live with
// the dialog (widgets/training/launch_dialog.cpp), keyed by id.
#pragma once

#include <string>
#include <vector>

#include "ml/train_config.h"

namespace kg::ml {

struct TrainPreset {
    std::string id;     // "complex-1vsall", "transformer-rank", ... (stable: scripts use it)
    std::string summary; // one line of English for `kgwb train --list-presets`
    TrainConfig config;
};

// Every preset, in the order the dialog lists them.
const std::vector<TrainPreset>& trainPresets();
// The preset with this id; Error(InvalidArgument) naming the known ids when there is none.
const TrainPreset& trainPreset(const std::string& id);

} // namespace kg::ml
