#include "ml/text_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/kg_data.h"
#include "ml/occlusion_search.h"
#include "ml/text_trainer.h"
#include "ml/train_job.h"
#include "store/project.h"

namespace kg::ml {

struct TextModel::Impl {
    std::unique_ptr<Project> project;
    KgData data;
    std::unique_ptr<TextTrainer> trainer;

    void load(const std::string& projectPath, const std::string& bytes, const std::string& name)
    {
        project = Project::open(projectPath, Project::OpenMode::ReadOnly);
        data = KgData::fromProject(*project);
        auto checkpoint = openCheckpoint(bytes, name); // read once: config, tokenizer, then the load
        TrainConfig config = checkpoint.info.config;
        if (config.model != ModelKind::Transformer)
            throw Error(Errc::Format, name + " holds a " + std::string(modelName(config.model)) + " model, not a transformer");
        config.device = "cpu";
        config.transformer.initFrom = 0;
        config.transformer.stage = TextStage::Finetune; // inference: no description examples
        // Its own tokenizer: the project's may have been replaced (another vocabulary size,
        // kgwb tokenizer import, edited labels) since it was trained.
        trainer = std::make_unique<TextTrainer>(config, data, projectPath, checkpoint.tokenizer);
        loadCheckpoint(checkpoint, name, *trainer); // checks every shape
    }

    // Training triple id -> row of data.train, built on first use.
    const std::unordered_map<int64_t, int64_t>& rowOfTriple()
    {
        if (rowOfTriple_.empty())
            for (size_t i = 0; i < data.trainIds.size(); ++i)
                rowOfTriple_[data.trainIds[i]] = static_cast<int64_t>(i);
        return rowOfTriple_;
    }
    std::unordered_map<int64_t, int64_t> rowOfTriple_;

    std::pair<int64_t, int64_t> dense(int64_t head, int64_t relation) const { return data.denseQuery(head, relation); }

    // Training answers of (h, r, ?), r in [0, 2R) (dense): h's facts in that direction.
    std::vector<int64_t> knownAnswers(int64_t h, int64_t r) const
    {
        std::vector<int64_t> known;
        for (const auto& f : trainer->neighbours().facts(h))
            if (f.relation == r)
                known.push_back(f.entity);
        return known;
    }
};

namespace {

// Filtered realistic rank of `answer` among `scores` (1 + #higher + #equal / 2), the `known`
// answers left out.
double filteredRank(const torch::Tensor& scores, int64_t answer, const std::vector<int64_t>& known)
{
    auto s = scores.to(torch::kFloat64).clone();
    const double target = s[answer].item<double>();
    for (const int64_t k : known)
        if (k != answer)
            s[k] = -std::numeric_limits<double>::infinity();
    return 1 + s.gt(target).sum().item<double>() + (s.eq(target).sum().item<double>() - 1) / 2;
}

} // namespace

TextModel::TextModel() : impl_(std::make_unique<Impl>()) {}
TextModel::~TextModel() = default;

std::unique_ptr<TextModel> TextModel::fromBytes(const std::string& projectPath, const std::string& bytes,
                                                const std::string& name)
{
    std::unique_ptr<TextModel> m(new TextModel);
    m->impl_->load(projectPath, bytes, name);
    return m;
}

std::unique_ptr<TextModel> TextModel::fromRun(const std::string& projectPath, int64_t run)
{
    std::string bytes;
    {
        auto project = Project::open(projectPath, Project::OpenMode::ReadOnly);
        bytes = keptModelBytes(*project, run);
    }
    return fromBytes(projectPath, bytes, "run " + std::to_string(run));
}

std::unique_ptr<TextModel> TextModel::fromCheckpoint(const std::string& projectPath, const std::string& path)
{
    return fromBytes(projectPath, readCheckpointFile(path), "'" + path + "'");
}

std::vector<std::pair<int64_t, double>> TextModel::rankTails(int64_t head, int64_t relation, int k)
{
    auto& m = *impl_;
    const auto [h, r] = m.dense(head, relation);
    const auto scores = m.trainer->scoreQueries({{h, r}})[0];
    const auto top = scores.topk(std::min<int64_t>(k, scores.size(0)));
    std::vector<std::pair<int64_t, double>> out;
    for (int64_t i = 0; i < std::get<0>(top).size(0); ++i)
        out.emplace_back(m.data.entityIds[static_cast<size_t>(std::get<1>(top)[i].item<int64_t>())],
                         std::get<0>(top)[i].item<double>());
    return out;
}

TextExplanation TextModel::explain(int64_t head, int64_t relation, int64_t answer, int k)
{
    auto& m = *impl_;
    const auto [h, r] = m.dense(head, relation);
    int64_t a = -1;
    if (answer != 0) {
        a = m.data.denseAnswer(answer);
    }
    const QueryPass pass = m.trainer->explainQuery(h, r, a);
    TextExplanation out;
    const auto top = pass.logits.topk(std::min<int64_t>(k, pass.logits.size(0)));
    for (int64_t i = 0; i < std::get<0>(top).size(0); ++i)
        out.answers.emplace_back(m.data.entityIds[static_cast<size_t>(std::get<1>(top)[i].item<int64_t>())],
                                 std::get<0>(top)[i].item<double>());
    if (a < 0)
        a = pass.logits.argmax().item<int64_t>();
    out.answer = m.data.entityIds[static_cast<size_t>(a)];
    out.answerScore = pass.logits[a].item<double>();
    const double higher = pass.logits.gt(out.answerScore).sum().item<double>();
    const double equal = pass.logits.eq(out.answerScore).sum().item<double>() - 1;
    out.answerRank = 1 + higher + equal / 2;
    out.encoderPart = pass.encoderPart, out.shortcutPart = pass.shortcutPart, out.biasPart = pass.biasPart;
    out.shortcut = m.trainer->config().transformer.shortcut;

    // Tokens, named by the project's labels.
    const auto& seq = pass.sequence;
    const auto T = static_cast<int>(seq.ids.size());
    const auto raw = m.trainer->tokenNames(seq);
    auto entityName = [&](int64_t dense) {
        const auto e = m.project->entity(m.data.entityIds[static_cast<size_t>(dense)]);
        return e ? e->displayName() : std::to_string(dense);
    };
    auto relationName = [&](int64_t dense) {
        const int64_t R = m.data.numRelations;
        const auto rel = m.project->relation(m.data.relationIds[static_cast<size_t>(dense % R)]);
        const std::string name = rel ? rel->displayName() : std::to_string(dense % R);
        return dense >= R ? name + "⁻¹" : name;
    };
    const TokenLayout L{m.data.numEntities, m.data.numRelations, 0};
    for (int i = 0; i < T; ++i) {
        const int64_t id = seq.ids[static_cast<size_t>(i)];
        const int64_t role = seq.roles[static_cast<size_t>(i)];
        if (role == RoleTarget && out.attention.answerToken < 0)
            out.attention.answerToken = i;
        if (role == RoleFact)
            out.attention.tokens.push_back(relationName(seq.aux[static_cast<size_t>(i)] - L.relation(0)) + ": " +
                                           entityName(id - L.entity(0)));
        else if (role == RoleHead)
            out.attention.tokens.push_back(entityName(id - L.entity(0)));
        else if (role == RoleRelation)
            out.attention.tokens.push_back(relationName(id - L.relation(0)));
        else
            out.attention.tokens.push_back(raw[static_cast<size_t>(i)]);
    }
    out.attention.layers = static_cast<int>(pass.attentions.size());
    out.attention.heads = pass.attentions.empty() ? 0 : static_cast<int>(pass.attentions[0].size(0));
    for (const auto& a3 : pass.attentions) {
        const auto c = a3.contiguous();
        out.attention.weights.insert(out.attention.weights.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    }
    // Attention rollout (Abnar & Zuidema 2020): average heads, add the residual, renormalise,
    // multiply through the layers; the [MASK] row says how much each input reached the answer.
    torch::Tensor roll = torch::eye(T, torch::kFloat64);
    for (const auto& a3 : pass.attentions) {
        auto a = a3.to(torch::kFloat64).mean(0) * 0.5 + torch::eye(T, torch::kFloat64) * 0.5;
        a = a / a.sum(-1, true);
        roll = torch::matmul(a, roll);
    }
    const auto maskRow = roll[out.attention.answerToken >= 0 ? out.attention.answerToken : 3].contiguous();
    out.rollout.assign(maskRow.data_ptr<double>(), maskRow.data_ptr<double>() + T);
    const auto attr = pass.attribution.to(torch::kFloat64).contiguous();
    out.attribution.assign(attr.data_ptr<double>(), attr.data_ptr<double>() + T);

    auto acc = m.data.train.accessor<int64_t, 2>();
    const auto& tripleIds = m.data.trainIds;
    for (int i = 0; i < T; ++i) {
        const int64_t row = seq.factRow[static_cast<size_t>(i)];
        if (row < 0)
            continue;
        ContextFactWeight f;
        f.token = i;
        f.triple = row < static_cast<int64_t>(tripleIds.size()) ? tripleIds[static_cast<size_t>(row)] : 0;
        f.head = m.data.entityIds[static_cast<size_t>(acc[row][0])];
        f.relation = m.data.relationIds[static_cast<size_t>(acc[row][1])];
        f.tail = m.data.entityIds[static_cast<size_t>(acc[row][2])];
        f.inverse = seq.aux[static_cast<size_t>(i)] - L.relation(0) >= m.data.numRelations;
        f.rollout = out.rollout[static_cast<size_t>(i)];
        f.attribution = out.attribution[static_cast<size_t>(i)];
        out.facts.push_back(f);
    }
    std::vector<int> factTokens;
    for (const auto& f : out.facts)
        factTokens.push_back(f.token);
    const auto without = m.trainer->scoresWithout(seq, factTokens, a);
    for (size_t i = 0; i < out.facts.size(); ++i)
        out.facts[i].occlusion = out.answerScore - without[i];
    // Strongest support first: on umls, leaving out the top three by occlusion lowered the answer
    // more than three random facts in 96.7% of 30 cases, by gradient x input in 60.0%
    // (bench_explain). The layers normalise each token before attention, so what a fact passes
    // on through the first layer does not change with its vector's scale, and gradient x input
    // (the first-order change under that scale) misses it.
    std::stable_sort(out.facts.begin(), out.facts.end(),
                     [](const auto& x, const auto& y) { return x.occlusion > y.occlusion; });
    return out;
}

NecessaryExplanation TextModel::necessary(int64_t head, int64_t relation, int64_t answer, int maxSize,
                                         const CancelToken* cancel, int candidates)
{
    const auto start = std::chrono::steady_clock::now();
    const auto expl = explain(head, relation, answer, 1);
    // Context facts that support the answer (training triples whose absence lowers its score),
    // strongest first (explain() orders them by occlusion).
    std::vector<SupportingFact> support;
    for (const auto& f : expl.facts)
        if (f.occlusion > 0 && impl_->rowOfTriple().count(f.triple))
            support.push_back({FactRef{f.triple, f.head, f.relation, f.tail}, f.occlusion});
    auto out = occlusionNecessary(
        support, candidates, maxSize, static_cast<int>(expl.facts.size()),
        [&](const std::vector<std::vector<int64_t>>& sets) { return ranksWithout(head, relation, answer, sets); }, cancel);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

std::vector<std::pair<double, double>> TextModel::ranksWithout(int64_t head, int64_t relation, int64_t answer,
                                                               const std::vector<std::vector<int64_t>>& tripleSets)
{
    auto& m = *impl_;
    const auto [h, r] = m.dense(head, relation);
    const int64_t a = m.data.denseAnswer(answer);
    const auto& rowOfTriple = m.rowOfTriple();
    std::vector<std::array<int64_t, 2>> queries;
    std::vector<std::vector<int64_t>> excluded;
    for (const auto& set : tripleSets) {
        queries.push_back({h, r});
        excluded.emplace_back();
        for (const int64_t t : set)
            if (const auto row = rowOfTriple.find(t); row != rowOfTriple.end())
                excluded.back().push_back(row->second);
    }
    // Known tails of (h, r) in training, other than the answer, are left out of the ranking.
    const auto known = m.knownAnswers(h, r);
    const auto logits = m.trainer->scoreQueries(queries, excluded).to(torch::kFloat64);
    std::vector<std::pair<double, double>> out;
    for (int64_t q = 0; q < logits.size(0); ++q)
        out.emplace_back(filteredRank(logits[q], a, known), logits[q][a].item<double>());
    return out;
}

SufficientExplanation TextModel::sufficient(int64_t head, int64_t relation, int64_t answer, int maxSize,
                                            int convertEntities, uint64_t seed, const CancelToken* cancel,
                                            bool randomFacts)
{
    const auto start = std::chrono::steady_clock::now();
    auto& m = *impl_;
    const auto [h, r] = m.dense(head, relation);
    const int64_t a = m.data.denseAnswer(answer), R = m.data.numRelations;
    SufficientExplanation out;
    auto finish = [&] {
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return out;
    };
    // The head's context facts that support the answer, strongest first, as the context
    // tokens they would be for another entity: (relation direction, the other end).
    std::vector<NeighbourFact> support;
    std::vector<FactRef> refs;
    auto facts = explain(head, relation, answer, 1).facts;
    if (randomFacts) {
        std::mt19937_64 shuffle(seed + 1);
        std::shuffle(facts.begin(), facts.end(), shuffle);
    }
    for (const auto& f : facts) {
        const auto row = m.rowOfTriple().find(f.triple);
        if ((f.occlusion <= 0 && !randomFacts) || row == m.rowOfTriple().end())
            continue;
        support.push_back({m.data.relationIndex.at(f.relation) + (f.inverse ? R : 0),
                           m.data.entityIndex.at(f.inverse ? f.head : f.tail), row->second});
        refs.push_back({f.triple, f.head, f.relation, f.tail});
    }
    const size_t K = std::min(support.size(), static_cast<size_t>(std::max(1, maxSize)));
    if (K == 0) // no context fact supports it (or the model reads no context)
        return finish();
    const auto& neighbours = m.trainer->neighbours();
    // Entities with facts of their own that do not rank the answer first yet, in seeded order.
    std::vector<int64_t> chosen;
    std::vector<std::vector<int64_t>> knownOf;
    auto holdsAnswer = [&](const std::vector<int64_t>& known) { return std::find(known.begin(), known.end(), a) != known.end(); };
    for (const auto& picked : convertibleEntities(
             m.data.numEntities, seed, convertEntities,
             [&](int64_t c) { return c != h && c != a && !neighbours.facts(c).empty() && !holdsAnswer(m.knownAnswers(c, r)); },
             [&](const std::vector<int64_t>& batch) {
                 std::vector<std::array<int64_t, 2>> queries;
                 for (const int64_t c : batch)
                     queries.push_back({c, r});
                 const auto logits = m.trainer->scoreQueries(queries);
                 std::vector<double> out;
                 for (size_t q = 0; q < batch.size(); ++q)
                     out.push_back(filteredRank(logits[static_cast<int64_t>(q)], a, m.knownAnswers(batch[q], r)));
                 return out;
             },
             cancel)) {
        chosen.push_back(picked.first);
        knownOf.push_back(m.knownAnswers(picked.first, r));
    }
    if (chosen.empty())
        return finish();
    // Each entity with the first k supporting facts put first in its context, k = 0..K (a
    // fact whose other end is the entity itself is left out: it would be a self-loop).
    std::vector<std::array<int64_t, 2>> queries;
    std::vector<std::vector<NeighbourFact>> copied;
    for (const int64_t c : chosen)
        for (size_t k = 0; k <= K; ++k) {
            queries.push_back({c, r});
            copied.emplace_back();
            for (size_t j = 0; j < k; ++j)
                if (support[j].entity != c)
                    copied.back().push_back(support[j]);
        }
    std::vector<double> ranks;
    for (size_t from = 0; from < queries.size(); from += 256) {
        if (cancel)
            cancel->throwIfCancelled();
        const size_t to = std::min(queries.size(), from + 256);
        const auto logits = m.trainer->scoreQueries(
            {queries.begin() + static_cast<std::ptrdiff_t>(from), queries.begin() + static_cast<std::ptrdiff_t>(to)}, {},
            {copied.begin() + static_cast<std::ptrdiff_t>(from), copied.begin() + static_cast<std::ptrdiff_t>(to)});
        for (size_t q = from; q < to; ++q)
            ranks.push_back(filteredRank(logits[static_cast<int64_t>(q - from)], a, knownOf[q / (K + 1)]));
    }
    std::vector<int64_t> entities;
    for (const int64_t c : chosen)
        entities.push_back(m.data.entityIds[static_cast<size_t>(c)]);
    applySufficientChoice(chooseSufficient(ranks, chosen.size(), K), refs, std::move(entities), out);
    return finish();
}

RankMetrics TextModel::evaluate(bool test)
{
    auto& m = *impl_;
    const FilterIndex filter(m.data);
    return m.trainer->evaluate(test ? m.data.test : m.data.valid, filter);
}

} // namespace kg::ml
