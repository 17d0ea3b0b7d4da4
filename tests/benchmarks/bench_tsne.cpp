// The entity map's t-SNE on large maps (ml/tsne.h): rows above TsneOptions::maxPoints are
// placed from a sample laid out by t-SNE. On N generated unit vectors (clusters within
// clusters, like entity types and their subtypes) it times the default (sampled above 50,000
// rows) against the exact t-SNE over all rows, the reference, each in a forked child (the memory
// it adds at its peak; a time limit). Quality, the same for both: of each of 1,000 probe rows' 10
// nearest rows by cosine, the share that stay among its 10 nearest on the map, and the share of
// its 10 nearest on the map that are of its fine cluster.
// Or on a real map's unit vectors: --rows FILE (raw float32, N x dim) with --init FILE (raw
// float32, N x 2: the PCA map), as the Embeddings tab would lay them out (no clusters known).
// Usage: bench_tsne N [--dim 64] [--sample S] [--no-reference] [--limit SECONDS] [--threads T]
//                     [--rows FILE --init FILE]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "ml/tsne.h"

namespace {

struct Data {
    int64_t n = 0, dim = 0;
    std::vector<float> rows, init; // init: the first two coordinates (a stand-in for the PCA map)
    std::vector<int> fine;          // the fine cluster of each row (empty: not known)
};

std::vector<float> readFloats(const std::string& path, size_t count)
{
    std::vector<float> out(count);
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f || std::fread(out.data(), sizeof(float), count, f) != count) {
        std::fprintf(stderr, "cannot read %zu floats from %s\n", count, path.c_str());
        std::exit(2);
    }
    std::fclose(f);
    return out;
}

// 20 coarse clusters, each of 25 fine ones; a row is its fine cluster's centre plus noise,
// scaled to length 1.
Data generate(int64_t n, int64_t dim)
{
    std::mt19937 rng(7);
    std::normal_distribution<float> g;
    const int coarse = 20, perCoarse = 25;
    std::vector<std::vector<float>> centres;
    for (int c = 0; c < coarse; ++c) {
        std::vector<float> base(static_cast<size_t>(dim));
        for (float& v : base)
            v = g(rng);
        for (int f = 0; f < perCoarse; ++f) {
            std::vector<float> centre = base;
            for (float& v : centre)
                v += 0.6f * g(rng);
            centres.push_back(centre);
        }
    }
    Data d;
    d.n = n, d.dim = dim;
    d.rows.resize(static_cast<size_t>(n * dim));
    for (int64_t i = 0; i < n; ++i) {
        const auto f = static_cast<size_t>(rng() % centres.size());
        d.fine.push_back(static_cast<int>(f));
        float* r = d.rows.data() + i * dim;
        double norm = 0;
        for (int64_t j = 0; j < dim; ++j)
            r[j] = centres[f][static_cast<size_t>(j)] + 0.35f * g(rng), norm += double(r[j]) * r[j];
        for (int64_t j = 0; j < dim; ++j)
            r[j] = static_cast<float>(r[j] / std::sqrt(norm));
        d.init.push_back(r[0]), d.init.push_back(r[1]);
    }
    return d;
}

struct Outcome {
    bool ok = false;
    double seconds = 0, peakMb = 0;
    std::vector<float> xy;
};

// This process's resident memory now, or at its peak (VmHWM), MB.
double memoryMb(bool peak)
{
    FILE* f = std::fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    const char* key = peak ? "VmHWM:" : "VmRSS:";
    while (f && std::fgets(line, sizeof line, f))
        if (std::strncmp(line, key, std::strlen(key)) == 0)
            kb = std::atof(line + std::strlen(key));
    if (f)
        std::fclose(f);
    return kb / 1024.0;
}

bool writeAll(int fd, const void* data, size_t bytes)
{
    const char* p = static_cast<const char*>(data);
    while (bytes > 0) {
        const ssize_t w = write(fd, p, bytes);
        if (w <= 0)
            return false;
        p += w, bytes -= static_cast<size_t>(w);
    }
    return true;
}

bool readAll(int fd, void* data, size_t bytes)
{
    char* p = static_cast<char*>(data);
    while (bytes > 0) {
        const ssize_t r = read(fd, p, bytes);
        if (r <= 0)
            return false;
        p += r, bytes -= static_cast<size_t>(r);
    }
    return true;
}

// tsne() in a child process: its peak memory less its memory at the start (what it shares with
// this process), then its places, back through a pipe.
Outcome runChild(const Data& d, const kg::ml::TsneOptions& o, int limit)
{
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        alarm(static_cast<unsigned>(limit));
        const double start = memoryMb(false);
        const std::vector<float> xy = kg::ml::tsne(d.rows, d.n, d.dim, d.init, o);
        const double added = memoryMb(true) - start;
        _exit(writeAll(fds[1], &added, sizeof added) && writeAll(fds[1], xy.data(), xy.size() * sizeof(float)) ? 0 : 2);
    }
    close(fds[1]);
    Outcome out;
    out.xy.resize(static_cast<size_t>(2 * d.n));
    const bool got = readAll(fds[0], &out.peakMb, sizeof out.peakMb) &&
                     readAll(fds[0], out.xy.data(), out.xy.size() * sizeof(float));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.ok = got && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return out;
}

std::vector<int64_t> topBy(const std::vector<double>& score, int64_t self, int k) // highest first
{
    std::vector<int64_t> idx;
    for (int64_t j = 0; j < static_cast<int64_t>(score.size()); ++j)
        if (j != self)
            idx.push_back(j);
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                      [&](int64_t a, int64_t b) { return score[static_cast<size_t>(a)] > score[static_cast<size_t>(b)]; });
    return std::vector<int64_t>(idx.begin(), idx.begin() + k); // not idx itself: it holds n slots
}

struct Quality {
    double kept = 0, sameFine = 0;
};

Quality quality(const Data& d, const std::vector<float>& xy, const std::vector<std::vector<int64_t>>& nearIn,
                const std::vector<int64_t>& probes)
{
    Quality q;
    std::vector<double> score(static_cast<size_t>(d.n));
    for (size_t p = 0; p < probes.size(); ++p) {
        const int64_t i = probes[p];
        for (int64_t j = 0; j < d.n; ++j)
            score[static_cast<size_t>(j)] = -std::hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);
        const auto onMap = topBy(score, i, 10);
        for (int64_t j : onMap) {
            q.kept += std::count(nearIn[p].begin(), nearIn[p].end(), j);
            q.sameFine += !d.fine.empty() && d.fine[static_cast<size_t>(j)] == d.fine[static_cast<size_t>(i)];
        }
    }
    q.kept /= 10.0 * static_cast<double>(probes.size());
    q.sameFine /= 10.0 * static_cast<double>(probes.size());
    return q;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_tsne N [--dim 64] [--sample S] [--no-reference] [--limit SECONDS] [--threads T]\n");
        return 2;
    }
    const int64_t n = std::atoll(argv[1]);
    int64_t dim = 64;
    kg::ml::TsneOptions sampled;
    bool reference = true;
    int limit = 3600;
    std::string rowsFile, initFile;
    for (int a = 2; a < argc; ++a) {
        const std::string arg = argv[a];
        if (arg == "--dim" && a + 1 < argc)
            dim = std::atoll(argv[++a]);
        else if (arg == "--sample" && a + 1 < argc)
            sampled.maxPoints = std::atoll(argv[++a]);
        else if (arg == "--limit" && a + 1 < argc)
            limit = std::atoi(argv[++a]);
        else if (arg == "--threads" && a + 1 < argc)
            sampled.threads = std::atoi(argv[++a]);
        else if (arg == "--rows" && a + 1 < argc)
            rowsFile = argv[++a];
        else if (arg == "--init" && a + 1 < argc)
            initFile = argv[++a];
        else if (arg == "--no-reference")
            reference = false;
        else {
            std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
            return 2;
        }
    }
    Data d;
    if (rowsFile.empty()) {
        d = generate(n, dim);
    } else {
        d.n = n, d.dim = dim;
        d.rows = readFloats(rowsFile, static_cast<size_t>(n * dim));
        d.init = readFloats(initFile, static_cast<size_t>(n * 2));
    }
    // Probes and their exact 10 nearest rows by cosine (rows are unit vectors).
    std::vector<int64_t> probes;
    std::mt19937_64 rng(11);
    for (int p = 0; p < 1000; ++p)
        probes.push_back(static_cast<int64_t>(rng() % uint64_t(n)));
    std::vector<std::vector<int64_t>> nearIn;
    std::vector<double> score(static_cast<size_t>(n));
    for (int64_t i : probes) {
        const float* a = d.rows.data() + i * dim;
        for (int64_t j = 0; j < n; ++j) {
            const float* b = d.rows.data() + j * dim;
            double dot = 0;
            for (int64_t c = 0; c < dim; ++c)
                dot += double(a[c]) * b[c];
            score[static_cast<size_t>(j)] = dot;
        }
        nearIn.push_back(topBy(score, i, 10));
    }
    std::printf("%lld unit vectors of %lld dimensions %s; t-SNE lays out %lld of them\n", static_cast<long long>(n),
                static_cast<long long>(dim), rowsFile.empty() ? "in 500 fine clusters" : ("from " + rowsFile).c_str(),
                static_cast<long long>(kg::ml::tsneSampleSize(n, sampled)));
    std::fflush(stdout);
    auto report = [&](const char* what, const Outcome& o) {
        if (!o.ok) {
            std::printf("%-34s did not finish within %d s\n", what, limit);
            return Quality{};
        }
        const Quality q = quality(d, o.xy, nearIn, probes);
        std::printf("%-34s %8.1f s  peak %7.0f MB added  10-NN kept %.3f", what, o.seconds, o.peakMb, q.kept);
        if (!d.fine.empty())
            std::printf("  same fine cluster %.3f", q.sameFine);
        std::printf("\n");
        std::fflush(stdout);
        return q;
    };
    const Outcome s = runChild(d, sampled, limit);
    const Quality qs = report("default (sample above the cap)", s);
    if (!reference)
        return s.ok ? 0 : 1;
    kg::ml::TsneOptions exact = sampled;
    exact.maxPoints = 0;
    const Outcome e = runChild(d, exact, limit);
    const Quality qe = report("reference: exact t-SNE of all rows", e);
    if (s.ok && e.ok) {
        std::printf("ratio: %.2fx faster, %.2fx the peak memory added, 10-NN kept %.2f of the reference", e.seconds / s.seconds,
                    s.peakMb / e.peakMb, qs.kept / qe.kept);
        if (!d.fine.empty())
            std::printf(", same fine cluster %.2f", qs.sameFine / qe.sameFine);
        std::printf("\n");
    }
    return s.ok && e.ok ? 0 : 1;
}
