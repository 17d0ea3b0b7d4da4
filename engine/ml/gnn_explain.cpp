#include "ml/gnn_explain.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>
#include <unordered_map>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/gnn_trainer.h"
#include "ml/kg_data.h"
#include "ml/occlusion_search.h"

namespace kg::ml {

struct GnnModel::Impl {
    KgData data;
    std::unique_ptr<GnnTrainer> trainer;
    std::unique_ptr<FilterIndex> filter;
    torch::Tensor train; // int64 [N, 3]
    std::unordered_map<int64_t, int64_t> trainRow; // project triple id -> train row (= edge index per direction)

    // Entity and relation states of the train graph less `removedRows`, plus `added` triples
    // ([n, 3] int64, dense ids) when defined; the trainer's own (built once) for neither.
    std::pair<torch::Tensor, torch::Tensor> states(const std::vector<int64_t>& removedRows,
                                                   const torch::Tensor& added = {}) const
    {
        torch::NoGradGuard noGrad;
        if (removedRows.empty() && !added.defined())
            return trainer->states();
        torch::Tensor triples = train;
        if (!removedRows.empty()) {
            auto keep = torch::ones({train.size(0)}, torch::kBool);
            keep.index_put_({torch::tensor(removedRows, torch::kInt64)}, false);
            triples = train.index({keep});
        }
        if (added.defined())
            triples = torch::cat({triples, added});
        auto model = trainer->model();
        model->eval();
        return model->encode(GnnGraph::fromTriples(triples, data.numEntities, data.numRelations));
    }
    // Scores of every entity for the queries (heads[i], r, ?) under `st`: [B, E].
    torch::Tensor scoresFor(const std::pair<torch::Tensor, torch::Tensor>& st, const std::vector<int64_t>& heads,
                            int64_t r) const
    {
        torch::NoGradGuard noGrad;
        const auto& [x, z] = st;
        const auto n = static_cast<int64_t>(heads.size());
        const auto q = CompGcnImpl::query(x, z, torch::tensor(heads, torch::kInt64), torch::full({n}, r, torch::kInt64));
        return torch::matmul(q, x.t()) + trainer->model()->bias;
    }
    // Scores of every entity for (h, r, ?) with the train graph less `removedRows` [E].
    torch::Tensor scores(int64_t h, int64_t r, const std::vector<int64_t>& removedRows) const
    {
        return scoresFor(states(removedRows), {h}, r)[0];
    }
    // The head's facts, each left out alone (ml/gnn_explain.h): the facts raising the answer's
    // score, strongest first, with their (rank, score) without them.
    struct Support {
        std::vector<SupportingFact> facts;
        std::map<int64_t, std::pair<double, double>> alone;    // project triple id -> (rank, score)
        torch::Tensor full;                                    // scores with every fact
        int headFacts = 0;
    };
    Support support(int64_t h, int64_t r, int64_t a, int candidates, const CancelToken* cancel) const;
    // GnnModel::estimatedDrops in dense ids; `encoded`, when given, gets the trained graph's
    // entity and relation states of the pass (detached).
    std::vector<double> estimatedDrops(int64_t h, int64_t r, int64_t a, const std::vector<std::vector<int64_t>>& sets,
                                       std::pair<torch::Tensor, torch::Tensor>* encoded);
    // Filtered rank (1 + known-tail-free entities scored higher) and score of answer a.
    std::pair<double, double> rankOf(const torch::Tensor& s, int64_t h, int64_t r, int64_t a) const
    {
        auto masked = s.clone();
        for (const int64_t known : filter->tails(h, r))
            if (known != a)
                masked[known] = -std::numeric_limits<float>::infinity();
        const double score = s[a].item<double>();
        return {1.0 + masked.gt(score).sum().item<double>(), score};
    }
};

GnnModel::GnnModel() : impl_(std::make_unique<Impl>()) {}
GnnModel::~GnnModel() = default;

std::unique_ptr<GnnModel> GnnModel::fromBytes(Project& project, const std::string& bytes, const std::string& name)
{
    TrainConfig config = checkpointInfoFromBytes(bytes, name).config;
    if (config.model != ModelKind::CompGCN)
        throw Error(Errc::InvalidArgument, name + " is not a CompGCN run");
    config.device = "cpu";
    std::unique_ptr<GnnModel> m(new GnnModel);
    m->impl_->data = KgData::fromProject(project);
    m->impl_->trainer = std::make_unique<GnnTrainer>(config, m->impl_->data);
    loadCheckpointBytes(bytes, name, *m->impl_->trainer); // checks every shape
    m->impl_->filter = std::make_unique<FilterIndex>(m->impl_->data);
    m->impl_->train = m->impl_->data.trainInt64();
    for (size_t i = 0; i < m->impl_->data.trainIds.size(); ++i)
        m->impl_->trainRow.emplace(m->impl_->data.trainIds[i], static_cast<int64_t>(i));
    return m;
}

std::vector<std::pair<int64_t, double>> GnnModel::rankTails(int64_t head, int64_t relation, int k)
{
    const auto [h, r] = impl_->data.denseQuery(head, relation);
    const auto s = impl_->scores(h, r, {});
    const auto top = s.topk(std::min<int64_t>(k, s.size(0)));
    std::vector<std::pair<int64_t, double>> out;
    for (int64_t i = 0; i < std::get<0>(top).size(0); ++i)
        out.emplace_back(impl_->data.entityIds[static_cast<size_t>(std::get<1>(top)[i].item<int64_t>())],
                         std::get<0>(top)[i].item<double>());
    return out;
}

std::vector<std::pair<double, double>> GnnModel::ranksWithout(int64_t head, int64_t relation, int64_t answer,
                                                              const std::vector<std::vector<int64_t>>& sets)
{
    auto& m = *impl_;
    const auto [h, r] = m.data.denseQuery(head, relation);
    const int64_t a = m.data.denseAnswer(answer);
    const auto& rowOf = m.trainRow;
    std::vector<std::pair<double, double>> out;
    for (const auto& set : sets) {
        std::vector<int64_t> rows;
        for (const int64_t triple : set)
            if (const auto it = rowOf.find(triple); it != rowOf.end())
                rows.push_back(it->second);
        out.push_back(m.rankOf(m.scores(h, r, rows), h, r, a));
    }
    return out;
}

std::vector<double> GnnModel::estimatedDrops(int64_t head, int64_t relation, int64_t answer,
                                             const std::vector<std::vector<int64_t>>& sets)
{
    const auto [h, r] = impl_->data.denseQuery(head, relation);
    return impl_->estimatedDrops(h, r, impl_->data.denseAnswer(answer), sets, nullptr);
}

std::vector<double> GnnModel::Impl::estimatedDrops(int64_t h, int64_t r, int64_t a,
                                                   const std::vector<std::vector<int64_t>>& sets,
                                                   std::pair<torch::Tensor, torch::Tensor>* encoded)
{
    const auto& rowOf = trainRow;
    auto model = trainer->model();
    const auto& g = trainer->graph();
    std::vector<LayerTrace> traces;
    torch::AutoGradMode grad(true);
    model->eval();
    const auto [x, z] = model->encode(g, &traces);
    const auto q = CompGcnImpl::query(x, z, torch::tensor({h}, torch::kInt64), torch::tensor({r}, torch::kInt64))[0];
    const auto score = q.dot(x[a]) + model->bias[a];
    std::vector<torch::Tensor> sums;
    for (const auto& t : traces)
        sums.push_back(t.sum);
    const auto grads = torch::autograd::grad({score}, sums);
    torch::NoGradGuard noGrad;
    if (encoded)
        *encoded = {x.detach(), z.detach()};
    // The training triples the sets name, as train rows (= edge index in each direction).
    std::vector<int64_t> rows;
    std::unordered_map<int64_t, int64_t> slot; // train row -> index in rows
    for (const auto& set : sets)
        for (const int64_t triple : set)
            if (const auto it = rowOf.find(triple); it != rowOf.end() && slot.emplace(it->second, rows.size()).second)
                rows.push_back(it->second);
    const auto e = torch::tensor(rows, torch::kInt64);
    // Per row, the score's change when its edge of one direction is left out at every layer.
    auto change = [&](const EdgeSet& edges, bool in) {
        const auto src = edges.src.index_select(0, e), dst = edges.dst.index_select(0, e);
        const auto rel = edges.rel.index_select(0, e);
        const auto degree = (1.0 / edges.norm.index_select(0, e)).unsqueeze(1);
        auto total = torch::zeros({e.size(0)}, torch::kDouble);
        for (size_t l = 0; l < traces.size(); ++l) {
            const auto& t = traces[l];
            const auto message = (in ? t.xwIn : t.xwOut).index_select(0, src) - (in ? t.zwIn : t.zwOut).index_select(0, rel);
            const auto mean = (in ? t.in : t.out).index_select(0, dst);
            const auto delta = torch::where(degree > 1.5, (mean - message) / (degree - 1.0).clamp_min(1.0), -message);
            total += (grads[l].index_select(0, dst) * delta).sum(1).to(torch::kDouble);
        }
        return total;
    };
    const auto drops = rows.empty() ? torch::zeros({0}, torch::kDouble) : -(change(g.in, true) + change(g.out, false));
    const auto contiguous = drops.contiguous();
    const double* d = contiguous.data_ptr<double>();
    std::vector<double> out;
    for (const auto& set : sets) {
        double drop = 0;
        for (const int64_t triple : set)
            if (const auto it = rowOf.find(triple); it != rowOf.end())
                drop += d[slot.at(it->second)];
        out.push_back(drop);
    }
    return out;
}

void GnnModel::scorePaths(int64_t head, int64_t relation, int64_t tail, std::vector<reason::ExplanationPath>& paths)
{
    if (paths.empty())
        return;
    std::vector<std::vector<int64_t>> edgeSets;
    for (const auto& p : paths) {
        edgeSets.emplace_back();
        for (const auto& s : p.steps)
            edgeSets.back().push_back(s.triple);
    }
    auto& m = *impl_;
    std::pair<torch::Tensor, torch::Tensor> encoded; // the trained graph's states, from the same pass
    const auto [qh, qr] = m.data.denseQuery(head, relation);
    const auto drops = m.estimatedDrops(qh, qr, m.data.denseAnswer(tail), edgeSets, &encoded);
    torch::NoGradGuard noGrad;
    const auto& [x, z] = encoded;
    const auto bias = m.trainer->model()->bias;
    const int64_t R = m.data.numRelations;
    auto entity = [&](int64_t id) { return m.data.denseAnswer(id); };
    auto denseRelation = [&](int64_t id) {
        const auto it = m.data.relationIndex.find(id);
        if (it == m.data.relationIndex.end())
            throw Error(Errc::NotFound, "the model does not know relation " + std::to_string(id));
        return it->second;
    };
    const int64_t h = entity(head), t = entity(tail);
    for (size_t i = 0; i < paths.size(); ++i) {
        auto& p = paths[i];
        auto q = x[h];
        double edges = 0;
        for (const auto& s : p.steps) {
            const int64_t r = denseRelation(s.relation);
            q = q * z[s.inverse ? r + R : r];
            const int64_t src = entity(s.inverse ? s.to : s.from), dst = entity(s.inverse ? s.from : s.to);
            edges += ((x[src] * z[r]).dot(x[dst]) + bias[dst]).item<double>(); // the stored triple's score
        }
        p.compositionScore = (q.dot(x[t]) + bias[t]).item<double>();
        p.edgeScore = p.steps.empty() ? 0.0 : edges / static_cast<double>(p.steps.size());
        p.support = drops[i];
        p.modelScore = p.support;
        p.scored = true;
    }
}

GnnModel::Impl::Support GnnModel::Impl::support(int64_t h, int64_t r, int64_t a, int candidates,
                                                 const CancelToken* cancel) const
{
    Support out;
    // The head's training facts (either end), as rows of train.
    const auto rows = torch::nonzero(train.select(1, 0).eq(h).logical_or(train.select(1, 2).eq(h))).view({-1});
    std::vector<int64_t> facts(rows.data_ptr<int64_t>(), rows.data_ptr<int64_t>() + rows.numel());
    out.headFacts = static_cast<int>(rows.numel());
    const size_t cap = static_cast<size_t>(std::max(1, candidates) * 4);
    out.full = scores(h, r, {});
    if (facts.size() > cap) { // a hub: the facts whose other entity the answer resembles most
        torch::NoGradGuard noGrad;
        const auto x = trainer->states().first;
        std::vector<std::pair<double, int64_t>> near;
        for (const int64_t row : facts) {
            const int64_t other = train[row][0].item<int64_t>() == h ? train[row][2].item<int64_t>()
                                                                      : train[row][0].item<int64_t>();
            near.emplace_back(-torch::dot(x[other], x[a]).item<double>(), row);
        }
        std::stable_sort(near.begin(), near.end());
        facts.clear();
        for (size_t i = 0; i < cap; ++i)
            facts.push_back(near[i].second);
    }
    const double before = out.full[a].item<double>();
    for (const int64_t row : facts) {
        if (cancel)
            cancel->throwIfCancelled();
        const auto ranked = rankOf(scores(h, r, {row}), h, r, a);
        const int64_t triple = data.trainIds.at(static_cast<size_t>(row));
        out.alone[triple] = ranked;
        if (before - ranked.second > 0) {
            const auto t = train[row];
            out.facts.push_back({FactRef{triple, data.entityIds[static_cast<size_t>(t[0].item<int64_t>())],
                                         data.relationIds[static_cast<size_t>(t[1].item<int64_t>())],
                                         data.entityIds[static_cast<size_t>(t[2].item<int64_t>())]},
                                 before - ranked.second});
        }
    }
    std::stable_sort(out.facts.begin(), out.facts.end(),
                     [](const auto& x, const auto& y) { return x.occlusion > y.occlusion; });
    return out;
}

NecessaryExplanation GnnModel::necessary(int64_t head, int64_t relation, int64_t answer,
                                         const FactSearchOptions& options, const CancelToken* cancel)
{
    const auto start = std::chrono::steady_clock::now();
    auto& m = *impl_;
    const auto [h, r] = m.data.denseQuery(head, relation);
    const int64_t a = m.data.denseAnswer(answer);
    const auto found = m.support(h, r, a, options.candidates, cancel);
    const auto& support = found.facts;
    const auto& full = found.full;
    const auto& alone = found.alone;
    auto out = occlusionNecessary(
        support, options.candidates, options.maxSize, found.headFacts,
        [&](const std::vector<std::vector<int64_t>>& sets) {
            std::vector<std::pair<double, double>> out;
            for (const auto& set : sets) {
                if (cancel)
                    cancel->throwIfCancelled();
                if (set.empty()) {
                    out.push_back(m.rankOf(full, h, r, a));
                } else if (set.size() == 1) {
                    out.push_back(alone.at(set[0])); // measured above
                } else {
                    std::vector<int64_t> removed;
                    for (const int64_t triple : set)
                        removed.push_back(m.trainRow.at(triple));
                    out.push_back(m.rankOf(m.scores(h, r, removed), h, r, a));
                }
            }
            return out;
        },
        cancel);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

SufficientExplanation GnnModel::sufficient(int64_t head, int64_t relation, int64_t answer,
                                           const FactSearchOptions& options, const CancelToken* cancel)
{
    const auto start = std::chrono::steady_clock::now();
    auto& m = *impl_;
    const auto [h, r] = m.data.denseQuery(head, relation);
    const int64_t a = m.data.denseAnswer(answer);
    SufficientExplanation out;
    auto finish = [&] {
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return out;
    };
    const auto found = m.support(h, r, a, options.candidates, cancel);
    const size_t K = std::min(found.facts.size(), static_cast<size_t>(std::max(1, options.maxSize)));
    if (K == 0)
        return finish();
    // Entities with facts of their own that do not rank the answer first yet, in seeded order.
    const auto degree = torch::bincount(m.train.select(1, 0), {}, m.data.numEntities) +
                        torch::bincount(m.train.select(1, 2), {}, m.data.numEntities);
    const auto full = m.states({});
    std::vector<int64_t> chosen;
    std::vector<double> ranks; // per chosen entity: k = 0..K
    for (const auto& [c, rank] : convertibleEntities(
             m.data.numEntities, options.post.seed, options.convertEntities,
             [&](int64_t c) {
                 const auto& known = m.filter->tails(c, r);
                 return c != h && c != a && degree[c].item<int64_t>() > 0 &&
                        std::find(known.begin(), known.end(), a) == known.end();
             },
             [&](const std::vector<int64_t>& heads) {
                 const auto s = m.scoresFor(full, heads, r);
                 std::vector<double> out;
                 for (size_t i = 0; i < heads.size(); ++i)
                     out.push_back(m.rankOf(s[static_cast<int64_t>(i)], heads[i], r, a).first);
                 return out;
             },
             cancel)) {
        chosen.push_back(c);
        ranks.push_back(rank);
    }
    if (chosen.empty())
        return finish();
    // Each entity with the first k supporting facts copied onto it (the head replaced by the
    // entity, a copy that would be the entity's self-loop left out), the graph encoded again.
    std::vector<double> all;
    for (size_t ci = 0; ci < chosen.size(); ++ci) {
        const int64_t c = chosen[ci];
        all.push_back(ranks[ci]);
        std::vector<int64_t> added;
        for (size_t k = 1; k <= K; ++k) {
            if (cancel)
                cancel->throwIfCancelled();
            const auto t = m.train[m.trainRow.at(found.facts[k - 1].fact.triple)];
            int64_t s = t[0].item<int64_t>(), o = t[2].item<int64_t>();
            if (s == h)
                s = c;
            if (o == h)
                o = c;
            if (!(s == c && o == c && t[0].item<int64_t>() != t[2].item<int64_t>()))
                added.insert(added.end(), {s, t[1].item<int64_t>(), o});
            const auto copies = torch::tensor(added, torch::kInt64).view({-1, 3});
            const auto st = copies.numel() > 0 ? m.states({}, copies) : full;
            all.push_back(m.rankOf(m.scoresFor(st, {c}, r)[0], c, r, a).first);
        }
    }
    std::vector<FactRef> ordered;
    for (const auto& f : found.facts)
        ordered.push_back(f.fact);
    std::vector<int64_t> entities;
    for (const int64_t c : chosen)
        entities.push_back(m.data.entityIds[static_cast<size_t>(c)]);
    applySufficientChoice(chooseSufficient(all, chosen.size(), K), ordered, std::move(entities), out);
    return finish();
}

} // namespace kg::ml
