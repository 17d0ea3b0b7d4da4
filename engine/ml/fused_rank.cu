// Fused filtered-ranking kernel: each 32x32 block scores 32 queries against 32 candidates with
// the dot products tiled through shared memory (like a GEMM tile), compares each score with
// its query's true-answer score, and accumulates per-query counts in shared memory; one
// atomic add per query and block goes to global memory. No [B, N] matrix is written.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "ml/fused_rank_cuda.h"

namespace kg::ml::cuda {
namespace {

constexpr int kTile = 32;

__global__ void rankCountKernel(const float* __restrict__ q, const float* __restrict__ c, const float* __restrict__ bias,
                                const float* __restrict__ ts, const int64_t* __restrict__ truth, int64_t B, int64_t N,
                                int64_t D, unsigned long long* higher, unsigned long long* equal)
{
    __shared__ float qt[kTile][kTile + 1];
    __shared__ float ct[kTile][kTile + 1];
    __shared__ unsigned int hi[kTile], eq[kTile];
    const int tx = threadIdx.x, ty = threadIdx.y; // tx: candidate in tile, ty: query in tile
    const int64_t b = static_cast<int64_t>(blockIdx.y) * kTile + ty;
    const int64_t n = static_cast<int64_t>(blockIdx.x) * kTile + tx;
    if (tx == 0) {
        hi[ty] = 0;
        eq[ty] = 0;
    }
    float acc = 0.f;
    for (int64_t d0 = 0; d0 < D; d0 += kTile) {
        // Load a 32x32 slice of the query tile and of the candidate tile (coalesced along D).
        const int64_t qb = static_cast<int64_t>(blockIdx.y) * kTile + ty;
        const int64_t cn = static_cast<int64_t>(blockIdx.x) * kTile + ty;
        qt[ty][tx] = (qb < B && d0 + tx < D) ? q[qb * D + d0 + tx] : 0.f;
        ct[ty][tx] = (cn < N && d0 + tx < D) ? c[cn * D + d0 + tx] : 0.f;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < kTile; ++k)
            acc += qt[ty][k] * ct[tx][k];
        __syncthreads();
    }
    if (b < B && n < N && n != truth[b]) {
        const float s = acc + (bias ? bias[n] : 0.f);
        const float t = ts[b];
        if (s > t)
            atomicAdd(&hi[ty], 1u);
        else if (s == t)
            atomicAdd(&eq[ty], 1u);
    }
    __syncthreads();
    if (tx == 0 && b < B) {
        if (hi[ty])
            atomicAdd(&higher[b], static_cast<unsigned long long>(hi[ty]));
        if (eq[ty])
            atomicAdd(&equal[b], static_cast<unsigned long long>(eq[ty]));
    }
}

} // namespace

void launchRankCount(const float* q, const float* candidates, const float* bias, const float* ts, const int64_t* truth,
                     int64_t B, int64_t N, int64_t D, int64_t* higher, int64_t* equal, CUstream_st* stream)
{
    const dim3 block(kTile, kTile);
    const dim3 grid(static_cast<unsigned>((N + kTile - 1) / kTile), static_cast<unsigned>((B + kTile - 1) / kTile));
    rankCountKernel<<<grid, block, 0, stream>>>(q, candidates, bias, ts, truth, B, N, D,
                                                reinterpret_cast<unsigned long long*>(higher),
                                                reinterpret_cast<unsigned long long*>(equal));
    const cudaError_t err = cudaGetLastError();
    if (err != cudaSuccess)
        throw std::runtime_error(std::string("fused ranking kernel: ") + cudaGetErrorString(err));
}

} // namespace kg::ml::cuda
