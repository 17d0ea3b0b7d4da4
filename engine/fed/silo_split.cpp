#include "fed/silo_split.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "import/importer.h"
#include "io/tsv.h"
#include "store/project.h"

namespace kg::fed {
namespace {

namespace fs = std::filesystem;

struct Triple {
    int64_t h, r, t;
};

} // namespace

std::vector<SiloInfo> splitIntoSilos(Project& source, const std::string& outDir, const SiloSplitOptions& o,
                                     const std::function<void(int, int)>& progress)
{
    if (o.clients < 2)
        throw Error(Errc::InvalidArgument, "a federation needs at least 2 clients");
    if (o.validShare < 0 || o.testShare < 0 || o.validShare + o.testShare >= 1)
        throw Error(Errc::InvalidArgument, "valid and test shares must be >= 0 and leave some training triples");
    const auto relations = source.relations();
    if (o.by == SiloBy::Relation && static_cast<int>(relations.size()) < o.clients)
        throw Error(Errc::InvalidArgument, "the project has " + std::to_string(relations.size()) +
                                               " relations, fewer than " + std::to_string(o.clients) + " clients");
    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (ec)
        throw Error(Errc::Io, "cannot create '" + outDir + "': " + ec.message());
    for (int c = 1; c <= o.clients; ++c)
        if (fs::exists(fs::path(outDir) / ("silo-" + std::to_string(c) + ".kgwb")))
            throw Error(Errc::InvalidArgument, "'" + outDir + "' already holds silo-" + std::to_string(c) +
                                                   ".kgwb; choose an empty folder");

    // By relation: relations dealt at random, as evenly as possible.
    std::mt19937_64 rng(o.seed);
    std::vector<size_t> order(relations.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    std::unordered_map<int64_t, int> clientOf;
    std::vector<SiloInfo> silos(static_cast<size_t>(o.clients));
    for (size_t i = 0; o.by == SiloBy::Relation && i < order.size(); ++i) {
        const auto& rel = relations[order[i]];
        const int c = static_cast<int>(i % static_cast<size_t>(o.clients));
        clientOf[rel.id] = c;
        silos[static_cast<size_t>(c)].relations.push_back(rel.key);
    }

    // Every triple of the project (all splits) goes with its relation, or to a client at random.
    std::uniform_int_distribution<int> anyClient(0, o.clients - 1);
    std::vector<std::vector<Triple>> triples(silos.size());
    for (int64_t after = 0;;) {
        if (o.cancel)
            o.cancel->throwIfCancelled();
        const auto page = source.triplesAfter(after, 50000);
        if (page.empty())
            break;
        for (const auto& t : page)
            triples[static_cast<size_t>(o.by == SiloBy::Relation ? clientOf.at(t.rel) : anyClient(rng))].push_back(
                {t.head, t.rel, t.tail});
        after = page.back().id;
    }

    std::unordered_map<int64_t, EntityRecord> entities;
    auto entity = [&](int64_t id) -> const EntityRecord& {
        auto it = entities.find(id);
        if (it == entities.end())
            it = entities.emplace(id, *source.entity(id)).first;
        return it->second;
    };
    std::unordered_map<int64_t, const RelationRecord*> relation;
    for (const auto& r : relations)
        relation[r.id] = &r;

    const fs::path scratch = fs::path(outDir) / ".silo-split-tmp";
    std::vector<std::string> written;
    try {
        fs::create_directories(scratch);
        for (size_t c = 0; c < silos.size(); ++c) {
            auto& silo = silos[c];
            auto& mine = triples[c];
            if (mine.empty())
                throw Error(Errc::InvalidArgument, "silo " + std::to_string(c + 1) + " would hold no triples; use fewer clients");
            std::shuffle(mine.begin(), mine.end(), rng);
            const auto n = static_cast<int64_t>(mine.size());
            const auto nValid = static_cast<int64_t>(static_cast<double>(n) * o.validShare);
            const auto nTest = static_cast<int64_t>(static_cast<double>(n) * o.testShare);
            silo.train = n - nValid - nTest;
            silo.valid = nValid;
            silo.test = nTest;
            const std::string files[3] = {(scratch / "train.tsv").string(), (scratch / "valid.tsv").string(),
                                          (scratch / "test.tsv").string()};
            std::ofstream out[3] = {std::ofstream(files[0]), std::ofstream(files[1]), std::ofstream(files[2])};
            std::unordered_set<int64_t> held, heldRelations;
            for (int64_t i = 0; i < n; ++i) {
                const auto& t = mine[static_cast<size_t>(i)];
                const int s = i < silo.train ? 0 : i < silo.train + nValid ? 1 : 2;
                out[s] << entity(t.h).key << '\t' << relation.at(t.r)->key << '\t' << entity(t.t).key << '\n';
                held.insert(t.h);
                held.insert(t.t);
                heldRelations.insert(t.r);
            }
            const std::string labels = (scratch / "labels.tsv").string();
            std::ofstream lab(labels);
            for (int64_t id : held) {
                const auto& e = entity(id);
                if (!e.label.empty() || !e.description.empty())
                    lab << io::tsvField(e.key) << '\t' << io::tsvField(e.label.empty() ? e.key : e.label) << '\t'
                        << io::tsvField(e.description) << '\n';
            }
            for (int64_t id : heldRelations)
                if (!relation.at(id)->label.empty())
                    lab << io::tsvField(relation.at(id)->key) << '\t' << io::tsvField(relation.at(id)->label) << '\n';
            for (auto& f : out)
                f.close();
            lab.close();
            if (!out[0] || !out[1] || !out[2] || !lab)
                throw Error(Errc::Io, "cannot write the silo files under '" + scratch.string() + "'");
            silo.entities = static_cast<int64_t>(held.size());
            if (o.by == SiloBy::Triple) {
                for (const auto& r : relations)
                    if (heldRelations.count(r.id))
                        silo.relations.push_back(r.key);
            }
            silo.path = (fs::path(outDir) / ("silo-" + std::to_string(c + 1) + ".kgwb")).string();
            written.push_back(silo.path);
            auto project = Project::open(silo.path, Project::OpenMode::CreateIfMissing);
            import::ImportRequest request;
            request.tripleFiles = {import::TripleFile(files[0], Split::Train), import::TripleFile(files[1], Split::Valid),
                                   import::TripleFile(files[2], Split::Test)};
            request.labelFiles = {labels};
            request.format = import::FileFormat::Delimited;
            request.parse.delimiter = '\t';
            request.parse.header = import::HeaderMode::Absent;
            request.parse.cancel = o.cancel;
            import::runImport(*project, request);
            if (progress)
                progress(static_cast<int>(c + 1), static_cast<int>(silos.size()));
        }
        nlohmann::json manifest = nlohmann::json::array();
        for (const auto& s : silos)
            manifest.push_back({{"path", fs::path(s.path).filename().string()}, {"relations", s.relations},
                                {"entities", s.entities}, {"train", s.train}, {"valid", s.valid}, {"test", s.test}});
        std::ofstream m(fs::path(outDir) / "silos.json");
        m << nlohmann::json{{"protocol", o.by == SiloBy::Relation ? "FedE: relations dealt to clients at random"
                                                                  : "FedR: triples dealt to clients at random"},
                            {"seed", o.seed},
                            {"silos", manifest}}
                 .dump(2)
          << '\n';
        if (!m)
            throw Error(Errc::Io, "cannot write '" + (fs::path(outDir) / "silos.json").string() + "'");
    } catch (...) {
        for (const auto& p : written) {
            fs::remove(p, ec);
            fs::remove(p + "-wal", ec);
            fs::remove(p + "-shm", ec);
        }
        fs::remove_all(scratch, ec);
        throw;
    }
    fs::remove_all(scratch, ec);
    return silos;
}

} // namespace kg::fed
