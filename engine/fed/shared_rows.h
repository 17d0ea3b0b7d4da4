// The rows of a silo's KGE model that a federation averages (fed/federation.h): its entity rows
// (FedE), its relation rows (FedR), or both (FedAvg of the whole model). They travel as one
// table of a single width: relation rows narrower than entity rows (RotatE's phases) are
// zero-padded, and the padding is dropped again on the way back in. Local order: entities
// (dense ids) first, then relations.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "fed/federation.h"
#include "ml/kg_data.h"
#include "ml/kge_model.h"

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
    int64_t width() const { return width_; }

    // Hashes of the shared rows, local order.
    const std::vector<std::string>& hashes() const { return hashes_; }
    // Aggregation weight per row: training triples holding the entity, or using the relation.
    const torch::Tensor& weights() const { return weights_; }

    // The model's shared rows [N, W] (a copy), and writing N rows [N, W] back.
    torch::Tensor read(const ml::KgeModel& model) const;
    void write(const ml::KgeModel& model, const torch::Tensor& rows) const; // into its tables
    // Round 1's common start: rows drawn by the model's own initialiser for all G global rows
    // under `seed` (the same draw in every silo), picked out for this silo's rows.
    torch::Tensor initial(const ml::TrainConfig& config, uint64_t seed, int64_t globalRows,
                          const torch::Tensor& globalIndex) const;

private:
    int64_t entities_ = 0, relations_ = 0; // how many rows of each kind are shared
    int64_t width_ = 0;
    std::vector<std::string> hashes_;
    torch::Tensor weights_;
};

} // namespace kg::fed
