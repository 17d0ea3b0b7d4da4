// kgwb import: streams files into the project; SIGINT/SIGTERM cancel and roll back.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unistd.h>

#include "args.h"
#include "interrupt.h"
#include "import/importer.h"
#include "import/iri.h"
#include "store/project.h"

namespace kgcli {

int runImport(int argc, char** argv)
{
    Args args(argc, argv, 2,
              {"split", "labels", "valid", "test", "format", "delimiter", "header", "max-issues", "base"},
              {"skip-bad-lines", "quiet", "profile"});
    if (args.positional().empty())
        throw UsageError("import needs a PROJECT and at least one FILE or --labels FILE");
    kg::import::ImportRequest req;
    const std::string projectPath = args.positional()[0];
    req.tripleFiles.assign(args.positional().begin() + 1, args.positional().end());
    for (const auto& f : args.values("valid"))
        req.tripleFiles.emplace_back(f, kg::Split::Valid);
    for (const auto& f : args.values("test"))
        req.tripleFiles.emplace_back(f, kg::Split::Test);
    req.labelFiles = args.values("labels");
    if (auto s = args.value("split")) {
        auto split = kg::parseSplit(*s);
        if (!split)
            throw UsageError("--split must be train, valid or test, not '" + *s + "'");
        req.split = *split;
    }
    if (auto f = args.value("format")) {
        req.format = kg::import::parseFormatName(*f);
        if (!req.format)
            throw UsageError("--format must be tsv, csv, nt or ttl, not '" + *f + "'");
    }
    if (auto d = args.value("delimiter")) {
        if (*d == "\\t" || *d == "tab")
            req.parse.delimiter = '\t';
        else if (d->size() == 1)
            req.parse.delimiter = (*d)[0];
        else
            throw UsageError("--delimiter takes one character (or 'tab')");
    }
    if (auto h = args.value("header")) {
        if (*h == "yes")
            req.parse.header = kg::import::HeaderMode::Present;
        else if (*h == "no")
            req.parse.header = kg::import::HeaderMode::Absent;
        else if (*h != "auto")
            throw UsageError("--header must be auto, yes or no");
    }
    if (auto b = args.value("base")) {
        if (!kg::import::hasScheme(*b))
            throw UsageError("--base must be an absolute IRI (with a scheme such as http:), not '" + *b + "'");
        req.parse.baseIri = *b;
    }
    if (args.flag("skip-bad-lines"))
        req.parse.policy = kg::import::ErrorPolicy::SkipBadLines;
    req.maxIssues = static_cast<size_t>(args.intValue("max-issues", 200));

    req.parse.cancel = &interruptToken();
    const InterruptScope interrupt;

    req.profile = args.flag("profile");
    req.exclusive = true; // a rollback journal when no one else has the project open
    auto project = kg::Project::open(projectPath);
    const bool quiet = args.flag("quiet");
    const bool tty = isatty(STDERR_FILENO);
    const auto start = std::chrono::steady_clock::now();
    int lastPercent = -1;
    auto progress = [&](const kg::import::ImportProgress& p) {
        if (quiet || p.bytesTotal == 0)
            return;
        const int percent = static_cast<int>(100.0 * static_cast<double>(p.bytesDone) /
                                             static_cast<double>(p.bytesTotal));
        if (percent == lastPercent)
            return;
        lastPercent = percent;
        std::fprintf(stderr, tty ? "\rimport: %3d%%  %llu triples  %s" : "import: %d%% %llu triples %s\n",
                     percent, static_cast<unsigned long long>(p.triples), p.file.c_str());
        std::fflush(stderr);
    };
    const kg::import::ImportReport r = kg::import::runImport(*project, req, progress);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet && tty)
        std::fputc('\n', stderr);
    std::printf("imported %llu triples (%llu duplicates), %llu new entities, %llu new relations, "
                "%llu labels in %.2f s\n",
                static_cast<unsigned long long>(r.triplesAdded),
                static_cast<unsigned long long>(r.duplicates),
                static_cast<unsigned long long>(r.entitiesAdded),
                static_cast<unsigned long long>(r.relationsAdded),
                static_cast<unsigned long long>(r.labelsApplied), secs);
    if (req.profile) {
        const auto& t = r.timings;
        std::printf("time: parse %.3f s, key lookup/dedup %.3f s, insert %.3f s (writer thread busy %.3f s), "
                    "index rebuild %.3f s, full-text index %.3f s, commit %.3f s, "
                    "other %.3f s\n",
                    t.parse, t.lookup, t.insert, t.insertBusy, t.index, t.search, t.commit,
                    std::max(0.0, secs - t.total()));
    }
    if (r.literalsSkipped)
        std::printf("skipped %llu literal statements that are not labels or descriptions\n",
                    static_cast<unsigned long long>(r.literalsSkipped));
    if (r.skippedLines) {
        std::printf("skipped %llu bad lines:\n", static_cast<unsigned long long>(r.skippedLines));
        for (const auto& i : r.issues)
            std::printf("  %s: %s\n", kg::formatLocation(i.where).c_str(), i.reason.c_str());
        if (r.issues.size() < r.skippedLines)
            std::printf("  ... and %llu more\n",
                        static_cast<unsigned long long>(r.skippedLines - r.issues.size()));
    }
    return Ok;
}

} // namespace kgcli
