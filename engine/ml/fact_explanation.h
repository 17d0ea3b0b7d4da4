// Fact-level explanations of one predicted answer (h, r, t), after Kelpie (Rossi et al.,
// SIGMOD 2022). Torch-free, so the GUI and the CLI can hold them.
//
//  - Necessary: the smallest set of h's training facts whose removal makes t drop (its
//    filtered rank gets worse than with all of h's facts).
//  - Sufficient: the smallest set of h's facts that, copied onto other entities c (h replaced
//    by c), makes (c, r, ?) rank t first for at least half of them.
//
// For KGE models both are measured by post-training: a stand-in ("mimic") embedding of the
// entity is trained from the same random start on its facts minus (or plus) the candidates,
// with every other parameter frozen, and the answer re-ranked with it. For the transformer
// the facts are removed from its input context (necessary), or put in other entities' input
// context (sufficient), and the answer re-ranked by the same model.
#pragma once

#include <cstdint>
#include <vector>

namespace kg::ml {

struct FactRef {
    int64_t triple = 0;                       // training triple (project id)
    int64_t head = 0, relation = 0, tail = 0; // project ids, as stored
};

struct PostTrainOptions {
    int steps = 60;             // full-batch Adam steps over the entity's facts
    double lr = 0.05;
    int negatives = 128;        // shared negatives per step, both directions
    int maxFacts = 256;         // facts per entity used (the candidates always among them)
    uint64_t seed = 1;          // start of the mimic embedding and the negatives
};

struct FactSearchOptions {
    int candidates = 16;        // facts tried one by one (best first by influence)
    int maxSize = 8;            // largest explanation tried
    int convertEntities = 10;   // sufficient: entities the facts are copied onto
    int starts = 2;             // necessary: the answer must drop from this many mimic starts
    int maxRows = 2048;         // necessary: bound on fact rows post-trained (sets x facts per
                                // set; 40 facts at the defaults); a hub keeps the facts nearest
                                // the answer. 0 = no bound (then post.maxFacts)
    PostTrainOptions post;
};

struct FactEffect {
    FactRef fact;
    double influence = 0;       // KGE: first-order estimate of the score drop if removed;
                                // transformer: its occlusion (the drop, nothing in its place)
    double rankAfter = 0;       // KGE: rank of the answer with this fact alone removed
    double scoreDrop = 0;       // score(all facts) - score(without this fact)
};

struct NecessaryExplanation {
    std::vector<FactRef> facts;  // the explanation, most relevant first
    bool achieved = false;       // removing `facts` makes the answer drop (KGE: from every
                                 // post-training start, so it is not one run's noise)
    double modelRank = 0;        // filtered rank under the trained model
    double rankBefore = 0;       // with all of h's facts (post-trained mimic, or full context)
    double rankAfter = 0;        // without `facts`
    double scoreBefore = 0, scoreAfter = 0;
    int headFacts = 0;           // training facts of h considered
    std::vector<FactEffect> candidates;
    double seconds = 0;
};

struct SufficientExplanation {
    std::vector<FactRef> facts;
    bool achieved = false;            // at least half of the entities converted
    std::vector<int64_t> entities;    // the entities the facts were copied onto (project ids)
    double rankBefore = 0;            // mean rank of the answer for them, before
    double rankAfter = 0;             // and after adding `facts`
    double convertedShare = 0;        // share ranking the answer first after
    double seconds = 0;
};

} // namespace kg::ml
