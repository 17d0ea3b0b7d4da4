// Host entry of the CUDA counting kernel (fused_rank.cu); raw pointers only, so nvcc never
// sees the torch headers. See ml/fused_rank.h for the contract.
#pragma once

#include <cstdint>

struct CUstream_st;

namespace kg::ml::cuda {

// For a block of scores s [B, n] (row-major, candidates from .. from + n - 1, without bias):
// adds to higher[b] / equal[b] the candidates whose score s[b][j] + bias[from + j] is above /
// exactly ts[b], leaving out truth[b] and the ids in ids[offsets[b] .. offsets[b + 1]).
// bias may be null. Every pointer is device memory; the launch goes on `stream`.
void launchRankCount(const float* s, int64_t B, int64_t n, int64_t from, const float* bias, const float* ts,
                     const int64_t* truth, const int64_t* offsets, const int64_t* ids, int64_t* higher,
                     int64_t* equal, CUstream_st* stream);

} // namespace kg::ml::cuda
