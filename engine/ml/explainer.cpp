#include "ml/explainer.h"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/entity_table.h"
#include "ml/gnn_explain.h"
#include "ml/kelpie.h"
#include "ml/trainer.h"
#include "ml/kg_data.h"
#include "ml/train_job.h"
#include "store/artifact_store.h"
#include "store/project.h"

namespace kg::ml {
namespace {

std::optional<std::vector<reason::Rule>> storedRules(Project& project, size_t trainTriples)
{
    const auto a = ArtifactStore(project).get("rules");
    if (!a)
        return std::nullopt;
    try {
        const auto meta = nlohmann::json::parse(a->meta);
        if (meta.value("train_triples", int64_t(-1)) != static_cast<int64_t>(trainTriples))
            return std::nullopt; // the graph changed since mining
        return reason::rulesFromJson(a->data);
    } catch (const std::exception&) {
        return std::nullopt; // damaged: mine again
    }
}

// Mines rules for the graph and stores them with the triple count they were mined on.
std::vector<reason::Rule> mineAndStore(Project& project, const reason::GraphIndex& graph,
                                       const reason::MiningOptions& options)
{
    auto rules = reason::mineRules(graph, options);
    ArtifactStore(project).put("rules", "rules-json", reason::rulesToJson(rules),
                               nlohmann::json{{"train_triples", graph.tripleCount()}, {"max_length", options.maxLength}}
                                   .dump());
    return rules;
}

} // namespace

struct Explainer::Impl {
    std::unique_ptr<Project> project;
    reason::GraphIndex graph;
    std::unique_ptr<reason::RuleIndex> rules; // loaded or mined on first use
    reason::MiningOptions mining;

    const reason::RuleIndex& ensureRules()
    {
        if (!rules) {
            auto stored = storedRules(*project, graph.tripleCount());
            if (!stored)
                stored = mineAndStore(*project, graph, mining);
            rules = std::make_unique<reason::RuleIndex>(std::move(*stored));
        }
        return *rules;
    }
    std::unique_ptr<KgData> data;
    std::unique_ptr<Trainer> trainer; // holds a KGE model
    std::unique_ptr<TextModel> text;  // or a transformer
    std::unique_ptr<GnnModel> gnn;    // or CompGCN
    // The transformer's last explanation: paths() and transformerExplanation() of one answer
    // (the Explain tab asks for both) share one pass.
    struct TextKey {
        int64_t head = 0, relation = 0, answer = 0;
        int k = 0;
        bool operator==(const TextKey&) const = default;
    };
    std::optional<std::pair<TextKey, TextExplanation>> lastText;
    const TextExplanation& textExplanation(int64_t head, int64_t relation, int64_t answer, int k)
    {
        const TextKey key{head, relation, answer, k};
        if (!lastText || !(lastText->first == key))
            lastText.emplace(key, text->explain(head, relation, answer, k));
        return lastText->second;
    }
};

size_t mineAndStoreRules(const std::string& projectPath, const reason::MiningOptions& options)
{
    auto project = Project::open(projectPath, Project::OpenMode::MustExist);
    return mineAndStore(*project, reason::GraphIndex::fromProject(*project), options).size();
}

Explainer::Explainer(const std::string& projectPath, const std::string& checkpoint,
                     const reason::MiningOptions& mining)
    : impl_(std::make_unique<Impl>())
{
    impl_->project = Project::open(projectPath, Project::OpenMode::MustExist);
    impl_->graph = reason::GraphIndex::fromProject(*impl_->project);
    impl_->mining = mining;
    if (checkpoint.empty())
        return;
    const ModelBytes model = readModel(*impl_->project, checkpoint);
    const std::string& bytes = model.bytes;
    const std::string& name = model.name;
    TrainConfig config = checkpointInfoFromBytes(bytes, name).config;
    if (config.model == ModelKind::Transformer) {
        impl_->text = TextModel::fromBytes(projectPath, bytes, name); // the bytes read above, not again
        return;
    }
    if (config.model == ModelKind::CompGCN) {
        impl_->gnn = GnnModel::fromBytes(*impl_->project, bytes, name);
        return;
    }
    impl_->data = std::make_unique<KgData>(KgData::fromProject(*impl_->project));
    config.device = "cpu";
    impl_->trainer = std::make_unique<Trainer>(config, *impl_->data);
    loadCheckpointBytes(bytes, name, *impl_->trainer); // checks every shape
}

Explainer::~Explainer() = default;

bool Explainer::hasModel() const { return impl_->trainer != nullptr || impl_->text != nullptr || impl_->gnn != nullptr; }
bool Explainer::hasKge() const { return impl_->trainer != nullptr; }
bool Explainer::hasTransformer() const { return impl_->text != nullptr; }

std::optional<TextExplanation> Explainer::transformerExplanation(int64_t head, int64_t relation, int64_t answer, int k)
{
    if (!impl_->text)
        return std::nullopt;
    return impl_->textExplanation(head, relation, answer, k);
}
const reason::GraphIndex& Explainer::graph() const { return impl_->graph; }
const reason::RuleIndex& Explainer::rules() const { return impl_->ensureRules(); }

std::vector<RankedAnswer> Explainer::answers(int64_t head, int64_t relation, int k)
{
    std::vector<RankedAnswer> out;
    if (impl_->text) {
        for (const auto& [e, score] : impl_->text->rankTails(head, relation, k))
            out.push_back({e, score, impl_->graph.has(head, relation, e)});
        return out;
    }
    if (impl_->gnn) {
        for (const auto& [e, score] : impl_->gnn->rankTails(head, relation, k))
            out.push_back({e, score, impl_->graph.has(head, relation, e)});
        return out;
    }
    if (!impl_->trainer) {
        for (const auto& [e, s] : reason::predictTails(impl_->graph, impl_->ensureRules(), head, relation)) {
            if (static_cast<int>(out.size()) >= k)
                break;
            out.push_back({e, s, impl_->graph.has(head, relation, e)});
        }
        return out;
    }
    const auto& d = *impl_->data;
    const auto h = d.entityIndex.find(head);
    const auto r = d.relationIndex.find(relation);
    if (h == d.entityIndex.end() || r == d.relationIndex.end())
        throw Error(Errc::NotFound, "the model does not know this entity or relation");
    torch::NoGradGuard noGrad;
    const auto scores = impl_->trainer->model()
                            ->scoreAllTails(torch::tensor({h->second}, torch::kInt64), torch::tensor({r->second}, torch::kInt64))
                            .squeeze(0);
    const auto top = scores.topk(std::min<int64_t>(k, scores.size(0)));
    const auto values = std::get<0>(top), indices = std::get<1>(top);
    for (int64_t i = 0; i < values.size(0); ++i) {
        const int64_t e = d.entityIds[static_cast<size_t>(indices[i].item<int64_t>())];
        out.push_back({e, values[i].item<double>(), impl_->graph.has(head, relation, e)});
    }
    return out;
}

std::vector<reason::ExplanationPath> Explainer::paths(int64_t head, int64_t relation, int64_t tail,
                                                      const reason::PathOptions& options, const CancelToken* cancel)
{
    auto out = reason::findPaths(impl_->graph, head, relation, tail, &impl_->ensureRules(), options);
    if (impl_->trainer && !out.empty()) {
        const auto& d = *impl_->data;
        const auto model = impl_->trainer->model();
        torch::NoGradGuard noGrad;
        // Every path's actual edges, as stored (head, relation, tail), scored in one batch.
        std::vector<int64_t> edges;
        for (const auto& p : out)
            for (const auto& s : p.steps) {
                const int64_t h = s.inverse ? s.to : s.from, t = s.inverse ? s.from : s.to;
                edges.insert(edges.end(), {d.entityIndex.at(h), d.relationIndex.at(s.relation), d.entityIndex.at(t)});
            }
        const auto edgeScores =
            model->scoreTriples(torch::tensor(edges, torch::kInt64).view({-1, 3}).to(impl_->trainer->device()))
                .to(torch::kCPU)
                .to(torch::kFloat64);
        const double* e = edgeScores.data_ptr<double>();
        for (auto& p : out) {
            std::vector<std::pair<int64_t, bool>> rels;
            double sum = 0;
            for (const auto& s : p.steps) {
                rels.emplace_back(d.relationIndex.at(s.relation), s.inverse);
                sum += *e++;
            }
            p.compositionScore = model->scorePath(d.entityIndex.at(head), rels, d.entityIndex.at(tail));
            p.edgeScore = sum / static_cast<double>(p.steps.size());
        }
        // Ordered by support: the answer's score drop with the path's fact of the head left out
        // of post-training (Kelpie's protocol, the necessary search's), measured for the head
        // facts of the paths the composed score ranks highest (removalDrops' maxSets).
        std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return a.compositionScore + a.edgeScore > b.compositionScore + b.edgeScore;
        });
        std::vector<std::vector<int64_t>> removals;
        for (const auto& p : out) {
            removals.emplace_back();
            for (const auto& s : p.steps)
                removals.back().push_back(s.triple);
        }
        const auto drops = FactSearch(model, d, impl_->graph).removalDrops(head, relation, tail, removals, {}, cancel);
        for (size_t i = 0; i < out.size(); ++i)
            if (!std::isnan(drops[i])) {
                out[i].support = out[i].modelScore = drops[i];
                out[i].scored = true;
            }
    } else if (impl_->gnn) {
        impl_->gnn->scorePaths(head, relation, tail, out);
    } else if (impl_->text && !out.empty()) {
        // The transformer reads the head's context facts, not the hops beyond: a path's support
        // is its first fact's occlusion (the answer's score drop with that fact alone left out of
        // the input), measured in the same pass as the Context facts tab's. A path whose first
        // fact is not in the input is left unscored.
        std::unordered_map<int64_t, double> drop;
        for (const auto& f : impl_->textExplanation(head, relation, tail, 10).facts) // as the Explain tab asks
            drop.emplace(f.triple, f.occlusion);
        for (auto& p : out)
            if (const auto it = drop.find(p.steps.front().triple); it != drop.end())
                p.support = p.modelScore = it->second, p.scored = true;
    }
    // Ordered by the chosen model, scored paths first (rule order breaks ties; the rules'
    // ranking scores none, so their order stays).
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.scored != b.scored ? a.scored : a.modelScore > b.modelScore;
    });
    return out;
}

NecessaryExplanation Explainer::necessary(int64_t head, int64_t relation, int64_t tail,
                                          const FactSearchOptions& options, const CancelToken* cancel)
{
    if (impl_->text)
        return impl_->text->necessary(head, relation, tail, options.maxSize, cancel);
    if (impl_->gnn)
        return impl_->gnn->necessary(head, relation, tail, options, cancel);
    if (!impl_->trainer)
        throw Error(Errc::InvalidArgument, "necessary facts need a trained model (choose a run or checkpoint)");
    return FactSearch(impl_->trainer->model(), *impl_->data, impl_->graph).necessary(head, relation, tail, options, cancel);
}

SufficientExplanation Explainer::sufficient(int64_t head, int64_t relation, int64_t tail,
                                            const FactSearchOptions& options, const CancelToken* cancel)
{
    if (impl_->text)
        return impl_->text->sufficient(head, relation, tail, options.maxSize, options.convertEntities, options.post.seed,
                                       cancel);
    if (impl_->gnn)
        return impl_->gnn->sufficient(head, relation, tail, options, cancel);
    if (!impl_->trainer)
        throw Error(Errc::InvalidArgument, "sufficient facts need a trained model (choose a run or checkpoint)");
    return FactSearch(impl_->trainer->model(), *impl_->data, impl_->graph).sufficient(head, relation, tail, options, cancel);
}

std::string Explainer::explainJson(int64_t head, int64_t relation, std::optional<int64_t> tail, int k,
                                   const ExplainJsonOptions& options)
{
    using nlohmann::json;
    Project& p = *impl_->project;
    auto entity = [&](int64_t id) {
        const auto e = p.entity(id);
        return json{{"id", id}, {"key", e ? e->key : ""}, {"label", e ? e->displayName() : ""}};
    };
    auto relationJson = [&](int64_t id) {
        const auto r = p.relation(id);
        return json{{"id", id}, {"key", r ? r->key : ""}, {"label", r ? r->displayName() : ""}};
    };
    const auto start = std::chrono::steady_clock::now();
    json out{{"head", entity(head)}, {"relation", relationJson(relation)},
             {"scorer", hasModel() ? "model" : "rules"}};
    if (impl_->gnn)
        out["model"] = "compgcn";
    json answers = json::array();
    const auto ranked = this->answers(head, relation, k);
    for (size_t i = 0; i < ranked.size(); ++i) {
        json a = entity(ranked[i].entity);
        a["rank"] = i + 1;
        a["score"] = ranked[i].score;
        a["known"] = ranked[i].known;
        answers.push_back(a);
    }
    out["answers"] = answers;
    const std::optional<int64_t> explained = tail ? tail : (ranked.empty() ? std::nullopt : std::optional(ranked[0].entity));
    if (explained) {
        out["explained"] = entity(*explained);
        json paths = json::array();
        for (const auto& path : this->paths(head, relation, *explained)) {
            json steps = json::array();
            for (const auto& s : path.steps)
                steps.push_back({{"triple", s.triple}, {"from", entity(s.from)}, {"relation", relationJson(s.relation)},
                                 {"to", entity(s.to)}, {"inverse", s.inverse}});
            json pj{{"steps", steps}, {"rule_confidence", path.ruleScore}};
            if (path.rule)
                pj["rule"] = {{"support", path.rule->support}, {"body_count", path.rule->bodyCount},
                              {"confidence", path.rule->confidence}};
            if (path.scored) {
                pj["model_score"] = path.modelScore;
                pj["support"] = path.support; // = model_score
            }
            if (impl_->trainer || (impl_->gnn && path.scored)) {
                pj["composition_score"] = path.compositionScore;
                pj["edge_score"] = path.edgeScore;
            }
            paths.push_back(pj);
        }
        out["paths"] = paths;
        if (impl_->text) {
            const auto& t = impl_->textExplanation(head, relation, *explained, k);
            json facts = json::array();
            for (const auto& f : t.facts)
                facts.push_back({{"triple", f.triple}, {"head", entity(f.head)}, {"relation", relationJson(f.relation)},
                                 {"tail", entity(f.tail)}, {"inverse", f.inverse}, {"token", f.token},
                                 {"rollout", f.rollout}, {"attribution", f.attribution},
                                 {"occlusion", f.occlusion}});
            out["transformer"] = {{"tokens", t.attention.tokens}, {"layers", t.attention.layers},
                                  {"heads", t.attention.heads}, {"rollout", t.rollout},
                                  {"attribution", t.attribution}, {"answer_rank", t.answerRank},
                                  {"answer_score", t.answerScore},
                                  {"score_parts", {{"encoder", t.encoderPart}, {"shortcut", t.shortcutPart},
                                                   {"bias", t.biasPart}}},
                                  {"context_facts", facts}};
        }
        auto factJson = [&](const FactRef& f) {
            return json{{"triple", f.triple}, {"head", entity(f.head)}, {"relation", relationJson(f.relation)},
                        {"tail", entity(f.tail)}};
        };
        if (options.necessary) {
            const auto n = necessary(head, relation, *explained, options.search);
            json facts = json::array(), candidates = json::array();
            for (const auto& f : n.facts)
                facts.push_back(factJson(f));
            for (const auto& c : n.candidates)
                candidates.push_back({{"fact", factJson(c.fact)}, {"influence", c.influence},
                                      {"rank_after", c.rankAfter}, {"score_drop", c.scoreDrop}});
            out["necessary"] = {{"facts", facts}, {"achieved", n.achieved}, {"model_rank", n.modelRank},
                                {"rank_before", n.rankBefore}, {"rank_after", n.rankAfter},
                                {"score_before", n.scoreBefore}, {"score_after", n.scoreAfter},
                                {"head_facts", n.headFacts}, {"candidates", candidates}, {"seconds", n.seconds}};
        }
        if (options.sufficient) {
            const auto s = sufficient(head, relation, *explained, options.search);
            json facts = json::array(), entities = json::array();
            for (const auto& f : s.facts)
                facts.push_back(factJson(f));
            for (const int64_t e : s.entities)
                entities.push_back(entity(e));
            out["sufficient"] = {{"facts", facts}, {"achieved", s.achieved}, {"entities", entities},
                                 {"rank_before", s.rankBefore}, {"rank_after", s.rankAfter},
                                 {"converted_share", s.convertedShare}, {"seconds", s.seconds}};
        }
    }
    out["elapsed_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out.dump(2);
}

} // namespace kg::ml
