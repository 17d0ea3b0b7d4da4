// The rows of a silo's model that a federation averages (fed/federation.h): its entity rows
// (FedE), its relation rows (FedR), or both (FedAvg of the whole model), as fed/fed_model.h
// defines them per model. They travel as one table of a single width: rows narrower than the
// other kind (RotatE's phases; entity rows beside the transformer's two-direction relation
// rows) are zero-padded, and the padding is dropped again on the way back in. Local order:
// entities (dense ids) first, then relations.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "fed/fed_model.h"
#include "fed/federation.h"
#include "ml/kg_data.h"

namespace kg::fed {

// Salted hash of a relation key: HMAC(salt, US "relation" US key), so a relation never shares
// a hash with an entity of the same key when both kinds are shared.
std::string relationHashBytes(const std::string& salt, const std::string& key);
std::string entityHashBytes(const std::string& salt, const std::string& key);

class SharedRows {
public:
    // entityHashes / relationHashes: 32-byte hashes in dense order (data.entityIds, relationIds).
    SharedRows(FedShare share, const ml::TrainConfig& config, const ml::KgData& data,
               const std::vector<std::string>& entityHashes, const std::vector<std::string>& relationHashes);

    // The table's width for this model and choice (the coordinator calls it too).
    static int64_t width(const ml::TrainConfig& config, FedShare share);
    static int64_t width(const FedModel& model, FedShare share);
    int64_t width() const { return width_; }

    // Hashes of the shared rows, local order.
    const std::vector<std::string>& hashes() const { return hashes_; }
    // Aggregation weight per row: training triples holding the entity, or using the relation.
    const torch::Tensor& weights() const { return weights_; }

    // The model's shared rows [N, W] (a copy), and writing N rows [N, W] back.
    torch::Tensor read(const FedModel& model) const;
    void write(FedModel& model, const torch::Tensor& rows) const; // into its parameters
    // Round 1's common start: this silo's rows picked out of `draw`, a model drawn with G
    // entity and G relation rows under the federation's seed (the same draw in every silo),
    // by their global rows.
    torch::Tensor initial(const FedModel& draw, const torch::Tensor& globalIndex) const;

private:
    int64_t entities_ = 0, relations_ = 0; // how many rows of each kind are shared
    int64_t width_ = 0;
    std::vector<std::string> hashes_;
    torch::Tensor weights_;
};

} // namespace kg::fed
