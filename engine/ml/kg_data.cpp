#include "ml/kg_data.h"

#include "core/error.h"
#include "store/project.h"
#include "store/sqlite.h"

namespace kg::ml {

KgData KgData::fromProject(Project& project)
{
    KgData d;
    std::vector<int64_t> rows[3];
    project.withDatabase([&](sql::Database& db) {
        auto ents = db.prepare("SELECT id FROM entities ORDER BY id");
        while (ents.step()) {
            d.entityIndex.emplace(ents.int64(0), static_cast<int64_t>(d.entityIds.size()));
            d.entityIds.push_back(ents.int64(0));
        }
        auto rels = db.prepare("SELECT id FROM relations ORDER BY id");
        while (rels.step()) {
            d.relationIndex.emplace(rels.int64(0), static_cast<int64_t>(d.relationIds.size()));
            d.relationIds.push_back(rels.int64(0));
        }
        auto st = db.prepare("SELECT head, rel, tail, split, id FROM triples ORDER BY id");
        while (st.step()) {
            const int64_t split = st.int64(3);
            if (split < 1 || split > 3)
                continue;
            if (split == 1)
                d.trainIds.push_back(st.int64(4));
            auto& out = rows[split - 1];
            out.push_back(d.entityIndex.at(st.int64(0)));
            out.push_back(d.relationIndex.at(st.int64(1)));
            out.push_back(d.entityIndex.at(st.int64(2)));
        }
    });
    d.numEntities = static_cast<int64_t>(d.entityIds.size());
    d.numRelations = static_cast<int64_t>(d.relationIds.size());
    auto toTensor = [](std::vector<int64_t>& v) {
        return torch::from_blob(v.data(), {static_cast<int64_t>(v.size() / 3), 3}, torch::kInt64).clone();
    };
    d.train = toTensor(rows[0]);
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

} // namespace kg::ml
