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
    // The true answers' scores (one dot product each).
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
    if (higher.defined()) { // the kernel counted every candidate: take the filtered ones out
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
    } else {
        // CPU: one GEMM per block of candidates, then one pass per row that counts higher and
        // equal scores and skips the true answer and the row's filtered ids in that block.
        higher = torch::zeros({B}, torch::kInt64);
        equal = torch::zeros({B}, torch::kInt64);
        const auto offsets = filter.offsets.to(torch::kCPU).to(torch::kInt64).contiguous();
        const auto ids = filter.ids.to(torch::kCPU).to(torch::kInt64).contiguous();
        const auto tsCpu = ts.to(torch::kCPU).contiguous();
        const auto tCpu = t.to(torch::kCPU).contiguous();
        const int64_t* off = offsets.data_ptr<int64_t>();
        const int64_t* idp = ids.numel() > 0 ? ids.data_ptr<int64_t>() : nullptr;
        const float* tsp = tsCpu.data_ptr<float>();
        const int64_t* tp = tCpu.data_ptr<int64_t>();
        int64_t* hp = higher.data_ptr<int64_t>();
        int64_t* ep = equal.data_ptr<int64_t>();
        for (int64_t from = 0; from < N; from += chunk) {
            const int64_t n = std::min(chunk, N - from);
            auto s = torch::matmul(q, c.narrow(0, from, n).t()); // [B, n]: the only score block
            if (hasBias)
                s += bias.narrow(0, from, n);
            s = s.to(torch::kCPU).contiguous(); // (a copy only on a device without the kernel)
            const float* sp = s.data_ptr<float>();
            at::parallel_for(0, B, 8, [&](int64_t b0, int64_t b1) {
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
    return (1 + higher.to(torch::kFloat64) + 0.5 * equal.to(torch::kFloat64)).to(torch::kCPU);
}

} // namespace kg::ml
