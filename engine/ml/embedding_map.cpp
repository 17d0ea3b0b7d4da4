#include "ml/embedding_map.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/cancel.h"
#include "core/error.h"
#include "ml/entity_table.h"
#include "ml/kg_data.h"
#include "store/artifact_store.h"
#include "store/project.h"

namespace kg::ml {

namespace {

// Per dense entity, the dense relation most frequent among its training facts (-1: none).
// Sorted (entity, relation) ends rather than an [E x R] count table, which large graphs
// could not afford.
std::vector<int64_t> mainRelations(const KgData& data)
{
    const torch::Tensor train = data.trainInt64().contiguous();
    const int64_t* t = train.data_ptr<int64_t>();
    std::vector<std::pair<int64_t, int64_t>> ends;
    ends.reserve(static_cast<size_t>(2 * train.size(0)));
    for (int64_t i = 0; i < train.size(0); ++i) {
        ends.emplace_back(t[3 * i], t[3 * i + 1]);
        ends.emplace_back(t[3 * i + 2], t[3 * i + 1]);
    }
    std::sort(ends.begin(), ends.end());
    std::vector<int64_t> out(static_cast<size_t>(data.numEntities), -1), best(out.size(), 0);
    for (size_t i = 0, j = 0; i < ends.size(); i = j) {
        while (j < ends.size() && ends[j] == ends[i])
            ++j;
        const auto e = static_cast<size_t>(ends[i].first);
        const auto n = static_cast<int64_t>(j - i);
        if (n > best[e]) // relations come in ascending order: ties keep the lowest
            best[e] = n, out[e] = ends[i].second;
    }
    return out;
}

} // namespace

int64_t EmbeddingMap::rowOf(int64_t entity) const
{
    const auto it = std::find(entities.begin(), entities.end(), entity);
    return it == entities.end() ? -1 : it - entities.begin();
}

EmbeddingMap mapEmbeddings(const std::string& projectPath, const std::string& model, const CancelToken* cancel)
{
    auto project = Project::open(projectPath, Project::OpenMode::ReadOnly);
    const ModelBytes bytes = readModel(*project, model);
    if (cancel)
        cancel->throwIfCancelled();
    const KgData data = KgData::fromProject(*project);
    EmbeddingMap out;
    const torch::Tensor table = entityTable(projectPath, bytes, data, out.model);
    if (cancel)
        cancel->throwIfCancelled();
    const int64_t N = table.size(0), D = table.size(1);
    out.dim = D;

    // Unit rows, centred, then their covariance's two leading eigenvectors (in double: the
    // covariance of thousands of rows sums many small terms).
    torch::NoGradGuard noGrad;
    const torch::Tensor unit = table / table.norm(2, 1, true).clamp_min(1e-12);
    const torch::Tensor centred = (unit - unit.mean(0, true)).to(torch::kFloat64);
    const torch::Tensor cov = centred.t().mm(centred) / std::max<int64_t>(N - 1, 1);
    const auto eig = torch::linalg_eigh(cov, "L"); // ascending eigenvalues
    const torch::Tensor values = std::get<0>(eig), vectors = std::get<1>(eig);
    const int64_t k = std::min<int64_t>(2, D);
    torch::Tensor axes = vectors.narrow(1, D - k, k).flip({1}); // [D, k], largest first
    const torch::Tensor peak = axes.abs().argmax(0);
    for (int64_t c = 0; c < k; ++c)
        if (axes[peak[c].item<int64_t>()][c].item<double>() < 0)
            axes.select(1, c).neg_();
    torch::Tensor xy = centred.mm(axes).to(torch::kFloat32);
    if (k < 2)
        xy = torch::cat({xy, torch::zeros({N, 2 - k})}, 1);
    const double total = values.clamp_min(0).sum().item<double>();
    for (int64_t c = 0; c < k && total > 0; ++c)
        out.explained[c] = std::max(0.0, values[D - 1 - c].item<double>()) / total;
    const torch::Tensor unitC = unit.contiguous(), xyC = xy.contiguous();
    out.unit.assign(unitC.data_ptr<float>(), unitC.data_ptr<float>() + N * D);
    out.xy.assign(xyC.data_ptr<float>(), xyC.data_ptr<float>() + N * 2);

    const std::vector<int64_t> main = mainRelations(data);
    out.entities.reserve(static_cast<size_t>(N));
    out.names.reserve(static_cast<size_t>(N));
    out.mainRelation.reserve(static_cast<size_t>(N));
    for (int64_t i = 0; i < N; ++i) {
        if (cancel && i % 1024 == 0)
            cancel->throwIfCancelled();
        const int64_t id = data.entityIds[static_cast<size_t>(i)];
        const auto e = project->entity(id);
        out.entities.push_back(id);
        out.names.push_back(e ? e->displayName() : std::to_string(id));
        const int64_t r = main[static_cast<size_t>(i)];
        out.mainRelation.push_back(r < 0 ? 0 : data.relationIds[static_cast<size_t>(r)]);
    }
    return out;
}

std::vector<std::pair<int64_t, float>> nearestEntities(const EmbeddingMap& map, int64_t entity, int k)
{
    const int64_t row = map.rowOf(entity);
    if (row < 0)
        throw Error(Errc::NotFound, "entity " + std::to_string(entity) + " is not in the map");
    const size_t D = static_cast<size_t>(map.dim), N = map.rows();
    const float* q = map.unit.data() + static_cast<size_t>(row) * D;
    std::vector<float> cosine(N);
    for (size_t i = 0; i < N; ++i) {
        const float* v = map.unit.data() + i * D;
        float dot = 0;
        for (size_t j = 0; j < D; ++j)
            dot += q[j] * v[j];
        cosine[i] = dot;
    }
    std::vector<size_t> order(N);
    std::iota(order.begin(), order.end(), size_t{0});
    order.erase(order.begin() + row);
    const size_t n = std::min(order.size(), static_cast<size_t>(std::max(k, 0)));
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                      [&](size_t a, size_t b) { return cosine[a] != cosine[b] ? cosine[a] > cosine[b] : a < b; });
    std::vector<std::pair<int64_t, float>> out;
    for (size_t i = 0; i < n; ++i)
        out.emplace_back(map.entities[order[i]], cosine[order[i]]);
    return out;
}

std::vector<float> tsneCoordinates(const EmbeddingMap& map, const TsneProgress& progress, const CancelToken* cancel)
{
    return tsne(map.unit, static_cast<int64_t>(map.rows()), map.dim, map.xy, TsneOptions{}, progress, cancel);
}

namespace {

// FNV-1a over the entity ids and the unit vectors' bytes, as 16 hex digits.
std::string fingerprint(const EmbeddingMap& map)
{
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const void* data, size_t bytes) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < bytes; ++i)
            h = (h ^ p[i]) * 1099511628211ull;
    };
    mix(map.entities.data(), map.entities.size() * sizeof(int64_t));
    mix(map.unit.data(), map.unit.size() * sizeof(float));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

} // namespace

std::vector<float> storedTsneCoordinates(const std::string& projectPath, const std::string& model,
                                         const EmbeddingMap& map, const TsneProgress& progress,
                                         const CancelToken* cancel, bool* read)
{
    if (read)
        *read = false;
    const std::optional<int64_t> run = runOf(model);
    if (!run)
        return tsneCoordinates(map, progress, cancel);
    const std::string name = "embedding-map.tsne." + std::to_string(*run);
    const TsneOptions options;
    nlohmann::json meta = {{"fingerprint", fingerprint(map)},
                                 {"rows", map.rows()},
                                 {"perplexity", options.perplexity},
                                 {"iterations", options.iterations}};
    if (const int64_t sample = tsneSampleSize(static_cast<int64_t>(map.rows()), options); sample < int64_t(map.rows()))
        meta["sample"] = sample;
    {
        auto project = Project::open(projectPath, Project::OpenMode::ReadOnly);
        if (const auto a = ArtifactStore(*project).get(name)) {
            std::vector<float> xy(map.rows() * 2);
            if (nlohmann::json::parse(a->meta, nullptr, false) == meta && a->data.size() == xy.size() * sizeof(float)) {
                std::memcpy(xy.data(), a->data.data(), a->data.size());
                if (read)
                    *read = true;
                return xy;
            }
        }
    }
    std::vector<float> xy = tsneCoordinates(map, progress, cancel);
    try { // a cache: a read-only or busy project still gets its places
        auto project = Project::open(projectPath, Project::OpenMode::MustExist);
        ArtifactStore(*project).put(name, "embedding-map", std::string(reinterpret_cast<const char*>(xy.data()),
                                                                         xy.size() * sizeof(float)),
                                    meta.dump());
    } catch (const Error&) {
    }
    return xy;
}

} // namespace kg::ml
