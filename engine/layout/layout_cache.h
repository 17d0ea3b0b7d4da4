// Layouts cached in the project (store/layout_store.h), keyed by layoutKey(), so that
// reopening a view of the same nodes and edges shows the same picture without recomputing.
#pragma once

#include <optional>
#include <string>

#include "layout/graph_layout.h"

namespace kg {
class Project;
}

namespace kg::layout {

class LayoutCache {
public:
    explicit LayoutCache(Project& project, int maxEntries = 200);
    // A damaged entry is dropped and reported as a miss.
    std::optional<LayoutResult> find(const std::string& key);
    // Stores (or replaces) an entry and evicts the least recently used beyond maxEntries.
    void store(const std::string& key, Algorithm algorithm, const LayoutResult& result);
    int size();

private:
    Project& project_;
    int maxEntries_;
};

} // namespace kg::layout
