#include "reason/paths.h"

#include <algorithm>
#include <unordered_map>

namespace kg::reason {

std::vector<Atom> ExplanationPath::signature() const
{
    std::vector<Atom> s;
    for (const auto& st : steps)
        s.push_back(Atom{st.relation, st.inverse});
    return s;
}

std::vector<ExplanationPath> findPaths(const GraphIndex& g, int64_t head, int64_t relation, int64_t tail,
                                       const RuleIndex* rules, const PathOptions& o)
{
    std::vector<ExplanationPath> out;
    auto neighbours = [&](int64_t n, auto fn) {
        int seen = 0;
        for (const Edge& e : g.out(n)) {
            if (++seen > o.branchCap)
                break;
            fn(PathStep{e.triple, n, e.relation, e.other, false});
        }
        seen = 0;
        for (const Edge& e : g.in(n)) {
            if (++seen > o.branchCap)
                break;
            fn(PathStep{e.triple, n, e.relation, e.other, true});
        }
    };
    const auto direct = g.tripleId(head, relation, tail);
    // One step back from the tail: node -> steps that go from node to tail.
    std::unordered_map<int64_t, std::vector<PathStep>> intoTail;
    neighbours(tail, [&](const PathStep& s) {
        intoTail[s.to].push_back(PathStep{s.triple, s.to, s.relation, tail, !s.inverse});
    });
    auto add = [&](std::vector<PathStep> steps) {
        if (out.size() < o.maxPaths)
            out.push_back(ExplanationPath{std::move(steps)});
    };
    std::vector<PathStep> first;
    neighbours(head, [&](const PathStep& s) { first.push_back(s); });
    for (const auto& s1 : first) // length 1
        if (s1.to == tail && !(direct && s1.triple == *direct))
            add({s1});
    if (o.maxLength >= 2)
        for (const auto& s1 : first) { // length 2
            if (s1.to == tail || s1.to == head)
                continue;
            if (auto it = intoTail.find(s1.to); it != intoTail.end())
                for (const auto& s2 : it->second)
                    add({s1, s2});
        }
    if (o.maxLength >= 3)
        for (const auto& s1 : first) { // length 3
            if (s1.to == tail || s1.to == head || out.size() >= o.maxPaths)
                continue;
            neighbours(s1.to, [&](const PathStep& s2) {
                if (s2.to == head || s2.to == tail || s2.to == s1.to)
                    return;
                if (auto it = intoTail.find(s2.to); it != intoTail.end())
                    for (const auto& s3 : it->second)
                        add({s1, s2, s3});
            });
        }
    if (rules)
        for (auto& p : out)
            if ((p.rule = rules->find(relation, p.signature())))
                p.ruleScore = p.rule->confidence;
    std::stable_sort(out.begin(), out.end(), [](const ExplanationPath& a, const ExplanationPath& b) {
        return a.ruleScore != b.ruleScore ? a.ruleScore > b.ruleScore : a.steps.size() < b.steps.size();
    });
    return out;
}

} // namespace kg::reason
