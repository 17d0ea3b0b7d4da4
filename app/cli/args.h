// Minimal command-line parsing for kgwb subcommands: positionals, --flag, --opt VALUE,
// --opt=VALUE; options listed in valueOptions take a value and may repeat.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace kgcli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    Args(int argc, char** argv, int start, const std::set<std::string>& valueOptions,
         const std::set<std::string>& flagOptions);
    const std::vector<std::string>& positional() const { return positional_; }
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    int intValue(const std::string& name, int fallback) const;
    double realValue(const std::string& name, double fallback) const; // UsageError if not a number
    // Copies --option, when given, into spec[field] as an integer (or a real): for the job
    // specs that CLI options fill in (kgwb qa train, kgwb extract train).
    template <class Json>
    void copyNumber(Json& spec, const char* option, const char* field, bool real = false) const
    {
        if (value(option))
            spec[field] = real ? Json(realValue(option, 0)) : Json(intValue(option, 0));
    }

private:
    std::vector<std::string> positional_;
    std::map<std::string, std::vector<std::string>> values_;
    std::set<std::string> flags_;
};

// Exit codes shared by all subcommands.
enum Exit { Ok = 0, Failed = 1, Usage = 2, Cancelled = 130 };

int runImport(int argc, char** argv);
int runStats(int argc, char** argv);
int runSearch(int argc, char** argv);
int runRuns(int argc, char** argv);
int runEdit(int argc, char** argv); // add-entity, add-triple, delete-triple, rename, undo, redo, history
int runDocs(int argc, char** argv); // docs import | list | search
int runCandidatesCommand(int argc, char** argv); // candidates PROJECT list | accept | reject
int runSilo(int argc, char** argv); // silo split
int runTokenizer(int argc, char** argv); // tokenizer export | import
int runExport(int argc, char** argv); // triples as key TSV

// The commands that need LibTorch live in kgwb-ml, next to kgwb (so that the others do not pay
// LibTorch's start-up). Runs `command` there: execv with the same arguments, so the process,
// its signals and its exit status stay the command's. Returns only on failure (kgwb-ml
// missing, i.e. built without LibTorch, or not executable), after saying why.
constexpr const char* kModelExecutable = "kgwb-ml";
int runInModelExecutable(const std::string& command, char** argv);

#ifdef KGWB_HAVE_TORCH
int runTrain(int argc, char** argv);
int runEval(int argc, char** argv);
int runPredict(int argc, char** argv);
int runRules(int argc, char** argv);
int runExplain(int argc, char** argv);
int runExportEmbeddings(int argc, char** argv);
int runSimilar(int argc, char** argv);
int runMap(int argc, char** argv);
int runBench(int argc, char** argv);
int runFed(int argc, char** argv);  // fed serve | fed join
int runQa(int argc, char** argv);   // qa import | qa train
int runAsk(int argc, char** argv);
int runExtract(int argc, char** argv); // extract train PROJECT | extract PROJECT
int runServe(int argc, char** argv); // HTTP/JSON (KGWB_HAVE_SERVE)
#endif

} // namespace kgcli
