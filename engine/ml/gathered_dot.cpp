#include "ml/gathered_dot.h"

#include <ATen/Parallel.h>

#include "core/error.h"

namespace kg::ml {
namespace {

// Eight running sums, so the compiler can keep them in vector lanes (one running sum is a
// serial chain of dependent adds); the summation order is fixed, whatever the thread count.
inline float dot(const float* a, const float* b, int64_t n)
{
    constexpr int64_t L = 8;
    float acc[L] = {};
    int64_t d = 0;
    for (; d + L <= n; d += L)
        for (int64_t j = 0; j < L; ++j)
            acc[j] += a[d + j] * b[d + j];
    float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (; d < n; ++d)
        s += a[d] * b[d];
    return s;
}

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

class GatheredDot : public torch::autograd::Function<GatheredDot> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& queries, const torch::Tensor& table,
                                 const torch::Tensor& ids)
    {
        ctx->save_for_backward({queries, table, ids});
        const int64_t B = ids.size(0), K = ids.size(1), D = queries.size(1);
        auto out = torch::empty({B, K}, queries.options());
        const float* q = queries.data_ptr<float>();
        const float* t = table.data_ptr<float>();
        const int64_t* id = ids.data_ptr<int64_t>();
        float* o = out.data_ptr<float>();
        at::parallel_for(0, B, 16, [&](int64_t from, int64_t to) {
            for (int64_t b = from; b < to; ++b) {
                const float* qb = q + b * D;
                for (int64_t k = 0; k < K; ++k) {
                    o[b * K + k] = dot(qb, t + id[b * K + k] * D, D);
                }
            }
        });
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto &queries = saved[0], &table = saved[1], &ids = saved[2];
        const auto g = grads[0].contiguous();
        const int64_t B = ids.size(0), K = ids.size(1), D = queries.size(1);
        auto gradQueries = torch::zeros_like(queries);
        auto gradTable = torch::zeros_like(table);
        const float* q = queries.data_ptr<float>();
        const float* t = table.data_ptr<float>();
        const int64_t* id = ids.data_ptr<int64_t>();
        const float* gp = g.data_ptr<float>();
        float* gq = gradQueries.data_ptr<float>();
        float* gt = gradTable.data_ptr<float>();
        // d out[b,k] / d q[b] = table[ids[b,k]]: one query per thread at a time.
        at::parallel_for(0, B, 16, [&](int64_t from, int64_t to) {
            for (int64_t b = from; b < to; ++b) {
                float* out = gq + b * D;
                for (int64_t k = 0; k < K; ++k) {
                    const float w = gp[b * K + k];
                    const float* row = t + id[b * K + k] * D;
                    for (int64_t d = 0; d < D; ++d)
                        out[d] += w * row[d];
                }
            }
        });
        // d out[b,k] / d table[ids[b,k]] = q[b]. Rows repeat across (b, k), so threads split the
        // columns instead: no two threads write one element, and each sums in (b, k) order.
        at::parallel_for(0, D, 8, [&](int64_t from, int64_t to) {
            for (int64_t b = 0; b < B; ++b) {
                const float* qb = q + b * D;
                for (int64_t k = 0; k < K; ++k) {
                    const float w = gp[b * K + k];
                    float* row = gt + id[b * K + k] * D;
                    for (int64_t d = from; d < to; ++d)
                        row[d] += w * qb[d];
                }
            }
        });
        return {gradQueries, gradTable, torch::Tensor()};
    }
};

} // namespace

torch::Tensor gatheredDot(const torch::Tensor& queries, const torch::Tensor& table, const torch::Tensor& ids)
{
    if (queries.dim() != 2 || table.dim() != 2 || ids.dim() != 2 || queries.size(0) != ids.size(0) ||
        queries.size(1) != table.size(1) || ids.scalar_type() != torch::kInt64)
        throw Error(Errc::InvalidArgument, "gatheredDot: expected queries [B, D], table [E, D] and int64 ids [B, K]");
    const bool fast = queries.device().is_cpu() && table.device().is_cpu() && ids.device().is_cpu() &&
                      queries.scalar_type() == torch::kFloat32 && table.scalar_type() == torch::kFloat32 &&
                      table.is_contiguous();
    if (!fast) {
        const auto rows = table.index_select(0, ids.reshape({-1})).view({ids.size(0), ids.size(1), -1});
        return torch::bmm(queries.unsqueeze(1), rows.transpose(1, 2)).squeeze(1);
    }
    if (ids.numel() > 0) { // an id out of range would read outside the table
        const auto [lo, hi] = torch::aminmax(ids);
        if (lo.item<int64_t>() < 0 || hi.item<int64_t>() >= table.size(0))
            throw Error(Errc::InvalidArgument, "gatheredDot: an id lies outside the table");
    }
    return GatheredDot::apply(queries.contiguous(), table, ids.contiguous());
}

} // namespace kg::ml
