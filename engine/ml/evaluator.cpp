#include "ml/evaluator.h"

#include "ml/fused_rank.h"

#include <limits>

namespace kg::ml {

FilterIndex::FilterIndex(const KgData& data)
    : numRelations_(data.numRelations)
{
    for (const torch::Tensor* split : {&data.train, &data.valid, &data.test}) {
        if (!split->defined() || split->size(0) == 0)
            continue;
        const auto t = split->to(torch::kCPU).contiguous();
        const int64_t* p = t.data_ptr<int64_t>();
        for (int64_t i = 0; i < t.size(0); ++i) {
            const int64_t h = p[3 * i], r = p[3 * i + 1], tl = p[3 * i + 2];
            tails_[h * numRelations_ + r].push_back(tl);
            heads_[tl * numRelations_ + r].push_back(h);
        }
    }
}

const std::vector<int64_t>& FilterIndex::tails(int64_t h, int64_t r) const
{
    auto it = tails_.find(h * numRelations_ + r);
    return it == tails_.end() ? none_ : it->second;
}

const std::vector<int64_t>& FilterIndex::heads(int64_t r, int64_t t) const
{
    auto it = heads_.find(t * numRelations_ + r);
    return it == heads_.end() ? none_ : it->second;
}

torch::Tensor filteredRanks(const KgeModel& model, const torch::Tensor& triples, const FilterIndex& filter,
                            bool tails, int64_t batchSize, const CancelToken* cancel)
{
    torch::NoGradGuard noGrad;
    const auto device = model->allEntities().device();
    const auto cpu = triples.to(torch::kCPU).contiguous();
    const int64_t n = cpu.size(0);
    std::vector<torch::Tensor> ranks;
    std::vector<int64_t> maskRows, maskCols;
    for (int64_t start = 0; start < n; start += batchSize) {
        if (cancel)
            cancel->throwIfCancelled();
        const int64_t b = std::min(batchSize, n - start);
        const auto batch = cpu.narrow(0, start, b);
        const auto dev = batch.to(device);
        const auto h = dev.select(1, 0), r = dev.select(1, 1), t = dev.select(1, 2);
        auto scores = tails ? model->scoreAllTails(h, r) : model->scoreAllHeads(r, t);
        const auto target = tails ? t : h;
        const auto trueScore = scores.gather(1, target.unsqueeze(1));
        // Remove the other known answers.
        maskRows.clear();
        maskCols.clear();
        const int64_t* p = batch.data_ptr<int64_t>();
        for (int64_t i = 0; i < b; ++i) {
            const int64_t hh = p[3 * i], rr = p[3 * i + 1], tt = p[3 * i + 2];
            const auto& known = tails ? filter.tails(hh, rr) : filter.heads(rr, tt);
            const int64_t answer = tails ? tt : hh;
            for (int64_t k : known) {
                if (k != answer) {
                    maskRows.push_back(i);
                    maskCols.push_back(k);
                }
            }
        }
        if (!maskRows.empty()) {
            const auto rows = torch::tensor(maskRows, torch::kInt64).to(device);
            const auto cols = torch::tensor(maskCols, torch::kInt64).to(device);
            scores.index_put_({rows, cols}, -std::numeric_limits<float>::infinity());
        }
        const auto greater = (scores > trueScore).sum(1).to(torch::kFloat64);
        const auto equal = (scores == trueScore).sum(1).to(torch::kFloat64) - 1; // minus itself
        ranks.push_back((1 + greater + 0.5 * equal).to(torch::kCPU));
    }
    return ranks.empty() ? torch::empty({0}, torch::kFloat64) : torch::cat(ranks);
}

RankMetrics evaluate(const KgeModel& model, const torch::Tensor& triples, const FilterIndex& filter,
                     int64_t batchSize, const CancelToken* cancel)
{
    RankMetrics m;
    if (!triples.defined() || triples.size(0) == 0)
        return m;
    return rankMetrics(torch::cat({filteredRanks(model, triples, filter, true, batchSize, cancel),
                                   filteredRanks(model, triples, filter, false, batchSize, cancel)}));
}

RankMetrics rankReciprocalQueries(const torch::Tensor& triples, const FilterIndex& filter, int64_t numRelations,
                                  int64_t batch,
                                  const std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>& queries,
                                  const torch::Tensor& candidates, const torch::Tensor& bias, const CancelToken* cancel)
{
    const auto cpu = triples.to(torch::kCPU);
    auto acc = cpu.accessor<int64_t, 2>();
    const int64_t n = cpu.size(0), per = std::max<int64_t>(1, batch / 2);
    const auto device = candidates.device();
    std::vector<torch::Tensor> ranks;
    for (int64_t from = 0; from < n; from += per) {
        if (cancel)
            cancel->throwIfCancelled();
        const int64_t to = std::min(n, from + per);
        std::vector<int64_t> heads, rels, truth, offsets{0}, filtered;
        auto add = [&](int64_t h, int64_t r, int64_t answer, const std::vector<int64_t>& known) {
            heads.push_back(h);
            rels.push_back(r);
            truth.push_back(answer);
            for (const int64_t k : known)
                if (k != answer)
                    filtered.push_back(k);
            offsets.push_back(static_cast<int64_t>(filtered.size()));
        };
        for (int64_t i = from; i < to; ++i) {
            const int64_t h = acc[i][0], r = acc[i][1], t = acc[i][2];
            add(h, r, t, filter.tails(h, r));                  // (h, r, ?)
            add(t, r + numRelations, h, filter.heads(r, t));   // (t, r^-1, ?) = (?, r, t)
        }
        const auto q = queries(torch::tensor(heads, torch::kInt64).to(device), torch::tensor(rels, torch::kInt64).to(device));
        // Counts only: no [queries, entities] score matrix or mask (ml/fused_rank.h).
        const RankFilterCsr csr{torch::tensor(offsets, torch::kInt64), torch::tensor(filtered, torch::kInt64)};
        ranks.push_back(fusedFilteredRanks(q, candidates, bias, torch::tensor(truth, torch::kInt64).to(device), csr));
    }
    return ranks.empty() ? RankMetrics{} : rankMetrics(torch::cat(ranks));
}

RankMetrics rankMetrics(const torch::Tensor& ranks)
{
    RankMetrics m;
    if (ranks.numel() == 0)
        return m;
    m.queries = ranks.size(0);
    m.mrr = (1.0 / ranks).mean().item<double>();
    m.meanRank = ranks.mean().item<double>();
    m.hits1 = (ranks <= 1).to(torch::kFloat64).mean().item<double>();
    m.hits3 = (ranks <= 3).to(torch::kFloat64).mean().item<double>();
    m.hits10 = (ranks <= 10).to(torch::kFloat64).mean().item<double>();
    return m;
}

} // namespace kg::ml
