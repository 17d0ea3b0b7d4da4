#include "fed/federation.h"

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "core/error.h"
#include "io/whole_file.h"
#include "fed/entity_hash.h"
#include "fed/fed_model.h"
#include "fed/gloo_group.h"
#include "fed/pairwise_masks.h"
#include "fed/shared_rows.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/job_trainer.h"
#include "ml/kg_data.h"
#include "store/project.h"

namespace kg::fed {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }
std::string text(const std::vector<uint8_t>& b) { return {b.begin(), b.end()}; }

// How long the coordinator waits for the survivors of a failure to report: a silo blocked in a
// collective reports only after its own timeout.
double regroupSeconds(double timeout) { return timeout * 1.5 + 5; }

struct Group {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> pg;
    double timeout = 300;

    void broadcast(torch::Tensor& t, const std::string& step)
    {
        std::vector<at::Tensor> v{t};
        c10d::BroadcastOptions o;
        o.rootRank = 0;
        waitWork(pg->broadcast(v, o), step, timeout);
    }
    void reduceSum(torch::Tensor& t, const std::string& step)
    {
        std::vector<at::Tensor> v{t};
        c10d::ReduceOptions o;
        o.rootRank = 0;
        o.reduceOp = c10d::ReduceOp::SUM;
        waitWork(pg->reduce(v, o), step, timeout);
    }
};

// Σ rr, Σ hits@1/3/10, Σ rank, queries of a RankMetrics, and back.
torch::Tensor metricSums(const ml::RankMetrics& m)
{
    const auto q = static_cast<double>(m.queries);
    return torch::tensor({m.mrr * q, m.hits1 * q, m.hits3 * q, m.hits10 * q, m.meanRank * q, q}, torch::kFloat64);
}

ml::RankMetrics fromSums(const torch::Tensor& s)
{
    auto a = s.accessor<double, 1>();
    ml::RankMetrics m;
    const double q = a[5];
    m.queries = static_cast<int64_t>(q);
    if (q > 0) {
        m.mrr = a[0] / q;
        m.hits1 = a[1] / q;
        m.hits3 = a[2] / q;
        m.hits10 = a[3] / q;
        m.meanRank = a[4] / q;
    }
    return m;
}

void writeServerCheckpoint(const std::string& path, int round, const torch::Tensor& table, const torch::Tensor& dense,
                           const std::string& config, const std::string& hashes)
{
    torch::serialize::OutputArchive a;
    a.write("round", torch::tensor(static_cast<int64_t>(round)));
    a.write("table", table);
    a.write("dense", dense);
    a.write("config", torch::tensor(std::vector<uint8_t>(config.begin(), config.end()), torch::kUInt8));
    a.write("hashes", torch::tensor(std::vector<uint8_t>(hashes.begin(), hashes.end()), torch::kUInt8));
    std::string out;
    a.save_to([&](const void* data, size_t n) {
        out.append(static_cast<const char*>(data), n);
        return n;
    });
    io::writeFileAtomically(path, out, "checkpoint");
}

std::string bytesOf(const torch::Tensor& t)
{
    const auto c = t.contiguous();
    const auto* p = c.data_ptr<uint8_t>();
    return std::string(p, p + c.numel());
}

} // namespace

const char* shareName(FedShare share)
{
    return share == FedShare::Entities ? "entities" : share == FedShare::Relations ? "relations" : "both";
}

std::optional<FedShare> parseShare(const std::string& name)
{
    for (FedShare s : {FedShare::Entities, FedShare::Relations, FedShare::Both})
        if (name == shareName(s))
            return s;
    return std::nullopt;
}

void addPairwiseMasks(torch::Tensor& sums, const std::string& salt, int rank, int silos, int round, const std::string& part)
{
    for (int other = 1; other <= silos; ++other) {
        if (other == rank)
            continue;
        const int lo = std::min(rank, other), hi = std::max(rank, other);
        const auto h = entityHash(salt, "mask/" + std::to_string(lo) + "/" + std::to_string(hi) + "/" + std::to_string(round) +
                                            (part.empty() ? "" : "/" + part));
        uint64_t seed = 0;
        for (int b = 0; b < 8; ++b)
            seed = (seed << 8) | h[static_cast<size_t>(b)];
        auto gen = at::detail::createCPUGenerator(seed);
        const auto mask = at::normal(0.0, 10.0, sums.sizes(), gen);
        sums.add_(rank == lo ? mask : -mask);
    }
}

FedResult serveFederation(const FedServeOptions& o, const std::function<void(const FedRound&)>& onRound)
{
    o.config.validate();
    checkFederable(o.config);
    if (o.clients < 1 || o.rounds < 1 || o.localEpochs < 1)
        throw Error(Errc::InvalidArgument, "clients, rounds and local epochs must be at least 1");
    const int size = o.clients + 1;
    Group g;
    g.timeout = o.timeoutSeconds;
    // The store's own timeout bounds the admission waits below; every wait after it names its own.
    auto tcp = openStore(o.host, o.port, true, size, std::max(o.joinSeconds, 1.0));
    g.store = c10::make_intrusive<c10d::PrefixStore>("kgwb-fed", tcp);
    const std::string shape = federatedShape(o.config).dump();
    g.store->set("config", bytes(o.config.toJson()));
    g.store->set("share", bytes(shareName(o.share))); // silos then post the hashes of those keys
    // Admitted silos wait for the plan: on an error before it, they are told (and the store
    // stays up until they have read it), not left waiting for their timeout.
    auto abort = [&](const std::string& why, int admitted) {
        g.store->set("plan", bytes(nlohmann::json{{"abort", why}}.dump()));
        for (int i = 0; i < 50 && g.store->add("abort-seen", 0) < admitted; ++i)
            std::this_thread::sleep_for(milliseconds(100));
    };

    // Admission: each silo posts its rank, what it insists on, and its entity hashes.
    std::vector<std::string> siloHashes(static_cast<size_t>(size));
    std::vector<std::string> refusals;
    nlohmann::json tokenizer; // the first admitted silo's (a transformer reading text)
    for (int r = 1; r <= o.clients; ++r) {
        const std::string silo = "silo " + std::to_string(r) + " to join (" +
                                 std::to_string(static_cast<int>(o.joinSeconds)) + " s)";
        const auto hello = nlohmann::json::parse(text(getKey(*g.store, "hello/" + std::to_string(r), silo)));
        std::string why;
        if (hello.value("joins", 0) > 1)
            why = "rank " + std::to_string(r) + " was taken by two silos";
        else if (auto t = tokenizerMismatch(o.config, hello.value("tokenizer", nlohmann::json()), tokenizer); !t.empty())
            why = t;
        else if (!hello["expects"].is_null()) {
            const auto theirs = hello["expects"];
            const auto ours = federatedShape(o.config);
            for (const auto& [k, v] : theirs.items())
                if (ours.contains(k) && ours[k] != v)
                    why += (why.empty() ? "" : ", ") + k + " " + v.dump() + " (the federation uses " + ours[k].dump() + ")";
            if (!why.empty())
                why = "model settings differ: " + why;
        }
        g.store->set("verdict/" + std::to_string(r), bytes(why.empty() ? "ok" : "refused: " + why));
        if (!why.empty()) {
            refusals.push_back("silo " + std::to_string(r) + ": " + why);
            continue;
        }
        siloHashes[static_cast<size_t>(r)] = text(getKey(*g.store, "hashes/" + std::to_string(r), "silo hashes"));
    }
    if (!refusals.empty()) {
        std::string all;
        for (const auto& r : refusals)
            all += (all.empty() ? "" : "; ") + r;
        abort(all, o.clients - static_cast<int>(refusals.size()));
        throw Error(Errc::InvalidArgument, "federation refused: " + all);
    }

    // Global row order (entities, or relations under FedR): the sorted union of the silos' hashes.
    std::map<std::string, int> holders;
    for (int r = 1; r <= o.clients; ++r) {
        const auto& h = siloHashes[static_cast<size_t>(r)];
        for (size_t i = 0; i + 32 <= h.size(); i += 32)
            ++holders[h.substr(i, 32)];
    }
    std::string global;
    int64_t shared = 0;
    for (const auto& [h, n] : holders) {
        global += h;
        shared += n > 1 ? 1 : 0;
    }
    const auto G = static_cast<int64_t>(holders.size());
    const int64_t pieces = tokenizer.is_null() ? 0 : tokenizer.value("pieces", int64_t{0});
    const auto probe = FedModel::draw(o.config, 1, 1, pieces);
    const int64_t D = SharedRows::width(probe, o.share);
    const int64_t P = probe.denseSize(); // the dense part (encoder, layers), averaged by position

    torch::manual_seed(o.config.seed);
    torch::Tensor table = torch::randn({G, D}) * 0.1; // replaced by the silos' first trained rows
    torch::Tensor dense = torch::zeros({P});          // the same
    int startRound = 0;
    if (o.resume) try {
        if (o.checkpoint.empty() || !std::filesystem::exists(o.checkpoint))
            throw Error(Errc::InvalidArgument, "--resume needs the federation checkpoint (" + o.checkpoint + ")");
        torch::serialize::InputArchive a;
        torch::Tensor round, stored, storedDense, config, hashes;
        try {
            a.load_from(o.checkpoint);
            if (!a.try_read("round", round) || !a.try_read("table", stored) || !a.try_read("config", config) ||
                !a.try_read("hashes", hashes))
                throw Error(Errc::Format, "'" + o.checkpoint + "' is not a federation checkpoint");
            if (!a.try_read("dense", storedDense)) // written before the dense part existed: KGE only
                storedDense = torch::zeros({0});
        } catch (const c10::Error& e) {
            throw Error(Errc::Format, "'" + o.checkpoint + "' is not a federation checkpoint: " + e.what_without_backtrace());
        }
        if (federatedShape(ml::TrainConfig::fromJson(bytesOf(config))).dump() != shape)
            throw Error(Errc::InvalidArgument, "'" + o.checkpoint + "' was written for other model settings");
        if (bytesOf(hashes) != global || stored.sizes() != table.sizes())
            throw Error(Errc::InvalidArgument, std::string("the silos hold other rows (shared: ") + shareName(o.share) +
                                                   ") than when '" + o.checkpoint + "' was written, or it shared others");
        if (storedDense.sizes() != dense.sizes())
            throw Error(Errc::InvalidArgument, "'" + o.checkpoint + "' holds a dense part of " +
                                                   std::to_string(storedDense.numel()) + " values; this model has " +
                                                   std::to_string(P));
        table = stored;
        dense = storedDense;
        startRound = static_cast<int>(round.item<int64_t>());
    } catch (const Error& e) {
        abort(e.what(), o.clients);
        throw;
    }
    g.store->set("global", bytes(global));
    if (o.dpNoise < 0 || o.dpClip <= 0)
        throw Error(Errc::InvalidArgument, "DP noise must be >= 0 and the clipping norm > 0");
    g.store->set("plan", bytes(nlohmann::json{{"rounds", o.rounds}, {"local_epochs", o.localEpochs}, {"start", startRound},
                                              {"world", size}, {"shared", shared}, {"dense", P}, {"pieces", pieces},
                                              {"secure", o.secureAggregation},
                                              {"dp_noise", o.dpNoise}, {"dp_clip", o.dpClip}}
                                     .dump()));
    g.pg = makeGroup(g.store, 0, size, o.host, o.timeoutSeconds);

    FedResult result;
    std::vector<int> live; // original ranks of the silos in the group
    for (int r = 1; r <= o.clients; ++r)
        live.push_back(r);
    int generation = 0;
    // After a silo failed: the survivors re-form the group under a new generation's prefix
    // and redo the round. Silos that do not report back within the timeout are left out.
    auto regroup = [&](int round, const Error& why) {
        const std::string key = "gen/" + std::to_string(++generation);
        g.store->set(key + "/open", bytes(std::to_string(round)));
        const auto deadline = Clock::now() + toMs(regroupSeconds(o.timeoutSeconds));
        while (Clock::now() < deadline && g.store->add(key + "/count", 0) < static_cast<int64_t>(live.size()) - 1)
            std::this_thread::sleep_for(milliseconds(100));
        std::vector<int> still;
        nlohmann::json ranks = nlohmann::json::object();
        for (int r : live)
            if (g.store->check({key + "/member/" + std::to_string(r)})) {
                still.push_back(r);
                ranks[std::to_string(r)] = static_cast<int>(still.size());
            }
        if (still.empty())
            throw Error(Errc::Io, std::string(why.what()) + "; no silo is left");
        std::string gone;
        for (int r : live)
            if (std::find(still.begin(), still.end(), r) == still.end())
                gone += (gone.empty() ? "" : ", ") + std::to_string(r);
        live = still;
        g.store->set(key + "/plan", bytes(nlohmann::json{{"ranks", ranks}, {"world", still.size() + 1}}.dump()));
        g.pg = makeGroup(c10::make_intrusive<c10d::PrefixStore>(key, g.store), 0, static_cast<int>(still.size()) + 1,
                         o.host, o.timeoutSeconds);
        if (o.onNotice)
            o.onNotice("silo(s) " + gone + " left in round " + std::to_string(round) + " (" + why.what() +
                       "); continuing with " + std::to_string(still.size()) + " and redoing the round");
    };
    for (int round = startRound + 1; round <= o.rounds + 1;) try {
        if (round == o.rounds + 1) { // after the last round: the silos' test splits
            torch::Tensor test = torch::zeros({6}, torch::kFloat64);
            g.reduceSum(test, "final test evaluation");
            result.test = fromSums(test);
            break;
        }
        if (o.cancel)
            o.cancel->throwIfCancelled();
        const auto start = Clock::now();
        const std::string at = "round " + std::to_string(round);
        g.broadcast(table, at + ", sending the shared table");
        if (P > 0)
            g.broadcast(dense, at + ", sending the dense part");
        torch::Tensor sums = torch::zeros({G, D + 1});
        g.reduceSum(sums, at + ", collecting the trained rows");
        const auto weight = sums.narrow(1, D, 1);
        const auto trained = weight.gt(0.5); // counts are whole; masks leave rounding noise
        table = torch::where(trained, sums.narrow(1, 0, D) / weight.clamp_min(1e-12), table); // sent next round
        torch::Tensor denseSums = torch::zeros({P + 1});
        if (P > 0) {
            g.reduceSum(denseSums, at + ", collecting the dense part");
            const double w = denseSums[P].item<double>(); // Σ training triples of the silos
            if (w > 0.5)
                dense = denseSums.narrow(0, 0, P) / w;
        }
        torch::Tensor stats = torch::zeros({8}, torch::kFloat64); // loss sum, steps, metric sums
        g.reduceSum(stats, at + ", collecting validation");
        FedRound r;
        r.round = round;
        r.rounds = o.rounds;
        r.meanLoss = stats[0].item<double>() / std::max(1.0, stats[1].item<double>());
        r.valid = fromSums(stats.narrow(0, 2, 6));
        r.share = o.share;
        r.sharedRows = shared;
        r.globalRows = G;
        // One table out, one table of sums (with weights) and the statistics in, per silo.
        r.bytes = static_cast<int64_t>(live.size()) * (table.numel() * 4 + sums.numel() * 4 + stats.numel() * 8 +
                                                        (P > 0 ? (dense.numel() + denseSums.numel()) * 4 : 0));
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (!o.checkpoint.empty())
            writeServerCheckpoint(o.checkpoint, round, table, dense, o.config.toJson(), global);
        result.rounds.push_back(r);
        if (onRound)
            onRound(r);
        ++round;
    } catch (const Error& e) {
        if (e.code() != Errc::Io || !o.continueWithoutFailed)
            throw;
        regroup(round, e);
    }
    return result;
}

FedResult joinFederation(const FedJoinOptions& o, const std::function<void(const FedRound&)>& onRound)
{
    if (o.rank < 1)
        throw Error(Errc::InvalidArgument, "a silo's rank is 1 or more (0 is the coordinator)");
    // Read the silo first: a bad project or salt fails before anyone waits on this silo.
    auto project = Project::open(o.silo, Project::OpenMode::ReadOnly);
    const ml::KgData data = ml::KgData::fromProject(*project);
    // Salted hashes of the entity keys and of the relation keys, in dense order: the
    // coordinator gets those of the rows it shares.
    std::vector<std::string> entityHashes, relationHashes;
    for (int64_t id : data.entityIds)
        entityHashes.push_back(entityHashBytes(o.salt, project->entity(id)->key));
    std::map<int64_t, std::string> relationKey;
    for (const auto& r : project->relations())
        relationKey[r.id] = r.key;
    for (int64_t id : data.relationIds)
        relationHashes.push_back(relationHashBytes(o.salt, relationKey.at(id)));
    const auto tokenizer = tokenizerFingerprint(*project);
    project.reset();
    if (data.train.size(0) == 0)
        throw Error(Errc::InvalidArgument, "silo '" + o.silo + "' has no training triples");

    Group g;
    g.timeout = o.timeoutSeconds;
    // Connecting and the admission waits below (the coordinator may start later, the other silos
    // join when they join) are bounded by the join time; every wait after it names its own.
    auto tcp = openStore(o.host, o.port, false, 0, std::max(o.joinSeconds, 1.0));
    g.store = c10::make_intrusive<c10d::PrefixStore>("kgwb-fed", tcp);
    const std::string me = std::to_string(o.rank);
    const int64_t joins = g.store->add("joins/" + me, 1);
    nlohmann::json hello{{"joins", joins}, {"expects", nullptr}, {"tokenizer", tokenizer}};
    if (!o.expectedConfig.empty())
        hello["expects"] = nlohmann::json::parse(o.expectedConfig); // only the settings the silo named
    g.store->set("hello/" + me, bytes(hello.dump()));
    const std::string verdict = text(getKey(*g.store, "verdict/" + me, "the coordinator's admission"));
    if (verdict != "ok")
        throw Error(Errc::InvalidArgument, "the coordinator " + verdict);
    const std::string shareText = text(getKey(*g.store, "share", "what the federation shares"));
    const auto share = parseShare(shareText);
    if (!share)
        throw Error(Errc::InvalidArgument, "the coordinator shares '" + shareText + "', which this program does not know");
    ml::TrainConfig config = ml::TrainConfig::fromJson(text(getKey(*g.store, "config", "the model settings")));
    const SharedRows shared(*share, config, data, entityHashes, relationHashes);
    std::string hashBytes;
    for (const auto& h : shared.hashes())
        hashBytes += h;
    g.store->set("hashes/" + me, bytes(hashBytes));

    const std::string others = "the other silos to join (" + std::to_string(static_cast<int>(o.joinSeconds)) + " s)";
    const auto plan = nlohmann::json::parse(text(getKey(*g.store, "plan", others)));
    if (plan.contains("abort")) {
        g.store->add("abort-seen", 1);
        throw Error(Errc::InvalidArgument, "the coordinator stopped the federation: " + plan["abort"].get<std::string>());
    }
    const std::string global = text(getKey(*g.store, "global", "the global row order"));
    const int rounds = plan.at("rounds"), localEpochs = plan.at("local_epochs"), start = plan.at("start");
    int world = plan.at("world");
    const int64_t sharedCount = plan.at("shared");
    const int64_t P = plan.value("dense", int64_t{0}), pieces = plan.value("pieces", int64_t{0});
    const bool secure = plan.value("secure", false);
    const double dpNoise = plan.value("dp_noise", 0.0), dpClip = plan.value("dp_clip", 1.0);
    config.threads = o.threads;
    config.epochs = std::numeric_limits<int32_t>::max(); // rounds end training, not a budget (redone rounds)
    config.device = "cpu"; // Gloo reduces CPU tensors
    config.transformer.scheduleEpochs = static_cast<int64_t>(rounds) * localEpochs; // warmup and decay over all rounds
    const uint64_t sharedSeed = config.seed;
    config.seed += static_cast<uint64_t>(o.rank); // own negatives and batch order

    // Global row of each shared local row (shared.hashes(): entities, then relations).
    std::map<std::string, int64_t> row;
    for (size_t i = 0; i + 32 <= global.size(); i += 32)
        row.emplace(global.substr(i, 32), static_cast<int64_t>(i / 32));
    std::vector<int64_t> globalOf;
    for (const auto& h : shared.hashes()) {
        const auto it = row.find(h);
        if (it == row.end())
            throw Error(Errc::InvalidArgument, "the coordinator's global order lacks a key of this silo");
        globalOf.push_back(it->second);
    }
    const auto G = static_cast<int64_t>(row.size());
    const int64_t D = shared.width();
    const auto index = torch::tensor(globalOf, torch::kInt64);
    const auto& weight = shared.weights();

    const auto trainer = ml::makeTrainer(config, data, o.silo);
    if (!o.checkpoint.empty() && start > 0 && std::filesystem::exists(o.checkpoint))
        ml::loadCheckpoint(o.checkpoint, *trainer); // own rows and optimizer; the shared rows come from the table
    FedModel model = FedModel::of(*trainer);
    if (model.denseSize() != P)
        throw Error(Errc::InvalidArgument, "this silo's model has a dense part of " + std::to_string(model.denseSize()) +
                                               " values, the coordinator's " + std::to_string(P) +
                                               " (another version of kgwb?)");
    // The dense part's aggregation weight: the silo's training triples (FedAvg's n_k).
    const auto denseWeight = static_cast<double>(data.train.size(0));
    const ml::FilterIndex filter(data);
    g.pg = makeGroup(g.store, o.rank, world, o.host, o.timeoutSeconds);
    FedResult result;
    auto setRows = [&](const torch::Tensor& table) { shared.write(model, table.index_select(0, index)); };
    int rank = o.rank, generation = 0;
    // The coordinator lost a silo and re-forms the group: report back, take the new rank.
    auto rejoin = [&](const Error& why) -> int {
        const std::string key = "gen/" + std::to_string(++generation);
        // The coordinator may notice the failure a timeout later than this silo, and then waits
        // for the slowest survivor: both waits outlast its regroup deadline.
        const auto wait = toMs(regroupSeconds(o.timeoutSeconds) + 5);
        std::vector<uint8_t> open;
        try {
            open = getKey(*g.store, key + "/open", "the coordinator", wait);
        } catch (const std::exception&) {
            throw why; // the coordinator stopped (or chose to abort): the original error stands
        }
        g.store->set(key + "/member/" + me, bytes("1"));
        g.store->add(key + "/count", 1);
        const auto plan = nlohmann::json::parse(text(getKey(*g.store, key + "/plan", "the regrouped federation", wait)));
        if (!plan["ranks"].contains(me))
            throw Error(Errc::Io, "this silo was left out of the federation after " + std::string(why.what()));
        rank = plan["ranks"][me].get<int>();
        world = plan["world"].get<int>();
        g.pg = makeGroup(c10::make_intrusive<c10d::PrefixStore>(key, g.store), rank, world, o.host, o.timeoutSeconds);
        return std::stoi(text(open));
    };
    for (int round = start + 1; round <= rounds + 1;) try {
        if (round == rounds + 1) { // after the last round: the test split, pooled by the coordinator
            result.localTest = trainer->evaluate(data.test, filter, o.cancel);
            torch::Tensor test = metricSums(result.localTest);
            g.reduceSum(test, "final test evaluation");
            break;
        }
        const auto t0 = Clock::now();
        const std::string at = "round " + std::to_string(round);
        torch::Tensor table = torch::zeros({G, D});
        g.broadcast(table, at + ", receiving the entity table");
        torch::Tensor dense = torch::zeros({P});
        if (P > 0)
            g.broadcast(dense, at + ", receiving the dense part");
        if (round > 1 || start > 0) {
            setRows(table);
            if (P > 0)
                model.setDense(dense);
        } else {
            // Round 1: every silo starts from one common initialisation of all G shared rows
            // and of the dense part, drawn by the model's own initialiser under the
            // federation's seed (the coordinator cannot know the model's initial scale). Then
            // the silo's own seed again, for its own batches, negatives and dropout.
            torch::manual_seed(sharedSeed);
            const auto draw = FedModel::draw(config, G, G, pieces);
            shared.write(model, shared.initial(draw, index));
            model.setDense(draw.dense());
            torch::manual_seed(config.seed);
        }
        torch::Tensor startRows, startDense;
        if (dpNoise > 0) {
            startRows = shared.read(model);
            startDense = model.dense();
        }
        int done = 0;
        double lossSum = 0;
        const auto epochs = trainer->run({}, o.cancel, [&](const ml::EpochResult&) { return ++done < localEpochs; });
        for (const auto& e : epochs)
            lossSum += e.meanLoss * static_cast<double>(trainer->stepsPerEpoch());
        torch::Tensor sums = torch::zeros({G, D + 1}), denseSums = torch::zeros({P + 1});
        {
            torch::NoGradGuard noGrad;
            auto rows = shared.read(model);
            auto newDense = model.dense();
            if (dpNoise > 0) {
                // Each row's change, and the dense part's change as one vector, clipped to dpClip.
                auto delta = rows - startRows;
                delta = delta * (dpClip / delta.norm(2, 1, true).clamp_min(dpClip));
                rows = startRows + delta + torch::randn(delta.sizes()) * (dpNoise * dpClip);
                auto denseDelta = newDense - startDense;
                denseDelta = denseDelta * (dpClip / denseDelta.norm().clamp_min(dpClip));
                newDense = startDense + denseDelta + torch::randn(denseDelta.sizes()) * (dpNoise * dpClip);
            }
            sums.narrow(1, 0, D).index_add_(0, index, rows * weight.unsqueeze(1));
            sums.narrow(1, D, 1).index_add_(0, index, weight.unsqueeze(1));
            denseSums.narrow(0, 0, P).copy_(newDense * denseWeight);
            denseSums[P] = denseWeight;
            if (secure) {
                addPairwiseMasks(sums, o.salt, rank, world - 1, round);
                addPairwiseMasks(denseSums, o.salt, rank, world - 1, round, "dense");
            }
        }
        // The silo's model is what it just trained from the averaged table (the next round
        // starts from the new average): valid, the checkpoint and the final test use it.
        const auto valid = trainer->evaluate(data.valid, filter, o.cancel);
        g.reduceSum(sums, at + ", sending the trained rows");
        if (P > 0)
            g.reduceSum(denseSums, at + ", sending the dense part");
        torch::Tensor stats = torch::zeros({8}, torch::kFloat64);
        stats[0] = lossSum;
        stats[1] = static_cast<double>(trainer->stepsPerEpoch()) * static_cast<double>(epochs.size());
        stats.narrow(0, 2, 6).copy_(metricSums(valid));
        g.reduceSum(stats, at + ", sending validation");
        if (!o.checkpoint.empty())
            ml::saveCheckpoint(o.checkpoint, *trainer);
        FedRound r;
        r.round = round;
        r.rounds = rounds;
        r.meanLoss = lossSum / std::max(1.0, static_cast<double>(trainer->stepsPerEpoch() * static_cast<int64_t>(epochs.size())));
        r.valid = valid; // this silo's own (a reduce leaves non-root buffers undefined)
        r.share = *share;
        r.globalRows = G;
        r.sharedRows = sharedCount;
        r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        result.rounds.push_back(r);
        if (onRound)
            onRound(r);
        ++round;
    } catch (const Error& e) {
        if (e.code() != Errc::Io)
            throw;
        round = rejoin(e);
    }
    return result;
}

} // namespace kg::fed
