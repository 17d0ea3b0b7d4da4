// Federated training across data silos on torch.distributed's c10d (FedE, Chen et al. 2021):
// the KGE models, CompGCN and the transformer (what is shared of each: fed/fed_model.h).
// Torch-free header; federation.cpp holds the c10d code.
//
// One coordinator (rank 0) and N silos (ranks 1..N) meet through a TCPStore the coordinator
// hosts, then form a Gloo process group. Entities are aligned by salted hashes of their keys
// (fed/entity_hash.h): the coordinator learns hashes, never keys or triples. Each round:
//   1. the coordinator broadcasts the global entity table [G, D];
//   2. each silo copies its entities' rows in, trains `localEpochs` on its own triples;
//   3. a Gloo reduce (sum) brings the coordinator Σ_s w_s,e · e_s,e and Σ_s w_s,e, where w_s,e
//      is how many training triples of silo s hold entity e; the new global row is their
//      ratio (rows no silo trained keep their value), sent to the silos in the next round.
//      Relation embeddings never leave a silo. CompGCN's layers and the transformer's encoder
//      (the dense part) are broadcast and reduced beside the table, weighted by each silo's
//      training triples.
//   4. silos evaluate their valid split with the model they just trained (the averaged rows of
//      the round's start, trained locally: the average itself, scored with the silo's own
//      relation embeddings, loses its top ranks; see README); the sums come back the same way.
// After the last round the silos evaluate their test split with that model (a silo's
// checkpoint holds it; the coordinator's holds the averaged table). Only sums of embeddings and of
// metrics pass through the coordinator; no socket code of ours (c10d does the transport).
// Options the coordinator sets for all: what is shared (fed/shared_rows.h): entity rows (FedE);
// relation rows (FedR: Zhang et al. 2022, where entity embeddings never leave a silo and the
// same steps run on the relation table, aligned by salted hashes of relation keys and weighted
// by how many training triples use each relation); or both (FedAvg of the whole model, for
// silos that share a schema). Secure aggregation (pairwise masks that cancel) and Gaussian
// noise with clipping (differential privacy) apply to whatever is shared.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/rank_metrics.h"
#include "ml/train_config.h"

namespace kg::fed {

enum class FedShare { Entities, Relations, Both }; // FedE | FedR | FedAvg
const char* shareName(FedShare share);             // "entities" | "relations" | "both"
std::optional<FedShare> parseShare(const std::string& name);

struct FedServeOptions {
    int clients = 2;
    std::string host = "127.0.0.1"; // address the store listens on and silos connect to
    int port = 29500;
    int rounds = 10;
    int localEpochs = 1;
    ml::TrainConfig config;         // the model; the silos train with exactly this
    FedShare share = FedShare::Entities;
    // How long the others wait in one exchange, a round's local training included (the
    // slowest silo sets the pace). A silo that dies is noticed at once: its connections close.
    double timeoutSeconds = 1800;
    // How long the coordinator waits for every silo to join (admission, before round 1): silos
    // may start minutes apart, so this is separate from the exchanges' timeout.
    double joinSeconds = 1800;
    // When a silo fails: false = stop with a message (the checkpoint keeps the last round);
    // true = the others re-form the group without it and redo the round.
    bool continueWithoutFailed = false;
    std::function<void(const std::string&)> onNotice; // e.g. "silo(s) 2 left in round 8 ..." 
    // Secure aggregation: each pair of silos adds opposite pseudo-random masks (seeded from
    // their shared salt, the pair and the round) to what it sends, so they cancel in the sum
    // and neither the coordinator nor a partial sum inside the reduce shows one silo's rows.
    bool secureAggregation = false;
    // Differential privacy (Gaussian mechanism): each silo clips every entity row's change in
    // the round to L2 norm dpClip and adds N(0, (dpNoise · dpClip)²) per coordinate. 0 = off.
    double dpNoise = 0, dpClip = 1;
    std::string checkpoint;         // written after every round (atomically); empty = none
    bool resume = false;            // start from `checkpoint`'s round and table
    const CancelToken* cancel = nullptr; // checked between rounds
};

struct FedJoinOptions {
    std::string silo;               // project file
    std::string host = "127.0.0.1";
    int port = 29500;
    int rank = 1;                   // 1..clients, each silo its own
    std::string salt;               // shared by the silos (>= 8 characters), never sent
    std::string expectedConfig;     // JSON object of the settings this silo insists on, in
                                    // TrainConfig's keys (model, dim, gamma, p_norm; "" = any):
                                    // the coordinator refuses the federation when one differs
    int threads = 0;                // 0 = all cores
    double timeoutSeconds = 1800;
    double joinSeconds = 1800;      // to reach the coordinator and for the other silos to join
    std::string checkpoint;         // the silo's own model (relations, optimizer) after each round
    const CancelToken* cancel = nullptr;
};

struct FedRound {
    int round = 0;                 // 1-based
    int rounds = 0;
    double seconds = 0;            // wall time of the round
    double meanLoss = 0;           // over all silos' steps
    ml::RankMetrics valid;         // pooled over the silos' valid queries
    FedShare share = FedShare::Entities; // what the rows below are
    int64_t sharedRows = 0;        // entities and/or relations held by two or more silos
    int64_t globalRows = 0;        // all of them
    int64_t bytes = 0;             // payload through the coordinator this round, both ways
};

struct FedResult {
    std::vector<FedRound> rounds;
    ml::RankMetrics test;          // pooled over the silos' test queries (after the last round)
    ml::RankMetrics localTest;     // this silo's own test split (join only)
};

// Coordinator. Throws Error: InvalidArgument (a silo refused: its message says why),
// Io (a silo did not answer within the timeout, or the store could not be opened), Cancelled.
FedResult serveFederation(const FedServeOptions& options, const std::function<void(const FedRound&)>& onRound = {});
// One silo. The same errors; the silo's project is opened read-only and never written.
FedResult joinFederation(const FedJoinOptions& options, const std::function<void(const FedRound&)>& onRound = {});

} // namespace kg::fed
