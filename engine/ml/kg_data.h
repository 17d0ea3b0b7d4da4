// A project's triples as dense-id tensors for training and evaluation.
#pragma once

#include <torch/torch.h>

#include <unordered_map>
#include <vector>

namespace kg {
class Project;
}

namespace kg::ml {

struct KgData {
    int64_t numEntities = 0;
    int64_t numRelations = 0;
    torch::Tensor train, valid, test; // int64 [N, 3]: head, relation, tail (dense ids)
    std::vector<int64_t> entityIds;   // dense -> project entity id
    std::vector<int64_t> relationIds; // dense -> project relation id
    std::vector<int64_t> trainIds;    // row of train -> project triple id (empty from tensors)
    std::unordered_map<int64_t, int64_t> entityIndex, relationIndex; // project id -> dense

    // Every entity and relation of the project gets a dense id, used in a split or not.
    // tripleIds false leaves trainIds empty (training needs none: 160 MB at 20M triples).
    static KgData fromProject(Project& project, bool tripleIds = true);
    // For tests and benchmarks: triples already in dense ids.
    static KgData fromTensors(int64_t numEntities, int64_t numRelations, torch::Tensor train,
                              torch::Tensor valid, torch::Tensor test);
};

} // namespace kg::ml
