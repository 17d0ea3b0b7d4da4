// kgwb extract train | kgwb extract: the relation classifier and candidate triples from the
// project's documents (LibTorch builds).
#include <optional>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "interrupt.h"
#include "ml/extract.h"

namespace kgcli {
namespace {

int runExtractTrain(int argc, char** argv)
{
    Args args(argc, argv, 3,
              {"dim", "heads", "layers", "epochs", "lr", "batch", "max-pieces", "na-ratio", "seed", "threads",
               "init-from", "vocab"},
              {"quiet", "json-events"});
    if (args.positional().size() != 1)
        throw UsageError("extract train needs PROJECT");
    nlohmann::json spec = nlohmann::json::parse(kg::ml::ExtractTrainSpec{}.toJson());
    args.copyNumber(spec, "dim", "dim");
    args.copyNumber(spec, "heads", "heads");
    args.copyNumber(spec, "layers", "layers");
    args.copyNumber(spec, "epochs", "epochs");
    args.copyNumber(spec, "lr", "lr", true);
    args.copyNumber(spec, "batch", "batch_size");
    args.copyNumber(spec, "max-pieces", "max_pieces");
    args.copyNumber(spec, "na-ratio", "na_ratio", true);
    args.copyNumber(spec, "seed", "seed");
    args.copyNumber(spec, "threads", "threads");
    args.copyNumber(spec, "init-from", "init_from");
    args.copyNumber(spec, "vocab", "vocab_size");
    kg::ml::ExtractJob job(args.positional()[0], kg::ml::ExtractTrainSpec::fromJson(spec.dump()));
    const bool quiet = args.flag("quiet"), json = args.flag("json-events");
    std::optional<InterruptScope> interrupt;
    interrupt.emplace(job);
    const auto r = job.run([&](const kg::ml::JobEvent& e) {
        if (json) {
            std::printf("%s\n", e.toJson().c_str());
            std::fflush(stdout);
        } else if (!quiet && e.kind == kg::ml::JobEvent::Kind::Epoch) {
            std::printf("epoch %lld/%lld  loss %.4f\n", static_cast<long long>(e.epoch),
                        static_cast<long long>(e.epochs), e.loss);
        } else if (!quiet && e.kind == kg::ml::JobEvent::Kind::Validation) {
            std::printf("  held-out documents: %s\n", e.text.c_str());
        }
        std::fflush(stdout);
    });
    interrupt.reset();
    std::printf("run %lld %s after %lld epochs; %lld positive and %lld NA examples; held-out precision %.3f recall "
                "%.3f F1 %.3f\n",
                static_cast<long long>(r.runId), r.status.c_str(), static_cast<long long>(r.epochsDone),
                static_cast<long long>(r.positives), static_cast<long long>(r.negatives), r.valid.precision,
                r.valid.recall, r.valid.f1);
    return r.status == "cancelled" ? Cancelled : Ok;
}

} // namespace

int runExtract(int argc, char** argv)
{
    if (argc > 2 && std::string(argv[2]) == "train")
        return runExtractTrain(argc, argv);
    Args args(argc, argv, 2, {"run", "kge", "kge-weight", "min-score", "per-pair", "threads"}, {"quiet"});
    if (args.positional().size() != 1)
        throw UsageError("extract needs PROJECT (or: extract train PROJECT)");
    kg::ml::ExtractOptions o;
    o.run = args.intValue("run", 0);
    o.kgeRun = args.intValue("kge", 0);
    o.kgeWeight = args.realValue("kge-weight", o.kgeWeight);
    o.minScore = args.realValue("min-score", o.minScore);
    o.perPair = args.intValue("per-pair", static_cast<int>(o.perPair));
    o.threads = args.intValue("threads", 0);
    const bool quiet = args.flag("quiet");
    std::optional<InterruptScope> interrupt;
    interrupt.emplace();
    const auto r = kg::ml::extractTriples(args.positional()[0], o, [&](int64_t done, int64_t total) {
        if (!quiet) {
            std::fprintf(stderr, "\r%lld/%lld documents", static_cast<long long>(done), static_cast<long long>(total));
            std::fflush(stderr);
        }
    }, &interruptToken());
    interrupt.reset();
    if (!quiet)
        std::fprintf(stderr, "\n");
    std::printf("%lld documents, %lld sentences, %lld mentions, %lld pairs scored; %lld candidates >= %.2f, %lld new "
                "pending for review (%.1f s)\n",
                static_cast<long long>(r.documents), static_cast<long long>(r.sentences),
                static_cast<long long>(r.mentions), static_cast<long long>(r.pairs), static_cast<long long>(r.candidates),
                o.minScore, static_cast<long long>(r.stored), r.seconds);
    return Ok;
}

} // namespace kgcli
