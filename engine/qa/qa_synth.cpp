#include "qa/qa_synth.h"

#include <random>
#include <set>
#include <unordered_map>

#include "core/error.h"
#include "reason/graph_index.h"
#include "store/project.h"
#include "store/qa_store.h"

namespace kg::qa {
namespace {

// "__people__person__place_of_birth" -> "place of birth"; a label wins when there is one.
std::string phrase(const RelationRecord& r)
{
    std::string text = r.label.empty() ? r.key : r.label;
    if (r.label.empty()) {
        const auto cut = text.find_last_of("/#");
        if (cut != std::string::npos)
            text = text.substr(cut + 1);
        const auto dunder = text.rfind("__");
        if (dunder != std::string::npos && dunder + 2 < text.size())
            text = text.substr(dunder + 2);
    }
    for (char& c : text)
        if (c == '_')
            c = ' ';
    return text;
}

} // namespace

int64_t synthesizeQuestions(Project& project, const SynthOptions& o)
{
    if (o.count < 1 || o.maxHops < 1 || o.maxHops > 3)
        throw Error(Errc::InvalidArgument, "synthetic questions: count must be positive and hops in 1..3");
    const auto index = reason::GraphIndex::fromProject(project);
    if (index.tripleCount() == 0)
        throw Error(Errc::InvalidArgument, "synthetic questions need train triples");
    std::unordered_map<int64_t, std::string> relationText;
    for (const auto& r : project.relations())
        relationText[r.id] = phrase(r);
    std::vector<int64_t> heads;
    for (const int64_t rel : index.relations())
        for (const auto& [h, t] : index.pairs(rel))
            heads.push_back(h);
    std::mt19937_64 rng(o.seed);
    std::vector<QaRecord> out;
    std::set<std::pair<int64_t, std::vector<int64_t>>> seen; // (topic, path) once
    for (int64_t attempt = 0; attempt < o.count * 20 && static_cast<int64_t>(out.size()) < o.count; ++attempt) {
        const int64_t topic = heads[rng() % heads.size()];
        const int64_t hops = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(o.maxHops));
        std::vector<int64_t> path;
        int64_t at = topic;
        for (int64_t h = 0; h < hops; ++h) {
            const auto edges = index.out(at);
            if (edges.empty())
                break;
            const auto& e = edges[rng() % edges.size()];
            path.push_back(e.relation);
            at = e.other;
        }
        if (static_cast<int64_t>(path.size()) != hops || !seen.insert({topic, path}).second)
            continue;
        std::set<int64_t> frontier{topic};
        for (const int64_t rel : path) {
            std::set<int64_t> next;
            for (const int64_t e : frontier)
                for (const auto& edge : index.out(e))
                    if (edge.relation == rel)
                        next.insert(edge.other);
            frontier = std::move(next);
        }
        if (frontier.empty() || static_cast<int64_t>(frontier.size()) > o.maxAnswers)
            continue;
        const auto topicRecord = project.entity(topic);
        std::string q = "what is the";
        for (size_t i = path.size(); i-- > 0;)
            q += " " + relationText[path[i]] + (i ? " of the" : " of");
        q += " " + (topicRecord ? topicRecord->displayName() : std::to_string(topic)) + " ?";
        QaRecord r;
        r.question = q;
        r.topic = topic;
        r.path = path;
        r.answers.push_back(at);
        for (const int64_t e : frontier)
            if (e != at)
                r.answers.push_back(e);
        const auto n = out.size() % 10;
        r.split = n == 8 ? Split::Valid : n == 9 ? Split::Test : Split::Train;
        r.synthetic = true;
        r.source = "synthetic";
        out.push_back(std::move(r));
    }
    QaStore(project).add(out);
    return static_cast<int64_t>(out.size());
}

} // namespace kg::qa
