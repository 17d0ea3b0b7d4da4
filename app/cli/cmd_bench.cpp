// kgwb bench: how fast this machine runs the engine on a project. Every figure comes with a
// reference measured in the same run (absolute times vary between machines and runs):
//  - training step, ComplEx: negatives shared by chunks vs independent negatives;
//  - filtered evaluation of the test split: time per query;
//  - explanation: answers + paths per query, against the 100 ms target;
//  - layout of a BFS neighbourhood: sfdp in the helper process vs the Graphviz command line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <unistd.h>

#include "args.h"
#include "graph/subgraph.h"
#include "layout/graph_layout.h"
#include "layout/layout_process.h"
#include "ml/evaluator.h"
#include "ml/explainer.h"
#include "ml/kg_data.h"
#include "ml/fused_rank.h"
#include "ml/trainer.h"
#include "store/project.h"

namespace kgcli {
namespace {

using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point from) { return std::chrono::duration<double>(Clock::now() - from).count(); }

double stepSeconds(const kg::ml::KgData& data, int64_t chunk, int steps, int threads)
{
    kg::ml::TrainConfig c;
    c.model = kg::ml::ModelKind::ComplEx;
    c.dim = 200;
    c.mode = kg::ml::TrainMode::NegativeSampling;
    c.loss = kg::ml::LossKind::BCE;
    c.negatives = 256;
    c.negChunk = chunk;
    c.batchSize = 1024;
    c.threads = threads;
    c.device = "cpu";
    kg::ml::Trainer trainer(c, data);
    const int64_t n = data.train.size(0);
    auto batch = [&](int s) { return data.train.narrow(0, (s * c.batchSize) % std::max<int64_t>(1, n - c.batchSize), std::min(c.batchSize, n)); };
    trainer.step(batch(0)); // warm-up
    const auto t0 = Clock::now();
    for (int s = 1; s <= steps; ++s)
        trainer.step(batch(s));
    return seconds(t0) / steps;
}

} // namespace

int runBench(int argc, char** argv)
{
    Args args(argc, argv, 2, {"steps", "threads", "queries", "nodes", "device"}, {});
    if (args.positional().size() != 1)
        throw UsageError("bench needs exactly one PROJECT");
    const std::string path = args.positional()[0];
    const int steps = args.intValue("steps", 5), threads = args.intValue("threads", 0);
    auto project = kg::Project::open(path, kg::Project::OpenMode::MustExist);
    const auto data = kg::ml::KgData::fromProject(*project);
    std::printf("project: %lld train / %lld test triples, %lld entities\n", static_cast<long long>(data.train.size(0)),
                static_cast<long long>(data.test.size(0)), static_cast<long long>(data.numEntities));
    if (data.train.size(0) < 2)
        throw kg::Error(kg::Errc::InvalidArgument, "the project has too few training triples to measure anything");

    const double shared = stepSeconds(data, 64, steps, threads);
    const double independent = stepSeconds(data, 1, std::max(1, steps / 2), threads);
    std::printf("train step (ComplEx d200, batch 1024, 256 negatives): shared %.4f s, independent %.4f s  (%.1fx)\n",
                shared, independent, independent / shared);

    if (data.test.size(0) > 0) {
        kg::ml::TrainConfig c;
        c.dim = 200;
        c.threads = threads;
        c.device = "cpu";
        kg::ml::Trainer trainer(c, data);
        const kg::ml::FilterIndex filter(data);
        const auto t0 = Clock::now();
        const auto m = kg::ml::evaluate(trainer.model(), data.test, filter, 256);
        const double total = seconds(t0);
        std::printf("filtered eval of the test split: %.2f s for %lld queries (%.3f ms per query)\n", total,
                    static_cast<long long>(m.queries), 1000 * total / static_cast<double>(std::max<int64_t>(1, m.queries)));

        // Tail ranks of the test split: fused ranking (counts only; the CUDA kernel on a GPU
        // build and device) against ATen's full score matrix and mask, on the same device.
        c.device = args.value("device").value_or("cpu");
        kg::ml::Trainer onDevice(c, data);
        const auto dev = onDevice.device();
        const auto model = onDevice.model();
        const auto test = data.test;
        std::vector<int64_t> offsets{0}, ids;
        auto acc = test.accessor<int64_t, 2>();
        for (int64_t i = 0; i < test.size(0); ++i) {
            for (int64_t k : filter.tails(acc[i][0], acc[i][1]))
                if (k != acc[i][2])
                    ids.push_back(k);
            offsets.push_back(static_cast<int64_t>(ids.size()));
        }
        auto sync = [&] {
            if (dev.is_cuda())
                torch::cuda::synchronize();
        };
        torch::NoGradGuard noGrad;
        const auto t1 = Clock::now();
        const auto aten = kg::ml::scoreMatrixRanks(model, test, filter, true, 256);
        sync();
        const double atenSeconds = seconds(t1);
        const auto td = test.to(dev);
        const auto q = model->tailQuery(td.select(1, 0), td.select(1, 1));
        const kg::ml::RankFilterCsr csr{torch::tensor(offsets).to(dev), torch::tensor(ids, torch::kInt64).to(dev)};
        const auto t2 = Clock::now();
        const auto fused = kg::ml::fusedFilteredRanks(q, model->allEntities(), torch::Tensor(), td.select(1, 2), csr);
        sync();
        const double fusedSeconds = seconds(t2);
        std::printf("tail ranks of the test split on %s: fused %.3f s (%s), ATen score matrix %.3f s  (%.2fx); "
                    "MRR %.6f vs %.6f\n",
                    dev.str().c_str(), fusedSeconds,
                    dev.is_cuda() && kg::ml::fusedRankHasCuda() ? "CUDA kernel" : "chunked", atenSeconds,
                    atenSeconds / fusedSeconds, (1.0 / fused).mean().item<double>(), (1.0 / aten).mean().item<double>());
    }

    {
        const auto t0 = Clock::now();
        kg::ml::Explainer explainer(path); // mines and stores rules when the project has none
        std::printf("explainer ready in %.1f s (rules loaded from the project, or mined and stored)\n", seconds(t0));
        std::vector<double> ms;
        std::mt19937_64 rng(5);
        const auto n = data.test.size(0) > 0 ? data.test : data.train;
        for (int i = 0; i < args.intValue("queries", 50); ++i) {
            const int64_t row = static_cast<int64_t>(rng() % static_cast<uint64_t>(n.size(0)));
            const torch::Tensor triple = n[row];
            const auto a = triple.accessor<int64_t, 1>();
            const int64_t h = data.entityIds[static_cast<size_t>(a[0])], r = data.relationIds[static_cast<size_t>(a[1])],
                          t = data.entityIds[static_cast<size_t>(a[2])];
            const auto q0 = Clock::now();
            explainer.answers(h, r, 10);
            explainer.paths(h, r, t);
            ms.push_back(1000 * seconds(q0));
        }
        std::sort(ms.begin(), ms.end());
        std::printf("explain (answers + paths): median %.1f ms, p95 %.1f ms (target 100 ms: %.0f%% of it at p95)\n",
                    ms[ms.size() / 2], ms[ms.size() * 95 / 100], ms[ms.size() * 95 / 100]);
    }

    const auto seed = data.train[0][0].item<int64_t>(); // the head of the first training triple
    const auto g = kg::neighbourhood(*project, data.entityIds[static_cast<size_t>(seed)],
                                     static_cast<size_t>(args.intValue("nodes", 1000)), 50);
    kg::layout::LayoutInput in;
    in.algorithm = kg::layout::Algorithm::Sfdp;
    for (int64_t v : g.nodes())
        in.nodes.push_back({v, 100, 30});
    for (const auto& e : g.edges())
        in.edges.push_back({e.id, e.head, e.tail});
    if (kg::layout::layoutHelperPath().empty()) {
        std::printf("layout: skipped (kgwb-layout helper not found)\n");
        return Ok;
    }
    auto t0 = Clock::now();
    kg::layout::computeLayoutIsolated(in);
    const double helper = seconds(t0);
    std::string dot = "digraph{overlap=prism;splines=false;start=42;node[shape=ellipse,fixedsize=true,width=1.39,height=0.42,label=\"\"];\n";
    for (const auto& e : in.edges)
        dot += std::to_string(e.from) + "->" + std::to_string(e.to) + ";\n";
    dot += "}\n";
    const std::string file = "/tmp/kgwb-bench-" + std::to_string(getpid()) + ".dot";
    if (FILE* f = std::fopen(file.c_str(), "w")) {
        std::fwrite(dot.data(), 1, dot.size(), f);
        std::fclose(f);
    }
    t0 = Clock::now();
    const int rc = std::system(("sfdp -Tplain '" + file + "' > /dev/null 2>&1").c_str());
    const double cli = seconds(t0);
    std::remove(file.c_str());
    std::printf("layout sfdp, %zu nodes / %zu edges: helper %.2f s, Graphviz CLI %s (%s)\n", g.nodes().size(),
                g.edges().size(), helper, rc == 0 ? (std::to_string(cli).substr(0, 5) + " s").c_str() : "failed",
                rc == 0 ? (std::to_string(helper / cli).substr(0, 4) + "x").c_str() : "-");
    return Ok;
}

} // namespace kgcli
