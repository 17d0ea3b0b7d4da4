#include "ml/embedding_export.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/trainer.h"
#include "ml/kg_data.h"
#include "store/project.h"

namespace kg::ml {

EmbeddingExport exportEmbeddings(const std::string& projectPath, const std::string& checkpoint,
                                 const std::string& outDir)
{
    auto project = Project::open(projectPath, Project::OpenMode::ReadOnly);
    const KgData data = KgData::fromProject(*project);
    TrainConfig config = readCheckpointInfo(checkpoint).config;
    if (config.model == ModelKind::Transformer || config.model == ModelKind::CompGCN)
        throw Error(Errc::InvalidArgument, "embedding export covers the KGE models (TransE, DistMult, ComplEx, RotatE)");
    config.device = "cpu";
    Trainer trainer(config, data);
    loadCheckpoint(checkpoint, trainer); // checks shapes against this project
    const torch::Tensor emb = trainer.model()->allEntities().detach().to(torch::kCPU).contiguous();
    std::filesystem::create_directories(outDir);
    EmbeddingExport out;
    out.rows = emb.size(0);
    out.dim = emb.size(1);
    out.vectors = (std::filesystem::path(outDir) / "vectors.tsv").string();
    out.metadata = (std::filesystem::path(outDir) / "metadata.tsv").string();
    std::ofstream vec(out.vectors), meta(out.metadata);
    if (!vec || !meta)
        throw Error(Errc::Io, "cannot write embeddings to '" + outDir + "'");
    auto clean = [](std::string s) { // the projector's TSV has no quoting
        for (char& c : s)
            if (c == '\t' || c == '\n' || c == '\r')
                c = ' ';
        return s;
    };
    meta << "key\tlabel\tdegree\n";
    const float* p = emb.data_ptr<float>();
    char buf[32];
    for (int64_t i = 0; i < out.rows; ++i) {
        for (int64_t j = 0; j < out.dim; ++j) {
            std::snprintf(buf, sizeof buf, j ? "\t%.6g" : "%.6g", static_cast<double>(p[i * out.dim + j]));
            vec << buf;
        }
        vec << '\n';
        const int64_t id = data.entityIds[static_cast<size_t>(i)];
        const auto e = project->entity(id);
        meta << clean(e ? e->key : std::to_string(id)) << '\t' << clean(e ? e->displayName() : std::string()) << '\t'
             << project->degree(id) << '\n';
    }
    vec.flush();
    meta.flush();
    if (!vec || !meta)
        throw Error(Errc::Io, "writing embeddings to '" + outDir + "' failed");
    return out;
}

} // namespace kg::ml
