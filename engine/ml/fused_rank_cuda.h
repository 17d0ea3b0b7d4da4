// Host entry of the fused ranking kernel (fused_rank.cu); raw pointers only, so nvcc never
// sees the torch headers. See ml/fused_rank.h for the contract.
#pragma once

#include <cstdint>

struct CUstream_st;

namespace kg::ml::cuda {

// Adds to higher[b] / equal[b] the candidates n != truth[b] scoring above / exactly at ts[b].
void launchRankCount(const float* q, const float* candidates, const float* bias, const float* ts, const int64_t* truth,
                     int64_t B, int64_t N, int64_t D, int64_t* higher, int64_t* equal, CUstream_st* stream);

} // namespace kg::ml::cuda
