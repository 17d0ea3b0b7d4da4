#include "layout/graph_layout.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_set>

#include "core/error.h"

namespace kg::layout {
namespace {

// The one owner of Graphviz in this process: a GVC context created on first use, and the
// mutex every cgraph/gvc call runs under.
class GraphvizOwner {
public:
    static GraphvizOwner& instance()
    {
        static GraphvizOwner owner;
        return owner;
    }
    std::mutex& mutex() { return mutex_; }
    GVC_t* context() { return gvc_.get(); }

private:
    GraphvizOwner()
        : gvc_(gvContext(), &gvFreeContext)
    {
        if (!gvc_)
            throw Error(Errc::Library, "Graphviz: gvContext() failed");
    }
    std::mutex mutex_;
    std::unique_ptr<GVC_t, int (*)(GVC_t*)> gvc_;
};

struct GraphCloser {
    void operator()(Agraph_t* g) const { agclose(g); }
};
using GraphPtr = std::unique_ptr<Agraph_t, GraphCloser>;

// Frees the layout (not the graph) when the scope ends, also on exceptions.
class LayoutGuard {
public:
    LayoutGuard(GVC_t* gvc, Agraph_t* g)
        : gvc_(gvc)
        , g_(g)
    {
    }
    ~LayoutGuard() { gvFreeLayout(gvc_, g_); }
    LayoutGuard(const LayoutGuard&) = delete;
    LayoutGuard& operator=(const LayoutGuard&) = delete;

private:
    GVC_t* gvc_;
    Agraph_t* g_;
};

char* cs(const char* s) { return const_cast<char*>(s); } // cgraph's API predates const

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

} // namespace

const char* algorithmName(Algorithm a)
{
    switch (a) {
    case Algorithm::Dot: return "dot";
    case Algorithm::Neato: return "neato";
    case Algorithm::Fdp: return "fdp";
    case Algorithm::Sfdp: return "sfdp";
    case Algorithm::Circo: return "circo";
    }
    return "?";
}

bool canPin(Algorithm a) { return a == Algorithm::Neato || a == Algorithm::Fdp || a == Algorithm::Sfdp; }

std::optional<Algorithm> parseAlgorithm(const std::string& name)
{
    for (Algorithm a : {Algorithm::Dot, Algorithm::Neato, Algorithm::Fdp, Algorithm::Sfdp, Algorithm::Circo})
        if (name == algorithmName(a))
            return a;
    return std::nullopt;
}

namespace {

// Room kept around each node by overlap removal, in points: Graphviz' own (sep, default 4)
// leaves neighbours so close that their edges are shorter than a relation's label (the
// explorer draws labels along edges: widgets/graph/edge_labels.h).
constexpr double kNodeMargin = 24;
// Bump when a change to the settings here changes the layouts, so project caches recompute.
constexpr int64_t kLayoutSettings = 2; // 2: kNodeMargin 24 (was Graphviz' 4)

// Overlap removal that moves only the nodes that are not pinned (Graphviz' own would move the
// pinned ones as well): each free node that overlaps a node already placed (pinned ones first)
// goes to the nearest free spot on rings around where Graphviz put it. Edges of moved nodes
// lose their route (drawn straight).
void separateFreeNodes(const LayoutInput& input, LayoutResult& result)
{
    constexpr double gap = 2 * kNodeMargin; // between two nodes: the margin of each
    std::vector<const LayoutNode*> placed, free;
    for (const auto& n : input.nodes)
        (n.pinned ? placed : free).push_back(&n);
    auto clashes = [&](const LayoutNode& u, Point p) {
        for (const LayoutNode* v : placed) {
            const Point& q = result.nodes[v->id];
            if (std::abs(p.x - q.x) < (u.width + v->width) / 2 + gap && std::abs(p.y - q.y) < (u.height + v->height) / 2 + gap)
                return true;
        }
        return false;
    };
    std::unordered_set<int64_t> moved;
    for (const LayoutNode* u : free) {
        Point& p = result.nodes[u->id];
        if (clashes(*u, p)) {
            const Point from = p;
            bool found = false;
            for (int ring = 1; !found && ring < 400; ++ring) {
                const double radius = 8.0 * ring;
                const int steps = 8 + 4 * ring;
                for (int k = 0; k < steps && !found; ++k) {
                    const double a = 2 * M_PI * k / steps;
                    const Point c{from.x + radius * std::cos(a), from.y + radius * std::sin(a)};
                    if (!clashes(*u, c)) {
                        p = c;
                        found = true;
                    }
                }
            }
            moved.insert(u->id);
        }
        placed.push_back(u);
    }
    if (moved.empty())
        return;
    for (const auto& e : input.edges)
        if (moved.count(e.from) || moved.count(e.to))
            result.edges[e.id].clear();
    double maxX = 0, maxY = 0;
    for (const auto& n : input.nodes) {
        const Point& p = result.nodes[n.id];
        maxX = std::max(maxX, p.x + n.width / 2);
        maxY = std::max(maxY, p.y + n.height / 2);
    }
    result.width = std::max(result.width, maxX);
    result.height = std::max(result.height, maxY);
}

} // namespace

LayoutResult computeLayout(const LayoutInput& input, const CancelToken* cancel)
{
    if (cancel)
        cancel->throwIfCancelled();
    LayoutResult result;
    if (input.nodes.empty())
        return result;
    const bool pinning = canPin(input.algorithm) && std::any_of(input.nodes.begin(), input.nodes.end(),
                                               [](const LayoutNode& n) { return n.pinned.has_value(); });
    const Algorithm algorithm = pinning && input.algorithm == Algorithm::Sfdp ? Algorithm::Fdp : input.algorithm;
    GraphvizOwner& gv = GraphvizOwner::instance();
    std::lock_guard lock(gv.mutex());
    GraphPtr g(agopen(cs("kg"), Agdirected, nullptr));
    if (!g)
        throw Error(Errc::Library, "Graphviz: agopen failed");
    agattr(g.get(), AGRAPH, cs("overlap"), cs(input.algorithm == Algorithm::Dot ? "true" : "prism"));
    agattr(g.get(), AGRAPH, cs("splines"), cs(input.algorithm == Algorithm::Dot ? "true" : "false"));
    agattr(g.get(), AGRAPH, cs("nodesep"), cs("0.3"));
    agattr(g.get(), AGRAPH, cs("start"), cs("42")); // fixed seed: the same input gives the same picture
    agattr(g.get(), AGNODE, cs("shape"), cs("ellipse"));
    agattr(g.get(), AGNODE, cs("fixedsize"), cs("true"));
    agattr(g.get(), AGNODE, cs("width"), cs("0.75"));
    agattr(g.get(), AGNODE, cs("height"), cs("0.5"));
    agattr(g.get(), AGNODE, cs("label"), cs(""));
    if (input.algorithm == Algorithm::Sfdp || input.algorithm == Algorithm::Fdp)
        agattr(g.get(), AGEDGE, cs("len"), cs("1.5"));
    if (input.algorithm != Algorithm::Dot) { // dot spaces ranks itself (nodesep, ranksep)
        std::string sep = num(kNodeMargin); // "+24": a margin in points (GCC 12 warns falsely on "+" + num())
        sep.insert(sep.begin(), '+');
        agattr(g.get(), AGRAPH, cs("sep"), cs(sep.c_str()));
    }
    if (pinning) {
        // Graphviz' overlap removal would move pinned nodes too (by 28 points in a test):
        // separateFreeNodes() does it afterwards, moving only the new nodes.
        agattr(g.get(), AGRAPH, cs("overlap"), cs("true"));
        agattr(g.get(), AGRAPH, cs("inputscale"), cs("72")); // pos in points
        agattr(g.get(), AGNODE, cs("pos"), cs(""));
        agattr(g.get(), AGNODE, cs("pin"), cs("false"));
    }

    std::unordered_map<int64_t, Agnode_t*> nodes;
    nodes.reserve(input.nodes.size());
    for (const auto& n : input.nodes) {
        Agnode_t* v = agnode(g.get(), cs(std::to_string(n.id).c_str()), 1);
        agsafeset(v, cs("width"), cs(num(n.width / 72.0).c_str()), cs("0.75"));
        agsafeset(v, cs("height"), cs(num(n.height / 72.0).c_str()), cs("0.5"));
        if (pinning && n.pinned) { // Graphviz' y points up
            agset(v, cs("pos"), cs((num(n.pinned->x) + "," + num(-n.pinned->y) + "!").c_str()));
            agset(v, cs("pin"), cs("true"));
        }
        nodes[n.id] = v;
    }
    std::vector<std::pair<int64_t, Agedge_t*>> edges;
    edges.reserve(input.edges.size());
    for (const auto& e : input.edges) {
        const auto a = nodes.find(e.from), b = nodes.find(e.to);
        if (a == nodes.end() || b == nodes.end())
            throw Error(Errc::InvalidArgument, "layout edge " + std::to_string(e.id) + " has an end that is not a node");
        std::string name = std::to_string(e.id); // (GCC 12 warns falsely on "e" + to_string)
        name.insert(name.begin(), 'e');
        edges.emplace_back(e.id, agedge(g.get(), a->second, b->second, cs(name.c_str()), 1));
    }
    if (cancel)
        cancel->throwIfCancelled();
    if (gvLayout(gv.context(), g.get(), algorithmName(algorithm)) != 0)
        throw Error(Errc::Library, std::string("Graphviz: layout with ") + algorithmName(algorithm) +
                                       " failed (is the plugin configured? run `dot -c`)");
    LayoutGuard freeLayout(gv.context(), g.get());
    if (cancel)
        cancel->throwIfCancelled();
    const boxf bb = GD_bb(g.get());
    result.width = bb.UR.x - bb.LL.x;
    result.height = bb.UR.y - bb.LL.y;
    // Into Qt's frame (y down) with the origin at the top left; with pinned nodes, shifted so
    // that they land where they were pinned (pinned nodes keep their relative places, so the
    // mean offset over them is their common one).
    Point shift{-bb.LL.x, bb.UR.y};
    if (pinning) {
        double dx = 0, dy = 0;
        int count = 0;
        for (const auto& n : input.nodes)
            if (n.pinned) {
                const pointf c = ND_coord(nodes.at(n.id));
                dx += n.pinned->x - c.x;
                dy += n.pinned->y + c.y;
                ++count;
            }
        shift = {dx / count, dy / count};
    }
    auto flip = [&](pointf p) { return Point{p.x + shift.x, shift.y - p.y}; };
    for (const auto& [id, v] : nodes)
        result.nodes[id] = flip(ND_coord(v));
    for (const auto& [id, e] : edges) {
        const splines* spl = ED_spl(e);
        auto& pts = result.edges[id];
        if (spl && spl->size > 0)
            for (size_t i = 0; i < static_cast<size_t>(spl->list[0].size); ++i)
                pts.push_back(flip(spl->list[0].list[i]));
    }
    if (pinning)
        separateFreeNodes(input, result);
    return result;
}

std::string layoutKey(const LayoutInput& input)
{
    // FNV-1a over a canonical description (nodes and edges sorted by id).
    std::vector<LayoutNode> nodes = input.nodes;
    std::vector<LayoutEdge> edges = input.edges;
    std::sort(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](int64_t v) {
        for (int i = 0; i < 8; ++i) {
            h ^= static_cast<uint64_t>(v >> (8 * i)) & 0xff;
            h *= 1099511628211ull;
        }
    };
    mix(kLayoutSettings); // layouts cached under older settings are not reused
    for (const auto& n : nodes) {
        mix(n.id);
        mix(static_cast<int64_t>(n.width * 10));
        mix(static_cast<int64_t>(n.height * 10));
        if (n.pinned) {
            mix(static_cast<int64_t>(std::llround(n.pinned->x * 10)));
            mix(static_cast<int64_t>(std::llround(n.pinned->y * 10)));
        }
    }
    mix(-1);
    for (const auto& e : edges) {
        mix(e.id);
        mix(e.from);
        mix(e.to);
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s:%zu:%zu:%016llx", algorithmName(input.algorithm), nodes.size(), edges.size(),
                  static_cast<unsigned long long>(h));
    return buf;
}

std::string serialize(const LayoutResult& r)
{
    std::ostringstream out;
    out.precision(10);
    out << "KGL1 " << r.width << ' ' << r.height << ' ' << r.nodes.size() << ' ' << r.edges.size() << '\n';
    for (const auto& [id, p] : r.nodes)
        out << id << ' ' << p.x << ' ' << p.y << '\n';
    for (const auto& [id, pts] : r.edges) {
        out << id << ' ' << pts.size();
        for (const auto& p : pts)
            out << ' ' << p.x << ' ' << p.y;
        out << '\n';
    }
    return out.str();
}

LayoutResult deserialize(const std::string& data)
{
    std::istringstream in(data);
    std::string magic;
    size_t nodes = 0, edges = 0;
    LayoutResult r;
    in >> magic >> r.width >> r.height >> nodes >> edges;
    if (!in || magic != "KGL1" || nodes > data.size() || edges > data.size())
        throw Error(Errc::Format, "cached layout has a bad header");
    for (size_t i = 0; i < nodes; ++i) {
        int64_t id = 0;
        Point p;
        in >> id >> p.x >> p.y;
        r.nodes[id] = p;
    }
    for (size_t i = 0; i < edges; ++i) {
        int64_t id = 0;
        size_t n = 0;
        in >> id >> n;
        if (!in || n > data.size())
            break;
        auto& pts = r.edges[id];
        pts.resize(n);
        for (auto& p : pts)
            in >> p.x >> p.y;
    }
    if (!in)
        throw Error(Errc::Format, "cached layout is truncated");
    return r;
}

} // namespace kg::layout
