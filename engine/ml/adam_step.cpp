#include "ml/adam_step.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "ml/to_device.h"
#include "ml/torch_compat.h"

namespace kg::ml {

namespace {

bool hasSparse(const torch::optim::Adam& adam)
{
    for (const auto& group : adam.param_groups())
        for (const auto& p : group.params())
            if (p.grad().defined() && p.grad().is_sparse())
                return true;
    return false;
}

// Dense contiguous float32 weights with such a gradient, on one device: what both the one-pass
// loop and the fused step take.
bool denseFloat32(const torch::Tensor& p)
{
    const auto& g = p.grad();
    return p.scalar_type() == torch::kFloat32 && p.is_contiguous() && !g.is_sparse() &&
           g.scalar_type() == torch::kFloat32 && g.is_contiguous() && g.device() == p.device();
}

// A parameter the one-pass loop takes: dense contiguous float32 on the CPU, with such a gradient.
bool onePass(const torch::Tensor& p) { return p.device().is_cpu() && denseFloat32(p); }

// No group uses amsgrad, and `ok` holds for every parameter that has a gradient.
template <typename Ok>
bool everyGradient(const torch::optim::Adam& adam, Ok&& ok)
{
    for (const auto& group : adam.param_groups()) {
        if (static_cast<const torch::optim::AdamOptions&>(group.options()).amsgrad())
            return false;
        for (const auto& p : group.params())
            if (p.grad().defined() && !ok(p))
                return false;
    }
    return true;
}

struct StepScalars {
    float b1, b2, eps, decay, stepSize, correction2;
};

// Adam in tensor operations (any device): updates the moments m and v in place from the
// gradient g of weights w, and returns the change to add to w.
torch::Tensor tensorStep(const torch::Tensor& w, torch::Tensor g, torch::Tensor m, torch::Tensor v, const StepScalars& s)
{
    if (s.decay != 0)
        g = g + s.decay * w;
    m.mul_(s.b1).add_(g, 1 - s.b1);
    v.mul_(s.b2).addcmul_(g, g, 1 - s.b2);
    return m / (v.sqrt() / s.correction2 + s.eps) * -s.stepSize;
}

// Adam on the rows a sparse gradient holds: their moments and weights as a dense step would
// update them; other rows, and their moments, stay as they are.
void rowStep(torch::Tensor w, const torch::Tensor& grad, torch::Tensor m, torch::Tensor v, const StepScalars& s)
{
    const auto g = grad.coalesce(); // one row per index, duplicates summed
    const auto idx = g.indices().select(0, 0);
    const auto mr = m.index_select(0, idx), vr = v.index_select(0, idx);
    const auto delta = tensorStep(w.index_select(0, idx), g.values(), mr, vr, s);
    m.index_copy_(0, idx, mr);
    v.index_copy_(0, idx, vr);
    w.index_add_(0, idx, delta);
}

// The parameter's Adam state, created as torch's Adam creates it on a first step.
torch::optim::AdamParamState& stateOf(torch::optim::Adam& adam, const torch::Tensor& p)
{
    auto& slot = adam.state()[compat::optimizerStateKey(adam, p)];
    if (!slot) {
        auto fresh = std::make_unique<torch::optim::AdamParamState>();
        fresh->step(0);
        fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        slot = std::move(fresh);
    }
    return static_cast<torch::optim::AdamParamState&>(*slot);
}

} // namespace

bool fusedAdamStep(torch::optim::Adam& adam, bool evenOnCpu)
{
    if (!compat::kHasFusedAdam)
        return false;
    std::optional<torch::Device> device;
    const bool fusable = everyGradient(adam, [&](const torch::Tensor& p) {
        if (!denseFloat32(p) || (p.device().is_cpu() && !evenOnCpu) || (device && *device != p.device()))
            return false;
        device = p.device();
        return true;
    });
    if (!fusable)
        return false;
    if (!device)
        return true; // no gradients: torch's step does nothing either
    torch::NoGradGuard noGrad;
    for (auto& group : adam.param_groups()) {
        const auto& o = static_cast<const torch::optim::AdamOptions&>(group.options());
        std::vector<torch::Tensor> params, grads, m, v;
        std::vector<float> steps;
        for (auto& p : group.params()) {
            if (!p.grad().defined())
                continue;
            auto& state = stateOf(adam, p);
            params.push_back(p);
            grads.push_back(p.grad());
            m.push_back(state.exp_avg());
            v.push_back(state.exp_avg_sq());
            state.step(state.step() + 1);
            steps.push_back(static_cast<float>(state.step()));
        }
        if (params.empty())
            continue;
        // Each parameter's step count after this step (float32 on the device: one copy for the
        // group), which the kernel's bias corrections read.
        const auto stepTensors = toDevice(torch::tensor(steps), *device).unbind(0);
        compat::fusedAdam(params, grads, m, v, stepTensors, o.lr(), std::get<0>(o.betas()), std::get<1>(o.betas()),
                          o.weight_decay(), o.eps());
    }
    return true;
}

void adamStep(torch::optim::Adam& adam)
{
    const bool sparse = hasSparse(adam);
    if (!sparse && fusedAdamStep(adam))
        return;
    if (!sparse && !everyGradient(adam, onePass)) {
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
            auto& state = stateOf(adam, p);
            state.step(state.step() + 1);
            const double step = static_cast<double>(state.step());
            const float stepSize = static_cast<float>(o.lr() / (1 - std::pow(std::get<0>(o.betas()), step)));
            const float correction2 = static_cast<float>(std::sqrt(1 - std::pow(std::get<1>(o.betas()), step)));
            if (!onePass(p)) { // beside a sparse gradient (else torch's own step ran above)
                TORCH_CHECK(!o.amsgrad(), "row-wise Adam updates do not support amsgrad");
                const StepScalars scalars{b1, b2, eps, decay, stepSize, correction2};
                if (p.grad().is_sparse())
                    rowStep(p, p.grad(), state.exp_avg(), state.exp_avg_sq(), scalars);
                else // every row, in tensor operations (e.g. on a GPU)
                    p.add_(tensorStep(p, p.grad(), state.exp_avg(), state.exp_avg_sq(), scalars));
                continue;
            }
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
