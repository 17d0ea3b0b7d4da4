// Training/eval benchmark on a real dataset (not in CTest). Prints, from one run:
//  - seconds per step and extrapolated epoch time of kgwb's ComplEx trainer (shared chunked
//    negatives) and of the python3-torch reference (bench_train_ref.py, per-positive
//    negatives), same model, batch, negatives, dim and threads, and their ratio;
//  - filtered evaluation time (head + tail) of the test split at the same dim.
// Usage: bench_train DATASET_DIR [STEPS=40] [THREADS=2] [noref]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/blas_kernels.h"
#include "import/importer.h"
#include "ml/evaluator.h"
#include "ml/trainer.h"
#include "store/project.h"

int main(int argc, char** argv)
{
    kg::useFasterBlasKernels(argv); // as kgwb does: the product's speed, not the fallback kernels'
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_train DATASET_DIR [STEPS] [THREADS]\n");
        return 2;
    }
    const std::string dir = argv[1];
    const int steps = argc > 2 ? std::atoi(argv[2]) : 40;
    const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
    const int64_t batch = 1024, negatives = 256, dim = 200;
    using Clock = std::chrono::steady_clock;

    char tmpl[] = "/tmp/kgwb-bench-XXXXXX";
    const std::string tmp = mkdtemp(tmpl);
    auto project = kg::Project::open(tmp + "/p.kgwb");
    kg::import::ImportRequest req;
    req.tripleFiles = {dir + "/train.tsv", kg::import::TripleFile(dir + "/valid.tsv", kg::Split::Valid),
                       kg::import::TripleFile(dir + "/test.tsv", kg::Split::Test)};
    kg::import::runImport(*project, req);
    const auto data = kg::ml::KgData::fromProject(*project);

    kg::ml::TrainConfig c;
    c.model = kg::ml::ModelKind::ComplEx;
    c.dim = dim;
    c.mode = kg::ml::TrainMode::NegativeSampling;
    c.loss = kg::ml::LossKind::BCE;
    c.negatives = negatives;
    c.negChunk = 64;
    c.batchSize = batch;
    c.lr = 0.001;
    c.threads = threads;
    c.device = "cpu";
    kg::ml::Trainer trainer(c, data);
    const int64_t n = data.train.size(0);
    const auto order = torch::randperm(n, torch::kInt64);
    auto batchAt = [&](int s) { return data.train.index_select(0, order.narrow(0, (s * batch) % (n - batch), batch)); };
    for (int s = 0; s < 2; ++s) // warm-up
        trainer.step(batchAt(s));
    const auto t0 = Clock::now();
    for (int s = 0; s < steps; ++s)
        trainer.step(batchAt(s + 2));
    const double ours = std::chrono::duration<double>(Clock::now() - t0).count() / steps;

    // Same trainer with independent per-positive negatives (neg_chunk = 1): the same work as
    // the reference, to separate the effect of shared negatives from the rest.
    c.negChunk = 1;
    kg::ml::Trainer independent(c, data);
    independent.step(batchAt(0));
    const auto t1 = Clock::now();
    for (int s = 0; s < steps; ++s)
        independent.step(batchAt(s + 2));
    const double oursIndependent = std::chrono::duration<double>(Clock::now() - t1).count() / steps;

    const std::string cmd = "/usr/bin/python3 " KGWB_BENCH_DIR "/bench_train_ref.py " + dir + "/train.tsv " +
                            std::to_string(steps) + " " + std::to_string(batch) + " " + std::to_string(negatives) +
                            " " + std::to_string(dim) + " " + std::to_string(threads);
    double ref = 0;
    const bool runRef = !(argc > 4 && std::string(argv[4]) == "noref");
    if (FILE* p = runRef ? popen(cmd.c_str(), "r") : nullptr) {
        long long rows = 0;
        if (std::fscanf(p, "%lf %lld", &ref, &rows) != 2)
            ref = 0;
        pclose(p);
    }
    const double stepsPerEpoch = static_cast<double>((n + batch - 1) / batch);
    std::printf("%s train: %lld triples, %lld entities; ComplEx dim %lld, batch %lld, %lld negatives, %d threads\n",
                dir.c_str(), static_cast<long long>(n), static_cast<long long>(data.numEntities),
                static_cast<long long>(dim), static_cast<long long>(batch), static_cast<long long>(negatives), threads);
    std::printf("  kgwb (shared negatives, chunk 64): %.4f s/step, epoch ~%.1f s\n", ours, ours * stepsPerEpoch);
    std::printf("  kgwb (independent negatives)     : %.4f s/step, epoch ~%.1f s\n", oursIndependent,
                oursIndependent * stepsPerEpoch);
    if (ref > 0)
        std::printf("  python3-torch reference          : %.4f s/step, epoch ~%.1f s\n"
                    "  speed-up: %.2fx shared, %.2fx independent (goal >= 3x)\n",
                    ref, ref * stepsPerEpoch, ref / ours, ref / oursIndependent);
    else
        std::printf("  python3-torch reference could not run (%s)\n", cmd.c_str());

    const auto e0 = Clock::now();
    const auto m = kg::ml::evaluate(trainer.model(), data.test, kg::ml::FilterIndex(data), 512);
    std::printf("  filtered eval of %lld test triples (%lld queries, dim %lld): %.2f s (goal < 10 s); MRR %.4f after %d steps\n",
                static_cast<long long>(data.test.size(0)), static_cast<long long>(m.queries),
                static_cast<long long>(dim), std::chrono::duration<double>(Clock::now() - e0).count(), m.mrr, steps + 2);
    std::system(("rm -rf " + tmp).c_str());
    return 0;
}
