// kgwb fed serve | fed join: federated training of the KGE models, CompGCN and the transformer (fed/federation.h).
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include <nlohmann/json.hpp>

#include "args.h"
#include "interrupt.h"
#include "core/cancel.h"
#include "fed/data_parallel.h"
#include "fed/federation.h"
#include "train_args.h"

namespace kgcli {
namespace {

void printRound(const kg::fed::FedRound& r, const char* scope)
{
    std::printf("round %d/%d  loss %.4f  %s valid MRR %.4f  Hits@10 %.4f  (%lld queries)", r.round, r.rounds, r.meanLoss,
                scope, r.valid.mrr, r.valid.hits10, static_cast<long long>(r.valid.queries));
    if (r.bytes > 0)
        std::printf("  %.2f MB", static_cast<double>(r.bytes) / 1e6);
    std::printf("  %.1f s\n", r.seconds);
    std::fflush(stdout);
}

const char* kindName(kg::fed::FedShare s)
{
    return s == kg::fed::FedShare::Both ? "entities and relations" : kg::fed::shareName(s);
}
const char* algorithmName(kg::fed::FedShare s)
{
    return s == kg::fed::FedShare::Entities ? "FedE" : s == kg::fed::FedShare::Relations ? "FedR" : "FedAvg";
}

std::pair<std::string, int> hostPort(const std::string& s)
{
    const auto colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw UsageError("--server takes HOST:PORT, not '" + s + "'");
    try {
        return {s.substr(0, colon), std::stoi(s.substr(colon + 1))};
    } catch (const std::exception&) {
        throw UsageError("--server takes HOST:PORT, not '" + s + "'");
    }
}

int serve(int argc, char** argv)
{
    auto values = trainValueOptions();
    values.insert({"clients", "port", "host", "rounds", "local-epochs", "timeout", "join-timeout", "dp-noise", "dp-clip", "on-failure", "share"});
    values.erase("resume"); // a flag here: resume from --checkpoint
    Args args(argc, argv, 3, values, {"resume", "quiet", "secure-agg", "cosine", "shortcut", "no-shortcut", "use-text"});
    if (!args.positional().empty())
        throw UsageError("fed serve takes no PROJECT: the coordinator holds no triples");
    kg::ml::TrainConfig base;
    base.epochs = 1;
    kg::fed::FedServeOptions o;
    o.config = trainConfigFromArgs(args, base);
    o.clients = args.intValue("clients", 2);
    o.port = args.intValue("port", 29500);
    o.host = args.value("host").value_or("127.0.0.1");
    o.rounds = args.intValue("rounds", 10);
    o.localEpochs = args.intValue("local-epochs", 1);
    o.timeoutSeconds = args.intValue("timeout", 1800);
    o.joinSeconds = args.intValue("join-timeout", 1800);
    o.checkpoint = args.value("checkpoint").value_or("");
    o.resume = args.flag("resume");
    o.secureAggregation = args.flag("secure-agg");
    const std::string onFailure = args.value("on-failure").value_or("abort");
    if (onFailure != "abort" && onFailure != "continue")
        throw UsageError("--on-failure takes abort or continue");
    o.continueWithoutFailed = onFailure == "continue";
    const auto share = kg::fed::parseShare(args.value("share").value_or("entities"));
    if (!share)
        throw UsageError("--share takes entities (FedE), relations (FedR) or both (FedAvg)");
    o.share = *share;
    o.onNotice = [](const std::string& text) {
        std::printf("%s\n", text.c_str());
        std::fflush(stdout);
    };
    try {
        o.dpNoise = std::stod(args.value("dp-noise").value_or("0"));
        o.dpClip = std::stod(args.value("dp-clip").value_or("1"));
    } catch (const std::exception&) {
        throw UsageError("--dp-noise and --dp-clip take numbers");
    }
    o.cancel = &interruptToken();
    const InterruptScope interrupt;
    std::printf("coordinator on %s:%d for %d silos: %d rounds of %d local epochs, %s dim %lld, sharing %s (%s)%s",
                o.host.c_str(), o.port, o.clients, o.rounds, o.localEpochs, kg::ml::modelName(o.config.model),
                static_cast<long long>(o.config.dim), kindName(o.share), algorithmName(o.share),
                o.secureAggregation ? ", secure aggregation" : "");
    if (o.dpNoise > 0)
        std::printf(", DP noise %.3g x clip %.3g", o.dpNoise, o.dpClip);
    std::printf("\n");
    std::fflush(stdout);
    bool warned = false;
    const auto result = kg::fed::serveFederation(o, [&](const kg::fed::FedRound& r) {
        if (!warned) {
            const char* kind = kindName(r.share);
            std::printf("%lld %s in all, %lld held by two or more silos\n", static_cast<long long>(r.globalRows), kind,
                        static_cast<long long>(r.sharedRows));
            if (r.sharedRows == 0 && o.clients > 1)
                std::printf("warning: no %s are shared; do the silos use the same --salt?\n", kind);
            warned = true;
        }
        if (!args.flag("quiet"))
            printRound(r, "pooled");
    });
    std::printf("test (pooled over the silos): MRR %.4f  MR %.1f  Hits@1 %.4f  Hits@3 %.4f  Hits@10 %.4f  (%lld queries)\n",
                result.test.mrr, result.test.meanRank, result.test.hits1, result.test.hits3, result.test.hits10,
                static_cast<long long>(result.test.queries));
    return Ok;
}

int join(int argc, char** argv)
{
    Args args(argc, argv, 3, {"server", "rank", "salt", "threads", "timeout", "join-timeout", "checkpoint", "model", "dim", "gamma"},
              {"quiet"});
    if (args.positional().size() != 1)
        throw UsageError("fed join needs exactly one SILO project");
    kg::fed::FedJoinOptions o;
    o.silo = args.positional()[0];
    const auto server = args.value("server");
    if (!server)
        throw UsageError("fed join needs --server HOST:PORT");
    std::tie(o.host, o.port) = hostPort(*server);
    o.rank = args.intValue("rank", 0);
    if (auto s = args.value("salt"))
        o.salt = *s;
    else if (const char* env = std::getenv("KGWB_FED_SALT"))
        o.salt = env;
    else
        throw UsageError("fed join needs the silos' shared secret: --salt S or KGWB_FED_SALT");
    o.threads = args.intValue("threads", 0);
    o.timeoutSeconds = args.intValue("timeout", 1800);
    o.joinSeconds = args.intValue("join-timeout", 1800);
    o.checkpoint = args.value("checkpoint").value_or("");
    nlohmann::json expects = nlohmann::json::object();
    if (auto v = args.value("model"))
        expects["model"] = *v;
    if (auto v = args.value("dim"))
        expects["dim"] = std::stoll(*v);
    if (auto v = args.value("gamma"))
        expects["gamma"] = std::stod(*v);
    if (!expects.empty())
        o.expectedConfig = expects.dump();
    o.cancel = &interruptToken();
    const InterruptScope interrupt;
    const auto result = kg::fed::joinFederation(o, [&](const kg::fed::FedRound& r) {
        if (!args.flag("quiet"))
            printRound(r, "this silo's");
    });
    std::printf("test (this silo): MRR %.4f  Hits@10 %.4f  (%lld queries)\n", result.localTest.mrr,
                result.localTest.hits10, static_cast<long long>(result.localTest.queries));
    return Ok;
}

} // namespace

int runTrainDataParallel(const Args& args, const kg::ml::TrainConfig& config)
{
    kg::fed::DataParallelOptions o;
    o.project = args.positional()[0];
    o.config = config;
    o.world = args.intValue("world-size", 1);
    o.rank = args.intValue("rank", 0);
    if (o.world > 1)
        std::tie(o.host, o.port) = hostPort(args.value("master").value_or(""));
    o.checkpoint = args.value("checkpoint").value_or("");
    o.evalEvery = args.intValue("eval-every", 0);
    o.patience = args.intValue("patience", 0);
    o.cancel = &interruptToken();
    const InterruptScope interrupt;
    std::printf("data-parallel training: rank %d of %d, %s dim %lld, global batch %lld\n", o.rank, o.world,
                kg::ml::modelName(config.model), static_cast<long long>(config.dim),
                static_cast<long long>(config.batchSize));
    const bool quiet = args.flag("quiet");
    const auto result = kg::fed::trainDataParallel(
        o,
        [&](int epoch, double loss) {
            if (!quiet) {
                std::printf("epoch %d  loss %.6f\n", epoch, loss);
                std::fflush(stdout);
            }
        },
        [&](int epoch, const kg::ml::RankMetrics& m) {
            if (!quiet) {
                std::printf("epoch %d  valid MRR %.4f  Hits@10 %.4f\n", epoch, m.mrr, m.hits10);
                std::fflush(stdout);
            }
        });
    if (!result.epochLoss.empty())
        std::printf("final loss %.6f\n", result.epochLoss.back());
    if (o.rank == 0) {
        std::printf("test: MRR %.4f  MR %.1f  Hits@1 %.4f  Hits@3 %.4f  Hits@10 %.4f  (%lld queries)\n", result.test.mrr,
                    result.test.meanRank, result.test.hits1, result.test.hits3, result.test.hits10,
                    static_cast<long long>(result.test.queries));
        if (result.bestValidMrr)
            std::printf("best valid MRR %.4f (the model kept and tested)\n", *result.bestValidMrr);
        std::printf("recorded as run %lld\n", static_cast<long long>(result.runId));
    }
    return Ok;
}

int runFed(int argc, char** argv)
{
    if (argc < 3)
        throw UsageError("usage: fed serve ... | fed join SILO ...");
    const std::string sub = argv[2];
    if (sub == "serve")
        return serve(argc, argv);
    if (sub == "join")
        return join(argc, argv);
    throw UsageError("fed takes serve or join, not '" + sub + "'");
}

} // namespace kgcli
