// Cached graph layouts kept in the project (table `layouts`, schema v3) as opaque text keyed
// by the layout's key; least recently used entries are evicted. engine/layout/ owns the
// format (layout/layout_cache.h); this owns the SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kg {

class Project;

class LayoutStore {
public:
    explicit LayoutStore(Project& project);
    // The entry's data, marked as just used; nullopt if there is none.
    std::optional<std::string> get(const std::string& key);
    // Stores (or replaces) an entry, then keeps only the maxEntries most recently used.
    void put(const std::string& key, const std::string& algorithm, int64_t nodes, const std::string& data,
             int maxEntries);
    void remove(const std::string& key);
    int count();

private:
    Project& project_;
};

} // namespace kg
