// Question-answering benchmark (issue: question answering over the graph). For each
// PathQuestion set, in one run, through the same job API `kgwb qa train` uses: import the KB
// and the questions with IRN's split, train the chain reasoner with gold paths and with weak
// supervision (answers only), and print test Hits@1 (prediction in the answer set, IRN's
// metric), the share of test questions whose shown path is the gold path, entity-linking
// accuracy, and `ask` latency after loading (median and p90 over the test questions), next to
// IRN's published Hits@1.
// With --hide F, an incomplete-graph run follows: the last fact of the gold path of a share F
// of the test questions is moved out of the train graph, a CompGCN run is trained on what is
// left, and test Hits@1 is printed without and with that encoder completing the walks
// (QaAnswerer's completion), on the questions that lost their fact and on the others.
// With --encoders, the question encoder is compared before and after joint training, in one
// run: a transformer is pre-trained on the KB (masked tokens, entity names as text) and then
// fine-tuned from that with the joint loss; the reasoner is trained on a share of the train
// questions (--fractions) with words only, with words + pieces from scratch, and with pieces
// and relation rows started from each transformer run. Test Hits@1 is printed overall and on
// the test questions holding a word no train question has.
// Usage: bench_qa DATASETS_DIR [--sets pq-2h,pq-3h,pql-2h,pql-3h] [--epochs 20] [--dim 64]
//        [--threads 2] [--seed 42] [--skip-weak] [--hide 0.3 [--gnn-epochs 30]]
//        [--encoders [--fractions 1,0.1] [--pretrain-epochs 30] [--joint-epochs 30] [--seeds 3]]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/blas_kernels.h"
#include "import/importer.h"
#include "reason/graph_index.h"
#include "ml/qa.h"
#include "ml/train_job.h"
#include "qa/qa_import.h"
#include "store/project.h"
#include "store/qa_store.h"
#include "text/words.h"

using namespace kg;
using namespace kg::ml;

namespace {

// IRN (Zhou et al., COLING 2018), Hits@1 in %, as listed by paper aggregators (the paper's
// table itself could not be read here): PQ-2H 96.0, PQ-3H 87.7, PQL-2H 72.5, PQL-3H 71.0.
const std::map<std::string, double> kIrn = {{"pq-2h", 96.0}, {"pq-3h", 87.7}, {"pql-2h", 72.5}, {"pql-3h", 71.0}};
const std::map<std::string, std::string> kKb = {
    {"pq-2h", "kb-2h"}, {"pq-3h", "kb-3h"}, {"pql-2h", "kb-pql-2h"}, {"pql-3h", "kb-pql-3h"}};

std::vector<std::string> fields(const std::string& line, char sep)
{
    std::vector<std::string> out;
    std::stringstream in(line);
    std::string item;
    while (std::getline(in, item, sep))
        out.push_back(item);
    return out;
}

// Deletes a project file and its WAL companions.
void removeProject(const std::string& path)
{
    for (const auto& suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix);
}

// A new project at `path` holding the KB of PathQuestion set `set`.
void importKb(const std::string& path, const std::string& dir, const std::string& set)
{
    removeProject(path);
    auto p = Project::open(path);
    import::ImportRequest req;
    req.tripleFiles = {dir + kKb.at(set) + ".tsv"};
    import::runImport(*p, req);
}

// Whether the top answer is in the question's answer set (IRN's Hits@1).
bool topAnswerRight(const QaRecord& q, const QaResult& r)
{
    return !r.answers.empty() && std::find(q.answers.begin(), q.answers.end(), r.answers.front().entity) != q.answers.end();
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

// Moves the last gold-path fact of every k-th test question to the test split; returns the
// test questions (text) whose gold path lost its last fact (paraphrases of one path included).
std::set<std::string> hideLastFacts(const std::string& project, const std::string& questions, const std::string& splits,
                                    double share)
{
    auto p = Project::open(project);
    const auto index = reason::GraphIndex::fromProject(*p);
    struct Test {
        std::string question;
        int64_t fact = 0;
    };
    std::vector<Test> tests;
    std::ifstream q(questions), s(splits);
    std::string line, splitLine;
    while (std::getline(q, line) && std::getline(s, splitLine)) {
        if (fields(splitLine, '\t').at(1) != "test")
            continue;
        const auto f = fields(line, '\t');
        auto path = fields(f.at(2), '#');
        if (auto end = std::find(path.begin(), path.end(), "<end>"); end != path.end())
            path.erase(end, path.end());
        const auto h = p->entityByKey(path[path.size() - 3]), t = p->entityByKey(path.back());
        const auto r = p->relationByKey(path[path.size() - 2]);
        tests.push_back({f.at(0), index.tripleId(h->id, r->id, t->id).value_or(0)});
    }
    const auto every = std::max<size_t>(1, static_cast<size_t>(1.0 / share + 0.5));
    std::set<int64_t> moved;
    for (size_t i = 0; i < tests.size(); i += every)
        if (tests[i].fact && moved.insert(tests[i].fact).second) {
            const auto t = p->triple(tests[i].fact);
            p->deleteTriple(t->id);
            p->addTriple(t->head, t->rel, t->tail, Split::Test);
        }
    std::set<std::string> lost;
    for (const auto& t : tests)
        if (moved.count(t.fact))
            lost.insert(t.question);
    return lost;
}

// Copies `questions` and its split file keeping every train line with probability `share`
// (seeded), every valid and test line; returns the two new paths.
std::pair<std::string, std::string> sampleTrain(const std::string& questions, const std::string& splits, double share,
                                                const std::filesystem::path& out, uint64_t seed)
{
    std::ifstream q(questions), s(splits);
    const auto qOut = (out / ("questions-" + std::to_string(share) + ".tsv")).string();
    const auto sOut = (out / ("split-" + std::to_string(share) + ".tsv")).string();
    std::ofstream qo(qOut), so(sOut);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::string line, splitLine;
    int64_t n = 0;
    while (std::getline(q, line) && std::getline(s, splitLine)) {
        const std::string split = fields(splitLine, '\t').at(1);
        if (split == "train" && u(rng) >= share)
            continue;
        qo << line << '\n';
        so << n++ << '\t' << split << '\n';
    }
    return {qOut, sOut};
}

struct EncoderScore {
    double all = 0, unseen = 0;
    int64_t questions = 0, unseenQuestions = 0;
};

// Test Hits@1 of qa run `run`, overall and on the questions with a word (outside the topic's
// mention) that no train question has.
EncoderScore scoreEncoder(const std::string& project, int64_t run)
{
    auto answerer = QaAnswerer::load(project, run);
    auto p = Project::open(project, Project::OpenMode::ReadOnly);
    const auto all = QaStore(*p).all();
    std::set<std::string> known;
    for (const auto& q : all)
        if (q.split == Split::Train)
            for (const auto& w : text::wordTokens(q.question))
                known.insert(w);
    EncoderScore out;
    for (const auto& q : all) {
        if (q.split != Split::Test)
            continue;
        const auto r = answerer->ask(q.question);
        bool unseen = false;
        for (size_t i = 0; i < r.words.size(); ++i)
            unseen = unseen || ((i < r.topicBegin || i >= r.topicEnd) && !known.count(r.words[i]));
        const bool ok = topAnswerRight(q, r);
        ++out.questions;
        out.all += ok;
        if (unseen) {
            ++out.unseenQuestions;
            out.unseen += ok;
        }
    }
    out.all /= std::max<int64_t>(out.questions, 1);
    out.unseen /= std::max<int64_t>(out.unseenQuestions, 1);
    return out;
}

// A transformer run on the project's KB: pre-training (masked tokens) or, from `initFrom`,
// joint fine-tuning (L_tail + lm + kge + reason). Returns the run id.
int64_t trainTransformer(const std::string& project, bool pretrain, int64_t initFrom, int64_t epochs, int64_t dim,
                         int threads, const std::filesystem::path& tmp)
{
    JobSpec j;
    j.config.model = ModelKind::Transformer;
    j.config.dim = dim;
    j.config.epochs = epochs;
    j.config.lr = 0.001;
    j.config.batchSize = 128;
    j.config.threads = threads;
    j.config.device = "cpu";
    j.config.transformer.stage = pretrain ? TextStage::Pretrain : TextStage::Finetune;
    j.config.transformer.useText = true;
    j.config.transformer.heads = 4;
    j.config.transformer.layers = 2;
    j.config.transformer.initFrom = initFrom;
    if (!pretrain) {
        j.config.transformer.lambdaLm = 0.5;
        j.config.transformer.lambdaKge = 0.5;
        j.config.transformer.lambdaReason = 0.5;
    }
    j.checkpoint = (tmp / (pretrain ? "pretrain.ckpt" : "joint.ckpt")).string();
    j.evalEvery = 0;
    j.evaluateTest = false;
    return TrainJob(project, j).run({}).runId;
}

void compareEncoders(const std::string& dir, const std::string& set, const QaTrainSpec& spec,
                     const std::vector<double>& fractions, int64_t pretrainEpochs, int64_t jointEpochs, int64_t seeds,
                     const std::filesystem::path& tmp)
{
    const std::string kb = (tmp / (set + "-kb.kgwb")).string();
    importKb(kb, dir, set);
    auto started = std::chrono::steady_clock::now();
    const int64_t pre = trainTransformer(kb, true, 0, pretrainEpochs, spec.dim, spec.threads, tmp);
    const double preSecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    started = std::chrono::steady_clock::now();
    const int64_t joint = trainTransformer(kb, false, pre, jointEpochs, spec.dim, spec.threads, tmp);
    const double jointSecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("%-8s transformer d%lld: pre-trained %lld epochs (%.0f s), joint fine-tuning %lld epochs (%.0f s)\n",
                set.c_str(), static_cast<long long>(spec.dim), static_cast<long long>(pretrainEpochs), preSecs,
                static_cast<long long>(jointEpochs), jointSecs);
    std::printf("test Hits@1, mean and range over %lld seeds; unseen: the test questions with a word no train question has\n",
                static_cast<long long>(seeds));
    std::printf("%-8s %8s %-24s %8s %-12s %8s %-12s %6s %8s\n", "set", "train", "encoder", "Hits@1", "(range)", "unseen",
                "(range)", "(of)", "train s");
    for (const double share : fractions) {
        const std::string project = (tmp / (set + "-enc.kgwb")).string();
        removeProject(project);
        std::filesystem::copy_file(kb, project);
        const auto [questions, splits] =
            sampleTrain(dir + set + ".tsv", dir + set + "-split.tsv", share, tmp, spec.seed);
        int64_t trainQuestions = 0;
        {
            auto p = Project::open(project);
            qa::importQaPairs(*p, questions, {splits, Split::Train, false});
            for (const auto& q : QaStore(*p).all())
                trainQuestions += q.split == Split::Train;
        }
        struct Variant {
            const char* name;
            bool pieces;
            int64_t from;
        };
        for (const Variant v : {Variant{"words (scratch)", false, 0}, Variant{"words+pieces (scratch)", true, 0},
                                Variant{"pieces from pre-trained", true, pre}, Variant{"pieces from joint", true, joint}}) {
            std::vector<double> all, unseen;
            double secs = 0;
            int64_t unseenQuestions = 0;
            for (int64_t k = 0; k < seeds; ++k) {
                QaTrainSpec s = spec;
                s.pieces = v.pieces;
                s.encoderFrom = v.from;
                s.seed = spec.seed + static_cast<uint64_t>(k);
                const auto t0 = std::chrono::steady_clock::now();
                const auto r = QaJob(project, s).run();
                secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                const EncoderScore e = scoreEncoder(project, r.runId);
                all.push_back(e.all);
                unseen.push_back(e.unseen);
                unseenQuestions = e.unseenQuestions;
            }
            auto mean = [](const std::vector<double>& x) {
                double sum = 0;
                for (const double v : x)
                    sum += v;
                return sum / static_cast<double>(x.size());
            };
            auto range = [](const std::vector<double>& x) {
                const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.3f-%.3f", *lo, *hi);
                return std::string(buf);
            };
            std::printf("%-8s %8lld %-24s %8.3f %-12s %8.3f %-12s %6lld %8.1f\n", set.c_str(),
                        static_cast<long long>(trainQuestions), v.name, mean(all), range(all).c_str(), mean(unseen),
                        range(unseen).c_str(), static_cast<long long>(unseenQuestions),
                        secs / static_cast<double>(seeds));
            std::fflush(stdout);
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    kg::useFasterBlasKernels(argv); // as kgwb does: the product's speed, not the fallback kernels'
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
    double hide = 0;
    int64_t gnnEpochs = 30;
    bool encoders = false;
    std::vector<double> fractions{1.0, 0.1};
    int64_t pretrainEpochs = 30, jointEpochs = 30, seeds = 3;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--sets")
            sets = fields(next(), ',');
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
        else if (a == "--hide")
            hide = std::stod(next());
        else if (a == "--gnn-epochs")
            gnnEpochs = std::stoll(next());
        else if (a == "--encoders")
            encoders = true;
        else if (a == "--fractions") {
            fractions.clear();
            for (const auto& f : fields(next(), ','))
                fractions.push_back(std::stod(f));
        } else if (a == "--pretrain-epochs")
            pretrainEpochs = std::stoll(next());
        else if (a == "--joint-epochs")
            jointEpochs = std::stoll(next());
        else if (a == "--seeds")
            seeds = std::max<int64_t>(1, std::stoll(next()));
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
        if (encoders) {
            compareEncoders(dir, set, spec, fractions, pretrainEpochs, jointEpochs, seeds, tmp);
            continue;
        }
        const std::string project = (tmp / (set + ".kgwb")).string();
        importKb(project, dir, set);
        {
            auto p = Project::open(project);
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
        if (hide > 0) {
            const auto lost = hideLastFacts(project, dir + set + ".tsv", dir + set + "-split.tsv", hide);
            QaTrainSpec s = spec;
            const auto qa = QaJob(project, s).run();
            JobSpec gnn;
            gnn.config.model = ModelKind::CompGCN;
            gnn.config.dim = 100;
            gnn.config.lr = 0.003;
            gnn.config.batchSize = 256;
            gnn.config.epochs = gnnEpochs;
            gnn.config.threads = spec.threads;
            gnn.config.device = "cpu";
            gnn.checkpoint = (tmp / (set + "-gnn.ckpt")).string();
            gnn.evalEvery = 0;
            gnn.evaluateTest = true;
            const auto g = TrainJob(project, gnn).run({});
            for (const double minP : {0.0, 0.3, 0.5, 0.7}) {
                auto answerer = QaAnswerer::load(project, qa.runId, minP > 0 ? g.runId : 0, minP);
                auto p = Project::open(project, Project::OpenMode::ReadOnly);
                int64_t nLost = 0, okLost = 0, nKept = 0, okKept = 0;
                for (const auto& q : QaStore(*p).all()) {
                    if (q.split != Split::Test)
                        continue;
                    const auto res = answerer->ask(q.question);
                    const bool ok = topAnswerRight(q, res);
                    (lost.count(q.question) ? nLost : nKept)++;
                    (lost.count(q.question) ? okLost : okKept) += ok;
                }
                std::printf("%-8s CompGCN MRR on the hidden facts %.3f; completion %s: Hits@1 %.3f on the %lld test questions "
                            "that lost their last fact, %.3f on the other %lld\n",
                            set.c_str(), g.test ? g.test->mrr : 0.0,
                            minP > 0 ? ("p >= " + std::to_string(minP).substr(0, 3)).c_str() : "off",
                            nLost ? static_cast<double>(okLost) / static_cast<double>(nLost) : 0.0,
                            static_cast<long long>(nLost),
                            nKept ? static_cast<double>(okKept) / static_cast<double>(nKept) : 0.0,
                            static_cast<long long>(nKept));
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
