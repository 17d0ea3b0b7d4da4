// Paths of up to 3 edges between two entities, for explaining an answer (h, r, t). Edges are
// walked in either direction (an inverse step follows a triple from tail to head). Paths never
// revisit a node, and the triple (h, r, t) itself is not a path that explains it.
#pragma once

#include <cstdint>
#include <vector>

#include "reason/graph_index.h"
#include "reason/rules.h"

namespace kg::reason {

struct PathStep {
    int64_t triple = 0;
    int64_t from = 0, relation = 0, to = 0; // walked from -> to
    bool inverse = false;                   // the triple is (to, relation, from)
};

struct ExplanationPath {
    std::vector<PathStep> steps;
    std::vector<Atom> signature() const;
    const Rule* rule = nullptr; // the mined rule this path grounds (head = query relation), if any
    double ruleScore = 0;       // that rule's confidence
    // Set by the ranking model (ml/explainer.h), 0 if not scored. compositionScore is the
    // model's score of the composed relation path from the head to the answer and edgeScore the
    // mean score of the path's actual edges, so two paths with the same relations through
    // different entities score differently. A KGE model: modelScore = support, the answer's
    // score drop with the path's fact of the head left out and the head's embedding
    // post-trained without it (ml/kelpie.h, removalDrops; the path's other facts count 0 there;
    // unscored beyond the head facts of the 16 paths with the best composed scores).
    // A CompGCN model: modelScore = support, how much lower the answer scores with
    // the path's edges left out of its message passing (ml/gnn_explain.h, estimatedDrops). A
    // transformer: modelScore = support, the answer's score drop with the path's first fact left
    // out of its input (it reads no further hop); unscored when that fact is not in the input.
    double modelScore = 0, compositionScore = 0, edgeScore = 0, support = 0;
    bool scored = false; // the model set modelScore
};

struct PathOptions {
    int maxLength = 3;
    size_t maxPaths = 500;
    int branchCap = 2000; // neighbours followed per node (hubs)
};

// Every simple path from `head` to `tail` up to maxLength (shortest first), excluding the
// edge (head, relation, tail). Rules (if given) annotate each path; paths are then ordered by
// rule score, then length.
std::vector<ExplanationPath> findPaths(const GraphIndex& g, int64_t head, int64_t relation, int64_t tail,
                                       const RuleIndex* rules = nullptr, const PathOptions& options = {});

} // namespace kg::reason
