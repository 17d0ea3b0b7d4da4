// Exports a checkpoint's entity embeddings in the TensorBoard Embedding Projector's format:
// <dir>/vectors.tsv (one row of tab-separated floats per entity, no header) and
// <dir>/metadata.tsv (header "key<TAB>label<TAB>degree", one row per entity, same order).
// Torch-free header; the implementation is in kgwb_ml.
#pragma once

#include <cstdint>
#include <string>

namespace kg::ml {

struct EmbeddingExport {
    int64_t rows = 0;
    int64_t dim = 0;
    std::string vectors, metadata; // file paths written
};

// Throws Error(Format) for a checkpoint that does not fit the project, Error(Io) on write errors.
EmbeddingExport exportEmbeddings(const std::string& projectPath, const std::string& checkpoint,
                                 const std::string& outDir);

} // namespace kg::ml
