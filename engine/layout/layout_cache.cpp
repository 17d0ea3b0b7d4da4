#include "layout/layout_cache.h"

#include "core/error.h"
#include "store/project.h"
#include "store/sqlite.h"

namespace kg::layout {

LayoutCache::LayoutCache(Project& project, int maxEntries)
    : project_(project)
    , maxEntries_(maxEntries)
{
}

std::optional<LayoutResult> LayoutCache::find(const std::string& key)
{
    std::optional<std::string> data;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT data FROM layouts WHERE key = ?");
        st.bind(1, key);
        if (st.step())
            data = st.text(0);
        if (data) {
            auto touch = db.prepare("UPDATE layouts SET used = datetime('now') WHERE key = ?");
            touch.bind(1, key);
            touch.run();
        }
    });
    if (!data)
        return std::nullopt;
    try {
        return deserialize(*data);
    } catch (const Error&) {
        project_.withDatabase([&](sql::Database& db) {
            auto st = db.prepare("DELETE FROM layouts WHERE key = ?");
            st.bind(1, key);
            st.run();
        });
        return std::nullopt;
    }
}

void LayoutCache::store(const std::string& key, Algorithm algorithm, const LayoutResult& result)
{
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        auto st = db.prepare("INSERT OR REPLACE INTO layouts(key, algorithm, nodes, data) VALUES (?, ?, ?, ?)");
        st.bind(1, key).bind(2, std::string(algorithmName(algorithm)))
            .bind(3, static_cast<int64_t>(result.nodes.size())).bind(4, serialize(result));
        st.run();
        auto evict = db.prepare("DELETE FROM layouts WHERE key NOT IN "
                                "(SELECT key FROM layouts ORDER BY used DESC, rowid DESC LIMIT ?)");
        evict.bind(1, static_cast<int64_t>(maxEntries_));
        evict.run();
        tx.commit();
    });
}

int LayoutCache::size()
{
    int n = 0;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT count(*) FROM layouts");
        st.step();
        n = static_cast<int>(st.int64(0));
    });
    return n;
}

} // namespace kg::layout
