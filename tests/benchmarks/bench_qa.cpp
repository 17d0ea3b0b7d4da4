// Question-answering benchmark (issue: question answering over the graph). For each
// PathQuestion set, in one run, through the same job API `kgwb qa train` uses: import the KB
// and the questions with IRN's split, train the chain reasoner with gold paths and with weak
// supervision (answers only), and print test Hits@1 (prediction in the answer set, IRN's
// metric), the share of test questions whose shown path is the gold path, entity-linking
// accuracy, and `ask` latency after loading (median and p90 over the test questions), next to
// IRN's published Hits@1.
// Usage: bench_qa DATASETS_DIR [--sets pq-2h,pq-3h,pql-2h,pql-3h] [--epochs 20] [--dim 64]
//        [--threads 2] [--seed 42] [--skip-weak]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "import/importer.h"
#include "ml/qa.h"
#include "qa/qa_import.h"
#include "store/project.h"
#include "store/qa_store.h"

using namespace kg;
using namespace kg::ml;

namespace {

// IRN (Zhou et al., COLING 2018), Hits@1 in %, as listed by paper aggregators (the paper's
// table itself could not be read here): PQ-2H 96.0, PQ-3H 87.7, PQL-2H 72.5, PQL-3H 71.0.
const std::map<std::string, double> kIrn = {{"pq-2h", 96.0}, {"pq-3h", 87.7}, {"pql-2h", 72.5}, {"pql-3h", 71.0}};
const std::map<std::string, std::string> kKb = {
    {"pq-2h", "kb-2h"}, {"pq-3h", "kb-3h"}, {"pql-2h", "kb-pql-2h"}, {"pql-3h", "kb-pql-3h"}};

std::vector<std::string> splitList(const std::string& s)
{
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        out.push_back(item);
    return out;
}

struct Latency {
    double median = 0, p90 = 0;
};

Latency askLatency(const std::string& project, int64_t run)
{
    auto answerer = QaAnswerer::load(project, run);
    auto p = Project::open(project, Project::OpenMode::ReadOnly);
    std::vector<double> ms;
    for (const auto& q : QaStore(*p).all())
        if (q.split == Split::Test)
            ms.push_back(answerer->ask(q.question).milliseconds);
    std::sort(ms.begin(), ms.end());
    if (ms.empty())
        return {};
    return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 9 / 10)]};
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_qa DATASETS_DIR [--sets LIST] [--epochs N] [--dim D] [--threads N] [--seed S] [--skip-weak]\n");
        return 2;
    }
    const std::string dir = std::string(argv[1]) + "/pathquestion/";
    std::vector<std::string> sets{"pq-2h", "pq-3h", "pql-2h", "pql-3h"};
    QaTrainSpec spec;
    spec.epochs = 20;
    spec.threads = 2;
    bool weak = true;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--sets")
            sets = splitList(next());
        else if (a == "--epochs")
            spec.epochs = std::stoll(next());
        else if (a == "--dim")
            spec.dim = std::stoll(next());
        else if (a == "--threads")
            spec.threads = std::stoi(next());
        else if (a == "--seed")
            spec.seed = std::stoull(next());
        else if (a == "--skip-weak")
            weak = false;
    }
    std::printf("bench_qa: epochs %lld, dim %lld, threads %d, seed %llu\n", static_cast<long long>(spec.epochs),
                static_cast<long long>(spec.dim), spec.threads, static_cast<unsigned long long>(spec.seed));
    std::printf("%-8s %-6s %8s %8s %8s %8s %9s %9s %8s %9s\n", "set", "paths", "Hits@1", "IRN", "path=gold", "linking",
                "train s", "ask med", "ask p90", "questions");
    const auto tmp = std::filesystem::temp_directory_path() / "kgwb-bench-qa";
    std::filesystem::create_directories(tmp);
    for (const auto& set : sets) {
        if (!kKb.count(set)) {
            std::fprintf(stderr, "unknown set %s\n", set.c_str());
            return 2;
        }
        const std::string project = (tmp / (set + ".kgwb")).string();
        for (const auto& suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(project + suffix);
        {
            auto p = Project::open(project);
            import::ImportRequest req;
            req.tripleFiles = {dir + kKb.at(set) + ".tsv"};
            import::runImport(*p, req);
            qa::importQaPairs(*p, dir + set + ".tsv", {dir + set + "-split.tsv", Split::Train, false});
        }
        for (const bool w : {false, true}) {
            if (w && !weak)
                continue;
            QaTrainSpec s = spec;
            s.weak = w;
            const auto start = std::chrono::steady_clock::now();
            const auto r = QaJob(project, s).run();
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const Latency lat = askLatency(project, r.runId);
            std::printf("%-8s %-6s %8.3f %8.3f %9.3f %8.3f %9.1f %7.1fms %6.1fms %9lld\n", set.c_str(), w ? "weak" : "gold",
                        r.test.hits1, kIrn.at(set) / 100.0, r.test.pathAccuracy, r.test.linkAccuracy, secs, lat.median,
                        lat.p90, static_cast<long long>(r.test.questions));
            std::fflush(stdout);
        }
    }
    return 0;
}
