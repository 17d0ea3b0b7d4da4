// Adam in one pass per parameter. torch::optim::Adam::step makes about eight passes over each
// tensor (two of them allocations) for what is one elementwise update; on a KGE entity table
// those passes are a large share of a training step. adamStep() makes the same update, in
// the same optimizer state (so checkpoints, resume and a later step() are unchanged), in one
// pass, for contiguous float32 CPU tensors; otherwise (CUDA, amsgrad, other layouts) it calls
// the optimizer's own step(). Results equal torch's up to float rounding.
// A parameter with a sparse gradient (KgeModel's entity rows under row-wise updates) gets
// Adam on the rows it holds only ("lazy" Adam: the other rows and their moments stay put; the
// bias correction counts every step).
#pragma once

#include <torch/torch.h>

namespace kg::ml {

void adamStep(torch::optim::Adam& adam);
// An optimizer's step: Adam through adamStep, any other optimizer its own step().
void stepOptimizer(torch::optim::Optimizer& optimizer);

} // namespace kg::ml
