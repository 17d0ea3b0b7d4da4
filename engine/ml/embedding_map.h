// A map of a trained model's entity vectors, for the Embeddings tab and `kgwb similar`: every
// entity's vector scaled to length 1, those unit vectors centred and projected on their first
// two principal components, and the nearest entities of one by cosine similarity.
// Torch-free header; the implementation is in kgwb_ml.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ml/tsne.h"

namespace kg {
class CancelToken;
}

namespace kg::ml {

struct EmbeddingMap {
    std::string model;                // "ComplEx d200", "transformer d128"
    int64_t dim = 0;                  // width of a vector (complex models: real, then imaginary parts)
    std::vector<int64_t> entities;    // project ids, one per row
    std::vector<std::string> names;   // display names, one per row
    // The relation (project id) most frequent among the entity's training facts, as head or
    // tail (ties: the lowest dense id); 0 for an entity without training facts.
    std::vector<int64_t> mainRelation;
    std::vector<float> unit;          // [rows x dim], rows scaled to length 1 (a zero row stays 0)
    std::vector<float> xy;            // [rows x 2], coordinates on the two components
    double explained[2] = {0, 0};     // each component's share of the unit vectors' variance
    // Each component's sign makes its largest loading positive, so a map does not flip between
    // runs of the same model.

    size_t rows() const { return entities.size(); }
    // The row of a project entity id, or -1.
    int64_t rowOf(int64_t entity) const;
};

// The map of a model: `model` is "run:N" (the model run N kept: KGE or CompGCN checkpoint, or
// transformer) or a checkpoint file (entityTable's vectors). Throws Error(NotFound) for an
// unknown run, Error(Format) for a checkpoint that does not fit the project, Error(Cancelled).
EmbeddingMap mapEmbeddings(const std::string& projectPath, const std::string& model,
                           const CancelToken* cancel = nullptr);

// The k entities whose vectors are nearest `entity`'s by cosine similarity, itself left out:
// (project id, cosine), highest first, ties by row. Throws Error(NotFound) for an entity not
// in the map.
std::vector<std::pair<int64_t, float>> nearestEntities(const EmbeddingMap& map, int64_t entity, int k);

// The map's entities placed by t-SNE (ml/tsne.h) from their unit vectors, starting from the
// principal components: [rows x 2]. Seconds for thousands of entities: report and cancel.
std::vector<float> tsneCoordinates(const EmbeddingMap& map, const TsneProgress& progress = {},
                                   const CancelToken* cancel = nullptr);

// The same, kept in the project for a run's model ("run:N"; one artifact per run): read back
// when the run's map has the same entities and vectors (a fingerprint of both), else computed
// and stored. A project that cannot be written still gets the places. `read`: whether they came
// from the project. Other models (checkpoint files) are computed every time.
std::vector<float> storedTsneCoordinates(const std::string& projectPath, const std::string& model,
                                         const EmbeddingMap& map, const TsneProgress& progress = {},
                                         const CancelToken* cancel = nullptr, bool* read = nullptr);

} // namespace kg::ml
