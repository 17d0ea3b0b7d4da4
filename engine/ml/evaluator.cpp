#include "ml/evaluator.h"

#include "core/error.h"
#include "io/byte_source.h"
#include "io/line_reader.h"
#include "ml/fused_rank.h"
#include "store/project.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <limits>

namespace kg::ml {

FilterIndex::FilterIndex(const KgData& data, const torch::Tensor& extra)
    : numRelations_(data.numRelations)
{
    int64_t n = 0;
    std::vector<torch::Tensor> splits;
    for (const torch::Tensor* split : {&data.train, &data.valid, &data.test, &extra})
        if (split->defined() && split->size(0) > 0) {
            splits.push_back(split->to(torch::kCPU).contiguous());
            n += split->size(0);
        }
    // One direction at a time: (key, answer) pairs, sorted. Sorted and unique answers: a triple
    // listed in two splits is still one known answer, and the counting rankers
    // (ml/fused_rank.h) take each listed id out once.
    for (const bool tails : {true, false}) {
        std::vector<std::pair<int64_t, int64_t>> pairs;
        pairs.reserve(static_cast<size_t>(n));
        auto add = [&](const auto* p, int64_t rows) {
            for (int64_t i = 0; i < rows; ++i) {
                const int64_t h = p[3 * i], r = p[3 * i + 1], tl = p[3 * i + 2];
                pairs.emplace_back(tails ? h * numRelations_ + r : tl * numRelations_ + r, tails ? tl : h);
            }
        };
        for (const auto& t : splits) // a compact train is int32 (KgData::Load)
            t.scalar_type() == torch::kInt32 ? add(t.data_ptr<int32_t>(), t.size(0)) : add(t.data_ptr<int64_t>(), t.size(0));
        std::sort(pairs.begin(), pairs.end());
        pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
        Csr& csr = tails ? tails_ : heads_;
        csr.values.reserve(pairs.size());
        for (const auto& [key, answer] : pairs) {
            if (csr.keys.empty() || csr.keys.back() != key) {
                csr.keys.push_back(key);
                csr.offsets.push_back(static_cast<int64_t>(csr.values.size()));
            }
            csr.values.push_back(answer);
        }
        csr.offsets.push_back(static_cast<int64_t>(csr.values.size()));
    }
}

FilterIndex::Ids FilterIndex::Csr::find(int64_t key) const
{
    const auto it = std::lower_bound(keys.begin(), keys.end(), key);
    if (it == keys.end() || *it != key)
        return {};
    const auto i = static_cast<size_t>(it - keys.begin());
    return {values.data() + offsets[i], values.data() + offsets[i + 1]};
}

torch::Tensor readKnownTriples(Project& project, const KgData& data, const std::string& path, int64_t* skipped)
{
    // Dense id of each key (-1: not in this project's graph), looked up once per key.
    std::unordered_map<std::string, int64_t> entities, relations;
    auto dense = [&](std::string_view key, bool relation) {
        auto& cache = relation ? relations : entities;
        const auto [it, fresh] = cache.try_emplace(std::string(key), -1);
        if (fresh) {
            std::optional<int64_t> id;
            if (relation) {
                if (const auto r = project.relationByKey(it->first))
                    id = r->id;
            } else if (const auto e = project.entityByKey(it->first)) {
                id = e->id;
            }
            const auto& index = relation ? data.relationIndex : data.entityIndex;
            if (const auto d = id ? index.find(*id) : index.end(); d != index.end())
                it->second = d->second;
        }
        return it->second;
    };
    io::FileSource src(path);
    io::LineReader reader(src, 1 << 20);
    io::LineReader::Line line;
    std::vector<int64_t> ids;
    int64_t missing = 0;
    while (reader.next(line)) {
        const std::string_view text = line.text;
        if (text.empty() && !line.tooLong)
            continue;
        const auto a = text.find('\t'), b = a == std::string_view::npos ? a : text.find('\t', a + 1);
        if (line.tooLong || b == std::string_view::npos || text.find('\t', b + 1) != std::string_view::npos)
            throw Error(Errc::Parse, "expected head<TAB>relation<TAB>tail", SourceLocation{path, line.number, 0});
        const int64_t h = dense(text.substr(0, a), false), r = dense(text.substr(a + 1, b - a - 1), true),
                      t = dense(text.substr(b + 1), false);
        if (h < 0 || r < 0 || t < 0) {
            ++missing;
            continue;
        }
        ids.insert(ids.end(), {h, r, t});
    }
    if (skipped)
        *skipped = missing;
    return torch::tensor(ids, torch::kInt64).view({-1, 3});
}

namespace {

// The filtered ids of each query of `batch` as CSR (the query's own answer left out).
RankFilterCsr filterCsr(const torch::Tensor& batch, const FilterIndex& filter, bool tails)
{
    std::vector<int64_t> offsets{0}, ids;
    const int64_t* p = batch.data_ptr<int64_t>();
    for (int64_t i = 0; i < batch.size(0); ++i) {
        const int64_t h = p[3 * i], r = p[3 * i + 1], t = p[3 * i + 2];
        const int64_t answer = tails ? t : h;
        for (int64_t k : tails ? filter.tails(h, r) : filter.heads(r, t))
            if (k != answer)
                ids.push_back(k);
        offsets.push_back(static_cast<int64_t>(ids.size()));
    }
    return {torch::tensor(offsets, torch::kInt64), torch::tensor(ids, torch::kInt64)};
}

// Runs rank(batch on the CPU, the same on the model's device) over batches of `triples`.
template <typename Rank>
torch::Tensor overBatches(const KgeModel& model, const torch::Tensor& triples, int64_t batchSize,
                          const CancelToken* cancel, Rank rank)
{
    torch::NoGradGuard noGrad;
    const auto device = model->allEntities().device();
    const auto cpu = triples.to(torch::kCPU).contiguous();
    std::vector<torch::Tensor> ranks;
    for (int64_t start = 0; start < cpu.size(0); start += batchSize) {
        if (cancel)
            cancel->throwIfCancelled();
        const auto batch = cpu.narrow(0, start, std::min(batchSize, cpu.size(0) - start));
        ranks.push_back(rank(batch, batch.to(device)));
    }
    return ranks.empty() ? torch::empty({0}, torch::kFloat64) : torch::cat(ranks);
}

} // namespace

torch::Tensor filteredRanks(const KgeModel& model, const torch::Tensor& triples, const FilterIndex& filter,
                            bool tails, int64_t batchSize, const CancelToken* cancel)
{
    // Dot-product scorers are ranked by counting (ml/fused_rank.h): one pass over each score
    // block counts higher and equal scores and skips the filtered ids, instead of a mask
    // written into a [batch, entities] matrix and two more passes over it (fb15k-237 test,
    // ComplEx d200, 2 cores: 3.0 s instead of 6.0 s).
    if (model->kind() != ModelKind::DistMult && model->kind() != ModelKind::ComplEx)
        return scoreMatrixRanks(model, triples, filter, tails, batchSize, cancel);
    return overBatches(model, triples, batchSize, cancel, [&](const torch::Tensor& batch, const torch::Tensor& dev) {
        const auto h = dev.select(1, 0), r = dev.select(1, 1), t = dev.select(1, 2);
        const auto q = tails ? model->tailQuery(h, r) : model->headQuery(r, t);
        return fusedFilteredRanks(q, model->allEntities(), torch::Tensor(), tails ? t : h, filterCsr(batch, filter, tails));
    });
}

torch::Tensor scoreMatrixRanks(const KgeModel& model, const torch::Tensor& triples, const FilterIndex& filter,
                               bool tails, int64_t batchSize, const CancelToken* cancel)
{
    return overBatches(model, triples, batchSize, cancel, [&](const torch::Tensor& batch, const torch::Tensor& dev) {
        const auto h = dev.select(1, 0), r = dev.select(1, 1), t = dev.select(1, 2);
        auto scores = tails ? model->scoreAllTails(h, r) : model->scoreAllHeads(r, t);
        const auto trueScore = scores.gather(1, (tails ? t : h).unsqueeze(1));
        // Remove the other known answers.
        const auto csr = filterCsr(batch, filter, tails);
        if (csr.ids.numel() > 0) {
            const auto counts = csr.offsets.narrow(0, 1, batch.size(0)) - csr.offsets.narrow(0, 0, batch.size(0));
            const auto rows = torch::repeat_interleave(torch::arange(batch.size(0), counts.options()), counts);
            scores.index_put_({rows.to(dev.device()), csr.ids.to(dev.device())}, -std::numeric_limits<float>::infinity());
        }
        const auto greater = (scores > trueScore).sum(1).to(torch::kFloat64);
        const auto equal = (scores == trueScore).sum(1).to(torch::kFloat64) - 1; // minus itself
        return (1 + greater + 0.5 * equal).to(torch::kCPU);
    });
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
        auto add = [&](int64_t h, int64_t r, int64_t answer, FilterIndex::Ids known) {
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
