#include "ml/row_adagrad.h"

#include <string>

namespace kg::ml {
namespace {

// Rows x row length view of a parameter or gradient.
torch::Tensor asRows(const torch::Tensor& t)
{
    return t.dim() == 0 ? t.view({1, 1}) : t.view({t.size(0), -1});
}

int64_t rowsOf(const torch::Tensor& p) { return p.dim() == 0 ? 1 : p.size(0); }

// Marks a saved state as this optimizer's (another optimizer's state has no such entry).
torch::Tensor kindTag() { return torch::tensor(std::vector<uint8_t>{'r', 'o', 'w', 'a', 'g'}, torch::kUInt8); }

} // namespace

RowAdagrad::RowAdagrad(const std::vector<torch::Tensor>& parameters, double lr, double eps)
    : torch::optim::Optimizer({torch::optim::OptimizerParamGroup(parameters)},
                              std::make_unique<torch::optim::AdagradOptions>(
                                  torch::optim::AdagradOptions(lr).eps(eps)))
    , sums_(parameters.size())
{
}

torch::Tensor RowAdagrad::step(LossClosure closure)
{
    torch::Tensor loss;
    if (closure) {
        torch::AutoGradMode grad(true);
        loss = closure();
    }
    torch::NoGradGuard noGrad;
    auto& group = param_groups().at(0);
    const auto& o = static_cast<const torch::optim::AdagradOptions&>(group.options());
    const double lr = o.lr(), eps = o.eps();
    auto& params = group.params();
    for (size_t i = 0; i < params.size(); ++i) {
        auto& p = params[i];
        if (!p.grad().defined())
            continue;
        auto& sum = sums_[i];
        if (!sum.defined())
            sum = torch::zeros({rowsOf(p)}, p.options());
        if (p.grad().is_sparse()) {
            const auto g = p.grad().coalesce(); // one row per index, repeats summed
            const auto idx = g.indices().select(0, 0);
            const auto values = g.values().reshape({idx.size(0), -1});
            sum.index_add_(0, idx, values.pow(2).mean(1));
            const auto scale = (sum.index_select(0, idx).sqrt() + eps).reciprocal().mul_(-lr).unsqueeze(1);
            // p viewed as rows shares its storage, so index_add_ updates the parameter itself
            asRows(p).index_add_(0, idx, values * scale);
        } else {
            const auto g = asRows(p.grad());
            sum.add_(g.pow(2).mean(1));
            asRows(p).addcdiv_(g, (sum.sqrt() + eps).unsqueeze(1), -lr);
        }
    }
    return loss;
}

void RowAdagrad::save(torch::serialize::OutputArchive& archive) const
{
    archive.write("kind", kindTag());
    for (size_t i = 0; i < sums_.size(); ++i)
        if (sums_[i].defined())
            archive.write("sum_" + std::to_string(i), sums_[i].to(torch::kCPU));
}

void RowAdagrad::load(torch::serialize::InputArchive& archive)
{
    torch::Tensor kind;
    TORCH_CHECK(archive.try_read("kind", kind) && kind.sizes() == kindTag().sizes() &&
                    kind.scalar_type() == torch::kUInt8 && torch::equal(kind, kindTag()),
                "not the state of a row-wise Adagrad optimizer");
    const auto& params = param_groups().at(0).params();
    std::vector<torch::Tensor> loaded(params.size());
    for (size_t i = 0; i < params.size(); ++i) { // check every shape before anything changes
        torch::Tensor s;
        if (!archive.try_read("sum_" + std::to_string(i), s))
            continue;
        TORCH_CHECK(s.dim() == 1 && s.size(0) == rowsOf(params[i]), "row-wise Adagrad state ", i, " has shape ",
                    s.sizes(), ", expected [", rowsOf(params[i]), "]");
        loaded[i] = s.to(params[i].options());
    }
    sums_ = std::move(loaded);
}

} // namespace kg::ml
