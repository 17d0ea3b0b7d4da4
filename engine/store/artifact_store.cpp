#include "store/artifact_store.h"

#include "store/project.h"
#include "store/sqlite.h"

namespace kg {

ArtifactStore::ArtifactStore(Project& project)
    : project_(project)
{
}

void ArtifactStore::put(const std::string& name, const std::string& kind, const std::string& data,
                        const std::string& metaJson)
{
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("INSERT OR REPLACE INTO artifacts(name, kind, data, meta) VALUES (?, ?, ?, ?)");
        st.bind(1, name).bind(2, kind).bindBlob(3, data).bind(4, metaJson);
        st.run();
    });
}

std::optional<Artifact> ArtifactStore::get(const std::string& name)
{
    std::optional<Artifact> out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT name, kind, data, meta, created FROM artifacts WHERE name = ?");
        st.bind(1, name);
        if (st.step())
            out = Artifact{st.text(0), st.text(1), st.blob(2), st.text(3), st.text(4)};
    });
    return out;
}

void ArtifactStore::remove(const std::string& name)
{
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("DELETE FROM artifacts WHERE name = ?");
        st.bind(1, name);
        st.run();
    });
}

} // namespace kg
