#include "ml/fused_rank.h"

#include <algorithm>

#include "core/error.h"

#if defined(KGWB_CUDA)
#include <c10/cuda/CUDAStream.h>
#include "ml/fused_rank_cuda.h"
#endif

namespace kg::ml {

bool fusedRankHasCuda()
{
#if defined(KGWB_CUDA)
    return true;
#else
    return false;
#endif
}

namespace {

// Inputs in the form every path reads: float32, contiguous, int64 ids, the true answers'
// scores (one dot product each) and counters on q's device.
struct RankInputs {
    torch::Tensor q, c, bias, truth, ts, offsets, ids, higher, equal;
    int64_t B = 0, N = 0;
};

RankInputs prepare(const torch::Tensor& qIn, const torch::Tensor& cIn, const torch::Tensor& biasIn,
                   const torch::Tensor& truth, const RankFilterCsr& filter)
{
    RankInputs in;
    in.q = qIn.contiguous().to(torch::kFloat32);
    in.c = cIn.contiguous().to(torch::kFloat32);
    if (biasIn.defined())
        in.bias = biasIn.contiguous().to(torch::kFloat32);
    in.B = in.q.size(0);
    in.N = in.c.size(0);
    if (in.q.dim() != 2 || in.c.dim() != 2 || in.q.size(1) != in.c.size(1) || truth.size(0) != in.B ||
        filter.offsets.size(0) != in.B + 1 || (in.bias.defined() && in.bias.size(0) != in.N))
        throw Error(Errc::InvalidArgument, "fusedFilteredRanks: mismatched shapes");
    const auto dev = in.q.device();
    in.truth = truth.to(dev, torch::kInt64).contiguous();
    in.ts = (in.q * in.c.index_select(0, in.truth)).sum(1);
    if (in.bias.defined())
        in.ts = in.ts + in.bias.index_select(0, in.truth);
    in.offsets = filter.offsets.to(dev).to(torch::kInt64).contiguous();
    in.ids = filter.ids.to(dev).to(torch::kInt64).contiguous();
    in.higher = torch::zeros({in.B}, in.q.options().dtype(torch::kInt64));
    in.equal = torch::zeros({in.B}, in.q.options().dtype(torch::kInt64));
    return in;
}

torch::Tensor ranksOf(const RankInputs& in)
{
    return (1 + in.higher.to(torch::kFloat64) + 0.5 * in.equal.to(torch::kFloat64)).to(torch::kCPU);
}

// Columns per score block: `chunk` on the CPU; on a device at most 64 Mi scores (256 MB), at
// least 4,096 columns.
int64_t columnsPerBlock(const RankInputs& in, int64_t chunk)
{
    if (in.q.is_cpu())
        return std::max<int64_t>(1, chunk);
    return std::min(in.N, std::max<int64_t>(4096, (int64_t(1) << 26) / std::max<int64_t>(1, in.B)));
}

// Scores of candidates from .. from + n - 1 for every query: the block, with the bias added
// when `withBias` (the CUDA kernel adds it itself, in its one pass).
torch::Tensor scoreBlock(const RankInputs& in, int64_t from, int64_t n, bool withBias)
{
    auto s = torch::matmul(in.q, in.c.narrow(0, from, n).t());
    if (withBias && in.bias.defined())
        s += in.bias.narrow(0, from, n);
    return s;
}

// CPU: one pass per row counts higher and equal scores, then takes out the true answer and
// the row's filtered ids that fall in this block.
void countOnCpu(RankInputs& in, int64_t chunk)
{
    const int64_t* off = in.offsets.data_ptr<int64_t>();
    const int64_t* idp = in.ids.numel() > 0 ? in.ids.data_ptr<int64_t>() : nullptr;
    const float* tsp = in.ts.data_ptr<float>();
    const int64_t* tp = in.truth.data_ptr<int64_t>();
    int64_t* hp = in.higher.data_ptr<int64_t>();
    int64_t* ep = in.equal.data_ptr<int64_t>();
    for (int64_t from = 0; from < in.N; from += chunk) {
        const int64_t n = std::min(chunk, in.N - from);
        const auto s = scoreBlock(in, from, n, true).contiguous();
        const float* sp = s.data_ptr<float>();
        at::parallel_for(0, in.B, 8, [&](int64_t b0, int64_t b1) {
            for (int64_t b = b0; b < b1; ++b) {
                const float* row = sp + b * n;
                const float tv = tsp[b];
                int64_t hi = 0, eq = 0;
                for (int64_t j = 0; j < n; ++j) {
                    hi += row[j] > tv;
                    eq += row[j] == tv;
                }
                auto drop = [&](int64_t id) {
                    const int64_t j = id - from;
                    if (j >= 0 && j < n) {
                        hi -= row[j] > tv;
                        eq -= row[j] == tv;
                    }
                };
                drop(tp[b]);
                for (int64_t k = off[b]; k < off[b + 1]; ++k)
                    drop(idp[k]);
                hp[b] += hi;
                ep[b] += eq;
            }
        });
    }
}

// Any device: the same counts with ATen ops; the dropped entries are gathered from the block.
void countWithAten(RankInputs& in, int64_t chunk)
{
    const auto counts = in.offsets.narrow(0, 1, in.B) - in.offsets.narrow(0, 0, in.B);
    const auto arange = torch::arange(in.B, in.offsets.options());
    const auto dropRows = torch::cat({arange, torch::repeat_interleave(arange, counts)});
    const auto dropIds = torch::cat({in.truth, in.ids});
    const auto tsCol = in.ts.unsqueeze(1);
    for (int64_t from = 0; from < in.N; from += chunk) {
        const int64_t n = std::min(chunk, in.N - from);
        const auto s = scoreBlock(in, from, n, true);
        in.higher += s.gt(tsCol).sum(1);
        in.equal += s.eq(tsCol).sum(1);
        const auto inBlock = dropIds.ge(from).logical_and(dropIds.lt(from + n));
        const auto rows = dropRows.masked_select(inBlock);
        const auto v = s.index({rows, dropIds.masked_select(inBlock) - from});
        const auto tv = in.ts.index_select(0, rows);
        in.higher.index_add_(0, rows, -v.gt(tv).to(torch::kInt64));
        in.equal.index_add_(0, rows, -v.eq(tv).to(torch::kInt64));
    }
}

#if defined(KGWB_CUDA)
void countWithKernel(RankInputs& in, int64_t chunk)
{
    const auto stream = c10::cuda::getCurrentCUDAStream(in.q.device().index()).stream();
    for (int64_t from = 0; from < in.N; from += chunk) {
        const int64_t n = std::min(chunk, in.N - from);
        const auto s = scoreBlock(in, from, n, false).contiguous();
        cuda::launchRankCount(s.data_ptr<float>(), in.B, n, from, in.bias.defined() ? in.bias.data_ptr<float>() : nullptr,
                              in.ts.data_ptr<float>(), in.truth.data_ptr<int64_t>(), in.offsets.data_ptr<int64_t>(),
                              in.ids.numel() > 0 ? in.ids.data_ptr<int64_t>() : nullptr,
                              in.higher.data_ptr<int64_t>(), in.equal.data_ptr<int64_t>(), stream);
    }
}
#endif

} // namespace

torch::Tensor fusedFilteredRanks(const torch::Tensor& q, const torch::Tensor& candidates, const torch::Tensor& bias,
                                 const torch::Tensor& truth, const RankFilterCsr& filter, int64_t chunk)
{
    torch::NoGradGuard noGrad;
    auto in = prepare(q, candidates, bias, truth, filter);
    const int64_t columns = columnsPerBlock(in, chunk);
    if (in.q.is_cpu())
        countOnCpu(in, columns);
#if defined(KGWB_CUDA)
    else if (in.q.is_cuda())
        countWithKernel(in, columns);
#endif
    else
        countWithAten(in, columns);
    return ranksOf(in);
}

torch::Tensor atenCountedRanks(const torch::Tensor& q, const torch::Tensor& candidates, const torch::Tensor& bias,
                               const torch::Tensor& truth, const RankFilterCsr& filter, int64_t chunk)
{
    torch::NoGradGuard noGrad;
    auto in = prepare(q, candidates, bias, truth, filter);
    countWithAten(in, columnsPerBlock(in, chunk));
    return ranksOf(in);
}

} // namespace kg::ml
