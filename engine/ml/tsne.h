// Barnes-Hut t-SNE (van der Maaten 2014) for the entity map: points in D dimensions placed in
// the plane so that neighbours stay neighbours. Affinities from the exact k nearest neighbours
// (k = 3 x perplexity, found with blocked matrix products), a quadtree for the repulsion, early
// exaggeration, momentum and per-coordinate gains as in the reference implementation.
// Above maxPoints rows, t-SNE lays out an even sample of that many, and each other row is then
// placed beside its nearest sampled rows and moved under their attraction and the sample's
// repulsion, the sample held still (as openTSNE adds points to an existing map). The exact
// neighbour search is quadratic in the rows it covers: a million entities would take hours and
// gigabytes. The price: of a row's 10 nearest, fewer stay near it on the map (bench_tsne).
// Torch-free header; the implementation is in kgwb_ml.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace kg {
class CancelToken;
}

namespace kg::ml {

struct TsneOptions {
    double perplexity = 30;  // lowered to (N - 1) / 3 for small N
    int iterations = 750;
    int exaggerationIterations = 250; // of them, with the attractions x 12
    double theta = 0.5;      // Barnes-Hut: a cell of width w at distance d counts as one point when w / d < theta
    int inputDims = 50;      // rows are first projected on this many principal components
    int threads = 0;         // 0: one per core (at most 8), each with 2,048 points or more
    int64_t maxPoints = 50000; // rows laid out by t-SNE itself (0: all); the others are placed
    int placeNeighbours = 10;  // from this many nearest sampled rows,
    double placePerplexity = 2; // weighted by a Gaussian of this perplexity over their distances,
    int placeIterations = 100;  // then moved for this many steps
};

// How many rows t-SNE itself lays out for n rows: n, or maxPoints when there are more.
int64_t tsneSampleSize(int64_t n, const TsneOptions& options = {});

// Called every 25 iterations and after the last, on the calling thread, with the iterations
// done and in all and the points' current places [n x 2] (to draw the layout as it forms; with
// a sample, the other rows placed from it as in the result).
using TsneProgress = std::function<void(int done, int total, const std::vector<double>& places)>;

// rows: [n x dim] row-major. init: [n x 2] starting coordinates (e.g. the first two principal
// components), rescaled to a small spread; the result is deterministic for the same input on
// the same machine (the sample too). Returns [n x 2]. Throws Error(InvalidArgument) for n < 4, Error(Cancelled).
std::vector<float> tsne(const std::vector<float>& rows, int64_t n, int64_t dim, const std::vector<float>& init,
                        const TsneOptions& options = {}, const TsneProgress& progress = {},
                        const CancelToken* cancel = nullptr);

} // namespace kg::ml
