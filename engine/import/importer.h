// Imports triple and label files into a project in ONE transaction: either every file is
// imported or (on error, cancellation or crash) the project is left exactly as it was.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "import/parse_sink.h"
#include "store/records.h"

namespace kg {
class Project;
}

namespace kg::import {

enum class FileFormat { Delimited, NTriples, Turtle };

const char* formatName(FileFormat f);
std::optional<FileFormat> parseFormatName(std::string_view name); // tsv, csv, nt, ttl
// From the extension (ignoring .gz), else from the first bytes of the file.
FileFormat detectFormat(const std::string& path);

struct TripleFile {
    TripleFile(std::string p, std::optional<Split> s = std::nullopt) // NOLINT: implicit by design
        : path(std::move(p))
        , split(s)
    {
    }
    std::string path;
    std::optional<Split> split; // nullopt = ImportRequest::split
};

struct ImportRequest {
    std::vector<TripleFile> tripleFiles;
    std::vector<std::string> labelFiles; // key<TAB>label[<TAB>description], entities or relations
    Split split = Split::Train;           // for triple files that name no split
    std::optional<FileFormat> format; // nullopt = detect per file
    ParseOptions parse;
    size_t maxIssues = 200; // skipped-line reports kept in ImportReport::issues
    bool profile = false;   // fill ImportReport::timings (a clock read around every record)
    // The caller expects no other connection to the project (the CLI). A bulk import then
    // writes through a rollback journal instead of the WAL, which saves copying every page
    // again at commit (20M triples: 72 s -> 55 s). If another connection is open, the switch
    // does not take and the import runs in WAL mode as usual. Atomicity and crash safety are
    // the same either way (synchronous = FULL while the journal is in use).
    bool exclusive = false;
};

struct ImportIssue {
    SourceLocation where;
    std::string reason;
};

struct ImportReport {
    uint64_t triplesAdded = 0;
    uint64_t duplicates = 0; // already in the project (any split) or repeated in the input
    uint64_t entitiesAdded = 0;
    uint64_t relationsAdded = 0;
    uint64_t labelsApplied = 0;
    uint64_t literalsSkipped = 0; // RDF literal statements that are not labels/descriptions
    uint64_t skippedLines = 0;
    bool rollbackJournal = false; // written through a rollback journal (ImportRequest::exclusive)
    std::vector<ImportIssue> issues; // first maxIssues skipped lines
    // Where the time went, in seconds (wall clock; with ImportRequest::profile). parse: reading and splitting the files;
    // lookup: key -> id lookups and duplicate checks in memory; insert: SQL inserts and
    // updates; index: rebuilding the triple and key indexes after a bulk import; search:
    // building the full-text index; commit: the log entry and the commit.
    struct Timings {
        // Seconds each phase added to the import's wall time. Inserts run on a writer thread
        // beside parsing and lookups: `insert` is the time the import waited for them,
        // insertBusy the writer's own time (not part of total()).
        double parse = 0, lookup = 0, insert = 0, index = 0, search = 0, commit = 0;
        double insertBusy = 0;
        double total() const { return parse + lookup + insert + index + search + commit; }
    } timings;
    std::string toJson() const;
};

struct ImportProgress {
    std::string file;
    size_t fileIndex = 0; // 0-based over labelFiles + tripleFiles
    size_t fileCount = 0;
    uint64_t bytesDone = 0;  // over all files
    uint64_t bytesTotal = 0; // over all files
    uint64_t triples = 0;
};

using ImportProgressFn = std::function<void(const ImportProgress&)>;

// Throws Error (Parse with file/line/column, Io, Cancelled, Database); the project is then
// unchanged. Label files are applied after the triple files, so they can label anything.
ImportReport runImport(Project& project, const ImportRequest& request,
                       const ImportProgressFn& progress = {});

} // namespace kg::import
