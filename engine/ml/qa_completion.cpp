#include "ml/qa_completion.h"

#include "ml/checkpoint.h"
#include "ml/gnn_trainer.h"
#include "ml/train_job.h"
#include "store/project.h"

namespace kg::ml {

GnnCompletion::GnnCompletion(Project& project, int64_t run, double minProbability)
    : data_(KgData::fromProject(project))
    , minProbability_(minProbability)
{
    const std::string name = "run " + std::to_string(run);
    auto checkpoint = openCheckpoint(keptModelBytes(project, run), name); // read once: config, then the load
    TrainConfig config = checkpoint.info.config;
    if (config.model != ModelKind::CompGCN)
        throw Error(Errc::InvalidArgument, name + " is not a CompGCN run; completion uses the graph encoder");
    config.device = "cpu";
    GnnTrainer trainer(config, data_);
    loadCheckpoint(checkpoint, name, trainer); // checks every shape
    std::tie(x_, z_) = trainer.states();
    bias_ = trainer.model()->bias.detach().clone();
}

std::vector<QaCompletion::Fact> GnnCompletion::predicted(int64_t entity) const
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = cache_.find(entity); it != cache_.end())
        return it->second;
    std::vector<Fact> out;
    const auto dense = data_.entityIndex.find(entity);
    if (dense != data_.entityIndex.end()) {
        torch::NoGradGuard noGrad;
        const int64_t R = data_.numRelations;
        const auto q = x_[dense->second].unsqueeze(0) * z_.narrow(0, 0, 2 * R); // every relation, both ways
        const auto p = torch::softmax(torch::matmul(q, x_.t()) + bias_, 1);
        const auto [best, at] = p.max(1);
        const auto b = best.accessor<float, 1>();
        const auto a = at.accessor<int64_t, 1>();
        for (int64_t r = 0; r < 2 * R; ++r)
            if (b[r] >= minProbability_)
                out.push_back({data_.relationIds[static_cast<size_t>(r % R)], r >= R,
                               data_.entityIds[static_cast<size_t>(a[r])], b[r]});
    }
    return cache_[entity] = out;
}

} // namespace kg::ml
