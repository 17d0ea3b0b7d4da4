// Counting pass of the fused filtered ranking on a GPU: one block per query row reads its row
// of a score block once (the GEMM before it is cuBLAS's), counts scores above and at the true
// answer's, and takes out the true answer and the row's filtered ids, reading the same values.
// Replaces ATen's compare, cast and sum passes and its gather for the filtered ids.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "ml/fused_rank_cuda.h"

namespace kg::ml::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;

__device__ int warpSum(int v)
{
    for (int o = 16; o > 0; o >>= 1)
        v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}

__global__ void rankCountKernel(const float* __restrict__ s, int64_t n, int64_t from, const float* __restrict__ bias,
                                const float* __restrict__ ts, const int64_t* __restrict__ truth,
                                const int64_t* __restrict__ offsets, const int64_t* __restrict__ ids,
                                long long* higher, long long* equal)
{
    const int64_t b = blockIdx.x;
    const float* row = s + b * n;
    const float t = ts[b];
    // Each thread's counts stay below n / kThreads + the row's filtered ids: int is enough
    // for any block that fits in memory.
    int hi = 0, eq = 0;
    for (int64_t j = threadIdx.x; j < n; j += kThreads) {
        const float v = row[j] + (bias ? bias[from + j] : 0.f);
        hi += v > t;
        eq += v == t;
    }
    // Position k0 - 1 stands for the true answer, then the filtered ids.
    const int64_t k0 = offsets[b], k1 = offsets[b + 1];
    for (int64_t k = k0 - 1 + threadIdx.x; k < k1; k += kThreads) {
        const int64_t j = (k < k0 ? truth[b] : ids[k]) - from;
        if (j >= 0 && j < n) {
            const float v = row[j] + (bias ? bias[from + j] : 0.f);
            hi -= v > t;
            eq -= v == t;
        }
    }
    __shared__ int his[kWarps], eqs[kWarps];
    hi = warpSum(hi);
    eq = warpSum(eq);
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    if (lane == 0) {
        his[warp] = hi;
        eqs[warp] = eq;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        long long H = 0, E = 0;
        for (int w = 0; w < kWarps; ++w) {
            H += his[w];
            E += eqs[w];
        }
        // One block per row and launches in stream order: no other writer of this row.
        higher[b] += H;
        equal[b] += E;
    }
}

} // namespace

void launchRankCount(const float* s, int64_t B, int64_t n, int64_t from, const float* bias, const float* ts,
                     const int64_t* truth, const int64_t* offsets, const int64_t* ids, int64_t* higher,
                     int64_t* equal, CUstream_st* stream)
{
    if (B == 0 || n == 0)
        return;
    if (B > 0x7fffffffLL)
        throw std::runtime_error("fused ranking kernel: more than 2^31 queries in one call");
    rankCountKernel<<<static_cast<unsigned>(B), kThreads, 0, stream>>>(
        s, n, from, bias, ts, truth, offsets, ids, reinterpret_cast<long long*>(higher),
        reinterpret_cast<long long*>(equal));
    const cudaError_t err = cudaGetLastError();
    if (err != cudaSuccess)
        throw std::runtime_error(std::string("fused ranking kernel: ") + cudaGetErrorString(err));
}

} // namespace kg::ml::cuda
