// Adam in one pass per parameter. torch::optim::Adam::step makes about eight passes over each
// tensor (two of them allocations) for what is one elementwise update; on a KGE entity table
// those passes are a large share of a training step. adamStep() makes the same update, in
// the same optimizer state (so checkpoints, resume and a later step() are unchanged), in one
// pass, for contiguous float32 CPU tensors; on a GPU in fused launches (fusedAdamStep below);
// otherwise (amsgrad, other layouts, an older LibTorch on a GPU) it calls the optimizer's own
// step(). Results equal torch's up to float rounding.
// A parameter with a sparse gradient (KgeModel's entity rows under row-wise updates) gets
// Adam on the rows it holds only ("lazy" Adam: the other rows and their moments stay put; the
// bias correction counts every step).
#pragma once

#include <torch/torch.h>

namespace kg::ml {

void adamStep(torch::optim::Adam& adam);
// On a GPU, adamStep() updates every parameter of the optimizer in one fused kernel launch
// per group (ATen's _fused_adam_, LibTorch 2.4 and later) instead of about eight launches per
// tensor, which dominate a small transformer's step. Same update and state as torch's step.
// Returns false, doing nothing, where it does not apply: an older LibTorch, amsgrad, a sparse
// or non-float32 gradient, parameters on the CPU (unless `evenOnCpu`, for tests) or on
// several devices.
bool fusedAdamStep(torch::optim::Adam& adam, bool evenOnCpu = false);
// An optimizer's step: Adam through adamStep, any other optimizer its own step().
void stepOptimizer(torch::optim::Optimizer& optimizer);

} // namespace kg::ml
