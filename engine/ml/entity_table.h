// The entity vectors of a kept model, shared by the entity map (ml/embedding_map.h) and the
// projector export (ml/embedding_export.h). Internal to kgwb_ml (includes torch).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <string>

namespace kg {
class Project;
}

namespace kg::ml {

struct KgData;

struct ModelBytes {
    std::string bytes; // the checkpoint's bytes
    std::string name;  // for errors: "run 3" or "'file.ckpt'"
};

// The run of a model named "run:N", or nullopt for a checkpoint file. Throws
// Error(InvalidArgument) for a malformed run:N.
std::optional<int64_t> runOf(const std::string& model);

// model: "run:N" (the model run N kept: the project's artifact for a transformer, else its
// checkpoint file) or a checkpoint file. Throws Error(InvalidArgument) for a malformed run:N,
// Error(NotFound) for a run without a model, Error(Io) for a missing file.
ModelBytes readModel(Project& project, const std::string& model);

// The entity table [E, D] (float, CPU) in the dense order of `data`: a KGE model's entity
// embeddings, a transformer's entity token rows (the tied output, adapter applied), CompGCN's
// encoded entity states over the train graph (what its decoder scores). `description` gets
// e.g. "complex d200". Throws Error(Format) when the model does not fit the project.
torch::Tensor entityTable(const std::string& projectPath, const ModelBytes& model, const KgData& data,
                          std::string& description);

} // namespace kg::ml
