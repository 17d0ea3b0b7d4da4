// Splits one project into data silos for federated training. By relation, following FedE
// (Chen et al., 2021): relations are dealt to clients at random and each triple goes with its
// relation. By triple, following FedR (Zhang et al., 2022): each triple goes to a client at
// random, so the silos share relations (and many entities). Each client's triples are then
// split 0.8 / 0.1 / 0.1 into train / valid / test. Every silo is an
// ordinary project file, written through the importer (one transaction each), with the
// labels and descriptions of the entities and relations it holds. No torch, no Qt.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/cancel.h"

namespace kg {
class Project;
}

namespace kg::fed {

enum class SiloBy { Relation, Triple };

struct SiloSplitOptions {
    int clients = 3;
    SiloBy by = SiloBy::Relation;
    uint64_t seed = 1;
    double validShare = 0.1, testShare = 0.1;
    const CancelToken* cancel = nullptr;
};

struct SiloInfo {
    std::string path;
    std::vector<std::string> relations; // keys: dealt to it (by relation) or held (by triple)
    int64_t entities = 0, train = 0, valid = 0, test = 0;
};

// Writes DIR/silo-1.kgwb ... DIR/silo-N.kgwb and DIR/silos.json (what each holds). Refuses
// (Errc::InvalidArgument) fewer than 2 clients, more clients than relations (by relation) or
// triples (by triple), or an outDir
// that already holds silo files; Errc::Io when it cannot write. On error no silo is left.
std::vector<SiloInfo> splitIntoSilos(Project& source, const std::string& outDir, const SiloSplitOptions& options,
                                     const std::function<void(int done, int total)>& progress = {});

} // namespace kg::fed
