#include "import/importer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "import/delimited.h"
#include "import/key_index.h"
#include "import/rdf.h"
#include "import/write_behind.h"
#include "import/duplicate_finder.h"
#include "io/byte_source.h"
#include "store/project.h"
#include "store/import_tables.h"
#include "store/sqlite.h"

namespace kg::import {

const char* formatName(FileFormat f)
{
    switch (f) {
    case FileFormat::Delimited: return "delimited";
    case FileFormat::NTriples: return "ntriples";
    case FileFormat::Turtle: return "turtle";
    }
    return "delimited";
}

std::optional<FileFormat> parseFormatName(std::string_view n)
{
    if (n == "tsv" || n == "csv" || n == "delimited" || n == "txt")
        return FileFormat::Delimited;
    if (n == "nt" || n == "ntriples" || n == "n-triples")
        return FileFormat::NTriples;
    if (n == "ttl" || n == "turtle")
        return FileFormat::Turtle;
    return std::nullopt;
}

FileFormat detectFormat(const std::string& path)
{
    std::string p = path;
    auto endsWith = [&](std::string_view suf) {
        return p.size() >= suf.size() && p.compare(p.size() - suf.size(), suf.size(), suf) == 0;
    };
    if (endsWith(".gz"))
        p.resize(p.size() - 3);
    if (endsWith(".nt"))
        return FileFormat::NTriples;
    if (endsWith(".ttl") || endsWith(".turtle") || endsWith(".n3"))
        return FileFormat::Turtle;
    if (endsWith(".tsv") || endsWith(".csv") || endsWith(".txt") || endsWith(".tab"))
        return FileFormat::Delimited;
    // Unknown extension: look at the first non-blank bytes (decompressed).
    io::FileSource src(path);
    char buf[512];
    const size_t n = src.read(buf, sizeof buf);
    std::string_view head(buf, n);
    const size_t i = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (i != std::string_view::npos) {
        head.remove_prefix(i);
        if (head.substr(0, 7) == "@prefix" || head.substr(0, 5) == "@base" ||
            head.substr(0, 6) == "PREFIX")
            return FileFormat::Turtle;
        if (head[0] == '<' || head.substr(0, 2) == "_:")
            return FileFormat::NTriples;
    }
    return FileFormat::Delimited;
}

std::string ImportReport::toJson() const
{
    nlohmann::json issuesJson = nlohmann::json::array();
    for (const auto& i : issues)
        issuesJson.push_back({{"file", i.where.file},
                              {"line", i.where.line},
                              {"column", i.where.column},
                              {"reason", i.reason}});
    nlohmann::json out{{"triples_added", triplesAdded},   {"duplicates", duplicates},
                       {"entities_added", entitiesAdded}, {"relations_added", relationsAdded},
                       {"labels_applied", labelsApplied}, {"literals_skipped", literalsSkipped},
                       {"skipped_lines", skippedLines},   {"issues", issuesJson}};
    if (timings.total() > 0)
        out["seconds"] = {{"parse", timings.parse}, {"lookup", timings.lookup}, {"insert", timings.insert}, {"insert_busy", timings.insertBusy},
                          {"index", timings.index}, {"search", timings.search}, {"commit", timings.commit}};
    return out.dump();
}

namespace {



bool isLabelPredicate(std::string_view p)
{
    return p == "http://www.w3.org/2000/01/rdf-schema#label" ||
           p == "http://www.w3.org/2004/02/skos/core#prefLabel" || p == "http://schema.org/name" ||
           p == "https://schema.org/name" || p == "http://xmlns.com/foaf/0.1/name";
}

bool isDescriptionPredicate(std::string_view p)
{
    return p == "http://www.w3.org/2000/01/rdf-schema#comment" ||
           p == "http://schema.org/description" || p == "https://schema.org/description" ||
           p == "http://www.w3.org/2004/02/skos/core#definition" ||
           p == "http://purl.org/dc/terms/description";
}

bool preferredLanguage(std::string_view lang)
{
    return lang.empty() || lang == "en" || lang.substr(0, 3) == "en-";
}

// Default label for an IRI: its local name after the last '#' or '/'.
std::string localName(std::string_view key)
{
    if (key.find("://") == std::string_view::npos && key.substr(0, 4) != "urn:")
        return {};
    const size_t cut = key.find_last_of("#/:");
    return cut == std::string_view::npos || cut + 1 >= key.size() ? std::string()
                                                                  : std::string(key.substr(cut + 1));
}

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Adds the time from construction to destruction to *into (seconds); nothing when null.
class PhaseTimer {
public:
    explicit PhaseTimer(double* into) : into_(into)
    {
        if (into_)
            start_ = Clock::now();
    }
    ~PhaseTimer()
    {
        if (into_)
            *into_ += secondsSince(start_);
    }
    PhaseTimer(const PhaseTimer&) = delete;
    PhaseTimer& operator=(const PhaseTimer&) = delete;

private:
    double* into_;
    Clock::time_point start_;
};

// Where `phase`'s time goes: null (nothing timed) without ImportRequest::profile.
double* phaseTime(const ImportRequest& req, ImportReport& report, double ImportReport::Timings::*phase)
{
    return req.profile ? &(report.timings.*phase) : nullptr;
}

// Writes parsed records into the open transaction.
class DatabaseSink final : public ParseSink {
public:
    // bulk: the caller dropped the triple indexes, and the project's last triple id is
    // lastTripleId; every triple goes in, and finish() deletes the repeats (found by sorting
    // a log of every triple, existing ones included) and rebuilds the indexes by sorting.
    // expectedTriples sizes that log (a guess; it grows past it).
    DatabaseSink(sql::Database& db, const ImportRequest& req, ImportReport& report, bool bulk, int64_t lastTripleId,
                 uint64_t expectedTriples)
        : tables_(db, bulk)
        , db_(db)
        , bulk_(bulk)
        , firstNewTriple_(lastTripleId + 1)
        , nextEntity_(ImportTables::nextEntityId(db))
        , nextRelation_(ImportTables::nextRelationId(db))
        , req_(req)
        , report_(report)
        , writes_(std::thread::hardware_concurrency() > 1)
    {
        LookupTimer timer(*this);
        tables_.forEachEntityKey([&](std::string_view key, int64_t id) { entities_.insert(key, id); });
        tables_.forEachRelationKey([&](std::string_view key, int64_t id) { relations_.insert(key, id); });
        if (bulk_) {
            repeats_.reserve(expectedTriples);
            tables_.forEachTriple([&](int64_t h, int64_t r, int64_t t) { repeats_.addExisting(h, r, t); });
        }
    }

    // Rebuilds the indexes dropped for a bulk import.
    void finish()
    {
        flush();
        writes_.drain();
        report_.triplesAdded = written_;
        report_.duplicates += ignored_;
        if (req_.profile) {
            report_.timings.insert = writes_.waitSeconds();
            report_.timings.insertBusy = writes_.busySeconds();
        }
        if (!bulk_)
            return;
        {
            LookupTimer timer(*this);
            // New rows took consecutive ids after the project's last one; anything else would
            // make the log's ids wrong.
            const int64_t last = firstNewTriple_ - 1 + static_cast<int64_t>(repeats_.newCount());
            if (ImportTables::lastTripleId(db_) != last)
                throw Error(Errc::Database, "bulk import: triple ids are not consecutive; nothing was imported");
            const std::vector<int64_t> repeated = repeats_.repeats(firstNewTriple_);
            tables_.deleteTriples(repeated);
            report_.duplicates += repeated.size();
            report_.triplesAdded -= repeated.size();
        }
        {
            PhaseTimer timer(timing(&ImportReport::Timings::index));
            ImportTables::rebuildBulkIndexes(db_, std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
        }
        PhaseTimer timer(timing(&ImportReport::Timings::search));
        ImportTables::rebuildEntitySearch(db_);
    }

    void triple(std::string_view h, std::string_view r, std::string_view t) override
    {
        parsed_.add(h, r, t);
        if (parsed_.triples() == kResolveBatch)
            resolve();
    }

    // Split for the triples that follow (per file).
    void setSplit(Split split)
    {
        flush();
        split_ = split;
    }

    // Resolves and writes every buffered triple.
    void flush()
    {
        resolve();
        write(true);
    }

    void literal(std::string_view s, std::string_view p, std::string_view value,
                 std::string_view lang) override
    {
        resolve(); // triples before this literal get their ids first
        const bool isLabel = isLabelPredicate(p);
        if (!isLabel && !isDescriptionPredicate(p)) {
            ++report_.literalsSkipped;
            return;
        }
        int64_t id = 0;
        {
            LookupTimer timer(*this);
            id = entityId(s);
        }
        // The first preferred-language value wins; other languages only fill a gap.
        auto& seen = isLabel ? labelled_ : described_;
        const auto it = seen.find(id);
        const bool better = it == seen.end() || (!it->second && preferredLanguage(lang));
        if (!better)
            return;
        seen[id] = preferredLanguage(lang);
        writes_.post([this, isLabel, id, text = std::string(value)] {
            if (isLabel)
                tables_.setEntityLabel(id, text);
            else
                tables_.setEntityDescription(id, text);
        });
        ++report_.labelsApplied;
    }

    void label(std::string_view key, std::string_view label, std::string_view description) override
    {
        // A key that names a relation (and no entity) labels the relation; anything else
        // labels (or creates) an entity.
        resolve();
        std::optional<int64_t> relation;
        int64_t entity = 0;
        {
            LookupTimer timer(*this);
            if (!entities_.find(key))
                relation = relations_.find(key);
            if (!relation)
                entity = entityId(key);
        }
        writes_.post([this, relation, entity, label = std::string(label), description = std::string(description)] {
            if (relation)
                tables_.setRelationNames(*relation, label, description);
            else
                tables_.setEntityNames(entity, label, description);
        });
        ++report_.labelsApplied;
    }

    void skipped(const SourceLocation& where, const std::string& reason) override
    {
        ++report_.skippedLines;
        if (report_.issues.size() < req_.maxIssues)
            report_.issues.push_back({where, reason});
    }

    void progress(uint64_t bytesDone, uint64_t, uint64_t) override
    {
        report_.triplesAdded = written_.load(std::memory_order_relaxed); // so far, for the progress report
        if (req_.parse.cancel)
            req_.parse.cancel->throwIfCancelled();
        if (onProgress)
            onProgress(bytesDone);
    }

    std::function<void(uint64_t)> onProgress;
    double writeWaitSeconds() const { return writes_.waitSeconds(); }

private:
    // Turns the parsed triples into ids, in input order (new keys get their ids in order of
    // first appearance), and queues the new ones for write(). Every key's hash is computed
    // and its slot prefetched first, so the batch's cache misses overlap.
    void resolve()
    {
        const size_t n = parsed_.triples();
        if (n == 0)
            return;
        {
            LookupTimer timer(*this);
            hashes_.resize(3 * n);
            for (size_t k = 0; k < 3 * n; ++k) {
                hashes_[k] = KeyIndex::hashOf(parsed_.key(k));
                (k % 3 == 1 ? relations_ : entities_).prefetch(hashes_[k]);
            }
            ids_.resize(3 * n);
            for (size_t i = 0; i < n; ++i) {
                const size_t k = 3 * i;
                ids_[k] = entityId(parsed_.key(k), hashes_[k]);
                ids_[k + 1] = relationId(parsed_.key(k + 1), hashes_[k + 1]);
                ids_[k + 2] = entityId(parsed_.key(k + 2), hashes_[k + 2]);
                if (bulk_)
                    repeats_.addNew(ids_[k], ids_[k + 1], ids_[k + 2]);
            }
            pending_.insert(pending_.end(), ids_.begin(), ids_.end());
        }
        parsed_.clear();
        write(false);
    }

    // Posts queued triples to the writer: full batches as multi-row INSERTs; with `all`, the
    // rest row by row. Without the unique index (bulk) every row is new; otherwise duplicates
    // are skipped and counted.
    void write(bool all)
    {
        const size_t rows = pending_.size() / 3;
        if (rows < kBatch && !all)
            return;
        size_t i = 0;
        for (; i + kBatch <= rows; i += kBatch)
            post(&pending_[3 * i], kBatch);
        if (all)
            for (; i < rows; ++i)
                post(&pending_[3 * i], 1);
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(3 * i));
    }

    void post(const int64_t* rows, size_t n)
    {
        writes_.post([this, n, split = split_, ids = std::vector<int64_t>(rows, rows + 3 * n)] {
            const uint64_t added = tables_.addTriples(ids.data(), n, split);
            written_ += added;
            ignored_ += n - added;
        });
    }

    int64_t entityId(std::string_view key) { return entityId(key, KeyIndex::hashOf(key)); }
    int64_t entityId(std::string_view key, uint64_t hash)
    {
        return idFor(key, hash, entities_, nextEntity_, &ImportTables::addEntity, report_.entitiesAdded);
    }

    int64_t relationId(std::string_view key, uint64_t hash)
    {
        return idFor(key, hash, relations_, nextRelation_, &ImportTables::addRelation, report_.relationsAdded);
    }

    // Looks the key up, or adds it under the next id (label = IRI local name) and counts it as new.
    int64_t idFor(std::string_view key, uint64_t hash, KeyIndex& index, int64_t& next,
                  void (ImportTables::*add)(int64_t, std::string_view, std::string_view), uint64_t& added)
    {
        if (auto id = index.find(key, hash))
            return *id;
        const int64_t id = next++;
        writes_.post([this, add, id, key = std::string(key), label = localName(key)] { (tables_.*add)(id, key, label); });
        index.insert(key, hash, id);
        ++added;
        return id;
    }

    double* timing(double ImportReport::Timings::*phase) { return phaseTime(req_, report_, phase); }

    // Times key lookups, less the time they waited for the writer (that is insert time).
    class LookupTimer {
    public:
        explicit LookupTimer(DatabaseSink& sink)
            : into_(sink.timing(&ImportReport::Timings::lookup))
            , writes_(sink.writes_)
            , waitedBefore_(writes_.waitSeconds())
            , timer_(into_)
        {
        }
        ~LookupTimer()
        {
            if (into_)
                *into_ -= writes_.waitSeconds() - waitedBefore_;
        }
        LookupTimer(const LookupTimer&) = delete;
        LookupTimer& operator=(const LookupTimer&) = delete;

    private:
        double* into_;
        const WriteBehind& writes_;
        double waitedBefore_;
        PhaseTimer timer_;
    };

    static constexpr size_t kBatch = ImportTables::kBatch;
    static constexpr size_t kResolveBatch = 64; // triples whose lookups overlap

    // Keys of parsed triples waiting for resolve(), back to back.
    class ParsedTriples {
    public:
        void add(std::string_view h, std::string_view r, std::string_view t)
        {
            for (std::string_view key : {h, r, t}) {
                text_.append(key);
                ends_.push_back(text_.size());
            }
        }
        size_t triples() const { return ends_.size() / 3; }
        // Key k: head, relation, tail of triple k / 3.
        std::string_view key(size_t k) const
        {
            const size_t begin = k ? ends_[k - 1] : 0;
            return std::string_view(text_).substr(begin, ends_[k] - begin);
        }
        void clear()
        {
            text_.clear();
            ends_.clear();
        }

    private:
        std::string text_;
        std::vector<size_t> ends_;
    };

    ImportTables tables_;
    sql::Database& db_;
    bool bulk_;
    ParsedTriples parsed_;
    std::vector<uint64_t> hashes_; // resolve()'s scratch: key hashes
    std::vector<int64_t> ids_;     // resolve()'s scratch: head, rel, tail ids
    std::vector<int64_t> pending_; // head, rel, tail per triple waiting for write()
    Split split_ = Split::Train;
    int64_t firstNewTriple_;
    int64_t nextEntity_, nextRelation_; // ids the next new keys get (as SQLite would: max + 1)
    DuplicateFinder repeats_;
    const ImportRequest& req_;
    ImportReport& report_;
    KeyIndex entities_, relations_;
    std::unordered_map<int64_t, bool> labelled_, described_; // id -> preferred language seen
    std::atomic<uint64_t> written_{0}, ignored_{0}; // triple rows inserted / skipped as present, by the writer
    WriteBehind writes_; // last: stopped before anything its writes use goes
};


} // namespace

ImportReport runImport(Project& project, const ImportRequest& req, const ImportProgressFn& progress)
{
    if (req.tripleFiles.empty() && req.labelFiles.empty())
        throw Error(Errc::InvalidArgument, "nothing to import: no files given");
    struct Job {
        std::string path;
        bool labels;
        Split split;
        uint64_t bytes = 0;
    };
    std::vector<Job> jobs;
    for (const auto& f : req.tripleFiles)
        jobs.push_back({f.path, false, f.split.value_or(req.split)});
    for (const auto& f : req.labelFiles)
        jobs.push_back({f, true, req.split});

    // Open every file first so a typo fails before any work is done.
    uint64_t totalBytes = 0, tripleBytes = 0;
    for (auto& j : jobs) {
        io::FileSource probe(j.path);
        j.bytes = probe.size();
        totalBytes += j.bytes;
        if (!j.labels)
            tripleBytes += j.bytes;
    }

    ImportReport report;
    project.withDatabase([&](sql::Database& db) {
        // Dropping and re-sorting the indexes beats random index inserts once the input is
        // comparable to what the project holds (~25 bytes of text per triple).
        const int64_t existing = ImportTables::lastTripleId(db);
        const bool bulk = tripleBytes / 25 > static_cast<uint64_t>(existing) && tripleBytes > (1u << 16);
        ImportTables::beginSession(db);
        struct Restore {
            sql::Database& db;
            ~Restore()
            {
                db.setCancelToken(nullptr);
                ImportTables::endSession(db);
            }
        } restore{db};

        db.setCancelToken(req.parse.cancel);
        if (bulk && req.exclusive)
            report.rollbackJournal = ImportTables::useRollbackJournal(db);
        sql::Transaction tx(db);
        if (bulk) {
            PhaseTimer timer(phaseTime(req, report, &ImportReport::Timings::index));
            ImportTables::dropBulkIndexes(db);
        }
        DatabaseSink sink(db, req, report, bulk, existing, bulk ? tripleBytes / 20 : 0);
        const auto parseStart = Clock::now();
        const double lookupBefore = report.timings.lookup;
        uint64_t doneBefore = 0;
        for (size_t i = 0; i < jobs.size(); ++i) {
            const Job& job = jobs[i];
            ImportProgress p;
            p.file = job.path;
            p.fileIndex = i;
            p.fileCount = jobs.size();
            p.bytesTotal = totalBytes;
            sink.onProgress = [&](uint64_t bytesDone) {
                if (!progress)
                    return;
                p.bytesDone = doneBefore + bytesDone;
                p.triples = report.triplesAdded;
                progress(p);
            };
            io::FileSource src(job.path);
            sink.setSplit(job.split);
            if (job.labels) {
                parseLabelFile(src, sink, req.parse);
            } else {
                const FileFormat fmt = req.format ? *req.format : detectFormat(job.path);
                if (fmt == FileFormat::Delimited)
                    parseDelimitedTriples(src, sink, req.parse);
                else
                    parseRdf(src, fmt == FileFormat::Turtle ? RdfSyntax::Turtle : RdfSyntax::NTriples,
                             sink, req.parse, std::string(1, 'f').append(std::to_string(i))); // not "f" + …: GCC 12 -O3 warns falsely
            }
            doneBefore += job.bytes;
        }
        // What the loop spent outside lookups and waiting for the writer is parsing.
        if (req.profile)
            report.timings.parse = std::max(0.0, secondsSince(parseStart) - (report.timings.lookup - lookupBefore) -
                                                     sink.writeWaitSeconds());
        if (req.parse.cancel)
            req.parse.cancel->throwIfCancelled();
        sink.finish();

        PhaseTimer timer(phaseTime(req, report, &ImportReport::Timings::commit));
        nlohmann::json files = nlohmann::json::array();
        for (const auto& j : jobs)
            files.push_back({{"path", j.path}, {"labels", j.labels}});
        ImportTables::logImport(db, files.dump(), report.toJson());
        tx.commit();
    });
    return report;
}

} // namespace kg::import
