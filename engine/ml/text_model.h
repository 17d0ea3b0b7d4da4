// A trained triple transformer for inference and explanations, torch-free (pimpl) so the GUI
// can hold one. It is the kept model of a transformer training run (ml/train_job.h): loaded
// from the project (artifact of the run) or from a checkpoint file, shapes checked.
//
// explain() runs ONE forward pass for the query (h, r, ?) and returns, from that pass, the
// ranking it produced, every layer's and head's attention, the attention rollout from the
// [MASK] position, and gradient x input attribution of the chosen answer's score over the
// input tokens, summarised per context fact (the head's neighbour facts in the input).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/fact_explanation.h"
#include "ml/rank_metrics.h"

namespace kg::ml {

struct AttentionMaps {
    std::vector<std::string> tokens;
    int layers = 0, heads = 0;
    int answerToken = -1;       // the [MASK] position: its output is scored against the entities
    std::vector<float> weights; // [layer][head][query][key], row-major
    float at(int layer, int head, int query, int key) const
    {
        const size_t T = tokens.size();
        return weights[((static_cast<size_t>(layer) * heads + head) * T + query) * T + key];
    }
};

struct ContextFactWeight {
    int token = 0;              // position in the input
    int64_t triple = 0;         // the training triple (project id)
    int64_t head = 0, relation = 0, tail = 0; // project ids, as stored
    bool inverse = false;       // walked from the tail to the head
    double rollout = 0;         // attention rollout weight from [MASK]
    double attribution = 0;     // gradient x input for the answer's score
    // Occlusion: the answer's score minus its score with this fact alone left out of the input
    // (nothing in its place). Positive: the fact raised the answer.
    double occlusion = 0;
};

struct TextExplanation {
    std::vector<std::pair<int64_t, double>> answers; // top k (entity project id, score)
    int64_t answer = 0;       // the explained answer (project id)
    double answerScore = 0;
    double answerRank = 0;    // raw (unfiltered) rank of the answer in this pass
    // answerScore = encoderPart + shortcutPart + biasPart: the part that went through the
    // encoder (what attention and rollout show), the head x relation shortcut (0 when the model
    // has none) and the answer's bias.
    double encoderPart = 0, shortcutPart = 0, biasPart = 0;
    bool shortcut = false;    // the model has the shortcut
    AttentionMaps attention;  // of this pass, per layer and head
    std::vector<double> rollout;     // [T]
    std::vector<double> attribution; // [T]
    std::vector<ContextFactWeight> facts; // by occlusion, largest first
};

class TextModel {
public:
    // The model kept by transformer run `run`. Throws Error(NotFound|Format).
    static std::unique_ptr<TextModel> fromRun(const std::string& projectPath, int64_t run);
    // A transformer checkpoint file (kgwb train --checkpoint). Throws Error(Format|Io).
    static std::unique_ptr<TextModel> fromCheckpoint(const std::string& projectPath, const std::string& path);
    // Checkpoint bytes already read (`name` appears in errors).
    static std::unique_ptr<TextModel> fromBytes(const std::string& projectPath, const std::string& bytes,
                                                const std::string& name);
    ~TextModel();

    // Best k answers for (head, relation, ?) (project ids). Throws Error(NotFound).
    std::vector<std::pair<int64_t, double>> rankTails(int64_t head, int64_t relation, int k = 10);
    // answer = 0: the top answer of the pass.
    TextExplanation explain(int64_t head, int64_t relation, int64_t answer = 0, int k = 10);
    // The fewest context facts (taken by occlusion, largest first) whose removal from the
    // input makes the same model rank `answer` lower (filtered by the head's known tails);
    // candidates: each of the first `candidates` facts removed alone.
    NecessaryExplanation necessary(int64_t head, int64_t relation, int64_t answer, int maxSize = 5,
                                   const CancelToken* cancel = nullptr, int candidates = 16);
    // Sufficient facts: the fewest of the head's supporting context facts (by occlusion,
    // largest first) that, put first in the input context of `convertEntities` other entities
    // (seeded choice among those with facts that do not yet rank `answer` first), make the
    // same model rank it first for at least half of them. The copied facts count towards the
    // model's context bound, so they take the places of an entity's last own facts.
    // randomFacts (a benchmark's baseline): all of the head's context facts in seeded random
    // order instead of the supporting ones by strength; the same entities are converted.
    SufficientExplanation sufficient(int64_t head, int64_t relation, int64_t answer, int maxSize = 8,
                                     int convertEntities = 10, uint64_t seed = 1, const CancelToken* cancel = nullptr,
                                     bool randomFacts = false);
    // The answer's rank (filtered by the head's known training tails) and score when the given
    // training triples are left out of the input context: one pass per set, all in one batch.
    std::vector<std::pair<double, double>> ranksWithout(int64_t head, int64_t relation, int64_t answer,
                                     const std::vector<std::vector<int64_t>>& tripleSets);
    // Filtered head and tail prediction on the valid or test split.
    RankMetrics evaluate(bool test = true);

private:
    TextModel();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace kg::ml
