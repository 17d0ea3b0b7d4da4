// Secure aggregation's masks (fed/federation.cpp), separate so tests can check them.
#pragma once

#include <torch/torch.h>

#include <string>

namespace kg::fed {

// Adds to `sums` silo `rank`'s share of the pairwise masks for `round`: for each other silo
// j in 1..silos, a N(0, 10²) tensor from a generator seeded by HMAC(salt, pair, round); the
// lower rank of the pair adds it, the higher subtracts it. Summed over all silos the masks
// cancel (up to float rounding); one silo's masked tensor reveals nothing of its rows.
// `part` names which of a round's tensors this is ("" for the rows), so each draws its own masks.
void addPairwiseMasks(torch::Tensor& sums, const std::string& salt, int rank, int silos, int round,
                      const std::string& part = "");

} // namespace kg::fed
