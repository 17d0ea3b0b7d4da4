// Knowledge-graph construction from text: the relation classifier trained by distant
// supervision from the graph (a job with events, pause/cancel and a run record of kind
// "extract"), extraction of candidate triples with evidence sentences, and the baseline it is
// measured against. Torch-free, so the CLI and the GUI include it without LibTorch.
//
// Distant supervision: a sentence that mentions both ends of a train triple (a, r, b) is an
// example of r (text/mention_pairs.h says which pairs a sentence has); a pair with no triple
// either way is NA. Candidates are the pairs' best relations; with a KGE run their score mixes
// in the model's plausibility of (h, r, t).
//
// Threading: everything here runs on the calling thread with its own project connection;
// cancel() and setPaused() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/train_job.h"
#include "store/candidate_store.h"

namespace kg::ml {

struct ExtractTrainSpec {
    int64_t dim = 64, heads = 4, layers = 2;
    int64_t epochs = 3;
    double lr = 1e-3;
    int64_t batchSize = 64;
    int64_t maxPieces = 48;  // sentence pieces around the two mentions
    double naRatio = 1.0;    // NA examples kept per positive example
    int64_t folds = 2;       // cross-fitting (ml/relation_model.h): each sentence is scored by
                             // the classifier not trained on it; 1 = one classifier, 5% of the
                             // sentences held out for validation
    double dropout = 0.1;
    uint64_t seed = 42;
    int threads = 0;         // 0 = all cores
    int64_t initFrom = 0;    // a transformer run whose encoder (same dim, heads, layers) starts this one
    int vocabSize = 1000;    // sentencepiece vocabulary when no transformer run is given
    int progressIntervalMs = 200;

    std::string toJson() const;
    static ExtractTrainSpec fromJson(const std::string& json); // Error(InvalidArgument) naming the field
};

struct ExtractMetrics {
    double precision = 0, recall = 0, f1 = 0; // micro, over non-NA classes of held-out sentences
                                              // (each fold's, pooled, with cross-fitting)
    int64_t examples = 0;
};

struct ExtractJobResult {
    int64_t runId = 0;
    std::string status; // finished | cancelled
    int64_t epochsDone = 0;
    int64_t positives = 0, negatives = 0; // training examples
    ExtractMetrics valid;
};

class ExtractJob {
public:
    ExtractJob(std::string projectPath, ExtractTrainSpec spec);
    // Events as for TrainJob, epochs counted over all folds (folds x epochs): Started,
    // Progress, Epoch, Validation (metrics.mrr = F1, text = JSON with precision, recall, f1
    // and fold), Finished. Error(InvalidArgument) when the corpus
    // has no positive example. Cancelling keeps the model so far.
    ExtractJobResult run(const std::function<void(const JobEvent&)>& onEvent = {});
    void cancel() { cancel_.cancel(); }
    void setPaused(bool paused) { paused_.store(paused); }

private:
    std::string projectPath_;
    ExtractTrainSpec spec_;
    CancelToken cancel_;
    std::atomic<bool> paused_{false};
};

struct ExtractOptions {
    int64_t run = 0;          // extraction run (0 = the newest finished one)
    int64_t kgeRun = 0;       // KGE run whose plausibility is mixed in (0 = none)
    double kgeWeight = 0.5;   // score = (1 - w) * classifier + w * KGE plausibility
    double minScore = 0.5;
    int64_t perPair = 2;      // relations proposed per entity pair at most
    int64_t evidence = 3;     // evidence sentences kept per candidate
    int threads = 0;
    bool store = true;        // replace the project's pending candidates with the result
};

struct ExtractReport {
    int64_t documents = 0, sentences = 0, mentions = 0, pairs = 0;
    int64_t candidates = 0, stored = 0;
    double seconds = 0;
};

// Candidates (best first) from every document of the project; `out` receives them.
// progress(done, total) per document. Error(Cancelled) leaves the stored candidates as they were.
ExtractReport extractTriples(const std::string& projectPath, const ExtractOptions& options,
                             const std::function<void(int64_t, int64_t)>& progress = {},
                             const CancelToken* cancel = nullptr, std::vector<CandidateRecord>* out = nullptr);

// The baseline: every co-mentioned pair, scored by how many sentences mention it together,
// with the relation most used by its two entities in the train graph (the count of a's
// triples with r as head times b's with r as tail; the most frequent relation when none).
// Not stored.
std::vector<CandidateRecord> cooccurrenceBaseline(const std::string& projectPath, const CancelToken* cancel = nullptr);

} // namespace kg::ml
