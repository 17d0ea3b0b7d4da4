#include "layout/layout_cache.h"

#include "core/error.h"
#include "store/layout_store.h"

namespace kg::layout {

LayoutCache::LayoutCache(Project& project, int maxEntries)
    : project_(project)
    , maxEntries_(maxEntries)
{
}

std::optional<LayoutResult> LayoutCache::find(const std::string& key)
{
    LayoutStore store(project_);
    const auto data = store.get(key);
    if (!data)
        return std::nullopt;
    try {
        return deserialize(*data);
    } catch (const Error&) {
        store.remove(key);
        return std::nullopt;
    }
}

void LayoutCache::store(const std::string& key, Algorithm algorithm, const LayoutResult& result)
{
    LayoutStore(project_).put(key, algorithmName(algorithm), static_cast<int64_t>(result.nodes.size()),
                              serialize(result), maxEntries_);
}

int LayoutCache::size() { return LayoutStore(project_).count(); }

} // namespace kg::layout
