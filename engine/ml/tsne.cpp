#include "ml/tsne.h"

#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
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

// The rows projected on their first `dims` principal components (all of them, centred, when
// dim <= dims). Mean and covariance in double, a block of rows at a time: no double-precision
// copy of all rows (a million rows of 200 would take 1.6 GB).
torch::Tensor reduced(const std::vector<float>& rows, int64_t n, int64_t dim, int dims)
{
    const torch::Tensor x = torch::from_blob(const_cast<float*>(rows.data()), {n, dim}, torch::kFloat32);
    const int64_t block = 65536;
    auto blockOf = [&](int64_t from) { return x.narrow(0, from, std::min(block, n - from)).to(torch::kFloat64); };
    torch::Tensor mean = torch::zeros({1, dim}, torch::kFloat64);
    for (int64_t from = 0; from < n; from += block)
        mean += blockOf(from).sum(0, true);
    mean /= static_cast<double>(n);
    torch::Tensor axes;
    if (dim > dims) {
        torch::Tensor cov = torch::zeros({dim, dim}, torch::kFloat64);
        for (int64_t from = 0; from < n; from += block) {
            const torch::Tensor c = blockOf(from) - mean;
            cov += c.t().mm(c);
        }
        axes = std::get<1>(torch::linalg_eigh(cov, "L")).narrow(1, dim - dims, dims);
    }
    std::vector<torch::Tensor> out;
    for (int64_t from = 0; from < n; from += block) {
        const torch::Tensor c = blockOf(from) - mean;
        out.push_back((axes.defined() ? c.mm(axes) : c).to(torch::kFloat32));
    }
    return torch::cat(out).contiguous();
}

// The k nearest rows of `base` to each row of `queries` (squared distances, nearest first), by
// blocks of queries. `self`: queries and base are the same rows, and a row is not its own
// neighbour. A block's distances go into one reused buffer (no page faults per block): |b|^2 -
// 2 q.b ranks the rows of `base` for q as the distance does, and |q|^2 is added to the k kept.
std::pair<torch::Tensor, torch::Tensor> nearest(const torch::Tensor& queries, const torch::Tensor& base, int64_t k,
                                                bool self, const CancelToken* cancel)
{
    const int64_t n = queries.size(0), m = base.size(0);
    const torch::Tensor sq = base.pow(2).sum(1).unsqueeze(0), baseT = base.t();
    const int64_t block = std::clamp<int64_t>((int64_t{1} << 24) / m, 64, 4096); // ~64 MB of distances
    torch::Tensor buffer = torch::empty({std::min(block, n), m}, torch::kFloat32);
    std::vector<torch::Tensor> dists, ids;
    for (int64_t from = 0; from < n; from += block) {
        if (cancel)
            cancel->throwIfCancelled();
        const int64_t rows = std::min<int64_t>(block, n - from);
        const torch::Tensor q = queries.narrow(0, from, rows);
        torch::Tensor d = buffer.narrow(0, 0, rows);
        torch::addmm_out(d, sq, q, baseT, /*beta=*/1, /*alpha=*/-2);
        if (self)
            d.index_put_({torch::arange(rows), torch::arange(from, from + rows)}, std::numeric_limits<float>::infinity());
        auto [top, id] = d.topk(k, 1, /*largest=*/false, /*sorted=*/true);
        dists.push_back((top + q.pow(2).sum(1, true)).clamp_min_(0));
        ids.push_back(id);
    }
    return {torch::cat(dists).to(torch::kFloat64).contiguous(), torch::cat(ids).to(torch::kInt64).contiguous()};
}

// p[0..k) = a Gaussian's weights on squared distances d[0..k) (ascending), normalised, with its
// precision found by binary search so that their entropy is log(perplexity).
void gaussian(const double* d, int64_t k, double perplexity, double* p)
{
    const double target = std::log(perplexity);
    double beta = 1, lo = 0, hi = std::numeric_limits<double>::infinity();
    for (int step = 0; step < 200; ++step) {
        double sum = 0, weighted = 0;
        for (int64_t j = 0; j < k; ++j) {
            p[j] = std::exp(-beta * (d[j] - d[0])); // shifted: no underflow
            sum += p[j];
            weighted += (d[j] - d[0]) * p[j];
        }
        const double entropy = std::log(sum) + beta * weighted / sum;
        for (int64_t j = 0; j < k; ++j)
            p[j] /= sum;
        if (std::abs(entropy - target) < 1e-5)
            return;
        if (entropy > target) {
            lo = beta;
            beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
        } else {
            hi = beta;
            beta = (beta + lo) / 2;
        }
    }
}

Affinities affinities(const torch::Tensor& dist, const torch::Tensor& ids, double perplexity)
{
    const int64_t n = dist.size(0), k = dist.size(1);
    const double* d = dist.data_ptr<double>();
    const int64_t* id = ids.data_ptr<int64_t>();
    std::vector<std::tuple<int32_t, int32_t, double>> pairs;
    pairs.reserve(static_cast<size_t>(2 * n * k));
    std::vector<double> p(static_cast<size_t>(k));
    for (int64_t i = 0; i < n; ++i) {
        gaussian(d + i * k, k, perplexity, p.data());
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
        repulseAt(y_[2 * static_cast<size_t>(i)], y_[2 * static_cast<size_t>(i) + 1], i, theta2, fx, fy, z);
    }
    // The same for a place (px, py); `i`: the tree's point there, or -1 for a point not in it.
    void repulseAt(double px, double py, int32_t i, double theta2, double& fx, double& fy, double& z) const
    {
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

// Threads for work over n points: the options' count, else one per core (at most 8) with 2,048
// points or more each.
int threadsFor(int64_t n, const TsneOptions& o)
{
    const int cores = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 8);
    return o.threads > 0 ? static_cast<int>(std::clamp<int64_t>(o.threads, 1, std::max<int64_t>(n, 1)))
                         : static_cast<int>(std::clamp<int64_t>(n / 2048, 1, cores));
}

// Gradient descent on the map of n points with affinities P, from `start` [n x 2] rescaled to
// a standard deviation of 1e-4 (PCA initialisation). Returns the places [n x 2].
std::vector<double> optimise(const Affinities& P, int64_t n, const std::vector<float>& start, const TsneOptions& o,
                             const TsneProgress& progress, const CancelToken* cancel)
{
    std::vector<double> y(static_cast<size_t>(2 * n)), update(y.size(), 0), gains(y.size(), 1), grad(y.size());
    std::vector<double> zPart(static_cast<size_t>(n));
    const int threads = threadsFor(n, o);
    double mean[2] = {0, 0}, var = 0;
    for (int64_t i = 0; i < n; ++i)
        mean[0] += start[2 * i] / double(n), mean[1] += start[2 * i + 1] / double(n);
    for (int64_t i = 0; i < n; ++i)
        var += std::pow(start[2 * i] - mean[0], 2) / double(n);
    const double scale = 1e-4 / std::max(std::sqrt(var), 1e-12);
    for (int64_t i = 0; i < 2 * n; ++i)
        y[static_cast<size_t>(i)] = (start[static_cast<size_t>(i)] - mean[i % 2]) * scale;

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
    return y;
}

// Rows in [0, n) drawn evenly without replacement, `count` of them in ascending order: the same
// rows on every machine (mt19937_64 is specified to the bit; its modulo bias is negligible).
std::vector<int64_t> sampleRows(int64_t n, int64_t count)
{
    std::vector<int64_t> all(static_cast<size_t>(n));
    std::iota(all.begin(), all.end(), int64_t{0});
    std::mt19937_64 rng(20141114);
    for (int64_t i = 0; i < count; ++i)
        std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(i + static_cast<int64_t>(rng() % uint64_t(n - i)))]);
    all.resize(static_cast<size_t>(count));
    std::sort(all.begin(), all.end());
    return all;
}

// A placed row's descent from `place` (x, y; updated) with the sample fixed at `ys`: the
// gradient of its KL divergence to the weights `w` of its kp nearest sampled rows `nb`
// (repulsion normalised over the sample alone, through its quadtree), the step's length clipped
// to 1, steps of 0.1: the sample's places span tens of units.
void descend(double* place, const double* w, const int64_t* nb, int64_t kp, const std::vector<double>& ys,
             const QuadTree& tree, const TsneOptions& o)
{
    const double theta2 = o.theta * o.theta;
    double px = place[0], py = place[1];
    for (int it = 0; it < o.placeIterations; ++it) {
        double ax = 0, ay = 0;
        for (int64_t j = 0; j < kp; ++j) {
            const auto b = static_cast<size_t>(nb[j]);
            const double dx = px - ys[2 * b], dy = py - ys[2 * b + 1], q = 1 / (1 + dx * dx + dy * dy);
            ax += w[j] * q * dx, ay += w[j] * q * dy;
        }
        double fx = 0, fy = 0, z = 0;
        tree.repulseAt(px, py, -1, theta2, fx, fy, z);
        z = std::max(z, 1e-12);
        double gx = 4 * (ax - fx / z), gy = 4 * (ay - fy / z);
        if (const double norm = std::hypot(gx, gy); norm > 1)
            gx /= norm, gy /= norm;
        px -= 0.1 * gx, py -= 0.1 * gy;
    }
    place[0] = px, place[1] = py;
}

} // namespace

int64_t tsneSampleSize(int64_t n, const TsneOptions& o)
{
    return o.maxPoints > 0 && n > o.maxPoints ? o.maxPoints : n;
}

std::vector<float> tsne(const std::vector<float>& rows, int64_t n, int64_t dim, const std::vector<float>& init,
                        const TsneOptions& o, const TsneProgress& progress, const CancelToken* cancel)
{
    if (n < 4)
        throw Error(Errc::InvalidArgument, "t-SNE needs at least 4 points");
    if (rows.size() != static_cast<size_t>(n * dim) || init.size() != static_cast<size_t>(n * 2))
        throw Error(Errc::InvalidArgument, "t-SNE: rows or start coordinates of the wrong size");
    if ((o.maxPoints > 0 && o.maxPoints < 4) || o.placeNeighbours < 1 || !(o.placePerplexity > 0) ||
        o.placeIterations < 0)
        throw Error(Errc::InvalidArgument,
                    "t-SNE: a sample needs at least 4 rows, a placement 1 neighbour, a positive perplexity and "
                    "no negative iterations");
    torch::NoGradGuard noGrad;
    const int64_t s = tsneSampleSize(n, o);
    const double perplexity = std::min(o.perplexity, (static_cast<double>(s) - 1) / 3);
    const int64_t k = std::min<int64_t>(s - 1, static_cast<int64_t>(3 * perplexity));
    const torch::Tensor x = reduced(rows, n, dim, o.inputDims);
    if (s == n) {
        const auto [dist, ids] = nearest(x, x, k, true, cancel);
        const std::vector<double> y = optimise(affinities(dist, ids, perplexity), n, init, o, progress, cancel);
        return std::vector<float>(y.begin(), y.end());
    }

    // A sample of s rows gets t-SNE; every other row starts at the mean of its nearest sampled
    // rows' places, weighted by a Gaussian of perplexity placePerplexity over their distances
    // (in the PCA space), then moves for placeIterations steps under those rows' attraction and
    // the sample's repulsion, the sample held still (as openTSNE adds points to a map). Placed
    // rows do not move each other, so each is computed alone: the same places on any thread
    // count. Neighbours and weights are found before the descent, so each report shows every row.
    const std::vector<int64_t> sample = sampleRows(n, s);
    std::vector<int64_t> rest;
    rest.reserve(static_cast<size_t>(n - s));
    for (int64_t i = 0, next = 0; i < n; ++i) {
        if (next < s && sample[static_cast<size_t>(next)] == i)
            ++next;
        else
            rest.push_back(i);
    }
    const auto index = [](const std::vector<int64_t>& v) {
        return torch::from_blob(const_cast<int64_t*>(v.data()), {static_cast<int64_t>(v.size())}, torch::kInt64);
    };
    const torch::Tensor xs = x.index_select(0, index(sample));
    const auto [dist, ids] = nearest(xs, xs, k, true, cancel);
    const Affinities P = affinities(dist, ids, perplexity);
    const int64_t kp = std::min<int64_t>(o.placeNeighbours, s);
    const auto [nearDist, nearIds] = nearest(x.index_select(0, index(rest)), xs, kp, false, cancel);
    const int64_t* near = nearIds.data_ptr<int64_t>();
    std::vector<double> weight(rest.size() * static_cast<size_t>(kp));
    for (size_t r = 0; r < rest.size(); ++r)
        gaussian(nearDist.data_ptr<double>() + static_cast<int64_t>(r) * kp, kp, std::min<double>(o.placePerplexity, kp),
                 weight.data() + r * static_cast<size_t>(kp));
    // Every row's place: the sample's from ys, the others' weighted means of their neighbours'.
    auto placeAll = [&](const std::vector<double>& ys) {
        std::vector<double> all(static_cast<size_t>(2 * n));
        for (int64_t j = 0; j < s; ++j)
            for (int c = 0; c < 2; ++c)
                all[static_cast<size_t>(2 * sample[static_cast<size_t>(j)] + c)] = ys[static_cast<size_t>(2 * j + c)];
        for (size_t r = 0; r < rest.size(); ++r)
            for (int c = 0; c < 2; ++c) {
                double m = 0;
                for (size_t j = 0; j < static_cast<size_t>(kp); ++j)
                    m += weight[r * static_cast<size_t>(kp) + j] *
                         ys[static_cast<size_t>(2 * near[r * static_cast<size_t>(kp) + j] + c)];
                all[static_cast<size_t>(2 * rest[r] + c)] = m;
            }
        return all;
    };
    std::vector<float> start(static_cast<size_t>(2 * s));
    for (int64_t j = 0; j < s; ++j)
        for (int c = 0; c < 2; ++c)
            start[static_cast<size_t>(2 * j + c)] = init[static_cast<size_t>(2 * sample[static_cast<size_t>(j)] + c)];
    TsneProgress sampled; // the sample's last report waits for the placed rows
    if (progress)
        sampled = [&](int done, int total, const std::vector<double>& ys) {
            if (done < total)
                progress(done, total, placeAll(ys));
        };
    const std::vector<double> ys = optimise(P, s, start, o, sampled, cancel);
    std::vector<double> all = placeAll(ys);

    const QuadTree tree(ys);
    std::atomic<bool> stop{false};
    inChunks(static_cast<int64_t>(rest.size()), threadsFor(static_cast<int64_t>(rest.size()), o), [&](int64_t from, int64_t to) {
        for (int64_t r = from; r < to && !stop; ++r) {
            if (cancel && r % 4096 == 0 && cancel->cancelled())
                stop = true;
            double* place = all.data() + 2 * rest[static_cast<size_t>(r)];
            descend(place, weight.data() + r * kp, near + r * kp, kp, ys, tree, o);
        }
    });
    if (cancel)
        cancel->throwIfCancelled();
    if (progress)
        progress(o.iterations, o.iterations, all);
    return std::vector<float>(all.begin(), all.end());
}

} // namespace kg::ml
