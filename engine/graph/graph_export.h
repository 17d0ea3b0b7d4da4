// Writers for a subgraph as shown (GraphML with keys, labels, positions, relation and colour;
// TSV of keys), Qt-free so the CLI and the GUI share them. Throws Error(Io) when the file
// cannot be written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kg {
class Project;
enum class Split : int;
}

namespace kg::graph {

struct ExportNode {
    int64_t id = 0;
    std::string key, label;
    std::optional<double> x, y; // the drawn position, if any
};

struct ExportEdge {
    int64_t id = 0, head = 0, tail = 0;
    std::string headKey, relation, tailKey; // relation: its key
    std::string color;                      // "#rrggbb"
    std::string split;                      // train | valid | test
};

void writeGraphMl(const std::string& path, const std::vector<ExportNode>& nodes, const std::vector<ExportEdge>& edges);
// One "head<TAB>relation<TAB>tail" line of keys per edge (re-importable).
void writeTsv(const std::string& path, const std::vector<ExportEdge>& edges);
// Every triple of a project (or of one split) as key TSV, re-importable; returns the count.
int64_t writeProjectTsv(Project& project, const std::string& path, std::optional<Split> split = std::nullopt);
// XML character data with &, <, >, " and ' escaped (exposed for tests).
std::string xmlEscape(const std::string& text);

} // namespace kg::graph
