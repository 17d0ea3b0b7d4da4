// A project's triples as dense-id tensors for training and evaluation.
#pragma once

#include <torch/torch.h>

#include <unordered_map>
#include <utility>
#include <vector>

namespace kg {
class Project;
}

namespace kg::ml {

struct KgData {
    int64_t numEntities = 0;
    int64_t numRelations = 0;
    // [N, 3]: head, relation, tail (dense ids). int64, except train when loaded compact (int32);
    // readers that index with its values widen it (trainInt64(), or the trainer batch by batch).
    torch::Tensor train, valid, test;
    std::vector<int64_t> entityIds;   // dense -> project entity id
    std::vector<int64_t> relationIds; // dense -> project relation id
    std::vector<int64_t> trainIds;    // row of train -> project triple id (empty from tensors)
    std::unordered_map<int64_t, int64_t> entityIndex, relationIndex; // project id -> dense

    struct Load {
        bool tripleIds = true; // false leaves trainIds empty (training needs none: 160 MB at 20M triples)
        bool compactTrain = false; // train in int32 where the ids fit: 240 MB instead of 480 at 20M triples
    };
    // Every entity and relation of the project gets a dense id, used in a split or not.
    static KgData fromProject(Project& project, Load load);
    static KgData fromProject(Project& project) { return fromProject(project, Load{}); }
    // Dense ids of a query's head and relation (project ids); Error(NotFound) naming what is unknown.
    std::pair<int64_t, int64_t> denseQuery(int64_t head, int64_t relation) const;
    // Dense id of the answer entity (project id); Error(NotFound) when the model lacks it.
    int64_t denseAnswer(int64_t entity) const;
    // train as int64, without a copy when it already is.
    torch::Tensor trainInt64() const { return train.to(torch::kInt64); }
    // For tests and benchmarks: triples already in dense ids.
    static KgData fromTensors(int64_t numEntities, int64_t numRelations, torch::Tensor train,
                              torch::Tensor valid, torch::Tensor test);
};

} // namespace kg::ml
