// Path rules mined from the graph, AnyBURL-style (Meilicke et al. 2019): cyclic rules
//   r(X, Y) <= b1(X, A1), b2(A1, A2), ..., bn(An-1, Y)      (n <= 3)
// where each body atom may be traversed backwards (b^-1). Candidate bodies come from paths
// between the two ends of sampled triples of r; each candidate is then evaluated on sampled
// groundings: support = body groundings (x, y) for which r(x, y) holds, bodyCount = all body
// groundings, confidence = support / (bodyCount + pessimism), AnyBURL's correction for rules
// seen on few groundings.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/cancel.h"
#include "reason/graph_index.h"

namespace kg::reason {

struct Atom {
    int64_t relation = 0;
    bool inverse = false; // traversed from tail to head
    bool operator==(const Atom& o) const { return relation == o.relation && inverse == o.inverse; }
};

struct Rule {
    int64_t head = 0; // relation
    std::vector<Atom> body;
    int64_t support = 0;
    int64_t bodyCount = 0;
    double confidence = 0;
    std::string signature() const; // "r <= b1, b2^-1" with relation ids
};

struct MiningOptions {
    int maxLength = 3;
    int samplesPerRelation = 30;   // triples of each relation whose paths propose bodies
    int branchCap = 200;           // neighbours followed per node when proposing (a quarter at the 2nd hop)
    int maxCandidates = 64;        // per relation: the bodies proposed most often are evaluated
    int evalSources = 150;         // sampled sources when evaluating a rule
    int frontierCap = 5000;        // nodes kept per step when evaluating
    int64_t minSupport = 2;
    double minConfidence = 0.01;
    double pessimism = 5;
    uint64_t seed = 7;
    int threads = 0;                          // evaluating rules; 0: one per core, at most 8
    const CancelToken* cancel = nullptr;      // checked before each relation and each candidate
    // Share of relations whose rules are being evaluated, 0..1, before each relation's; called
    // from the mining threads, one call at a time. The rules are the same for any thread count.
    std::function<void(double)> onProgress;
};

// Body endpoints reachable from `x` (at most frontierCap nodes per step; x itself excluded).
std::vector<int64_t> groundBody(const GraphIndex& g, int64_t x, const std::vector<Atom>& body, int frontierCap);

// Mines and evaluates rules for every relation; sorted by head, then confidence (desc).
std::vector<Rule> mineRules(const GraphIndex& g, const MiningOptions& options = {});

// Rules indexed for lookup: by head relation, and by (head, body) signature.
class RuleIndex {
public:
    explicit RuleIndex(std::vector<Rule> rules);
    const std::vector<Rule>& all() const { return rules_; }
    std::vector<const Rule*> forHead(int64_t relation) const;
    const Rule* find(int64_t head, const std::vector<Atom>& body) const;

private:
    std::vector<Rule> rules_;
    std::unordered_map<std::string, size_t> bySignature_;
    std::unordered_map<int64_t, std::vector<size_t>> byHead_;
};

// AnyBURL-style prediction for (h, r, ?): each candidate tail scored by noisy-or of the
// confidences of the rules whose body reaches it from h. Sorted by score, best first; the
// order is computed in log space (no ties from scores that round to 1.0), then by the best
// single rule's confidence.
std::vector<std::pair<int64_t, double>> predictTails(const GraphIndex& g, const RuleIndex& rules, int64_t head,
                                                     int64_t relation, int frontierCap = 5000);

// JSON array round trip (for caching in the project; see store tables `rules`).
std::string rulesToJson(const std::vector<Rule>& rules);
std::vector<Rule> rulesFromJson(const std::string& json); // throws Error(Format)

} // namespace kg::reason
