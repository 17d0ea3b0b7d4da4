#include "ml/kge_model.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "ml/gathered_dot.h"

namespace kg::ml {
namespace {

// Complex tensors are stored as [re | im] halves of the last dimension.
std::pair<torch::Tensor, torch::Tensor> halves(const torch::Tensor& x)
{
    const int64_t k = x.size(-1) / 2;
    return {x.narrow(-1, 0, k), x.narrow(-1, k, k)};
}

torch::Tensor complexMul(const torch::Tensor& a, const torch::Tensor& b, bool conjB)
{
    auto [ar, ai] = halves(a);
    auto [br, bi] = halves(b);
    if (conjB)
        bi = -bi;
    return torch::cat({ar * br - ai * bi, ar * bi + ai * br}, -1);
}

// RotatE: relations are phases; the rotation is (cos, sin) as a unit complex number.
torch::Tensor rotation(const torch::Tensor& phase) { return torch::cat({torch::cos(phase), torch::sin(phase)}, -1); }

} // namespace

KgeModelImpl::KgeModelImpl(const TrainConfig& config, int64_t numEntities, int64_t numRelations)
    : kind_(config.model)
    , pNorm_(config.pNorm)
    , gamma_(config.gamma)
{
    if (kind_ == ModelKind::Transformer)
        throw Error(Errc::InvalidArgument, "the transformer is not a KGE model (see ml/text_trainer.h)");
    if (kind_ == ModelKind::CompGCN)
        throw Error(Errc::InvalidArgument, "CompGCN is a graph encoder, not a KGE model (see ml/gnn_trainer.h)");
    const int64_t d = config.dim;
    const int64_t relDim = kind_ == ModelKind::RotatE ? d / 2 : d;
    entities_ = register_parameter("entities", torch::empty({numEntities, d}));
    relations_ = register_parameter("relations", torch::empty({numRelations, relDim}));
    torch::NoGradGuard noGrad;
    switch (kind_) {
    case ModelKind::TransE:
    case ModelKind::RotatE: {
        // As in the RotatE reference code: uniform in +-(gamma + 2) / dim.
        const double range = (gamma_ + 2.0) / static_cast<double>(d);
        entities_.uniform_(-range, range);
        if (kind_ == ModelKind::RotatE)
            relations_.uniform_(-M_PI, M_PI);
        else
            relations_.uniform_(-range, range);
        break;
    }
    case ModelKind::DistMult:
    case ModelKind::ComplEx:
    case ModelKind::Transformer:
    case ModelKind::CompGCN:
        torch::nn::init::xavier_normal_(entities_);
        torch::nn::init::xavier_normal_(relations_);
        break;
    }
}

torch::Tensor KgeModelImpl::tailQuery(const torch::Tensor& h, const torch::Tensor& r) const
{
    return tailQueryRows(entities(h), r);
}

torch::Tensor KgeModelImpl::tailQueryRows(const torch::Tensor& he, const torch::Tensor& r) const
{
    const auto re = relationRows(r);
    switch (kind_) {
    case ModelKind::TransE: return he + re;
    case ModelKind::DistMult: return he * re;
    case ModelKind::ComplEx: return complexMul(he, re, false);
    case ModelKind::RotatE: return complexMul(he, rotation(re), false);
    default: break;
    }
    return {};
}

torch::Tensor KgeModelImpl::applyRelation(const torch::Tensor& x, int64_t relation, bool inverse) const
{
    const auto re = relations_.select(0, relation).unsqueeze(0).to(x.device());
    switch (kind_) {
    case ModelKind::TransE: return inverse ? x - re : x + re;
    case ModelKind::DistMult: return x * re; // symmetric: its own inverse
    case ModelKind::ComplEx: return complexMul(x, re, inverse);
    case ModelKind::RotatE: return complexMul(x, rotation(re), inverse);
    default: break;
    }
    return {};
}

double KgeModelImpl::scorePath(int64_t h, const std::vector<std::pair<int64_t, bool>>& path, int64_t t) const
{
    torch::NoGradGuard noGrad;
    const auto dev = entities_.device();
    auto q = entities(torch::tensor({h}, torch::kInt64).to(dev));
    for (const auto& [rel, inverse] : path)
        q = applyRelation(q, rel, inverse);
    return compareRows(q, entities(torch::tensor({t}, torch::kInt64).to(dev))).item<double>();
}

torch::Tensor KgeModelImpl::headQuery(const torch::Tensor& r, const torch::Tensor& t) const
{
    return headQueryRows(r, entities(t));
}

torch::Tensor KgeModelImpl::headQueryRows(const torch::Tensor& r, const torch::Tensor& te) const
{
    const auto re = relationRows(r);
    switch (kind_) {
    case ModelKind::TransE: return te - re;
    case ModelKind::DistMult: return te * re;
    // Re(<h, r, conj t>) = Re(<conj h, conj(r) t>) = dot(h, conj(r) * t) over [re | im].
    case ModelKind::ComplEx: return complexMul(te, re, true);
    // |h*r - t| = |h - t*conj(r)| because |r| = 1.
    case ModelKind::RotatE: return complexMul(te, rotation(re), true);
    default: break;
    }
    return {};
}

torch::Tensor KgeModelImpl::compareRows(const torch::Tensor& q, const torch::Tensor& c) const
{
    switch (kind_) {
    case ModelKind::DistMult:
    case ModelKind::ComplEx: return (q * c).sum(-1);
    case ModelKind::TransE: return gamma_ - (q - c).norm(pNorm_, -1);
    case ModelKind::RotatE: {
        auto [dr, di] = halves(q - c);
        return gamma_ - torch::sqrt(dr * dr + di * di + 1e-12).sum(-1);
    }
    default: break;
    }
    return {};
}

namespace {

// RotatE's distances of queries q [B, 2k] to candidates c [N, 2k] without gradients (ranking,
// prediction): per complex component, the moduli of all B x N differences are one cdist of 2-D
// points, summed into [B, N] a few components at a time. The training form (compare below)
// writes sub, square, sum and sqrt passes over [B, N, k]; this writes the [., B, N] distances
// once (fb15k-237 test ranking of RotatE took 5.2 s on an H200, memory-bound).
torch::Tensor rotationDistances(const torch::Tensor& q, const torch::Tensor& c)
{
    const int64_t k = q.size(1) / 2, b = q.size(0), n = c.size(0);
    auto points = [](const torch::Tensor& x) { // [k, rows, 2]: component, row, (re, im)
        const auto [re, im] = halves(x);
        return torch::stack({re, im}, -1).transpose(0, 1).contiguous();
    };
    const auto qp = points(q), cp = points(c);
    auto out = torch::zeros({b, n}, q.options());
    // At most ~64M distances at once, and at most 32 components (so a test's dim 80 takes
    // two blocks).
    const int64_t per = std::clamp<int64_t>((int64_t(1) << 26) / std::max<int64_t>(1, b * n), 1, 32);
    constexpr int64_t kNoMatmul = 2; // cdist's donot_use_mm_for_euclid_dist: exact differences
    for (int64_t start = 0; start < k; start += per) {
        const int64_t len = std::min(per, k - start);
        out += torch::cdist(qp.narrow(0, start, len), cp.narrow(0, start, len), 2.0, kNoMatmul).sum(0);
    }
    return out;
}

} // namespace

torch::Tensor KgeModelImpl::compare(const torch::Tensor& q, const torch::Tensor& c) const
{
    const bool batched = q.dim() == 3;
    switch (kind_) {
    case ModelKind::DistMult:
    case ModelKind::ComplEx: return batched ? torch::bmm(q, c.transpose(1, 2)) : q.matmul(c.t());
    case ModelKind::TransE: return gamma_ - torch::cdist(q, c, pNorm_);
    case ModelKind::RotatE: {
        if (!batched && !torch::GradMode::is_enabled())
            return gamma_ - rotationDistances(q, c);
        // Sum over components of complex moduli: no GEMM form. Chunk the candidates so the
        // [.., S, chunk, k] intermediate stays under ~64M elements.
        const auto qq = batched ? q : q.unsqueeze(0);
        const auto cc = batched ? c : c.unsqueeze(0);
        const int64_t k = q.size(-1) / 2;
        const int64_t per = std::max<int64_t>(1, (int64_t(1) << 26) / std::max<int64_t>(1, qq.size(0) * qq.size(1) * k));
        std::vector<torch::Tensor> parts;
        auto [qr, qi] = halves(qq.unsqueeze(2)); // [C, S, 1, k]
        for (int64_t start = 0; start < cc.size(1); start += per) {
            const auto block = cc.narrow(1, start, std::min(per, cc.size(1) - start)).unsqueeze(1); // [C,1,n,2k]
            auto [cr, ci] = halves(block);
            const auto dr = qr - cr, di = qi - ci;
            parts.push_back(gamma_ - torch::sqrt(dr * dr + di * di + 1e-12).sum(-1));
        }
        const auto out = torch::cat(parts, 2);
        return batched ? out : out.squeeze(0);
    }
    default: break;
    }
    return {};
}

torch::Tensor KgeModelImpl::compareInPlace(const torch::Tensor& q, const torch::Tensor& ids) const
{
    if (!comparesInPlace())
        throw Error(Errc::InvalidArgument, "in-place scoring needs a dot-product model with dense entity gradients");
    return gatheredDot(q, entities_, ids);
}

torch::Tensor KgeModelImpl::scoreTriples(const torch::Tensor& triples) const
{
    const auto h = triples.select(1, 0), r = triples.select(1, 1), t = triples.select(1, 2);
    return compareRows(tailQuery(h, r), entities(t));
}

torch::Tensor KgeModelImpl::scoreAllTails(const torch::Tensor& h, const torch::Tensor& r) const
{
    return compare(tailQuery(h, r), entities_);
}

torch::Tensor KgeModelImpl::scoreAllHeads(const torch::Tensor& r, const torch::Tensor& t) const
{
    return compare(headQuery(r, t), entities_);
}

torch::Tensor KgeModelImpl::regularizer(const torch::Tensor& triples, RegKind kind) const
{
    if (kind == RegKind::None)
        return torch::zeros({}, entities_.options());
    const auto h = entities(triples.select(1, 0));
    const auto r = relationRows(triples.select(1, 1));
    const auto t = entities(triples.select(1, 2));
    auto term = [&](const torch::Tensor& x, bool complexValued) {
        if (kind == RegKind::L2)
            return (x * x).sum(-1);
        if (complexValued) { // N3 on complex moduli (Lacroix et al., 2018)
            auto [re, im] = halves(x);
            return torch::pow(torch::sqrt(re * re + im * im + 1e-12), 3).sum(-1);
        }
        return torch::pow(x.abs(), 3).sum(-1);
    };
    const bool complexEnt = kind_ == ModelKind::ComplEx || kind_ == ModelKind::RotatE;
    const bool complexRel = kind_ == ModelKind::ComplEx; // RotatE relations are phases
    return (term(h, complexEnt) + term(r, complexRel) + term(t, complexEnt)).mean();
}

} // namespace kg::ml
