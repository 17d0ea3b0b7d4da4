// Exports a checkpoint's entity embeddings in the TensorBoard Embedding Projector's format:
// <dir>/vectors.tsv (one row of tab-separated floats per entity, no header) and
// <dir>/metadata.tsv (header "key<TAB>label<TAB>degree", one row per entity, same order).
// Torch-free header; the implementation is in kgwb_ml.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace kg {
class CancelToken;
}

namespace kg::ml {

struct EmbeddingExport {
    int64_t rows = 0;
    int64_t dim = 0;
    std::string vectors, metadata; // file paths written
};

// Called with (rows written, rows in all): once before the first row, then every few thousand
// rows and at the end, on the exporting thread.
using ExportProgress = std::function<void(int64_t done, int64_t total)>;

// model: "run:N" (the model run N kept) or a checkpoint file, of a KGE model, a transformer
// (its entity token rows) or CompGCN (its encoded entity states). The two files are written
// under temporary names and renamed when complete, so a failed or cancelled export leaves an
// earlier export in `outDir` as it was. Throws Error(Format) for a model that does not fit the
// project, Error(Io) on write errors, Error(Cancelled) when `cancel` is set (checked between
// rows).
EmbeddingExport exportEmbeddings(const std::string& projectPath, const std::string& model,
                                 const std::string& outDir, const ExportProgress& progress = {},
                                 const CancelToken* cancel = nullptr);

} // namespace kg::ml
