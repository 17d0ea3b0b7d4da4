#include "ml/text_model.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/kg_data.h"
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
        TrainConfig config = checkpointInfoFromBytes(bytes, name).config;
        if (config.model != ModelKind::Transformer)
            throw Error(Errc::Format, name + " holds a " + std::string(modelName(config.model)) + " model, not a transformer");
        config.device = "cpu";
        config.transformer.initFrom = 0;
        config.transformer.stage = TextStage::Finetune; // inference: no description examples
        trainer = std::make_unique<TextTrainer>(config, data, projectPath);
        loadCheckpointBytes(bytes, name, *trainer); // checks every shape
    }

    std::pair<int64_t, int64_t> dense(int64_t head, int64_t relation) const
    {
        const auto h = data.entityIndex.find(head);
        const auto r = data.relationIndex.find(relation);
        if (h == data.entityIndex.end() || r == data.relationIndex.end())
            throw Error(Errc::NotFound, "unknown entity or relation");
        return {h->second, r->second};
    }
};

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
        const auto it = m.data.entityIndex.find(answer);
        if (it == m.data.entityIndex.end())
            throw Error(Errc::NotFound, "unknown answer entity");
        a = it->second;
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
    const auto maskRow = roll[3].contiguous();
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
    std::stable_sort(out.facts.begin(), out.facts.end(),
                     [](const auto& x, const auto& y) { return std::abs(x.attribution) > std::abs(y.attribution); });
    return out;
}

RankMetrics TextModel::evaluate(bool test)
{
    auto& m = *impl_;
    const FilterIndex filter(m.data);
    return m.trainer->evaluate(test ? m.data.test : m.data.valid, filter);
}

} // namespace kg::ml
