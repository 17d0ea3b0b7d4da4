// Question answering over an incomplete graph: a CompGCN run's encoder states and DistMult
// decoder predict the facts a hop would need but the graph lacks, so the walk can continue
// through them (the graph encoder feeding the answer scorer). A prediction counts when its
// probability (softmax over all entities) reaches minProbability.
#pragma once

#include <torch/torch.h>

#include <mutex>
#include <unordered_map>

#include "ml/kg_data.h"
#include "ml/qa_model.h"

namespace kg::ml {

class GnnCompletion : public QaCompletion {
public:
    // The model CompGCN run `run` kept. Error(NotFound) without one, Error(InvalidArgument) for
    // another model kind, Error(Format) when its shapes do not fit the project.
    GnnCompletion(Project& project, int64_t run, double minProbability = 0.5);
    std::vector<Fact> predicted(int64_t entity) const override; // thread-safe, cached

private:
    KgData data_;
    torch::Tensor x_, z_, bias_;
    double minProbability_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<int64_t, std::vector<Fact>> cache_;
};

} // namespace kg::ml
