// The part of a project's graph that a view shows: a set of entities and triples, grown by
// expanding neighbourhoods page by page (so hub nodes never flood the view).
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/records.h"

namespace kg {

class Project;

class Subgraph {
public:
    const std::vector<int64_t>& nodes() const { return nodes_; }       // insertion order
    const std::vector<TripleRecord>& edges() const { return edges_; }  // insertion order
    bool hasNode(int64_t entity) const { return nodeSet_.count(entity) != 0; }
    bool hasEdge(int64_t triple) const { return edgeIndex_.count(triple) != 0; }
    bool empty() const { return nodes_.empty(); }

    bool addNode(int64_t entity);            // false if present
    bool addEdge(const TripleRecord& t);     // adds both ends; false if present
    void removeEdge(int64_t triple);
    void removeNode(int64_t entity);         // and its edges
    void clear();

    // Triples of `entity` already paged in by expand() (the next page starts there).
    int64_t expandedOffset(int64_t entity) const;

    // Undirected shortest path between two nodes over this subgraph's edges: the triple ids in
    // order from `from` to `to`. Empty if either is missing or they are not connected.
    std::vector<int64_t> shortestPath(int64_t from, int64_t to) const;

private:
    friend struct ExpandAccess;
    std::vector<int64_t> nodes_;
    std::unordered_set<int64_t> nodeSet_;
    std::vector<TripleRecord> edges_;
    std::unordered_map<int64_t, size_t> edgeIndex_; // triple id -> position in edges_
    std::unordered_map<int64_t, int64_t> expanded_;  // entity -> triples paged in
};

struct ExpandResult {
    int added = 0;         // new triples in the subgraph
    int64_t remaining = 0; // triples of the entity not yet paged in ("show more")
};

// Pages in up to `cap` more triples around `entity` (adds the entity itself too):
// applyPage(graph, readPage(project, entity, graph.expandedOffset(entity), cap)).
ExpandResult expand(Project& project, Subgraph& graph, int64_t entity, int cap);

// One page of an entity's triples, read apart from the view that will show it, so a GUI can
// read it on a worker (with that thread's own connection) and apply it on its own thread.
struct ExpandPage {
    int64_t entity = 0;
    int64_t offset = 0;                // the entity's expandedOffset() the page was read at
    std::vector<TripleRecord> triples; // the next triples around the entity, from offset
    int64_t degree = 0;                // the entity's triples in the project
};
ExpandPage readPage(Project& project, int64_t entity, int64_t offset, int cap);
// Adds the page to the view and moves the entity's offset past it. A page read at another
// offset than the entity's current one (the view paged or was cleared meanwhile) adds nothing
// and returns nullopt.
std::optional<ExpandResult> applyPage(Subgraph& graph, const ExpandPage& page);

// Breadth-first neighbourhood of `seed`: expands nodes in BFS order, at most `perNodeCap`
// triples each, until the subgraph holds `maxNodes` nodes (triples to further nodes are then
// only kept between nodes already present).
Subgraph neighbourhood(Project& project, int64_t seed, size_t maxNodes, int perNodeCap);

} // namespace kg
