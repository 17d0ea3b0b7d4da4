#include "ml/embedding_export.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/cancel.h"
#include "core/error.h"
#include "io/tsv.h"
#include "ml/entity_table.h"
#include "ml/kg_data.h"
#include "store/project.h"

namespace kg::ml {

EmbeddingExport exportEmbeddings(const std::string& projectPath, const std::string& model,
                                 const std::string& outDir, const ExportProgress& progress, const CancelToken* cancel)
{
    namespace fs = std::filesystem;
    auto project = Project::open(projectPath, Project::OpenMode::ReadOnly);
    const KgData data = KgData::fromProject(*project);
    std::string description;
    const torch::Tensor emb = entityTable(projectPath, readModel(*project, model), data, description); // shapes checked
    fs::create_directories(outDir);
    EmbeddingExport out;
    out.rows = emb.size(0);
    out.dim = emb.size(1);
    out.vectors = (fs::path(outDir) / "vectors.tsv").string();
    out.metadata = (fs::path(outDir) / "metadata.tsv").string();
    const std::string vecPart = out.vectors + ".part", metaPart = out.metadata + ".part";
    // The partial files go on every exit but success (error or cancel).
    struct Parts {
        std::string a, b;
        bool keep = false;
        ~Parts()
        {
            if (keep)
                return;
            std::error_code ec;
            fs::remove(a, ec);
            fs::remove(b, ec);
        }
    } parts{vecPart, metaPart};
    {
        std::ofstream vec(vecPart), meta(metaPart);
        if (!vec || !meta)
            throw Error(Errc::Io, "cannot write embeddings to '" + outDir + "'");
        meta << "key\tlabel\tdegree\n";
        const float* p = emb.data_ptr<float>();
        char buf[32];
        constexpr int64_t kEvery = 4096;
        if (progress)
            progress(0, out.rows);
        for (int64_t i = 0; i < out.rows; ++i) {
            if (cancel && i % 256 == 0)
                cancel->throwIfCancelled();
            for (int64_t j = 0; j < out.dim; ++j) {
                std::snprintf(buf, sizeof buf, j ? "\t%.6g" : "%.6g", static_cast<double>(p[i * out.dim + j]));
                vec << buf;
            }
            vec << '\n';
            const int64_t id = data.entityIds[static_cast<size_t>(i)];
            const auto e = project->entity(id);
            meta << io::tsvField(e ? e->key : std::to_string(id)) << '\t' << io::tsvField(e ? e->displayName() : std::string()) << '\t'
                 << project->degree(id) << '\n';
            if (progress && (i + 1) % kEvery == 0 && i + 1 < out.rows)
                progress(i + 1, out.rows);
        }
        vec.flush();
        meta.flush();
        if (!vec || !meta)
            throw Error(Errc::Io, "writing embeddings to '" + outDir + "' failed");
    }
    if (cancel)
        cancel->throwIfCancelled();
    std::error_code ec;
    fs::rename(vecPart, out.vectors, ec);
    if (!ec)
        fs::rename(metaPart, out.metadata, ec);
    if (ec)
        throw Error(Errc::Io, "cannot write embeddings to '" + outDir + "': " + ec.message());
    parts.keep = true;
    if (progress)
        progress(out.rows, out.rows);
    return out;
}

} // namespace kg::ml
