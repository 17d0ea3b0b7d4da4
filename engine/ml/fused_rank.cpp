#include "ml/fused_rank.h"

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

torch::Tensor fusedFilteredRanks(const torch::Tensor& qIn, const torch::Tensor& cIn, const torch::Tensor& biasIn,
                                 const torch::Tensor& truth, const RankFilterCsr& filter, int64_t chunk)
{
    torch::NoGradGuard noGrad;
    const auto q = qIn.contiguous().to(torch::kFloat32);
    const auto c = cIn.contiguous().to(torch::kFloat32);
    const bool hasBias = biasIn.defined();
    const auto bias = hasBias ? biasIn.contiguous().to(torch::kFloat32) : torch::Tensor();
    const int64_t B = q.size(0), N = c.size(0);
    if (q.dim() != 2 || c.dim() != 2 || q.size(1) != c.size(1) || truth.size(0) != B ||
        filter.offsets.size(0) != B + 1)
        throw Error(Errc::InvalidArgument, "fusedFilteredRanks: mismatched shapes");
    const auto t = truth.to(torch::kInt64);
    // The true answers' scores, and the filtered candidates' scores (nnz dot products).
    const auto ts = (q * c.index_select(0, t)).sum(1) + (hasBias ? bias.index_select(0, t) : torch::zeros({B}, q.options()));
    torch::Tensor higher, equal;
#if defined(KGWB_CUDA)
    if (q.is_cuda()) {
        higher = torch::zeros({B}, q.options().dtype(torch::kInt64));
        equal = torch::zeros({B}, q.options().dtype(torch::kInt64));
        cuda::launchRankCount(q.data_ptr<float>(), c.data_ptr<float>(), hasBias ? bias.data_ptr<float>() : nullptr,
                              ts.data_ptr<float>(), t.data_ptr<int64_t>(), B, N, q.size(1),
                              higher.data_ptr<int64_t>(), equal.data_ptr<int64_t>(),
                              c10::cuda::getCurrentCUDAStream().stream());
    }
#endif
    if (!higher.defined()) {
        higher = torch::zeros({B}, torch::TensorOptions().dtype(torch::kInt64).device(q.device()));
        equal = torch::zeros_like(higher);
        const auto cols = torch::arange(N, higher.options());
        for (int64_t from = 0; from < N; from += chunk) {
            const int64_t n = std::min(chunk, N - from);
            auto s = torch::matmul(q, c.narrow(0, from, n).t()); // [B, chunk]: the only score block
            if (hasBias)
                s = s + bias.narrow(0, from, n);
            const auto self = cols.narrow(0, from, n).unsqueeze(0).eq(t.unsqueeze(1)); // the true answer
            const auto tsCol = ts.unsqueeze(1);
            higher += (s.gt(tsCol) & ~self).sum(1);
            equal += (s.eq(tsCol) & ~self).sum(1);
        }
    }
    // Filtered candidates do not count: subtract the ones counted above.
    if (filter.ids.numel() > 0) {
        const auto ids = filter.ids.to(q.device());
        const auto counts = (filter.offsets.narrow(0, 1, B) - filter.offsets.narrow(0, 0, B)).to(q.device());
        const auto rows = torch::repeat_interleave(torch::arange(B, counts.options()), counts);
        auto fs = (q.index_select(0, rows) * c.index_select(0, ids)).sum(1);
        if (hasBias)
            fs = fs + bias.index_select(0, ids);
        const auto tsr = ts.index_select(0, rows);
        higher.index_add_(0, rows, -fs.gt(tsr).to(torch::kInt64));
        equal.index_add_(0, rows, -fs.eq(tsr).to(torch::kInt64));
    }
    return (1 + higher.to(torch::kFloat64) + 0.5 * equal.to(torch::kFloat64)).to(torch::kCPU);
}

} // namespace kg::ml
