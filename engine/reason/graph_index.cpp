#include "reason/graph_index.h"

#include <algorithm>

#include "store/project.h"

namespace kg::reason {

GraphIndex GraphIndex::fromProject(Project& project, std::vector<Split> splits)
{
    std::vector<TripleRecord> triples;
    project.scanGraph({}, {}, [&](const TripleRecord& t) {
        if (std::find(splits.begin(), splits.end(), t.split) != splits.end())
            triples.push_back(t);
    });
    GraphIndex g;
    g.build(triples);
    return g;
}

GraphIndex GraphIndex::fromTriples(const std::vector<TripleRecord>& triples)
{
    GraphIndex g;
    g.build(triples);
    return g;
}

void GraphIndex::build(const std::vector<TripleRecord>& triples)
{
    count_ = triples.size();
    auto fill = [&](bool outgoing, std::vector<Edge>& edges, std::unordered_map<int64_t, std::pair<uint32_t, uint32_t>>& range) {
        std::vector<std::pair<int64_t, Edge>> keyed;
        keyed.reserve(triples.size());
        for (const auto& t : triples)
            keyed.push_back({outgoing ? t.head : t.tail, Edge{t.rel, outgoing ? t.tail : t.head, t.id}});
        std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first
                   : a.second.relation != b.second.relation ? a.second.relation < b.second.relation
                                                            : a.second.other < b.second.other;
        });
        edges.resize(keyed.size());
        for (size_t i = 0; i < keyed.size(); ++i) {
            edges[i] = keyed[i].second;
            auto& r = range[keyed[i].first];
            if (r.second == 0)
                r.first = static_cast<uint32_t>(i);
            r.second = static_cast<uint32_t>(i + 1);
        }
    };
    fill(true, outEdges_, outRange_);
    fill(false, inEdges_, inRange_);
    // A project's entity ids are row ids, nearly dense: then the ranges are indexed by id (a
    // hash lookup per node and step was a sixth of rule mining on fb15k-237).
    int64_t maxId = -1;
    bool negative = false;
    for (const auto* range : {&outRange_, &inRange_})
        for (const auto& [id, r] : *range) {
            maxId = std::max(maxId, id);
            negative = negative || id < 0;
        }
    const size_t entities = std::max(outRange_.size(), inRange_.size());
    if (!negative && maxId >= 0 && static_cast<size_t>(maxId) < 2 * entities + 4096) {
        auto densify = [&](std::unordered_map<int64_t, std::pair<uint32_t, uint32_t>>& range,
                           std::vector<std::pair<uint32_t, uint32_t>>& dense) {
            dense.assign(static_cast<size_t>(maxId) + 1, {0, 0});
            for (const auto& [id, r] : range)
                dense[static_cast<size_t>(id)] = r;
            range.clear();
        };
        densify(outRange_, denseOut_);
        densify(inRange_, denseIn_);
    }
    for (const auto& t : triples)
        pairs_[t.rel].push_back({t.head, t.tail});
    for (const auto& [r, p] : pairs_)
        relations_.push_back(r);
    std::sort(relations_.begin(), relations_.end());
}

std::span<const Edge> GraphIndex::edges(const std::vector<Edge>& all, const Ranges& byHash, const DenseRanges& dense,
                                        int64_t entity)
{
    std::pair<uint32_t, uint32_t> r{0, 0};
    if (!dense.empty()) {
        if (entity >= 0 && static_cast<size_t>(entity) < dense.size())
            r = dense[static_cast<size_t>(entity)];
    } else if (const auto it = byHash.find(entity); it != byHash.end()) {
        r = it->second;
    }
    return {all.data() + r.first, r.second - r.first};
}

std::span<const Edge> GraphIndex::out(int64_t entity) const { return edges(outEdges_, outRange_, denseOut_, entity); }

std::span<const Edge> GraphIndex::in(int64_t entity) const { return edges(inEdges_, inRange_, denseIn_, entity); }

std::span<const Edge> GraphIndex::ofRelation(std::span<const Edge> edges, int64_t relation)
{
    const auto lo = std::lower_bound(edges.begin(), edges.end(), relation,
                                     [](const Edge& e, int64_t rel) { return e.relation < rel; });
    const auto hi = std::upper_bound(lo, edges.end(), relation,
                                     [](int64_t rel, const Edge& e) { return rel < e.relation; });
    return {lo, hi};
}

std::optional<int64_t> GraphIndex::tripleId(int64_t head, int64_t relation, int64_t tail) const
{
    const auto edges = out(head, relation);
    const auto it = std::lower_bound(edges.begin(), edges.end(), tail,
                                     [](const Edge& e, int64_t other) { return e.other < other; });
    if (it != edges.end() && it->other == tail)
        return it->triple;
    return std::nullopt;
}

bool GraphIndex::has(int64_t head, int64_t relation, int64_t tail) const
{
    return tripleId(head, relation, tail).has_value();
}

const std::vector<std::pair<int64_t, int64_t>>& GraphIndex::pairs(int64_t relation) const
{
    const auto it = pairs_.find(relation);
    return it == pairs_.end() ? none_ : it->second;
}

} // namespace kg::reason
