// Transformer benchmark (issue: the transformer as a first-class model). For each dataset, in
// one run and on the same machine, through the same job API users launch:
//   1. ComplEx (the KGE reference: 1-vs-all, N3, early stopping on valid MRR) - test MRR.
//   2. The transformer fine-tuned from scratch - test MRR, time, parameters.
//   3. Ablation of the joint loss: all of λ_lm, λ_kge, λ_reason on, then each one off.
//   4. Pre-training, then full fine-tuning vs LoRA fine-tuning from it: MRR and the share of
//      trainable parameters.
// Filtered head and tail prediction (both directions), realistic ranks. Prints a table.
// Usage: bench_text DATASETS_DIR [--datasets umls,kinship] [--epochs 20] [--ablation-epochs 10]
//        [--dim 128] [--context 8] [--batch 128] [--threads 2] [--skip-ablation] [--skip-lora]
//        [--kge-epochs 100] (ComplEx's most epochs before early stopping: a reduced run on CPU
//        gives both models the same few epochs)
//        [--skip-scratch] (no ComplEx and no from-scratch transformer: pre-train, full, LoRA only)
//        [--lora-rank 8] [--lora-alpha 16] [--lora-lr 3e-3] [--lora-entities full|adapter|both] [--seed 42]
//        [--targets one|all] [--reg none|n3|l2 --reg-weight W] (on the score's factors)
//        [--label-smoothing X] [--lambda-kge X] (the transformer runs' training recipe, spelled
//        as kgwb train spells it; ablation rows set their own λs)
//        --preset rank|explain: the Training tab's "rank answers (no context)" or "rank and
//        explain (16 context facts)" recipe (ml/train_presets.h: transformer-rank,
//        transformer-explain); flags after it override it
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "core/blas_kernels.h"
#include "import/importer.h"
#include "ml/kg_data.h"
#include "ml/text_trainer.h"
#include "ml/train_job.h"
#include "ml/train_presets.h"
#include "store/project.h"

using namespace kg;
using namespace kg::ml;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string dir;
    std::vector<std::string> datasets{"umls", "kinship"};
    int64_t epochs = 20, ablationEpochs = 10, dim = 128, context = 8, batch = 128, kgeEpochs = 100;
    int threads = 2;
    uint64_t seed = 42; // every run's seed (init, batches, dropout)
    bool ablation = true, lora = true, scratch = true;
    double lr = 1e-3, warmup = 0, headMask = 0.3, regWeight = 0, lambdaKge = 0, labelSmoothing = 0.1;
    std::string targets = "one", reg = "none";
    bool cosine = false, shortcut = false;
    int loraRank = 8;
    double loraAlpha = 16, loraLr = 3e-3;
    std::string loraEntities = "both"; // LoRA runs: entity rows fully updated, adapted, or both runs
};

std::string importDataset(const std::string& dir, const std::string& name, const std::string& out)
{
    std::filesystem::remove(out);
    auto p = Project::open(out);
    import::ImportRequest req;
    const std::string base = dir + "/" + name + "/";
    req.tripleFiles = {base + "train.tsv", import::TripleFile(base + "valid.tsv", Split::Valid),
                       import::TripleFile(base + "test.tsv", Split::Test)};
    for (const char* f : {"entities.tsv", "relations.tsv"})
        if (std::filesystem::exists(base + f))
            req.labelFiles.push_back(base + f);
    import::runImport(*p, req);
    return out;
}

struct Row {
    std::string dataset, what;
    double mrr = 0, hits10 = 0, seconds = 0, trainableShare = 1;
    int64_t epochs = 0, runId = 0;
};

Row run(const std::string& project, const std::string& dataset, const std::string& what, const TrainConfig& c,
        int evalEvery, int patience = 0)
{
    JobSpec spec;
    spec.config = c;
    spec.evalEvery = evalEvery;
    spec.patience = patience;
    spec.progressIntervalMs = 1000;
    const auto start = Clock::now();
    const auto r = TrainJob(project, spec).run({});
    Row row{dataset, what};
    row.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    row.mrr = r.test ? r.test->mrr : 0;
    row.hits10 = r.test ? r.test->hits10 : 0;
    row.epochs = r.epochsDone;
    row.runId = r.runId;
    if (c.model == ModelKind::Transformer) {
        auto p = Project::open(project, Project::OpenMode::MustExist);
        const KgData data = KgData::fromProject(*p);
        TrainConfig shape = c;
        shape.transformer.stage = TextStage::Finetune;
        TextTrainer t(shape, data, project);
        row.trainableShare = static_cast<double>(t.parameterCount(true)) / static_cast<double>(t.parameterCount(false));
    }
    std::printf("  %-10s %-34s test MRR %.4f  Hits@10 %.4f  %3lld epochs  %7.1f s  trainable %5.1f%%\n",
                dataset.c_str(), what.c_str(), row.mrr, row.hits10, static_cast<long long>(row.epochs), row.seconds,
                100 * row.trainableShare);
    std::fflush(stdout);
    return row;
}

} // namespace

int main(int argc, char** argv)
{
    kg::useFasterBlasKernels(argv); // as kgwb does: the product's speed, not the fallback kernels'
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--datasets") {
            o.datasets.clear();
            std::stringstream in(next());
            for (std::string d; std::getline(in, d, ',');)
                o.datasets.push_back(d);
        } else if (a == "--epochs") o.epochs = std::stoll(next());
        else if (a == "--ablation-epochs") o.ablationEpochs = std::stoll(next());
        else if (a == "--kge-epochs") o.kgeEpochs = std::stoll(next());
        else if (a == "--dim") o.dim = std::stoll(next());
        else if (a == "--context") o.context = std::stoll(next());
        else if (a == "--batch") o.batch = std::stoll(next());
        else if (a == "--threads") o.threads = std::stoi(next());
        else if (a == "--lr") o.lr = std::stod(next());
        else if (a == "--warmup") o.warmup = std::stod(next());
        else if (a == "--head-mask") o.headMask = std::stod(next());
        else if (a == "--cosine") o.cosine = true;
        else if (a == "--shortcut") o.shortcut = true;
        else if (a == "--lora-rank") o.loraRank = std::stoi(next());
        else if (a == "--lora-alpha") o.loraAlpha = std::stod(next());
        else if (a == "--lora-lr") o.loraLr = std::stod(next());
        else if (a == "--lora-entities") o.loraEntities = next();
        else if (a == "--seed") o.seed = std::stoull(next());
        else if (a == "--targets") o.targets = next();
        else if (a == "--reg") o.reg = next();
        else if (a == "--reg-weight") o.regWeight = std::stod(next());
        else if (a == "--label-smoothing") o.labelSmoothing = std::stod(next());
        else if (a == "--preset") {
            std::string id = next();
            if (id == "rank" || id == "explain")
                id = "transformer-" + id;
            const auto& c = trainPreset(id).config; // the Training tab's and kgwb train's recipe
            if (c.model != ModelKind::Transformer) {
                std::fprintf(stderr, "bench_text: --preset takes a transformer preset\n");
                return 2;
            }
            const auto& t = c.transformer;
            o.dim = c.dim, o.lr = c.lr, o.batch = c.batchSize, o.epochs = c.epochs, o.context = t.context;
            o.warmup = t.warmup, o.cosine = t.cosineDecay, o.targets = t.targets, o.headMask = t.headMask;
            o.labelSmoothing = t.labelSmoothing, o.lambdaKge = t.lambdaKge, o.shortcut = t.shortcut;
            o.reg = c.reg == RegKind::N3 ? "n3" : c.reg == RegKind::L2 ? "l2" : "none", o.regWeight = c.regWeight;
        }
        else if (a == "--lambda-kge") o.lambdaKge = std::stod(next());
        else if (a == "--skip-ablation") o.ablation = false;
        else if (a == "--skip-lora") o.lora = false;
        else if (a == "--skip-scratch") o.scratch = false;
        else if (o.dir.empty()) o.dir = a;
        else {
            std::fprintf(stderr, "usage: bench_text DATASETS_DIR [--datasets a,b] [--epochs N] [--ablation-epochs N] [--kge-epochs N] "
                                 "[--dim D] [--context K] [--batch B] [--threads T] [--lr X] [--warmup SHARE] [--cosine] [--shortcut] "
                                 "[--head-mask P] [--targets one|all] [--reg none|n3|l2] [--reg-weight W] [--label-smoothing X] [--lambda-kge X] [--preset rank|explain] [--lora-rank R] [--lora-alpha A] [--lora-lr X] [--lora-entities full|adapter|both] [--seed S] [--skip-ablation] "
                                 "[--skip-lora] [--skip-scratch]\n");
            return 2;
        }
    }
    if (o.reg != "none" && o.reg != "n3" && o.reg != "l2") {
        std::fprintf(stderr, "bench_text: --reg takes none, n3 or l2\n");
        return 2;
    }
    if (o.dir.empty())
        o.dir = "../shared/datasets";
    const auto tmp = std::filesystem::temp_directory_path() / "kgwb-bench-text";
    std::filesystem::create_directories(tmp);
    std::vector<Row> rows;
    for (const auto& ds : o.datasets) {
        const std::string project = importDataset(o.dir, ds, (tmp / (ds + ".kgwb")).string());
        std::printf("%s\n", ds.c_str());
        TrainConfig complex;
        complex.model = ModelKind::ComplEx, complex.dim = 200, complex.mode = TrainMode::OneVsAll;
        complex.loss = LossKind::CE, complex.reg = RegKind::N3, complex.regWeight = 5e-3, complex.lr = 0.01;
        complex.batchSize = 256, complex.epochs = o.kgeEpochs, complex.threads = o.threads, complex.device = "cpu";
        complex.seed = o.seed;
        if (o.scratch)
            rows.push_back(run(project, ds, "ComplEx d200 (early stop)", complex, 2, 3));

        TrainConfig t;
        t.model = ModelKind::Transformer, t.dim = o.dim, t.lr = o.lr, t.batchSize = o.batch, t.epochs = o.epochs;
        t.threads = o.threads, t.device = "cpu", t.seed = o.seed;
        t.transformer.context = o.context;
        t.transformer.warmup = o.warmup;
        t.transformer.cosineDecay = o.cosine;
        t.transformer.shortcut = o.shortcut;
        t.transformer.headMask = o.headMask;
        t.transformer.targets = o.targets;
        t.transformer.lambdaKge = o.lambdaKge;
        t.transformer.labelSmoothing = o.labelSmoothing;
        if (o.reg != "none")
            t.reg = o.reg == "n3" ? RegKind::N3 : RegKind::L2, t.regWeight = o.regWeight;
        const int every = static_cast<int>(std::max<int64_t>(1, o.epochs / 4));
        if (o.scratch)
            rows.push_back(run(project, ds, "transformer (fine-tune)", t, every));

        if (o.ablation) {
            TrainConfig j = t;
            j.epochs = o.ablationEpochs;
            j.transformer.lambdaKge = 0;
            const int ev = static_cast<int>(j.epochs);
            rows.push_back(run(project, ds, "ablation: no joint terms", j, ev));
            j.transformer.lambdaLm = 0.1, j.transformer.lambdaKge = 0.5, j.transformer.lambdaReason = 0.1;
            rows.push_back(run(project, ds, "ablation: joint (lm, kge, reason)", j, ev));
            for (const char* off : {"lm", "kge", "reason"}) {
                TrainConfig k = j;
                if (!std::strcmp(off, "lm")) k.transformer.lambdaLm = 0;
                if (!std::strcmp(off, "kge")) k.transformer.lambdaKge = 0;
                if (!std::strcmp(off, "reason")) k.transformer.lambdaReason = 0;
                rows.push_back(run(project, ds, std::string("ablation: joint without ") + off, k, ev));
            }
            TrainConfig k = j; // the head x relation shortcut, the other way round
            k.transformer.shortcut = !j.transformer.shortcut;
            rows.push_back(run(project, ds, k.transformer.shortcut ? "ablation: joint with shortcut" : "ablation: joint without shortcut", k, ev));
        }
        if (o.lora) {
            TrainConfig pre = t;
            pre.epochs = std::max<int64_t>(1, o.epochs / 2);
            pre.transformer.stage = TextStage::Pretrain;
            pre.transformer.useText = true;
            const Row p = run(project, ds, "pre-train (masked tokens, text)", pre, 0);
            TrainConfig full = t;
            full.transformer.initFrom = p.runId;
            full.transformer.useText = true;
            rows.push_back(run(project, ds, "fine-tune full from pre-train", full, every));
            TrainConfig lora = full;
            lora.transformer.loraRank = o.loraRank;
            lora.transformer.loraAlpha = o.loraAlpha;
            lora.transformer.loraTargets = "q,k,v,o,ff1,ff2";
            lora.lr = o.loraLr;
            for (const char* entities : {"full", "adapter"}) {
                if (o.loraEntities != "both" && o.loraEntities != entities)
                    continue;
                lora.transformer.loraEntities = entities;
                rows.push_back(run(project, ds,
                                   "fine-tune LoRA r" + std::to_string(o.loraRank) + ", entity rows " + entities, lora, every));
            }
        }
    }
    std::printf("\n| dataset | model | test MRR | Hits@10 | epochs | seconds | trainable |\n|---|---|---|---|---|---|---|\n");
    for (const auto& r : rows)
        std::printf("| %s | %s | %.3f | %.3f | %lld | %.0f | %.1f%% |\n", r.dataset.c_str(), r.what.c_str(), r.mrr,
                    r.hits10, static_cast<long long>(r.epochs), r.seconds, 100 * r.trainableShare);
    return 0;
}
