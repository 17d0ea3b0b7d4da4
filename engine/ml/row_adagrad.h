// Row-wise Adagrad, as PyTorch-BigGraph trains its embedding tables: one accumulator per row
// of each parameter (the running sum of the row gradient's mean square), not one per weight.
// For a 1M x 200 entity table that is 4 MB of optimizer state where Adam keeps 1.6 GB, so
// training needs little more than the tables themselves.
//   sum[i] += mean_j g[i][j]^2;   w[i] -= lr * g[i] / (sqrt(sum[i]) + eps)
// A sparse gradient (KgeModel's entity rows under negative sampling) updates only its rows;
// repeated rows are summed first. Rows are dimension 0; a 1-D or 0-D parameter is one row.
// save()/load() write the accumulators by parameter position; load() checks their shapes.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace kg::ml {

class RowAdagrad : public torch::optim::Optimizer {
public:
    // lr and eps live in the group's AdagradOptions (lr() may be changed between steps).
    RowAdagrad(const std::vector<torch::Tensor>& parameters, double lr, double eps = 1e-10);

    torch::Tensor step(LossClosure closure = nullptr) override;
    void save(torch::serialize::OutputArchive& archive) const override;
    void load(torch::serialize::InputArchive& archive) override;

    // The accumulator of parameter i ([rows]; undefined before its first gradient).
    const torch::Tensor& accumulator(size_t i) const { return sums_.at(i); }

private:
    std::vector<torch::Tensor> sums_; // by position in param_groups()[0]
};

} // namespace kg::ml
