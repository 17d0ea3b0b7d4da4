// Answers and explanations for a query (head, relation, ?): ranked answers from a trained KGE
// checkpoint (or, without one, from the mined rules), and for one answer the paths of up to
// 3 edges that connect it to the head, scored by the mined rule they ground (confidence) and
// by the model (reason::ExplanationPath::modelScore). Torch-free header.
//
// Threading: one Explainer per thread; it holds its own project connection. Construction
// builds the graph index and loads the model; the project's mined rules are loaded (or mined
// and stored, seconds to a minute on fb15k-237, once) on first use by paths() or rule ranking.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "ml/fact_explanation.h"
#include "ml/text_model.h"
#include "reason/paths.h"
#include "reason/rules.h"

namespace kg::ml {

struct RankedAnswer {
    int64_t entity = 0;
    double score = 0;
    bool known = false; // (head, relation, entity) is already a training triple
};

struct ExplainJsonOptions {
    bool necessary = false, sufficient = false;
    FactSearchOptions search;
};

class Explainer {
public:
    // model: "" (rules rank), a checkpoint file (KGE, transformer or CompGCN), or "run:N" (the
    // model that training run N kept).
    Explainer(const std::string& projectPath, const std::string& model = {},
              const reason::MiningOptions& mining = {});
    ~Explainer();

    bool hasModel() const;
    bool hasTransformer() const;
    // A KGE model (sufficient and necessary facts by post-training).
    bool hasKge() const;
    // The transformer's explanation of one answer (answer = 0: its top answer), from the same
    // forward pass that ranks; nullopt when the model is not a transformer.
    std::optional<TextExplanation> transformerExplanation(int64_t head, int64_t relation, int64_t answer = 0, int k = 10);
    // Best k answers (known training facts included and flagged).
    std::vector<RankedAnswer> answers(int64_t head, int64_t relation, int k = 10);
    // Explanation paths for one answer, each with rule and model scores: with a model, paths
    // get its scores (reason::ExplanationPath::modelScore; a transformer scores those whose
    // first fact is in its input) and are ordered by them, scored ones first. A KGE model
    // post-trains to score them (under a second on fb15k-237): Error(Cancelled) when `cancel`
    // fires.
    std::vector<reason::ExplanationPath> paths(int64_t head, int64_t relation, int64_t tail,
                                               const reason::PathOptions& options = {},
                                               const CancelToken* cancel = nullptr);
    // The smallest set of the head's training facts without which the answer drops, and the
    // facts that make other entities receive it (ml/fact_explanation.h). Needs a model:
    // Error(InvalidArgument) for the rules ranking. Error(Cancelled) when `cancel` fires.
    NecessaryExplanation necessary(int64_t head, int64_t relation, int64_t tail, const FactSearchOptions& options = {},
                                   const CancelToken* cancel = nullptr);
    SufficientExplanation sufficient(int64_t head, int64_t relation, int64_t tail,
                                     const FactSearchOptions& options = {}, const CancelToken* cancel = nullptr);

    // Everything for `kgwb explain --json`: query, answers, and the paths of `tail` (or of
    // the best answer), with keys and labels; optionally its necessary and sufficient facts.
    std::string explainJson(int64_t head, int64_t relation, std::optional<int64_t> tail, int k = 10,
                            const ExplainJsonOptions& options = {});

    const reason::GraphIndex& graph() const;
    const reason::RuleIndex& rules() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Mines rules for the project's training triples and stores them as artifact "rules".
// Returns how many were kept.
size_t mineAndStoreRules(const std::string& projectPath, const reason::MiningOptions& options = {});

} // namespace kg::ml
