#include "graph/graph_export.h"

#include <unordered_map>

#include "store/project.h"

#include <cstdio>
#include <fstream>

#include "core/error.h"

namespace kg::graph {
namespace {

std::ofstream openOut(const std::string& path)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw Error(Errc::Io, "cannot write '" + path + "'");
    return out;
}

void finish(std::ofstream& out, const std::string& path)
{
    out.flush();
    if (!out)
        throw Error(Errc::Io, "writing '" + path + "' failed");
}

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

} // namespace

std::string xmlEscape(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

void writeGraphMl(const std::string& path, const std::vector<ExportNode>& nodes, const std::vector<ExportEdge>& edges)
{
    auto out = openOut(path);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n";
    const char* keys[][4] = {{"key", "node", "key", "string"},          {"label", "node", "label", "string"},
                             {"x", "node", "x", "double"},              {"y", "node", "y", "double"},
                             {"relation", "edge", "relation", "string"}, {"color", "edge", "color", "string"},
                             {"split", "edge", "split", "string"}};
    for (const auto& k : keys)
        out << "  <key id=\"" << k[0] << "\" for=\"" << k[1] << "\" attr.name=\"" << k[2] << "\" attr.type=\"" << k[3]
            << "\"/>\n";
    out << "  <graph id=\"G\" edgedefault=\"directed\">\n";
    auto data = [&](const char* key, const std::string& value) {
        out << "      <data key=\"" << key << "\">" << xmlEscape(value) << "</data>\n";
    };
    for (const auto& n : nodes) {
        out << "    <node id=\"n" << n.id << "\">\n";
        data("key", n.key);
        data("label", n.label);
        if (n.x && n.y) {
            data("x", number(*n.x));
            data("y", number(*n.y));
        }
        out << "    </node>\n";
    }
    for (const auto& e : edges) {
        out << "    <edge id=\"t" << e.id << "\" source=\"n" << e.head << "\" target=\"n" << e.tail << "\">\n";
        data("relation", e.relation);
        data("color", e.color);
        data("split", e.split);
        out << "    </edge>\n";
    }
    out << "  </graph>\n</graphml>\n";
    finish(out, path);
}

void writeTsv(const std::string& path, const std::vector<ExportEdge>& edges)
{
    auto out = openOut(path);
    for (const auto& e : edges)
        if (!e.headKey.empty() && !e.relation.empty() && !e.tailKey.empty())
            out << e.headKey << '\t' << e.relation << '\t' << e.tailKey << '\n';
    finish(out, path);
}

int64_t writeProjectTsv(Project& project, const std::string& path, std::optional<Split> split)
{
    auto out = openOut(path);
    std::unordered_map<int64_t, std::string> keys;
    auto key = [&](int64_t id, bool relation) -> const std::string& {
        const int64_t k = relation ? -1 - id : id; // one map, relations at negative slots
        auto it = keys.find(k);
        if (it == keys.end())
            it = keys.emplace(k, relation ? project.relation(id)->key : project.entity(id)->key).first;
        return it->second;
    };
    int64_t n = 0;
    for (int64_t after = 0;;) {
        const auto page = project.triplesAfter(after, 50000);
        if (page.empty())
            break;
        for (const auto& t : page)
            if (!split || t.split == *split) {
                out << key(t.head, false) << '\t' << key(t.rel, true) << '\t' << key(t.tail, false) << '\n';
                ++n;
            }
        after = page.back().id;
    }
    finish(out, path);
    return n;
}

} // namespace kg::graph
