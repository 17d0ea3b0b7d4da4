#include "ml/gnn_explain.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/gnn_trainer.h"
#include "ml/kg_data.h"
#include "ml/occlusion_search.h"

namespace kg::ml {

struct GnnModel::Impl {
    KgData data;
    std::unique_ptr<GnnTrainer> trainer;
    std::unique_ptr<FilterIndex> filter;
    torch::Tensor train; // int64 [N, 3]

    // Scores of every entity for (h, r, ?) with the train graph less `removedRows` [E].
    torch::Tensor scores(int64_t h, int64_t r, const std::vector<int64_t>& removedRows) const
    {
        torch::NoGradGuard noGrad;
        auto model = trainer->model();
        torch::Tensor x, z;
        if (removedRows.empty()) {
            std::tie(x, z) = trainer->states(); // the trainer's own train graph, built once
        } else {
            auto keep = torch::ones({train.size(0)}, torch::kBool);
            keep.index_put_({torch::tensor(removedRows, torch::kInt64)}, false);
            model->eval();
            std::tie(x, z) = model->encode(GnnGraph::fromTriples(train.index({keep}), data.numEntities, data.numRelations));
        }
        const auto q = CompGcnImpl::query(x, z, torch::tensor({h}, torch::kInt64), torch::tensor({r}, torch::kInt64));
        return (torch::matmul(q, x.t()) + model->bias).squeeze(0);
    }
    // Filtered rank (1 + known-tail-free entities scored higher) and score of answer a.
    std::pair<double, double> rankOf(const torch::Tensor& s, int64_t h, int64_t r, int64_t a) const
    {
        auto masked = s.clone();
        for (const int64_t known : filter->tails(h, r))
            if (known != a)
                masked[known] = -std::numeric_limits<float>::infinity();
        const double score = s[a].item<double>();
        return {1.0 + masked.gt(score).sum().item<double>(), score};
    }
};

GnnModel::GnnModel() : impl_(std::make_unique<Impl>()) {}
GnnModel::~GnnModel() = default;

std::unique_ptr<GnnModel> GnnModel::fromBytes(Project& project, const std::string& bytes, const std::string& name)
{
    TrainConfig config = checkpointInfoFromBytes(bytes, name).config;
    if (config.model != ModelKind::CompGCN)
        throw Error(Errc::InvalidArgument, name + " is not a CompGCN run");
    config.device = "cpu";
    std::unique_ptr<GnnModel> m(new GnnModel);
    m->impl_->data = KgData::fromProject(project);
    m->impl_->trainer = std::make_unique<GnnTrainer>(config, m->impl_->data);
    loadCheckpointBytes(bytes, name, *m->impl_->trainer); // checks every shape
    m->impl_->filter = std::make_unique<FilterIndex>(m->impl_->data);
    m->impl_->train = m->impl_->data.trainInt64();
    return m;
}

std::vector<std::pair<int64_t, double>> GnnModel::rankTails(int64_t head, int64_t relation, int k)
{
    const auto [h, r] = impl_->data.denseQuery(head, relation);
    const auto s = impl_->scores(h, r, {});
    const auto top = s.topk(std::min<int64_t>(k, s.size(0)));
    std::vector<std::pair<int64_t, double>> out;
    for (int64_t i = 0; i < std::get<0>(top).size(0); ++i)
        out.emplace_back(impl_->data.entityIds[static_cast<size_t>(std::get<1>(top)[i].item<int64_t>())],
                         std::get<0>(top)[i].item<double>());
    return out;
}

NecessaryExplanation GnnModel::necessary(int64_t head, int64_t relation, int64_t answer,
                                         const FactSearchOptions& options, const CancelToken* cancel)
{
    const auto start = std::chrono::steady_clock::now();
    auto& m = *impl_;
    const auto [h, r] = m.data.denseQuery(head, relation);
    const auto it = m.data.entityIndex.find(answer);
    if (it == m.data.entityIndex.end())
        throw Error(Errc::NotFound, "unknown answer entity");
    const int64_t a = it->second;
    // The head's training facts (either end), as rows of train.
    const auto rows = torch::nonzero(m.train.select(1, 0).eq(h).logical_or(m.train.select(1, 2).eq(h))).view({-1});
    std::vector<int64_t> facts(rows.data_ptr<int64_t>(), rows.data_ptr<int64_t>() + rows.numel());
    const size_t cap = static_cast<size_t>(std::max(1, options.candidates) * 4);
    const auto full = m.scores(h, r, {});
    if (facts.size() > cap) { // a hub: the facts whose other entity the answer resembles most
        torch::NoGradGuard noGrad;
        const auto x = m.trainer->states().first;
        std::vector<std::pair<double, int64_t>> near;
        for (const int64_t row : facts) {
            const int64_t other = m.train[row][0].item<int64_t>() == h ? m.train[row][2].item<int64_t>()
                                                                        : m.train[row][0].item<int64_t>();
            near.emplace_back(-torch::dot(x[other], x[a]).item<double>(), row);
        }
        std::stable_sort(near.begin(), near.end());
        facts.clear();
        for (size_t i = 0; i < cap; ++i)
            facts.push_back(near[i].second);
    }
    const double before = full[a].item<double>();
    std::map<int64_t, int64_t> rowOf; // project triple id -> train row
    std::map<int64_t, std::pair<double, double>> alone;
    std::vector<SupportingFact> support;
    for (const int64_t row : facts) {
        if (cancel)
            cancel->throwIfCancelled();
        const auto s = m.scores(h, r, {row});
        const auto ranked = m.rankOf(s, h, r, a);
        const int64_t triple = m.data.trainIds.at(static_cast<size_t>(row));
        rowOf[triple] = row;
        alone[triple] = ranked;
        if (before - ranked.second > 0) {
            const auto t = m.train[row];
            support.push_back({FactRef{triple, m.data.entityIds[static_cast<size_t>(t[0].item<int64_t>())],
                                       m.data.relationIds[static_cast<size_t>(t[1].item<int64_t>())],
                                       m.data.entityIds[static_cast<size_t>(t[2].item<int64_t>())]},
                               before - ranked.second});
        }
    }
    std::stable_sort(support.begin(), support.end(), [](const auto& x, const auto& y) { return x.occlusion > y.occlusion; });
    auto out = occlusionNecessary(
        support, options.candidates, options.maxSize, static_cast<int>(rows.numel()),
        [&](const std::vector<std::vector<int64_t>>& sets) {
            std::vector<std::pair<double, double>> out;
            for (const auto& set : sets) {
                if (cancel)
                    cancel->throwIfCancelled();
                if (set.empty()) {
                    out.push_back(m.rankOf(full, h, r, a));
                } else if (set.size() == 1) {
                    out.push_back(alone.at(set[0])); // measured above
                } else {
                    std::vector<int64_t> removed;
                    for (const int64_t triple : set)
                        removed.push_back(rowOf.at(triple));
                    out.push_back(m.rankOf(m.scores(h, r, removed), h, r, a));
                }
            }
            return out;
        },
        cancel);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

} // namespace kg::ml
