#include "graph/subgraph.h"

#include <algorithm>
#include <deque>

#include "store/project.h"

namespace kg {

struct ExpandAccess {
    static int64_t& offset(Subgraph& g, int64_t entity) { return g.expanded_[entity]; }
};

bool Subgraph::addNode(int64_t entity)
{
    if (!nodeSet_.insert(entity).second)
        return false;
    nodes_.push_back(entity);
    return true;
}

bool Subgraph::addEdge(const TripleRecord& t)
{
    if (edgeIndex_.count(t.id))
        return false;
    addNode(t.head);
    addNode(t.tail);
    edgeIndex_[t.id] = edges_.size();
    edges_.push_back(t);
    return true;
}

void Subgraph::removeEdge(int64_t triple)
{
    const auto it = edgeIndex_.find(triple);
    if (it == edgeIndex_.end())
        return;
    const size_t pos = it->second;
    edgeIndex_.erase(it);
    edges_.erase(edges_.begin() + static_cast<std::ptrdiff_t>(pos));
    for (size_t i = pos; i < edges_.size(); ++i)
        edgeIndex_[edges_[i].id] = i;
}

void Subgraph::removeNode(int64_t entity)
{
    if (!nodeSet_.erase(entity))
        return;
    nodes_.erase(std::find(nodes_.begin(), nodes_.end(), entity));
    expanded_.erase(entity);
    std::vector<TripleRecord> kept;
    kept.reserve(edges_.size());
    for (const auto& e : edges_)
        if (e.head != entity && e.tail != entity)
            kept.push_back(e);
    edges_.swap(kept);
    edgeIndex_.clear();
    for (size_t i = 0; i < edges_.size(); ++i)
        edgeIndex_[edges_[i].id] = i;
}

void Subgraph::clear() { *this = Subgraph(); }

int64_t Subgraph::expandedOffset(int64_t entity) const
{
    const auto it = expanded_.find(entity);
    return it == expanded_.end() ? 0 : it->second;
}

std::vector<int64_t> Subgraph::shortestPath(int64_t from, int64_t to) const
{
    if (!hasNode(from) || !hasNode(to) || from == to)
        return {};
    std::unordered_map<int64_t, std::vector<const TripleRecord*>> adjacent;
    for (const auto& e : edges_) {
        adjacent[e.head].push_back(&e);
        adjacent[e.tail].push_back(&e);
    }
    std::unordered_map<int64_t, const TripleRecord*> via; // node -> edge it was reached by
    std::deque<int64_t> queue{from};
    via[from] = nullptr;
    while (!queue.empty() && !via.count(to)) {
        const int64_t n = queue.front();
        queue.pop_front();
        for (const TripleRecord* e : adjacent[n]) {
            const int64_t other = e->head == n ? e->tail : e->head;
            if (via.emplace(other, e).second)
                queue.push_back(other);
        }
    }
    if (!via.count(to))
        return {};
    std::vector<int64_t> path;
    for (int64_t n = to; n != from;) {
        const TripleRecord* e = via.at(n);
        path.push_back(e->id);
        n = e->head == n ? e->tail : e->head;
    }
    std::reverse(path.begin(), path.end());
    return path;
}

ExpandPage readPage(Project& project, int64_t entity, int64_t offset, int cap)
{
    ExpandPage page;
    page.entity = entity;
    page.offset = offset;
    page.triples = project.triplesAround(entity, cap, offset);
    page.degree = project.degree(entity);
    return page;
}

std::optional<ExpandResult> applyPage(Subgraph& graph, const ExpandPage& page)
{
    if (graph.expandedOffset(page.entity) != page.offset)
        return std::nullopt;
    ExpandResult r;
    graph.addNode(page.entity);
    int64_t& offset = ExpandAccess::offset(graph, page.entity);
    offset += static_cast<int64_t>(page.triples.size());
    for (const auto& t : page.triples)
        r.added += graph.addEdge(t) ? 1 : 0;
    r.remaining = std::max<int64_t>(0, page.degree - offset);
    return r;
}

ExpandResult expand(Project& project, Subgraph& graph, int64_t entity, int cap)
{
    return *applyPage(graph, readPage(project, entity, graph.expandedOffset(entity), cap));
}

Subgraph neighbourhood(Project& project, int64_t seed, size_t maxNodes, int perNodeCap)
{
    Subgraph g;
    g.addNode(seed);
    std::deque<int64_t> queue{seed};
    std::unordered_set<int64_t> seen{seed};
    while (!queue.empty()) {
        const int64_t n = queue.front();
        queue.pop_front();
        for (const auto& t : project.triplesAround(n, perNodeCap)) {
            const int64_t other = t.head == n ? t.tail : t.head;
            if (!g.hasNode(other) && g.nodes().size() >= maxNodes)
                continue;
            g.addEdge(t);
            if (seen.insert(other).second)
                queue.push_back(other);
        }
    }
    return g;
}

} // namespace kg
