// An in-memory, read-only adjacency of a project's triples for reasoning: out- and in-edges
// per entity in CSR form (entity and relation ids are the project's). Built once (about
// 0.1 s for fb15k-237); all queries after that are lock-free and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "store/records.h"

namespace kg {
class Project;
}

namespace kg::reason {

struct Edge {
    int64_t relation = 0;
    int64_t other = 0;  // the tail for out-edges, the head for in-edges
    int64_t triple = 0; // triple id in the project
};

class GraphIndex {
public:
    // Triples of the given splits (default: train only, so test answers are not looked up).
    static GraphIndex fromProject(Project& project, std::vector<Split> splits = {Split::Train});
    // For tests: explicit triples (ids are their positions).
    static GraphIndex fromTriples(const std::vector<TripleRecord>& triples);

    // Edges sorted by relation, then other end.
    std::span<const Edge> out(int64_t entity) const;
    std::span<const Edge> in(int64_t entity) const;
    // The out-edges of one relation only (tails ascending).
    std::span<const Edge> out(int64_t entity, int64_t relation) const { return ofRelation(out(entity), relation); }
    bool has(int64_t head, int64_t relation, int64_t tail) const;
    std::optional<int64_t> tripleId(int64_t head, int64_t relation, int64_t tail) const;
    const std::vector<int64_t>& relations() const { return relations_; }
    // Heads (or tails) of every triple of a relation.
    const std::vector<std::pair<int64_t, int64_t>>& pairs(int64_t relation) const;
    size_t tripleCount() const { return count_; }

private:
    using Ranges = std::unordered_map<int64_t, std::pair<uint32_t, uint32_t>>; // entity -> [from, to)
    using DenseRanges = std::vector<std::pair<uint32_t, uint32_t>>;            // the same, by id
    void build(const std::vector<TripleRecord>& triples);
    static std::span<const Edge> edges(const std::vector<Edge>& all, const Ranges& byHash, const DenseRanges& dense,
                                       int64_t entity);
    static std::span<const Edge> ofRelation(std::span<const Edge> edges, int64_t relation);
    Ranges outRange_, inRange_;      // when ids are sparse
    DenseRanges denseOut_, denseIn_; // when they are nearly dense (then the maps are empty)
    std::vector<Edge> outEdges_, inEdges_;
    std::vector<int64_t> relations_;
    std::unordered_map<int64_t, std::vector<std::pair<int64_t, int64_t>>> pairs_;
    std::vector<std::pair<int64_t, int64_t>> none_;
    size_t count_ = 0;
};

} // namespace kg::reason
