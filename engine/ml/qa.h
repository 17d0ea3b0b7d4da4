// Question answering over the graph: training the chain reasoner on the project's
// question-answer pairs (a job with events, pause/cancel and a run record of kind "qa"), and
// asking it questions. Torch-free, so the CLI and the GUI include it without LibTorch.
//
// Threading: QaJob::run and QaAnswerer work on the calling thread with their own project
// connection. cancel() and setPaused() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/train_job.h"

namespace kg::ml {

struct QaTrainSpec {
    int64_t dim = 64;
    int64_t epochs = 30;
    double lr = 0.003;
    int64_t batchSize = 32;
    int64_t maxHops = 3;
    double dropout = 0.1;
    uint64_t seed = 42;
    int threads = 0;        // 0 = all cores
    int64_t beam = 8;       // paths kept while decoding
    bool weak = false;      // ignore gold paths: learn from answers alone (every path of up
                            // to maxHops from the topic that reaches an answer counts)
    int64_t maxPaths = 16;  // weak supervision: paths kept per question
    int evalEvery = 5;      // validate every N epochs and keep the best model (0 = last)
    // The question encoder: words only (the default), or also their sentencepiece pieces
    // (`pieces`), started from transformer run `encoderFrom` (its tokenizer and token table:
    // piece rows, and its relation-direction rows for the choices; dim becomes the run's).
    bool pieces = false;
    int64_t encoderFrom = 0;
    int vocabSize = 1000;       // tokenizer size with `pieces` and no encoderFrom
    double wordDropout = 0.2;   // with pieces: share of known words read through pieces alone
    int progressIntervalMs = 200;

    std::string toJson() const;
    static QaTrainSpec fromJson(const std::string& json); // Error(InvalidArgument) naming the field
};

struct QaMetrics {
    double hits1 = 0, mrr = 0;
    double pathAccuracy = 0; // share whose best answer's path is the gold path (with a gold path)
    double linkAccuracy = 0; // share whose linked topic is the gold topic (with a gold topic)
    double msPerQuestion = 0;
    int64_t questions = 0;
    int64_t synthetic = 0; // of those, generated from relation labels (qa/qa_synth.h)
};

struct QaJobResult {
    int64_t runId = 0;
    std::string status; // finished | cancelled
    int64_t epochsDone = 0;
    int64_t skipped = 0; // training questions without a usable path (no topic or no path)
    QaMetrics valid, test;
};

class QaJob {
public:
    QaJob(std::string projectPath, QaTrainSpec spec);
    // Events as for TrainJob: Started, Progress, Epoch, Validation (metrics.hits1/mrr),
    // Finished (test). Cancelling keeps the best model so far; status "cancelled".
    QaJobResult run(const std::function<void(const JobEvent&)>& onEvent = {});
    void cancel() { cancel_.cancel(); }
    void setPaused(bool paused) { paused_.store(paused); }

private:
    std::string projectPath_;
    QaTrainSpec spec_;
    CancelToken cancel_;
    std::atomic<bool> paused_{false};
};

struct QaHop {
    int64_t relation = 0;   // project relation id
    bool inverse = false;   // walked from tail to head
    double probability = 0; // of this choice given the hops before
    std::vector<float> attention; // over QaResult::words (the topic's words share one weight)
};

struct QaPath {
    std::vector<QaHop> hops;
    double probability = 0;  // product of the hops' and STOP's probabilities
    int64_t reached = 0;     // entities at its end
};

struct QaAnswerItem {
    int64_t entity = 0;
    double score = 0;            // probability of its best path
    size_t path = 0;             // index into QaResult::paths
    std::vector<int64_t> chain;  // topic, intermediate entities, answer: one walk of that path
    std::vector<int64_t> triples; // the walk's graph triples (project ids), hop by hop
    std::vector<char> predicted;  // per hop: the walk used a fact the completion model predicted
};

struct QaAskOptions {
    int64_t topic = 0;          // entity id to use instead of linking (a person's correction)
    std::vector<int64_t> path;  // fixed first hops (relation ids, -id = inverse); the rest decoded
    int64_t k = 10;             // answers returned
    int64_t beam = 8;
};

struct QaResult {
    std::vector<std::string> words; // the question's words
    size_t topicBegin = 0, topicEnd = 0; // the topic's words (empty range: not in the text)
    int64_t topic = 0;          // 0: no entity found
    std::string linkedBy;       // "name" | "search" | "given"
    std::vector<QaPath> paths;  // decoded paths, most probable first
    std::vector<QaAnswerItem> answers;
    double milliseconds = 0;
};

class QaAnswerer {
public:
    // The model of run `run` (0 = the newest finished qa run). Error(NotFound) if none. With
    // completionRun (a CompGCN run), hops may also follow facts that run predicts with
    // probability >= minProbability but the graph lacks (ml/qa_completion.h).
    static std::unique_ptr<QaAnswerer> load(const std::string& projectPath, int64_t run = 0, int64_t completionRun = 0,
                                            double minProbability = 0.5);
    ~QaAnswerer();
    QaResult ask(const std::string& question, const QaAskOptions& options = {}) const;
    int64_t run() const;

private:
    struct Impl;
    explicit QaAnswerer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace kg::ml
