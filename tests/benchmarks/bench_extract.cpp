// Text-to-triples benchmark (issue: KG construction from text). For each dataset with entity
// descriptions (wn18rr's WordNet glosses, fb15k-237's first Wikipedia sentences), in one run:
// the project holds only the train triples, labels and descriptions (valid and test triples
// are hidden); the relation classifier is trained by distant supervision through the same
// job `kgwb extract train` runs; candidates are extracted from every description, and
//   precision@100 and @1000 of the ranked candidates against the hidden triples, and
//   recall of the hidden triples that have an evidence sentence (a sentence of one end's
//   description naming the other end)
// are printed next to the baseline measured in the same run: co-occurrence plus the most
// frequent relation for the pair (ml/extract.h). With --kge-epochs N, a DistMult run is
// trained on the same train split and its plausibility mixed into the scores (a third row).
// Usage: bench_extract DATASETS_DIR [--sets wn18rr,fb15k-237] [--epochs 3] [--dim 64]
//        [--threads 2] [--kge-epochs 0]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/blas_kernels.h"
#include "import/importer.h"
#include "ml/extract.h"
#include "ml/extract_corpus.h"
#include "ml/train_job.h"
#include "store/project.h"
#include "text/doc_import.h"

using namespace kg;
using namespace kg::ml;

namespace {

using Hrt = std::tuple<int64_t, int64_t, int64_t>;

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::set<Hrt> hiddenTriples(Project& p, const std::string& dir)
{
    std::set<Hrt> out;
    for (const char* split : {"valid.tsv", "test.tsv"}) {
        std::ifstream in(dir + split);
        std::string line;
        while (std::getline(in, line)) {
            std::stringstream s(line);
            std::string h, r, t;
            std::getline(s, h, '\t');
            std::getline(s, r, '\t');
            std::getline(s, t, '\t');
            const auto he = p.entityByKey(h), te = p.entityByKey(t);
            const auto re = p.relationByKey(r);
            if (he && te && re) // an entity only valid/test name is not in the project
                out.insert({he->id, re->id, te->id});
        }
    }
    return out;
}

struct Row {
    double p100 = 0, p1000 = 0, recall = 0;
    size_t candidates = 0;
};

Row score(const std::vector<CandidateRecord>& ranked, const std::set<Hrt>& hidden, const std::set<Hrt>& withEvidence)
{
    Row r;
    r.candidates = ranked.size();
    size_t hits = 0, found = 0;
    for (size_t i = 0; i < ranked.size(); ++i) {
        const Hrt key{ranked[i].head, ranked[i].rel, ranked[i].tail};
        const bool hit = hidden.count(key) != 0;
        hits += hit;
        found += withEvidence.count(key);
        if (i + 1 == 100)
            r.p100 = static_cast<double>(hits) / 100;
        if (i + 1 == 1000)
            r.p1000 = static_cast<double>(hits) / 1000;
    }
    r.recall = withEvidence.empty() ? 0 : static_cast<double>(found) / static_cast<double>(withEvidence.size());
    return r;
}

} // namespace

int main(int argc, char** argv)
{
    kg::useFasterBlasKernels(argv); // as kgwb does: the product's speed, not the fallback kernels'
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_extract DATASETS_DIR [--sets wn18rr,fb15k-237] [--epochs 3] [--dim 64] "
                             "[--threads 2] [--kge-epochs 0]\n");
        return 2;
    }
    const std::string root = argv[1];
    std::string sets = "wn18rr,fb15k-237";
    int epochs = 3, dim = 64, threads = 2, kgeEpochs = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string o = argv[i];
        if (o == "--sets")
            sets = argv[i + 1];
        else if (o == "--epochs")
            epochs = std::atoi(argv[i + 1]);
        else if (o == "--dim")
            dim = std::atoi(argv[i + 1]);
        else if (o == "--threads")
            threads = std::atoi(argv[i + 1]);
        else if (o == "--kge-epochs")
            kgeEpochs = std::atoi(argv[i + 1]);
    }
    const auto tmp = std::filesystem::temp_directory_path() / "kgwb-bench-extract";
    std::filesystem::create_directories(tmp);
    std::stringstream list(sets);
    std::string set;
    while (std::getline(list, set, ',')) {
        const std::string dir = root + "/" + set + "/";
        const std::string path = (tmp / (set + ".kgwb")).string();
        for (const auto& suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path + suffix);
        std::set<Hrt> hidden;
        {
            auto p = Project::open(path);
            import::ImportRequest req;
            req.tripleFiles = {dir + "train.tsv"};
            req.labelFiles = {dir + "entities.tsv", dir + "relations.tsv"};
            import::runImport(*p, req);
            hidden = hiddenTriples(*p, dir);
        }
        auto t0 = std::chrono::steady_clock::now();
        const int64_t docs = text::importDescriptions(path);
        const double importSeconds = seconds(t0);

        // Hidden triples with evidence: some sentence pairs their two ends.
        std::set<Hrt> withEvidence;
        int64_t sentences = 0, pairs = 0;
        {
            auto p = Project::open(path, Project::OpenMode::MustExist);
            const ExtractCorpus corpus = ExtractCorpus::load(*p);
            sentences = corpus.sentences;
            pairs = corpus.pairs;
            std::set<std::pair<int64_t, int64_t>> paired;
            for (const auto& d : corpus.documents)
                for (const auto& pr : d.pairs)
                    paired.insert({std::min(pr.a, pr.b), std::max(pr.a, pr.b)});
            for (const auto& [h, r, t] : hidden)
                if (paired.count({std::min(h, t), std::max(h, t)}))
                    withEvidence.insert({h, r, t});
        }

        t0 = std::chrono::steady_clock::now();
        ExtractTrainSpec spec;
        spec.epochs = epochs;
        spec.dim = dim;
        spec.threads = threads;
        const ExtractJobResult trained = ExtractJob(path, spec).run();
        const double trainSeconds = seconds(t0);

        ExtractOptions o;
        o.run = trained.runId;
        o.minScore = 0;
        o.store = false;
        o.threads = threads;
        std::vector<CandidateRecord> ranked;
        const ExtractReport report = extractTriples(path, o, {}, nullptr, &ranked);

        t0 = std::chrono::steady_clock::now();
        const auto baseline = cooccurrenceBaseline(path);
        const double baselineSeconds = seconds(t0);

        const Row model = score(ranked, hidden, withEvidence), base = score(baseline, hidden, withEvidence);
        std::printf("\n%s: %lld descriptions, %lld sentences (stored in %.1f s), %lld entity pairs; %zu hidden "
                    "triples, %zu with an evidence sentence\n",
                    set.c_str(), static_cast<long long>(docs), static_cast<long long>(sentences), importSeconds,
                    static_cast<long long>(pairs), hidden.size(), withEvidence.size());
        std::printf("classifier: %lld positive / %lld NA examples, %d epochs in %.0f s, held-out F1 %.3f\n",
                    static_cast<long long>(trained.positives), static_cast<long long>(trained.negatives), epochs,
                    trainSeconds, trained.valid.f1);
        std::printf("%-34s %8s %8s %8s %10s %9s\n", "", "P@100", "P@1000", "recall", "candidates", "seconds");
        std::printf("%-34s %8.3f %8.3f %8.3f %10zu %9.1f\n", "transformer (distant supervision)", model.p100,
                    model.p1000, model.recall, model.candidates, report.seconds);
        std::printf("%-34s %8.3f %8.3f %8.3f %10zu %9.1f\n", "baseline (co-occurrence + freq.)", base.p100, base.p1000,
                    base.recall, base.candidates, baselineSeconds);
        std::fflush(stdout);
        if (kgeEpochs > 0) {
            JobSpec job;
            job.config.model = ModelKind::DistMult;
            job.config.dim = 200;
            job.config.epochs = kgeEpochs;
            job.config.threads = threads;
            job.evalEvery = 0;
            job.evaluateTest = false;
            job.checkpoint = (tmp / (set + "-kge.ckpt")).string();
            t0 = std::chrono::steady_clock::now();
            const JobResult kge = TrainJob(path, job).run({});
            const double kgeSeconds = seconds(t0);
            o.kgeRun = kge.runId;
            std::vector<CandidateRecord> mixed;
            const ExtractReport r2 = extractTriples(path, o, {}, nullptr, &mixed);
            const Row m = score(mixed, hidden, withEvidence);
            std::printf("%-34s %8.3f %8.3f %8.3f %10zu %9.1f  (DistMult %d epochs, %.0f s)\n",
                        "transformer + KGE plausibility", m.p100, m.p1000, m.recall, m.candidates, r2.seconds,
                        kgeEpochs, kgeSeconds);
        }
        std::fflush(stdout);
    }
    return 0;
}
