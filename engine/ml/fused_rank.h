// Fused filtered ranking for dot-product scorers (DistMult, ComplEx, the transformer's tied
// output): for queries q [B, D] against candidates C [N, D] (+ bias [N]), the realistic rank
// of each query's true answer, 1 + #higher + #equal / 2, counting only candidates that are not
// filtered (other known answers, as CSR: ids[offsets[b] .. offsets[b+1]) for query b).
// It never materialises a [B, N] score matrix or mask: candidates are scored in chunks and
// only counts are kept (CPU), or one CUDA kernel scores and counts tiles in shared memory
// (built with -DKGWB_CUDA=ON). Both paths give the same ranks when scores are exact (tested
// with integer embeddings); otherwise they may differ at float near-ties.
#pragma once

#include <torch/torch.h>

namespace kg::ml {

struct RankFilterCsr {
    torch::Tensor offsets; // int64 [B + 1]
    torch::Tensor ids;     // int64 [nnz], never the query's true answer
};

// Float64 ranks [B]. q, candidates, bias (may be undefined) and truth on one device.
torch::Tensor fusedFilteredRanks(const torch::Tensor& q, const torch::Tensor& candidates, const torch::Tensor& bias,
                                 const torch::Tensor& truth, const RankFilterCsr& filter, int64_t chunk = 4096);

// Whether this build has the CUDA kernel (KGWB_CUDA).
bool fusedRankHasCuda();

} // namespace kg::ml
