#include "store/layout_store.h"

#include "store/project.h"
#include "store/sqlite.h"

namespace kg {

LayoutStore::LayoutStore(Project& project)
    : project_(project)
{
}

std::optional<std::string> LayoutStore::get(const std::string& key)
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
    return data;
}

void LayoutStore::put(const std::string& key, const std::string& algorithm, int64_t nodes, const std::string& data,
                      int maxEntries)
{
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        auto st = db.prepare("INSERT OR REPLACE INTO layouts(key, algorithm, nodes, data) VALUES (?, ?, ?, ?)");
        st.bind(1, key).bind(2, algorithm).bind(3, nodes).bind(4, data);
        st.run();
        auto evict = db.prepare("DELETE FROM layouts WHERE key NOT IN "
                                "(SELECT key FROM layouts ORDER BY used DESC, rowid DESC LIMIT ?)");
        evict.bind(1, static_cast<int64_t>(maxEntries));
        evict.run();
        tx.commit();
    });
}

void LayoutStore::remove(const std::string& key)
{
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("DELETE FROM layouts WHERE key = ?");
        st.bind(1, key);
        st.run();
    });
}

int LayoutStore::count()
{
    int n = 0;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT count(*) FROM layouts");
        st.step();
        n = static_cast<int>(st.int64(0));
    });
    return n;
}

} // namespace kg
