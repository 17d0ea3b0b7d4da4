#include "ml/kelpie.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include <ATen/CPUGeneratorImpl.h>

#include "core/error.h"
#include "ml/torch_compat.h"

namespace kg::ml {
namespace {

// The rows of every fact set laid end to end.
struct FactRows {
    torch::Tensor mimic, relation, other, isHead, weight; // [N]
};

FactRows layOut(const std::vector<std::vector<MimicFact>>& sets, torch::Device device)
{
    std::vector<int64_t> mimic, relation, other;
    std::vector<uint8_t> isHead;
    std::vector<float> weight;
    for (size_t m = 0; m < sets.size(); ++m)
        for (const auto& f : sets[m]) {
            mimic.push_back(static_cast<int64_t>(m));
            relation.push_back(f.relation);
            other.push_back(f.other);
            isHead.push_back(f.entityIsHead ? 1 : 0);
            weight.push_back(1.0f / static_cast<float>(sets[m].size()));
        }
    auto longs = [&](const std::vector<int64_t>& v) { return torch::tensor(v, torch::kInt64).to(device); };
    return {longs(mimic), longs(relation), longs(other),
            torch::tensor(std::vector<int64_t>(isHead.begin(), isHead.end()), torch::kInt64).to(torch::kBool).to(device),
            torch::tensor(weight, torch::kFloat32).to(device)};
}

// Per-row loss of the facts with mimic rows E [N, D]: softmax cross-entropy of the true other
// end against shared negatives, predicted from the mimic, plus the mimic predicted from the
// other end (whose query qOther [N, D] is fixed).
torch::Tensor rowLoss(const KgeModel& model, const torch::Tensor& E, const FactRows& rows, const torch::Tensor& qOther,
                      const torch::Tensor& negatives)
{
    const auto mask = rows.isHead.unsqueeze(1);
    const auto q = torch::where(mask, model->tailQueryRows(E, rows.relation), model->headQueryRows(rows.relation, E));
    const auto negRows = model->entities(negatives);
    auto ce = [&](const torch::Tensor& pos, const torch::Tensor& neg) {
        return torch::logsumexp(torch::cat({pos.unsqueeze(1), neg}, 1), 1) - pos;
    };
    const auto lossMimicQuery = ce(model->compareRows(q, model->entities(rows.other)), model->compare(q, negRows));
    torch::Tensor negOther;
    {
        torch::NoGradGuard noGrad;
        negOther = model->compare(qOther, negRows);
    }
    const auto lossMimicAnswer = ce(model->compareRows(qOther, E), negOther);
    return lossMimicQuery + lossMimicAnswer;
}

torch::Tensor fixedOtherQueries(const KgeModel& model, const FactRows& rows)
{
    torch::NoGradGuard noGrad;
    return torch::where(rows.isHead.unsqueeze(1), model->headQuery(rows.relation, rows.other),
                        model->tailQuery(rows.other, rows.relation));
}

torch::Tensor mimicStart(const KgeModel& model, uint64_t seed)
{
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto& table = model->allEntities();
    const double std = table.std().item<double>();
    return (torch::randn({table.size(1)}, gen, torch::kFloat32) * std).to(table.device());
}

// Breadth-first distances from `from` over train edges in both directions, up to maxDepth.
std::unordered_map<int64_t, int> distances(const reason::GraphIndex& g, int64_t from, int maxDepth)
{
    std::unordered_map<int64_t, int> dist{{from, 0}};
    std::deque<int64_t> queue{from};
    while (!queue.empty()) {
        const int64_t e = queue.front();
        queue.pop_front();
        const int d = dist[e];
        if (d >= maxDepth)
            continue;
        for (auto edges : {g.out(e), g.in(e)})
            for (const auto& edge : edges)
                if (dist.emplace(edge.other, d + 1).second)
                    queue.push_back(edge.other);
    }
    return dist;
}

} // namespace

FrozenParameters::FrozenParameters(const KgeModel& model)
{
    for (auto& p : model->parameters()) {
        params_.push_back(p);
        wasTrainable_.push_back(p.requires_grad());
        p.set_requires_grad(false);
    }
}

FrozenParameters::~FrozenParameters()
{
    for (size_t i = 0; i < params_.size(); ++i)
        params_[i].set_requires_grad(wasTrainable_[i]);
}

torch::Tensor postTrain(const KgeModel& model, const std::vector<std::vector<MimicFact>>& sets,
                        const PostTrainOptions& options, const CancelToken* cancel, const std::vector<uint64_t>& starts)
{
    torch::AutoGradMode enableGrad(true);
    const FrozenParameters frozen(model); // gradients for the mimics only
    const compat::SingleThreadedBlas blas; // small GEMMs: OpenBLAS threads cost more than they give
    const auto device = model->allEntities().device();
    const int64_t M = static_cast<int64_t>(sets.size());
    std::vector<torch::Tensor> startRows;
    std::unordered_map<uint64_t, torch::Tensor> bySeed;
    for (int64_t m = 0; m < M; ++m) {
        const uint64_t seed = static_cast<size_t>(m) < starts.size() ? starts[static_cast<size_t>(m)] : options.seed;
        auto it = bySeed.find(seed);
        if (it == bySeed.end())
            it = bySeed.emplace(seed, mimicStart(model, seed)).first;
        startRows.push_back(it->second);
    }
    auto mimics = M > 0 ? torch::stack(startRows).contiguous() : torch::empty({0, model->allEntities().size(1)});
    bool any = false;
    for (const auto& s : sets)
        any = any || !s.empty();
    if (!any)
        return mimics;
    const auto rows = layOut(sets, device);
    const auto qOther = fixedOtherQueries(model, rows);
    mimics.set_requires_grad(true);
    torch::optim::Adam adam({mimics}, torch::optim::AdamOptions(options.lr));
    auto gen = at::make_generator<at::CPUGeneratorImpl>(options.seed + 1);
    const int64_t E = model->numEntities();
    for (int step = 0; step < options.steps; ++step) {
        if (cancel)
            cancel->throwIfCancelled();
        const auto negatives = torch::randint(0, E, {options.negatives}, gen, torch::kInt64).to(device);
        adam.zero_grad();
        const auto loss = (rowLoss(model, mimics.index_select(0, rows.mimic), rows, qOther, negatives) * rows.weight).sum();
        loss.backward();
        adam.step();
    }
    return mimics.detach();
}

std::vector<double> factInfluence(const KgeModel& model, const torch::Tensor& mimic, const std::vector<MimicFact>& facts,
                                  int64_t relation, int64_t answer, const PostTrainOptions& options)
{
    torch::AutoGradMode enableGrad(true);
    const FrozenParameters frozen(model);
    const compat::SingleThreadedBlas blas;
    const auto device = mimic.device();
    const int64_t F = static_cast<int64_t>(facts.size());
    // postTrain's own loss terms for this fact set, differentiated per row.
    const auto rows = layOut({facts}, device);
    const auto qOther = fixedOtherQueries(model, rows);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(options.seed + 2);
    const auto negatives = torch::randint(0, model->numEntities(), {options.negatives * 4}, gen, torch::kInt64).to(device);
    auto X = mimic.detach().unsqueeze(0).repeat({F, 1}).set_requires_grad(true);
    const auto gradFacts = torch::autograd::grad({rowLoss(model, X, rows, qOther, negatives).sum()}, {X})[0]; // [F, D]

    auto e = mimic.detach().unsqueeze(0).clone().set_requires_grad(true);
    const auto score = model->compareRows(
        model->tailQueryRows(e, torch::tensor({relation}, torch::kInt64).to(device)),
        model->entities(torch::tensor({answer}, torch::kInt64).to(device)));
    const auto gradScore = torch::autograd::grad({score.sum()}, {e})[0].squeeze(0); // [D]
    const auto drop = -(gradFacts.matmul(gradScore)).to(torch::kCPU).to(torch::kFloat64).contiguous();
    return {drop.data_ptr<double>(), drop.data_ptr<double>() + F};
}

RowRanks rankAnswer(const KgeModel& model, const torch::Tensor& rows, int64_t relation, int64_t answer,
                    const std::vector<std::vector<int64_t>>& filters)
{
    torch::NoGradGuard noGrad;
    const auto device = rows.device();
    const int64_t M = rows.size(0);
    const auto r = torch::full({M}, relation, torch::TensorOptions().dtype(torch::kInt64).device(device));
    auto scores = model->compare(model->tailQueryRows(rows, r), model->allEntities()).to(torch::kCPU).to(torch::kFloat64);
    RowRanks out;
    auto acc = scores.accessor<double, 2>();
    for (int64_t m = 0; m < M; ++m) {
        const double target = acc[m][answer];
        if (m < static_cast<int64_t>(filters.size()))
            for (const int64_t f : filters[static_cast<size_t>(m)])
                if (f != answer)
                    acc[m][f] = -std::numeric_limits<double>::infinity();
        const auto row = scores[m];
        const double higher = (row > target).sum().item<double>();
        const double equal = (row == target).sum().item<double>() - 1;
        out.rank.push_back(1 + higher + equal / 2);
        out.score.push_back(target);
    }
    return out;
}

FactSearch::FactSearch(const KgeModel& model, const KgData& data, const reason::GraphIndex& graph)
    : model_(model)
    , data_(data)
    , graph_(graph)
{
}

std::vector<MimicFact> FactSearch::factsOf(int64_t entity, int64_t relation, int64_t tail) const
{
    std::vector<MimicFact> out;
    auto dense = [&](const auto& index, int64_t id) { return index.at(id); };
    for (const auto& e : graph_.out(entity))
        if (!(e.relation == relation && e.other == tail))
            out.push_back({dense(data_.relationIndex, e.relation), dense(data_.entityIndex, e.other), true, e.triple});
    for (const auto& e : graph_.in(entity))
        if (e.other != entity) // a self-loop is already among the out-edges
            out.push_back({dense(data_.relationIndex, e.relation), dense(data_.entityIndex, e.other), false, e.triple});
    return out;
}

FactRef FactSearch::ref(const MimicFact& f, int64_t entity) const
{
    const int64_t other = data_.entityIds[static_cast<size_t>(f.other)];
    const int64_t rel = data_.relationIds[static_cast<size_t>(f.relation)];
    return f.entityIsHead ? FactRef{f.triple, entity, rel, other} : FactRef{f.triple, other, rel, entity};
}

std::vector<int64_t> FactSearch::knownTails(int64_t entity, int64_t relation, int64_t except) const
{
    std::vector<int64_t> out;
    for (const auto& e : graph_.out(entity))
        if (e.relation == relation && e.other != except)
            out.push_back(data_.entityIndex.at(e.other));
    return out;
}

// Keeps at most maxFacts facts: those whose other end is nearest the answer in the graph
// (Kelpie's topology pre-filter), ties in a fixed order.
std::vector<MimicFact> FactSearch::capped(std::vector<MimicFact> facts, int64_t tail, int maxFacts) const
{
    if (static_cast<int>(facts.size()) <= maxFacts)
        return facts;
    const auto dist = distances(graph_, tail, 2);
    auto d = [&](const MimicFact& f) {
        const auto it = dist.find(data_.entityIds[static_cast<size_t>(f.other)]);
        return it == dist.end() ? 3 : it->second;
    };
    std::stable_sort(facts.begin(), facts.end(), [&](const auto& a, const auto& b) { return d(a) < d(b); });
    facts.resize(static_cast<size_t>(maxFacts));
    return facts;
}

} // namespace kg::ml
