// Training/eval benchmark on a real dataset (not in CTest). Prints, from one run:
//  - seconds per step and extrapolated epoch time of kgwb's ComplEx trainer and of the
//    python3-torch reference (bench_train_ref.py), same model, batch, negatives, dim and
//    threads, each with negatives shared by chunks of 64 positives and with per-positive
//    negatives, and the ratio in each mode;
//  - filtered evaluation time (head + tail) of the test split at the same dim, and the
//    scoring GFLOP/s it achieves next to this machine's GEMM throughput at that shape.
//  - where PyKEEN is installed (installer/install-peers.sh), kgwb next to PyKEEN on the same
//    configuration: seconds per epoch, filtered eval time and test MRR after the same epochs.
//  - with --to-mrr M, training seconds until valid MRR M for kgwb and the python3-torch
//    reference, both in kgwb's default configuration (1-vs-all), validation after every epoch.
// Usage: bench_train DATASET_DIR [STEPS=40] [THREADS=2] [noref] [--pykeen PYTHON] [--peer-epochs 2]
//                    [--peer-only] [--to-mrr 0.30 [--max-epochs 30] [--to-mrr-dim 200] [--to-mrr-batch 256]]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <unistd.h>

#include "core/blas_kernels.h"
#include "import/importer.h"
#include "ml/evaluator.h"
#include "ml/trainer.h"
#include "store/project.h"

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The PyKEEN peer (bench_pykeen.py) and kgwb on one configuration PyKEEN also has: ComplEx,
// no regulariser, per-positive uniform negatives, cross-entropy over [positive, negatives],
// Adam; `epochs` full epochs each, then the filtered test evaluation. kgwb's default shared
// negatives run beside it (same settings otherwise).
void pykeenPeer(const std::string& python, const std::string& dir, const kg::ml::KgData& data, int threads, int epochs)
{
    const int64_t dim = 200, batch = 1024, negatives = 32;
    const double lr = 0.001;
    std::printf("PyKEEN peer: ComplEx d%lld, %lld uniform negatives per positive, cross-entropy, Adam %g, batch %lld, "
                "%d epochs, %d threads\n",
                static_cast<long long>(dim), static_cast<long long>(negatives), lr, static_cast<long long>(batch), epochs,
                threads);
    // PyKEEN with libgomp's default wait policy, whatever this process was started with
    // (kgwb's own runs: start the bench with GOMP_SPINCOUNT=10000, as kgwb hands to kgwb-ml).
    const std::string cmd = "env -u GOMP_SPINCOUNT " + python + " " KGWB_BENCH_DIR "/bench_pykeen.py " + dir + " " + std::to_string(dim) + " " +
                            std::to_string(batch) + " " + std::to_string(negatives) + " " + std::to_string(lr) + " " +
                            std::to_string(epochs) + " " + std::to_string(threads) + " 42 2>/dev/null";
    double pkEpoch = 0, pkEval = 0, pkMrr = 0, pkHits = 0;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        if (std::fscanf(p, "%lf %lf %lf %lf", &pkEpoch, &pkEval, &pkMrr, &pkHits) != 4)
            pkEpoch = 0;
        pclose(p);
    }
    if (pkEpoch <= 0) {
        std::printf("  PyKEEN did not run (%s)\n", cmd.c_str());
        return;
    }
    std::printf("  %-28s %7.1f s/epoch, eval %6.2f s, test MRR %.4f, Hits@10 %.4f\n", "PyKEEN", pkEpoch, pkEval, pkMrr,
                pkHits);
    for (const int64_t chunk : {int64_t(1), int64_t(64)}) {
        kg::ml::TrainConfig c;
        c.model = kg::ml::ModelKind::ComplEx, c.dim = dim, c.mode = kg::ml::TrainMode::NegativeSampling;
        c.loss = kg::ml::LossKind::CE, c.negatives = negatives, c.negChunk = chunk, c.batchSize = batch, c.lr = lr;
        c.threads = threads, c.device = "cpu", c.seed = 42, c.epochs = epochs;
        kg::ml::Trainer trainer(c, data);
        const auto t0 = Clock::now();
        trainer.run(); // the product's epoch loop
        const double epoch = since(t0) / epochs;
        const auto t1 = Clock::now();
        const auto m = kg::ml::evaluate(trainer.model(), data.test, kg::ml::FilterIndex(data), c.evalBatch);
        const double eval = since(t1);
        std::printf("  %-28s %7.1f s/epoch, eval %6.2f s, test MRR %.4f, Hits@10 %.4f: %.2fx per epoch, %.2fx eval, "
                    "MRR %+.4f\n",
                    chunk == 1 ? "kgwb (per-positive, as PyKEEN)" : "kgwb (shared by 64, default)", epoch, eval, m.mrr,
                    m.hits10, pkEpoch / epoch, pkEval / eval, m.mrr - pkMrr);
    }
}

// Training seconds until valid MRR reaches `goal` (validation after every epoch, not counted),
// for kgwb's default ComplEx configuration (1-vs-all cross-entropy, no regulariser, Adam) and for
// the python3-torch reference with the same settings. (With shared negatives and BCE, the
// configuration of the step timings above, valid MRR stays near 0.23 on fb15k-237.)
void timeToMrr(const std::string& dir, const kg::ml::KgData& data, int threads, double goal, int maxEpochs, int64_t dim,
               int64_t batch)
{
    kg::ml::TrainConfig c; // the product's defaults, but for dim and batch
    c.model = kg::ml::ModelKind::ComplEx;
    c.dim = dim;
    c.batchSize = batch;
    c.lr = kg::ml::defaultLearningRate(c.model);
    c.threads = threads;
    c.device = "cpu";
    std::printf("time to valid MRR %.2f: ComplEx d%lld, 1-vs-all cross-entropy, Adam %g, batch %lld, at most %d epochs; "
                "training seconds, the validation after each epoch not counted\n",
                goal, static_cast<long long>(c.dim), c.lr, static_cast<long long>(c.batchSize), maxEpochs);
    c.epochs = maxEpochs;
    c.seed = 42;
    kg::ml::Trainer trainer(c, data);
    const kg::ml::FilterIndex filter(data);
    double trained = 0, mrr = 0, reachedAt = -1;
    int epochs = 0;
    auto mark = Clock::now();
    trainer.run({}, nullptr, [&](const kg::ml::EpochResult&) {
        trained += since(mark);
        ++epochs;
        mrr = trainer.evaluate(data.valid, filter).mrr;
        std::fprintf(stderr, "  kgwb epoch %d: %.1f s training, valid MRR %.4f\n", epochs, trained, mrr);
        mark = Clock::now();
        if (mrr >= goal)
            reachedAt = trained;
        return mrr < goal;
    });
    const std::string cmd = "/usr/bin/python3 " KGWB_BENCH_DIR "/bench_train_ref.py " + dir + "/train.tsv 0 " +
                            std::to_string(c.batchSize) + " " + std::to_string(c.negatives) + " " + std::to_string(c.dim) +
                            " " + std::to_string(c.threads) + " 0 --to-mrr " + std::to_string(goal) +
                            " --max-epochs " + std::to_string(maxEpochs) + " --valid " + dir + "/valid.tsv --test " + dir +
                            "/test.tsv --lr " + std::to_string(c.lr);
    double refSeconds = -2, refMrr = 0;
    int refEpochs = 0;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        if (std::fscanf(p, "%lf %d %lf", &refSeconds, &refEpochs, &refMrr) != 3)
            refSeconds = -2;
        pclose(p);
    }
    auto show = [](const char* who, double seconds, int n, double last) {
        if (seconds >= 0)
            std::printf("  %-14s %7.1f s (%d epochs, valid MRR %.4f)\n", who, seconds, n, last);
        else if (seconds == -1)
            std::printf("  %-14s not reached in %d epochs (valid MRR %.4f)\n", who, n, last);
        else
            std::printf("  %-14s did not run\n", who);
    };
    show("kgwb", reachedAt, epochs, mrr);
    show("python3-torch", refSeconds, refEpochs, refMrr);
    if (reachedAt > 0 && refSeconds > 0)
        std::printf("  ratio python3-torch / kgwb: %.2fx\n", refSeconds / reachedAt);
}

} // namespace

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
    // --pykeen PYTHON (default: the venv installer/install-peers.sh makes, where present)
    // and --peer-epochs N (2) for the PyKEEN peer.
    std::string pykeen = KGWB_BENCH_DIR "/../../.peers/bin/python";
    int peerEpochs = 2, maxEpochs = 30;
    bool peerOnly = false; // --peer-only: only the PyKEEN comparison
    double toMrr = 0; // --to-mrr M: also the training time to valid MRR M (e.g. 0.30)
    int64_t ttmDim = 200, ttmBatch = 256; // its model's dim and batch (the product's defaults)
    for (int i = 2; i < argc; ++i)
        peerOnly = peerOnly || std::string(argv[i]) == "--peer-only";
    for (int i = 2; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--pykeen")
            pykeen = argv[i + 1];
        else if (std::string(argv[i]) == "--peer-epochs")
            peerEpochs = std::atoi(argv[i + 1]);
        else if (std::string(argv[i]) == "--to-mrr")
            toMrr = std::atof(argv[i + 1]);
        else if (std::string(argv[i]) == "--max-epochs")
            maxEpochs = std::atoi(argv[i + 1]);
        else if (std::string(argv[i]) == "--to-mrr-dim")
            ttmDim = std::atoi(argv[i + 1]);
        else if (std::string(argv[i]) == "--to-mrr-batch")
            ttmBatch = std::atoi(argv[i + 1]);
    }

    char tmpl[] = "/tmp/kgwb-bench-XXXXXX";
    const std::string tmp = mkdtemp(tmpl);
    auto project = kg::Project::open(tmp + "/p.kgwb");
    kg::import::ImportRequest req;
    req.tripleFiles = {dir + "/train.tsv", kg::import::TripleFile(dir + "/valid.tsv", kg::Split::Valid),
                       kg::import::TripleFile(dir + "/test.tsv", kg::Split::Test)};
    kg::import::runImport(*project, req);
    const auto data = kg::ml::KgData::fromProject(*project);
    if (peerOnly) { // only the PyKEEN comparison: no step timings, eval or GEMM probe first
        pykeenPeer(pykeen, dir, data, threads, peerEpochs);
        std::system(("rm -rf " + tmp).c_str());
        return 0;
    }

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
    const double ours = since(t0) / steps;

    // Same trainer with independent per-positive negatives (neg_chunk = 1): the same work as
    // the reference, to separate the effect of shared negatives from the rest.
    c.negChunk = 1;
    kg::ml::Trainer independent(c, data);
    independent.step(batchAt(0));
    const auto t1 = Clock::now();
    for (int s = 0; s < steps; ++s)
        independent.step(batchAt(s + 2));
    const double oursIndependent = since(t1) / steps;

    // The python3-torch reference in the same two modes: chunks of 64 positives sharing their
    // negatives (the peer of kgwb's default), and per-positive negatives.
    const bool runRef = !(argc > 4 && std::string(argv[4]) == "noref");
    auto reference = [&](int64_t chunk, std::string* cmd) {
        *cmd = "/usr/bin/python3 " KGWB_BENCH_DIR "/bench_train_ref.py " + dir + "/train.tsv " + std::to_string(steps) +
               " " + std::to_string(batch) + " " + std::to_string(negatives) + " " + std::to_string(dim) + " " +
               std::to_string(threads) + " " + std::to_string(chunk);
        double seconds = 0;
        if (FILE* p = runRef ? popen(cmd->c_str(), "r") : nullptr) {
            long long rows = 0;
            if (std::fscanf(p, "%lf %lld", &seconds, &rows) != 2)
                seconds = 0;
            pclose(p);
        }
        return seconds;
    };
    std::string sharedCmd, independentCmd;
    const double refShared = reference(64, &sharedCmd), refIndependent = reference(1, &independentCmd);
    const double stepsPerEpoch = static_cast<double>((n + batch - 1) / batch);
    std::printf("%s train: %lld triples, %lld entities; ComplEx dim %lld, batch %lld, %lld negatives, %d threads\n",
                dir.c_str(), static_cast<long long>(n), static_cast<long long>(data.numEntities),
                static_cast<long long>(dim), static_cast<long long>(batch), static_cast<long long>(negatives), threads);
    auto row = [&](const char* what, double ours, double ref, const std::string& cmd) {
        std::printf("  %-22s kgwb %.4f s/step (epoch ~%.1f s)", what, ours, ours * stepsPerEpoch);
        if (ref > 0)
            std::printf(", python3-torch %.4f s/step (epoch ~%.1f s): %.2fx\n", ref, ref * stepsPerEpoch, ref / ours);
        else
            std::printf(", python3-torch reference did not run (%s)\n", runRef ? cmd.c_str() : "noref");
    };
    row("shared (chunks of 64)", ours, refShared, sharedCmd);
    row("independent", oursIndependent, refIndependent, independentCmd);

    const auto e0 = Clock::now();
    const auto m = kg::ml::evaluate(trainer.model(), data.test, kg::ml::FilterIndex(data), c.evalBatch);
    const double evalSeconds = since(e0);
    std::printf("  filtered eval of %lld test triples (%lld queries, dim %lld, %lld queries per batch): %.2f s (goal <= 5 s); "
                "MRR %.4f after %d steps\n",
                static_cast<long long>(data.test.size(0)), static_cast<long long>(m.queries),
                static_cast<long long>(dim), static_cast<long long>(c.evalBatch), evalSeconds, m.mrr, steps + 2);
    // The limit: this machine's GEMM throughput at the scoring's shape, [batch x dim] x [dim x
    // entities], the product every query needs; the rest of the eval is ranking and filtering.
    {
        torch::NoGradGuard noGrad;
        const auto a = torch::randn({c.evalBatch, dim}), b = torch::randn({data.numEntities, dim});
        auto out = torch::matmul(a, b.t()); // warm-up
        int reps = 0;
        const auto g0 = Clock::now();
        double gemmSeconds = 0;
        while (gemmSeconds < 2.0) {
            out = torch::matmul(a, b.t());
            ++reps;
            gemmSeconds = since(g0);
        }
        const double gemm = 2.0 * static_cast<double>(c.evalBatch * dim * data.numEntities) * reps / gemmSeconds / 1e9;
        const double achieved = 2.0 * static_cast<double>(m.queries) * static_cast<double>(data.numEntities * dim) /
                                evalSeconds / 1e9;
        std::printf("  eval achieves %.1f GFLOP/s of scoring; GEMM alone at that shape: %.1f GFLOP/s (%.0f%%); "
                    "GEMM-bound eval time %.2f s\n",
                    achieved, gemm, 100 * achieved / gemm,
                    2.0 * static_cast<double>(m.queries) * static_cast<double>(data.numEntities * dim) / gemm / 1e9);
    }
    if (toMrr > 0)
        timeToMrr(dir, data, threads, toMrr, maxEpochs, ttmDim, ttmBatch);
    if (access(pykeen.c_str(), X_OK) == 0)
        pykeenPeer(pykeen, dir, data, threads, peerEpochs);
    else
        std::printf("PyKEEN peer skipped: no %s (installer/install-peers.sh sets it up)\n", pykeen.c_str());
    std::system(("rm -rf " + tmp).c_str());
    return 0;
}
