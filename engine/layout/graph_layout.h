// Graph layout with Graphviz (cgraph + gvc). cgraph and gvc are not thread-safe: every call
// goes through one process-wide owner that holds one mutex (see graphviz_owner.cpp), so
// layouts from several threads serialise. Coordinates are points with y pointing down (Qt).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/cancel.h"

namespace kg::layout {

enum class Algorithm { Dot, Neato, Fdp, Sfdp, Circo };

const char* algorithmName(Algorithm a);                    // "dot", "neato", ...
// Whether the engine can keep pinned nodes in place (neato, fdp; sfdp runs as fdp).
bool canPin(Algorithm a);
std::optional<Algorithm> parseAlgorithm(const std::string& name);

struct Point {
    double x = 0, y = 0;
};

struct LayoutNode {
    int64_t id = 0;
    double width = 54, height = 36; // points (Graphviz' default node is 0.75 x 0.5 in)
    std::optional<Point> pinned;    // neato/fdp: the node stays here (incremental layout)
};

struct LayoutEdge {
    int64_t id = 0;
    int64_t from = 0, to = 0;
};

struct LayoutInput {
    Algorithm algorithm = Algorithm::Sfdp;
    std::vector<LayoutNode> nodes;
    std::vector<LayoutEdge> edges; // endpoints must be nodes; parallel edges and loops allowed
};

struct LayoutResult {
    std::unordered_map<int64_t, Point> nodes;              // centres
    std::unordered_map<int64_t, std::vector<Point>> edges; // cubic Bézier points (1 + 3k), may be empty
    double width = 0, height = 0;                          // bounding box
};

// Runs the layout. With pinned nodes, neato and fdp (sfdp runs as fdp, which can pin) place
// only the others, and the result is in the pinned nodes' own frame: they come back where
// they were. dot and circo cannot pin: they lay out everything.
// Throws Error(InvalidArgument) for an edge with unknown endpoints,
// Error(Library) if Graphviz fails, and Error(Cancelled) if `cancel` fires before or after the
// Graphviz call (the call itself cannot be interrupted: cancelled results are dropped).
LayoutResult computeLayout(const LayoutInput& input, const CancelToken* cancel = nullptr);

// Stable key of an input for the layout cache: algorithm, node ids and sizes, edge ids and ends.
std::string layoutKey(const LayoutInput& input);

// Compact text form for the project's layout cache; parse throws Error(Format).
std::string serialize(const LayoutResult& result);
LayoutResult deserialize(const std::string& data);

} // namespace kg::layout
