#include "ml/kg_data.h"

#include "core/error.h"
#include "store/project.h"

#include <limits>
#include <type_traits>

namespace kg::ml {

KgData KgData::fromProject(Project& project, Load load)
{
    const bool tripleIds = load.tripleIds;
    KgData d;
    // Sized from the counts up front, and handed to the tensors without a copy: at 20M
    // triples, growing vectors and cloning them cost about 1 GB of peak memory.
    const ProjectStats counts = project.stats();
    std::vector<int64_t> rows[3];
    std::vector<int32_t> compact; // train, when load.compactTrain
    const bool small = load.compactTrain && counts.entities <= std::numeric_limits<int32_t>::max() &&
                       counts.relations <= std::numeric_limits<int32_t>::max();
    if (small)
        compact.reserve(static_cast<size_t>(counts.train) * 3);
    else
        rows[0].reserve(static_cast<size_t>(counts.train) * 3);
    rows[1].reserve(static_cast<size_t>(counts.valid) * 3);
    rows[2].reserve(static_cast<size_t>(counts.test) * 3);
    if (tripleIds)
        d.trainIds.reserve(static_cast<size_t>(counts.train));
    d.entityIds.reserve(static_cast<size_t>(counts.entities));
    d.entityIndex.reserve(static_cast<size_t>(counts.entities));
    project.scanGraph(
        [&](int64_t id) {
            d.entityIndex.emplace(id, static_cast<int64_t>(d.entityIds.size()));
            d.entityIds.push_back(id);
        },
        [&](int64_t id) {
            d.relationIndex.emplace(id, static_cast<int64_t>(d.relationIds.size()));
            d.relationIds.push_back(id);
        },
        [&](const TripleRecord& t) {
            const auto split = static_cast<int>(t.split);
            if (split < 1 || split > 3)
                return;
            if (tripleIds && t.split == Split::Train)
                d.trainIds.push_back(t.id);
            const int64_t h = d.entityIndex.at(t.head), r = d.relationIndex.at(t.rel), tl = d.entityIndex.at(t.tail);
            if (small && t.split == Split::Train) {
                compact.insert(compact.end(), {static_cast<int32_t>(h), static_cast<int32_t>(r), static_cast<int32_t>(tl)});
                return;
            }
            auto& out = rows[split - 1];
            out.insert(out.end(), {h, r, tl});
        });
    d.numEntities = static_cast<int64_t>(d.entityIds.size());
    d.numRelations = static_cast<int64_t>(d.relationIds.size());
    auto toTensor = [](auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        const auto type = std::is_same_v<T, int32_t> ? torch::kInt32 : torch::kInt64;
        if (v.empty())
            return torch::zeros({0, 3}, type);
        auto* owned = new std::vector<T>(std::move(v)); // freed with the tensor's storage
        return torch::from_blob(
            owned->data(), {static_cast<int64_t>(owned->size() / 3), 3}, [owned](void*) { delete owned; }, type);
    };
    d.train = small ? toTensor(compact) : toTensor(rows[0]);
    d.valid = toTensor(rows[1]);
    d.test = toTensor(rows[2]);
    if (d.train.size(0) == 0)
        throw Error(Errc::InvalidArgument, "the project has no training triples");
    return d;
}

KgData KgData::fromTensors(int64_t numEntities, int64_t numRelations, torch::Tensor train,
                           torch::Tensor valid, torch::Tensor test)
{
    KgData d;
    d.numEntities = numEntities;
    d.numRelations = numRelations;
    d.train = std::move(train);
    d.valid = std::move(valid);
    d.test = std::move(test);
    for (int64_t i = 0; i < numEntities; ++i) {
        d.entityIds.push_back(i);
        d.entityIndex.emplace(i, i);
    }
    for (int64_t i = 0; i < numRelations; ++i) {
        d.relationIds.push_back(i);
        d.relationIndex.emplace(i, i);
    }
    return d;
}

std::pair<int64_t, int64_t> KgData::denseQuery(int64_t head, int64_t relation) const
{
    const auto h = entityIndex.find(head);
    const auto r = relationIndex.find(relation);
    if (h == entityIndex.end() || r == relationIndex.end())
        throw Error(Errc::NotFound, "the model does not know this entity or relation");
    return {h->second, r->second};
}

int64_t KgData::denseAnswer(int64_t entity) const
{
    const auto it = entityIndex.find(entity);
    if (it == entityIndex.end())
        throw Error(Errc::NotFound, "unknown answer entity");
    return it->second;
}

} // namespace kg::ml
