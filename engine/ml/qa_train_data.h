// The question-answering job's data and model: the project's questions turned into word ids
// and target relation paths (gold, or under weak supervision every short path from the topic
// that reaches an answer), the loss of a batch, and evaluation by decoding. Internal to
// ml/qa_job.cpp and the tests.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <random>
#include <vector>

#include "core/cancel.h"
#include "ml/qa.h"
#include "ml/qa_model.h"
#include "store/qa_store.h"

namespace kg::ml {

class QaTrainData {
public:
    // Builds the word table from the train questions (and, with spec.pieces or
    // spec.encoderFrom, the piece encoder). Error(InvalidArgument) when there are none, or
    // when encoderFrom names no transformer run.
    QaTrainData(Project& project, const QaTrainSpec& spec);

    QaModelFile& model() { return file_; }
    void load(const std::string& bytes) { file_ = QaModelFile::fromBytes(bytes, "best"); }
    int64_t stepsPerEpoch() const;
    int64_t skipped() const { return skipped_; }
    bool hasValid() const;
    std::vector<size_t> shuffled(std::mt19937_64& rng) const;
    // Mean negative log-likelihood of the target paths of batch `step` of `order` (the
    // marginal over a question's paths under weak supervision).
    torch::Tensor batchLoss(const std::vector<size_t>& order, int64_t step);
    // Hits@1 / MRR of the ranked answers, path and linking accuracy on a split.
    QaMetrics evaluate(Split split, const CancelToken* cancel = nullptr);

    // Every relation path of 1..maxHops hops from `topic` whose end holds an answer,
    // shortest first, at most `limit`.
    static std::vector<std::vector<int64_t>> pathsToAnswers(const QaGraph& graph, int64_t topic,
                                                            const std::vector<int64_t>& answers, int64_t maxHops,
                                                            int64_t limit);

private:
    struct Example {
        QaEncodedQuestion words;
        std::vector<std::vector<int64_t>> paths;       // choice sequences without STOP
        std::vector<std::vector<std::vector<char>>> allowed; // per path, per step: allowed choices
    };
    // Word ids and target paths of a train question, already tokenised and linked.
    Example prepare(const QaRecord& r, const std::vector<std::string>& words, const QaKnowledge::Topic& topic);
    // The piece table, and with spec.encoderFrom the starting rows, from a transformer run.
    void buildPieceEncoder();

    Project& project_;
    QaTrainSpec spec_;
    std::unique_ptr<QaKnowledge> knowledge_;
    QaGraph graph_;
    QaModelFile file_;
    std::vector<QaRecord> records_;
    std::vector<Example> train_;
    int64_t skipped_ = 0;
};

} // namespace kg::ml
