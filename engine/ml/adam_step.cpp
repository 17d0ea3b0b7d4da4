#include "ml/adam_step.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <memory>

#include "ml/torch_compat.h"

namespace kg::ml {

namespace {

bool fusable(const torch::optim::Adam& adam)
{
    for (const auto& group : adam.param_groups()) {
        if (static_cast<const torch::optim::AdamOptions&>(group.options()).amsgrad())
            return false;
        for (const auto& p : group.params()) {
            const auto& g = p.grad();
            if (g.defined() && (!p.device().is_cpu() || p.scalar_type() != torch::kFloat32 || !p.is_contiguous() ||
                                g.is_sparse() || g.scalar_type() != torch::kFloat32 || !g.is_contiguous()))
                return false;
        }
    }
    return true;
}

} // namespace

void adamStep(torch::optim::Adam& adam)
{
    if (!fusable(adam)) {
        adam.step();
        return;
    }
    torch::NoGradGuard noGrad;
    for (auto& group : adam.param_groups()) {
        const auto& o = static_cast<const torch::optim::AdamOptions&>(group.options());
        const float b1 = static_cast<float>(std::get<0>(o.betas())), b2 = static_cast<float>(std::get<1>(o.betas()));
        const float eps = static_cast<float>(o.eps()), decay = static_cast<float>(o.weight_decay());
        for (auto& p : group.params()) {
            if (!p.grad().defined())
                continue;
            auto& slot = adam.state()[compat::optimizerStateKey(adam, p)];
            if (!slot) { // as torch's Adam initialises its state
                auto fresh = std::make_unique<torch::optim::AdamParamState>();
                fresh->step(0);
                fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                slot = std::move(fresh);
            }
            auto& state = static_cast<torch::optim::AdamParamState&>(*slot);
            state.step(state.step() + 1);
            const double step = static_cast<double>(state.step());
            const float stepSize = static_cast<float>(o.lr() / (1 - std::pow(std::get<0>(o.betas()), step)));
            const float correction2 = static_cast<float>(std::sqrt(1 - std::pow(std::get<1>(o.betas()), step)));
            float* w = p.data_ptr<float>();
            const float* g = p.grad().data_ptr<float>();
            float* m = state.exp_avg().data_ptr<float>();
            float* v = state.exp_avg_sq().data_ptr<float>();
            at::parallel_for(0, p.numel(), 1 << 14, [&](int64_t from, int64_t to) {
                for (int64_t i = from; i < to; ++i) {
                    const float gi = decay != 0 ? g[i] + decay * w[i] : g[i];
                    m[i] = m[i] * b1 + (1 - b1) * gi;
                    v[i] = v[i] * b2 + (1 - b2) * gi * gi;
                    w[i] -= stepSize * m[i] / (std::sqrt(v[i]) / correction2 + eps);
                }
            });
        }
    }
}

void stepOptimizer(torch::optim::Optimizer& optimizer)
{
    if (auto* adam = dynamic_cast<torch::optim::Adam*>(&optimizer))
        adamStep(*adam);
    else
        optimizer.step();
}

} // namespace kg::ml
