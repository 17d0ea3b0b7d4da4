#include "fed/shared_rows.h"

#include "fed/entity_hash.h"

namespace kg::fed {
namespace {

std::string asBytes(const EntityHash& h) { return std::string(reinterpret_cast<const char*>(h.data()), h.size()); }

// rows [N, w] padded with zero columns to [N, width].
torch::Tensor padded(const torch::Tensor& rows, int64_t width)
{
    if (rows.size(1) == width)
        return rows;
    return torch::cat({rows, torch::zeros({rows.size(0), width - rows.size(1)}, rows.options())}, 1);
}

} // namespace

std::string entityHashBytes(const std::string& salt, const std::string& key) { return asBytes(entityHash(salt, key)); }

std::string relationHashBytes(const std::string& salt, const std::string& key)
{
    return asBytes(entityHash(salt, "\x1f" "relation" "\x1f" + key));
}

SharedRows::SharedRows(FedShare share, const ml::TrainConfig& config, const ml::KgData& data,
                       const std::vector<std::string>& entityHashes, const std::vector<std::string>& relationHashes)
    : width_(width(config, share))
{
    const auto ones = torch::ones({data.train.size(0)});
    std::vector<torch::Tensor> weights;
    if (share != FedShare::Relations) {
        entities_ = data.numEntities;
        hashes_.insert(hashes_.end(), entityHashes.begin(), entityHashes.end());
        weights.push_back(torch::zeros({data.numEntities})
                              .index_add_(0, data.train.select(1, 0), ones)
                              .index_add_(0, data.train.select(1, 2), ones));
    }
    if (share != FedShare::Entities) {
        relations_ = data.numRelations;
        hashes_.insert(hashes_.end(), relationHashes.begin(), relationHashes.end());
        weights.push_back(torch::zeros({data.numRelations}).index_add_(0, data.train.select(1, 1), ones));
    }
    weights_ = torch::cat(weights);
}

int64_t SharedRows::width(const ml::TrainConfig& config, FedShare share)
{
    return width(FedModel::draw(config, 1, 1), share);
}

int64_t SharedRows::width(const FedModel& model, FedShare share)
{
    const int64_t e = model.entityWidth(), r = model.relationWidth();
    return share == FedShare::Entities ? e : share == FedShare::Relations ? r : std::max(e, r);
}

torch::Tensor SharedRows::read(const FedModel& model) const
{
    std::vector<torch::Tensor> parts;
    if (entities_ > 0)
        parts.push_back(padded(model.entities(), width_));
    if (relations_ > 0)
        parts.push_back(padded(model.relations(), width_));
    return torch::cat(parts);
}

void SharedRows::write(FedModel& model, const torch::Tensor& rows) const
{
    if (entities_ > 0)
        model.setEntities(rows.narrow(0, 0, entities_).narrow(1, 0, model.entityWidth()));
    if (relations_ > 0)
        model.setRelations(rows.narrow(0, entities_, relations_).narrow(1, 0, model.relationWidth()));
}

torch::Tensor SharedRows::initial(const FedModel& draw, const torch::Tensor& globalIndex) const
{
    // Each global row takes the kind it holds from the draw's G rows of that kind.
    std::vector<torch::Tensor> parts;
    if (entities_ > 0)
        parts.push_back(padded(draw.entities().index_select(0, globalIndex.narrow(0, 0, entities_)), width_));
    if (relations_ > 0)
        parts.push_back(padded(draw.relations().index_select(0, globalIndex.narrow(0, entities_, relations_)), width_));
    return torch::cat(parts);
}

} // namespace kg::fed
