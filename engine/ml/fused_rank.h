// Fused filtered ranking for dot-product scorers (DistMult, ComplEx, the transformer's tied
// output): for queries q [B, D] against candidates C [N, D] (+ bias [N]), the realistic rank
// of each query's true answer, 1 + #higher + #equal / 2, counting only candidates that are not
// filtered (other known answers, as CSR: ids[offsets[b] .. offsets[b+1]) for query b).
// Candidates are scored one block of columns at a time by a GEMM (BLAS on the CPU, cuBLAS on
// a GPU), and one pass over each block counts higher and equal scores and skips the true
// answer and the filtered ids, reading the same block values. No mask and no full [B, N]
// score matrix is written. The pass is a loop on the CPU, a CUDA kernel on a GPU build
// (-DKGWB_CUDA=ON), and ATen ops elsewhere. All give the same ranks when scores are exact
// (tested with integer embeddings); otherwise they may differ at float near-ties.
#pragma once

#include <torch/torch.h>

namespace kg::ml {

struct RankFilterCsr {
    torch::Tensor offsets; // int64 [B + 1]
    torch::Tensor ids;     // int64 [nnz], never the query's true answer
};

// Float64 ranks [B] on the CPU. q, candidates and bias (may be undefined) on one device;
// truth and the filter on any (moved to q's). `chunk` is the block's columns on the CPU; on a
// GPU a block holds at most 64 Mi scores.
torch::Tensor fusedFilteredRanks(const torch::Tensor& q, const torch::Tensor& candidates, const torch::Tensor& bias,
                                 const torch::Tensor& truth, const RankFilterCsr& filter, int64_t chunk = 4096);

// The same counts with ATen ops on any device: the pass of a CUDA LibTorch built without
// KGWB_CUDA, and the reference `kgwb bench` puts the CUDA kernel against.
torch::Tensor atenCountedRanks(const torch::Tensor& q, const torch::Tensor& candidates, const torch::Tensor& bias,
                               const torch::Tensor& truth, const RankFilterCsr& filter, int64_t chunk = 4096);

// Whether this build has the CUDA counting kernel (KGWB_CUDA).
bool fusedRankHasCuda();

} // namespace kg::ml
