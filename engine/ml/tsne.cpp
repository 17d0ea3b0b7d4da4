#include "ml/tsne.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <tuple>

#include "core/cancel.h"
#include "core/error.h"

namespace kg::ml {

namespace {

// Sparse symmetric affinities P (CSR), summing to 1.
struct Affinities {
    std::vector<int64_t> start; // [n + 1]
    std::vector<int32_t> column;
    std::vector<double> value;
};

// The rows projected on their first `dims` principal components (all of them when dim <= dims).
torch::Tensor reduced(const std::vector<float>& rows, int64_t n, int64_t dim, int dims)
{
    torch::Tensor x = torch::from_blob(const_cast<float*>(rows.data()), {n, dim}, torch::kFloat32).to(torch::kFloat64);
    x = x - x.mean(0, true);
    if (dim <= dims)
        return x.to(torch::kFloat32).contiguous();
    const auto eig = torch::linalg_eigh(x.t().mm(x), "L");
    const torch::Tensor axes = std::get<1>(eig).narrow(1, dim - dims, dims);
    return x.mm(axes).to(torch::kFloat32).contiguous();
}

// The k nearest neighbours of every row (squared distances, nearest first), by blocks of rows.
std::pair<torch::Tensor, torch::Tensor> nearest(const torch::Tensor& x, int64_t k, const CancelToken* cancel)
{
    const int64_t n = x.size(0);
    const torch::Tensor sq = x.pow(2).sum(1);
    std::vector<torch::Tensor> dists, ids;
    const int64_t block = std::clamp<int64_t>((int64_t{1} << 22) / n, 64, 1024); // ~16 MB of distances
    for (int64_t from = 0; from < n; from += block) {
        if (cancel)
            cancel->throwIfCancelled();
        const int64_t rows = std::min<int64_t>(block, n - from);
        torch::Tensor d = sq.narrow(0, from, rows).unsqueeze(1) + sq.unsqueeze(0) - 2 * x.narrow(0, from, rows).mm(x.t());
        d.clamp_min_(0);
        d.index_put_({torch::arange(rows), torch::arange(from, from + rows)}, std::numeric_limits<float>::infinity());
        auto top = d.topk(k, 1, /*largest=*/false, /*sorted=*/true);
        dists.push_back(std::get<0>(top));
        ids.push_back(std::get<1>(top));
    }
    return {torch::cat(dists).to(torch::kFloat64).contiguous(), torch::cat(ids).to(torch::kInt64).contiguous()};
}

Affinities affinities(const torch::Tensor& dist, const torch::Tensor& ids, double perplexity)
{
    const int64_t n = dist.size(0), k = dist.size(1);
    const double* d = dist.data_ptr<double>();
    const int64_t* id = ids.data_ptr<int64_t>();
    const double target = std::log(perplexity);
    std::vector<std::tuple<int32_t, int32_t, double>> pairs;
    pairs.reserve(static_cast<size_t>(2 * n * k));
    std::vector<double> p(static_cast<size_t>(k));
    for (int64_t i = 0; i < n; ++i) {
        // Binary search for the Gaussian's precision whose entropy is log(perplexity).
        double beta = 1, lo = 0, hi = std::numeric_limits<double>::infinity();
        const double* di = d + i * k;
        for (int step = 0; step < 200; ++step) {
            double sum = 0, weighted = 0;
            for (int64_t j = 0; j < k; ++j) {
                p[static_cast<size_t>(j)] = std::exp(-beta * (di[j] - di[0])); // shifted: no underflow
                sum += p[static_cast<size_t>(j)];
                weighted += (di[j] - di[0]) * p[static_cast<size_t>(j)];
            }
            const double entropy = std::log(sum) + beta * weighted / sum;
            for (double& v : p)
                v /= sum;
            if (std::abs(entropy - target) < 1e-5)
                break;
            if (entropy > target) {
                lo = beta;
                beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
        for (int64_t j = 0; j < k; ++j) {
            const auto a = static_cast<int32_t>(i), b = static_cast<int32_t>(id[i * k + j]);
            pairs.emplace_back(a, b, p[static_cast<size_t>(j)]);
            pairs.emplace_back(b, a, p[static_cast<size_t>(j)]);
        }
    }
    std::sort(pairs.begin(), pairs.end());
    Affinities out;
    out.start.assign(static_cast<size_t>(n + 1), 0);
    for (size_t a = 0, b = 0; a < pairs.size(); a = b) {
        double sum = 0;
        for (b = a; b < pairs.size() && std::get<0>(pairs[b]) == std::get<0>(pairs[a]) &&
                    std::get<1>(pairs[b]) == std::get<1>(pairs[a]);
             ++b)
            sum += std::get<2>(pairs[b]);
        out.column.push_back(std::get<1>(pairs[a]));
        out.value.push_back(sum / (2.0 * static_cast<double>(n)));
        ++out.start[static_cast<size_t>(std::get<0>(pairs[a])) + 1];
    }
    for (size_t i = 1; i < out.start.size(); ++i)
        out.start[i] += out.start[i - 1];
    return out;
}

// A quadtree over the current coordinates with each cell's point count and centre of mass.
class QuadTree {
public:
    explicit QuadTree(const std::vector<double>& y)
        : y_(y)
    {
        const size_t n = y.size() / 2;
        double x0 = y[0], x1 = y[0], y0 = y[1], y1 = y[1];
        for (size_t i = 0; i < n; ++i) {
            x0 = std::min(x0, y[2 * i]), x1 = std::max(x1, y[2 * i]);
            y0 = std::min(y0, y[2 * i + 1]), y1 = std::max(y1, y[2 * i + 1]);
        }
        const double half = std::max(x1 - x0, y1 - y0) / 2 + 1e-5;
        cells_.reserve(4 * n);
        cells_.emplace_back((x0 + x1) / 2, (y0 + y1) / 2, half);
        for (size_t i = 0; i < n; ++i)
            insert(0, static_cast<int32_t>(i), 0);
    }

    // Adds the repulsion on point i: sum over others of q^2 (y_i - y_j) into f, and of q into z.
    void repulse(int32_t i, double theta2, double& fx, double& fy, double& z) const
    {
        const double px = y_[2 * static_cast<size_t>(i)], py = y_[2 * static_cast<size_t>(i) + 1];
        int32_t stack[256];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const Cell& c = cells_[static_cast<size_t>(stack[--top])];
            if (c.count == 0 || (c.point == i && c.count == 1))
                continue;
            const double dx = px - c.mx / c.count, dy = py - c.my / c.count, d2 = dx * dx + dy * dy;
            const double width = 2 * c.half;
            if (c.child < 0 || width * width < theta2 * d2) {
                const double q = 1 / (1 + d2), m = c.count * q;
                z += m;
                fx += m * q * dx;
                fy += m * q * dy;
                if (c.child < 0 && c.count > 1 && (c.point == i || c.hasSelf(i)))
                    z -= 1; // a leaf of coincident points holding i: i does not repel itself
                continue;
            }
            for (int k = 0; k < 4 && top < 252; ++k)
                stack[top++] = c.child + k;
        }
    }

private:
    struct Cell {
        Cell(double x, double y, double h)
            : cx(x)
            , cy(y)
            , half(h)
        {
        }
        double cx, cy, half;
        double mx = 0, my = 0; // sums of the coordinates within
        int32_t count = 0;
        int32_t child = -1;    // first of four children, or -1 for a leaf
        int32_t point = -1;    // a leaf's first point
        std::vector<int32_t> extra; // a leaf's further points (coincident points at the depth limit)
        bool hasSelf(int32_t i) const { return std::find(extra.begin(), extra.end(), i) != extra.end(); }
    };

    void insert(size_t at, int32_t i, int depth)
    {
        const double px = y_[2 * static_cast<size_t>(i)], py = y_[2 * static_cast<size_t>(i) + 1];
        for (;;) {
            Cell& c = cells_[at];
            c.mx += px, c.my += py, ++c.count;
            if (c.child < 0) {
                if (c.count == 1) {
                    c.point = i;
                    return;
                }
                if (depth >= 40) { // coincident points: keep them in this leaf
                    c.extra.push_back(i);
                    return;
                }
                // Split: the leaf's point moves down, then i goes on down.
                const int32_t old = c.point;
                const double ox = y_[2 * static_cast<size_t>(old)], oy = y_[2 * static_cast<size_t>(old) + 1];
                const int32_t first = static_cast<int32_t>(cells_.size());
                const double h = c.half / 2, cx = c.cx, cy = c.cy;
                cells_[at].child = first;
                cells_[at].point = -1;
                for (int k = 0; k < 4; ++k)
                    cells_.emplace_back(cx + (k & 1 ? h : -h), cy + (k & 2 ? h : -h), h);
                Cell& down = cells_[static_cast<size_t>(first + quadrant(cx, cy, ox, oy))];
                down.mx = ox, down.my = oy, down.count = 1, down.point = old;
            }
            const Cell& cur = cells_[at];
            at = static_cast<size_t>(cur.child + quadrant(cur.cx, cur.cy, px, py));
            ++depth;
        }
    }
    static int quadrant(double cx, double cy, double x, double y) { return (x >= cx ? 1 : 0) + (y >= cy ? 2 : 0); }

    const std::vector<double>& y_;
    std::vector<Cell> cells_;
};

// fn(from, to) over [0, n) in `threads` contiguous chunks, the first on the calling thread.
template <typename Fn>
void inChunks(int64_t n, int threads, const Fn& fn)
{
    const int64_t per = (n + threads - 1) / threads;
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back([&fn, t, per, n] { fn(std::min(n, t * per), std::min(n, (t + 1) * per)); });
    fn(0, std::min(n, per));
    for (auto& th : pool)
        th.join();
}

} // namespace

std::vector<float> tsne(const std::vector<float>& rows, int64_t n, int64_t dim, const std::vector<float>& init,
                        const TsneOptions& o, const TsneProgress& progress, const CancelToken* cancel)
{
    if (n < 4)
        throw Error(Errc::InvalidArgument, "t-SNE needs at least 4 points");
    if (rows.size() != static_cast<size_t>(n * dim) || init.size() != static_cast<size_t>(n * 2))
        throw Error(Errc::InvalidArgument, "t-SNE: rows or start coordinates of the wrong size");
    torch::NoGradGuard noGrad;
    const double perplexity = std::min(o.perplexity, (static_cast<double>(n) - 1) / 3);
    const int64_t k = std::min<int64_t>(n - 1, static_cast<int64_t>(3 * perplexity));
    const torch::Tensor x = reduced(rows, n, dim, o.inputDims);
    const auto [dist, ids] = nearest(x, k, cancel);
    const Affinities P = affinities(dist, ids, perplexity);

    // Start: the given coordinates scaled to a standard deviation of 1e-4 (PCA initialisation).
    std::vector<double> y(static_cast<size_t>(2 * n)), update(y.size(), 0), gains(y.size(), 1), grad(y.size());
    std::vector<double> zPart(static_cast<size_t>(n));
    const int cores = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 8);
    const int threads = o.threads > 0 ? static_cast<int>(std::min<int64_t>(o.threads, n))
                                      : static_cast<int>(std::clamp<int64_t>(n / 2048, 1, cores));
    double mean[2] = {0, 0}, var = 0;
    for (int64_t i = 0; i < n; ++i)
        mean[0] += init[2 * i] / double(n), mean[1] += init[2 * i + 1] / double(n);
    for (int64_t i = 0; i < n; ++i)
        var += std::pow(init[2 * i] - mean[0], 2) / double(n);
    const double scale = 1e-4 / std::max(std::sqrt(var), 1e-12);
    for (int64_t i = 0; i < 2 * n; ++i)
        y[static_cast<size_t>(i)] = (init[static_cast<size_t>(i)] - mean[i % 2]) * scale;

    const double learningRate = std::max(static_cast<double>(n) / 12.0, 50.0);
    const double theta2 = o.theta * o.theta;
    for (int it = 0; it < o.iterations; ++it) {
        if (cancel && it % 10 == 0)
            cancel->throwIfCancelled();
        const bool early = it < o.exaggerationIterations;
        const double exaggeration = early ? 12.0 : 1.0, momentum = early ? 0.5 : 0.8;
        // Repulsion through the quadtree, then attraction along the affinities, each over the
        // points in chunks on threads. Each point's share of Z is summed in order after, so the
        // result does not depend on the thread count.
        const QuadTree tree(y);
        auto repulse = [&](int64_t from, int64_t to) {
            for (int64_t i = from; i < to; ++i) {
                double fx = 0, fy = 0, zi = 0;
                tree.repulse(static_cast<int32_t>(i), theta2, fx, fy, zi);
                grad[2 * static_cast<size_t>(i)] = -fx, grad[2 * static_cast<size_t>(i) + 1] = -fy;
                zPart[static_cast<size_t>(i)] = zi;
            }
        };
        inChunks(n, threads, repulse);
        double z = 0;
        for (double v : zPart)
            z += v;
        z = std::max(z, 1e-12);
        inChunks(n, threads, [&](int64_t from, int64_t to) {
            for (int64_t i = from; i < to; ++i) {
                double ax = 0, ay = 0;
                const double yx = y[static_cast<size_t>(2 * i)], yy = y[static_cast<size_t>(2 * i + 1)];
                for (int64_t e = P.start[static_cast<size_t>(i)]; e < P.start[static_cast<size_t>(i) + 1]; ++e) {
                    const auto j = static_cast<size_t>(P.column[static_cast<size_t>(e)]);
                    const double dx = yx - y[2 * j], dy = yy - y[2 * j + 1];
                    const double q = 1 / (1 + dx * dx + dy * dy), w = P.value[static_cast<size_t>(e)] * q;
                    ax += w * dx, ay += w * dy;
                }
                grad[static_cast<size_t>(2 * i)] = 4 * (exaggeration * ax + grad[static_cast<size_t>(2 * i)] / z);
                grad[static_cast<size_t>(2 * i + 1)] = 4 * (exaggeration * ay + grad[static_cast<size_t>(2 * i + 1)] / z);
            }
        });
        double centre[2] = {0, 0};
        for (size_t c = 0; c < y.size(); ++c) {
            const bool sameSign = (grad[c] > 0) == (update[c] > 0);
            gains[c] = std::max(sameSign ? gains[c] * 0.8 : gains[c] + 0.2, 0.01);
            update[c] = momentum * update[c] - learningRate * gains[c] * grad[c];
            y[c] += update[c];
            centre[c % 2] += y[c] / double(n);
        }
        for (size_t c = 0; c < y.size(); ++c)
            y[c] -= centre[c % 2];
        if (progress && ((it + 1) % 25 == 0 || it + 1 == o.iterations))
            progress(it + 1, o.iterations, y);
    }
    return std::vector<float>(y.begin(), y.end());
}

} // namespace kg::ml
