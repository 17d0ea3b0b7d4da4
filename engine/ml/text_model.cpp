#include "ml/text_model.h"

#include <torch/script.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <unordered_map>

#include "core/error.h"
#include "ml/evaluator.h"
#include "ml/kg_data.h"
#include "ml/transformer.h"
#include "reason/graph_index.h"
#include "reason/rules.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "store/sqlite.h"
#include "text/tokenizer.h"

namespace kg::ml {
namespace {

// Encoder, heads and the shared entity/relation embeddings in one module, so that parameter
// names are stable ("encoder.layers.0.q.base.weight", "entity_embeddings", ...).
class TripleTransformerImpl : public torch::nn::Module {
public:
    TripleTransformerImpl(const EncoderConfig& c, int64_t entities, int64_t relations)
        : encoder(register_module("encoder", TextEncoder(c)))
        , mlmHead(register_module("mlm_head", torch::nn::Linear(c.dim, c.vocab)))
        , taskHead(register_module("task_head", torch::nn::Linear(c.dim, c.dim)))
    {
        entityEmb = register_parameter("entity_embeddings", torch::randn({entities, c.dim}) * 0.02);
        relationEmb = register_parameter("relation_embeddings", torch::randn({relations, c.dim}) * 0.02);
    }
    TextEncoder encoder;
    torch::nn::Linear mlmHead, taskHead;
    torch::Tensor entityEmb, relationEmb;
};
TORCH_MODULE(TripleTransformer);

// One optimizer step on `loss`; returns its value.
double optimizerStep(torch::optim::Optimizer& opt, const torch::Tensor& loss)
{
    opt.zero_grad();
    loss.backward();
    opt.step();
    return loss.item<double>();
}

torch::serialize::OutputArchive parameterArchive(torch::nn::Module& model)
{
    torch::serialize::OutputArchive archive;
    for (const auto& np : model.named_parameters())
        archive.write(np.key(), np.value().detach());
    return archive;
}

// Copies parameters by name from `find`, after checking every shape first (nothing is copied
// if one differs). requireAll: a name `find` lacks is an error; otherwise it is skipped.
// Returns how many were copied.
size_t copyParameters(torch::nn::Module& model,
                      const std::function<std::optional<torch::Tensor>(const std::string&)>& find, bool requireAll,
                      const std::string& source)
{
    torch::NoGradGuard noGrad;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;
    for (auto& np : model.named_parameters()) {
        const auto t = find(np.key());
        if (!t) {
            if (requireAll)
                throw Error(Errc::Format, source + " lacks parameter " + np.key());
            continue;
        }
        if (t->sizes() != np.value().sizes())
            throw Error(Errc::Format, source + ": parameter " + np.key() + " has shape " + c10::str(t->sizes()) +
                                          ", the model needs " + c10::str(np.value().sizes()));
        copies.emplace_back(np.value(), *t);
    }
    for (auto& [dst, src] : copies)
        dst.copy_(src);
    return copies.size();
}

// Every parameter from an archive written from parameterArchive().
void loadParameters(torch::nn::Module& model, torch::serialize::InputArchive& archive, const std::string& source)
{
    copyParameters(
        model,
        [&](const std::string& name) -> std::optional<torch::Tensor> {
            torch::Tensor t;
            if (!archive.try_read(name, t))
                return std::nullopt;
            return t;
        },
        true, source);
}

} // namespace

struct TextModel::Impl {
    TextModelConfig config;
    std::unique_ptr<Project> project;
    KgData data;
    std::unique_ptr<text::Tokenizer> tokenizer;
    int maskId = 4, sepId = 5, clsId = 6;
    std::vector<std::vector<int>> entityTokens, relationTokens;
    std::vector<std::vector<int>> descriptions; // tokenised "label [SEP] description"
    TripleTransformer model{nullptr};
    std::mt19937_64 rng;
    bool loraOn = false;
    std::unique_ptr<FilterIndex> filter;
    // (h, r) dense -> rule-derived tail distribution (dense tail, probability)
    std::unordered_map<int64_t, std::vector<std::pair<int64_t, float>>> ruleTargets;
    bool ruleTargetsReady = false;

    int64_t seqLen() const { return config.maxLen; }

    // [CLS] h [SEP] r [SEP] t-or-[MASK], padded; returns ids and the tail's first position.
    std::vector<int64_t> querySequence(int64_t h, int64_t r, const std::vector<int>* tail, int64_t* maskPos) const
    {
        std::vector<int64_t> s{clsId};
        const size_t part = static_cast<size_t>((config.maxLen - 4) / 3);
        auto append = [&](const std::vector<int>& toks, size_t cap) {
            for (size_t i = 0; i < toks.size() && i < cap; ++i)
                s.push_back(toks[i]);
        };
        append(entityTokens[static_cast<size_t>(h)], part);
        s.push_back(sepId);
        append(relationTokens[static_cast<size_t>(r)], part);
        s.push_back(sepId);
        if (maskPos)
            *maskPos = static_cast<int64_t>(s.size());
        if (tail)
            append(*tail, part);
        else
            s.push_back(maskId);
        s.resize(static_cast<size_t>(config.maxLen), 0);
        return s;
    }

    torch::Tensor queryBatch(const torch::Tensor& triples, torch::Tensor* maskPositions) const
    {
        const int64_t B = triples.size(0);
        std::vector<int64_t> ids;
        ids.reserve(static_cast<size_t>(B * config.maxLen));
        std::vector<int64_t> pos(static_cast<size_t>(B));
        auto acc = triples.accessor<int64_t, 2>();
        for (int64_t i = 0; i < B; ++i) {
            const auto s = querySequence(acc[i][0], acc[i][1], nullptr, &pos[static_cast<size_t>(i)]);
            ids.insert(ids.end(), s.begin(), s.end());
        }
        *maskPositions = torch::tensor(pos, torch::kInt64);
        return torch::tensor(ids, torch::kInt64).view({B, config.maxLen});
    }

    // Masked-token batch from full sequences: returns (input ids, labels with -100 = ignore).
    std::pair<torch::Tensor, torch::Tensor> maskBatch(const std::vector<std::vector<int64_t>>& seqs)
    {
        std::uniform_real_distribution<double> u(0, 1);
        const int64_t B = static_cast<int64_t>(seqs.size());
        std::vector<int64_t> in, labels;
        for (const auto& s : seqs) {
            bool any = false;
            size_t firstReal = 0;
            for (size_t i = 0; i < s.size(); ++i) {
                const int64_t t = s[i];
                const bool special = t == 0 || t == clsId || t == sepId || t == maskId;
                if (!special && !firstReal)
                    firstReal = i;
                if (!special && u(rng) < config.maskProbability) {
                    in.push_back(maskId);
                    labels.push_back(t);
                    any = true;
                } else {
                    in.push_back(t);
                    labels.push_back(-100);
                }
            }
            if (!any && firstReal) { // at least one target per sequence
                const size_t at = in.size() - s.size() + firstReal;
                labels[at] = in[at];
                in[at] = maskId;
            }
        }
        return {torch::tensor(in, torch::kInt64).view({B, config.maxLen}),
                torch::tensor(labels, torch::kInt64).view({B, config.maxLen})};
    }

    void buildRuleTargets()
    {
        if (ruleTargetsReady)
            return;
        ruleTargetsReady = true;
        const auto graph = reason::GraphIndex::fromProject(*project);
        reason::MiningOptions o;
        o.samplesPerRelation = 30;
        o.evalSources = 100;
        const reason::RuleIndex rules(reason::mineRules(graph, o));
        auto acc = data.train.accessor<int64_t, 2>();
        for (int64_t i = 0; i < data.train.size(0); ++i) {
            const int64_t h = acc[i][0], r = acc[i][1];
            const int64_t key = h * data.numRelations + r;
            if (ruleTargets.count(key))
                continue;
            auto ranked = reason::predictTails(graph, rules, data.entityIds[static_cast<size_t>(h)],
                                               data.relationIds[static_cast<size_t>(r)], 1000);
            if (ranked.size() > 10)
                ranked.resize(10);
            double total = 0;
            for (const auto& [e, s] : ranked)
                total += s;
            auto& t = ruleTargets[key];
            for (const auto& [e, s] : ranked)
                if (total > 0)
                    t.emplace_back(data.entityIndex.at(e), static_cast<float>(s / total));
        }
    }

    torch::Tensor tailLogits(const torch::Tensor& hidden, const torch::Tensor& maskPos)
    {
        const auto rows = torch::arange(hidden.size(0), torch::kInt64);
        const auto h = hidden.index({rows, maskPos}); // [B, D]
        return torch::matmul(model->taskHead(h), model->entityEmb.t());
    }
};

TextModel::TextModel(const std::string& projectPath, const TextModelConfig& config)
    : impl_(std::make_unique<Impl>())
{
    auto& m = *impl_;
    m.config = config;
    m.rng.seed(config.seed);
    torch::manual_seed(static_cast<int64_t>(config.seed));
    if (config.threads > 0)
        torch::set_num_threads(config.threads);
    m.project = Project::open(projectPath, Project::OpenMode::MustExist);
    m.data = KgData::fromProject(*m.project);
    if (m.data.train.size(0) == 0)
        throw Error(Errc::InvalidArgument, "the project has no training triples");
    m.filter = std::make_unique<FilterIndex>(m.data);

    // Labels (dense order) and the tokenizer corpus.
    std::vector<std::string> entityText(static_cast<size_t>(m.data.numEntities)),
        relationText(static_cast<size_t>(m.data.numRelations)), descriptionText;
    for (size_t i = 0; i < entityText.size(); ++i) {
        const auto e = m.project->entity(m.data.entityIds[i]);
        entityText[i] = e ? e->displayName() : std::string();
        if (e && !e->description.empty())
            descriptionText.push_back(e->displayName() + " : " + e->description);
    }
    for (size_t i = 0; i < relationText.size(); ++i) {
        const auto r = m.project->relation(m.data.relationIds[i]);
        relationText[i] = r ? r->displayName() : std::string();
    }
    ArtifactStore artifacts(*m.project);
    const auto stored = artifacts.get("tokenizer");
    bool reuse = false;
    if (stored) {
        try {
            const auto meta = nlohmann::json::parse(stored->meta);
            reuse = meta.value("vocab_size", 0) == config.vocabSize;
        } catch (const std::exception&) {
        }
    }
    if (reuse) {
        m.tokenizer = std::make_unique<text::Tokenizer>(text::Tokenizer::fromModelBytes(stored->data));
    } else {
        std::vector<std::string> corpus = entityText;
        corpus.insert(corpus.end(), relationText.begin(), relationText.end());
        corpus.insert(corpus.end(), descriptionText.begin(), descriptionText.end());
        m.tokenizer = std::make_unique<text::Tokenizer>(text::Tokenizer::train(corpus, config.vocabSize));
        artifacts.put("tokenizer", "sentencepiece", m.tokenizer->modelBytes(),
                      nlohmann::json{{"vocab_size", config.vocabSize}, {"sentences", corpus.size()}}.dump());
    }
    m.maskId = m.tokenizer->pieceId("[MASK]");
    m.sepId = m.tokenizer->pieceId("[SEP]");
    m.clsId = m.tokenizer->pieceId("[CLS]");
    for (const auto& t : entityText)
        m.entityTokens.push_back(m.tokenizer->encode(t));
    for (const auto& t : relationText)
        m.relationTokens.push_back(m.tokenizer->encode(t));
    for (const auto& d : descriptionText) {
        auto toks = m.tokenizer->encode(d);
        toks.insert(toks.begin(), m.clsId);
        m.descriptions.push_back(std::move(toks));
    }

    EncoderConfig ec;
    ec.vocab = m.tokenizer->vocabSize();
    ec.dim = config.dim;
    ec.heads = config.heads;
    ec.layers = config.layers;
    ec.ffn = config.ffn;
    ec.maxLen = config.maxLen;
    ec.dropout = config.dropout;
    m.model = TripleTransformer(ec, m.data.numEntities, m.data.numRelations);
    // Entity embeddings start as the mean token embedding of the entity's label.
    torch::NoGradGuard noGrad;
    for (int64_t i = 0; i < m.data.numEntities; ++i) {
        const auto& toks = m.entityTokens[static_cast<size_t>(i)];
        if (toks.empty())
            continue;
        std::vector<int64_t> ids(toks.begin(), toks.end());
        m.model->entityEmb[i].copy_(m.model->encoder->tokens->weight.index_select(0, torch::tensor(ids)).mean(0));
    }
}

TextModel::~TextModel() = default;

double TextModel::pretrain(int epochs, const CancelToken* cancel,
                           const std::function<void(const TextTrainProgress&)>& progress)
{
    auto& m = *impl_;
    m.model->train();
    // Sequences: every verbalised train triple, plus descriptions.
    std::vector<std::vector<int64_t>> seqs;
    auto acc = m.data.train.accessor<int64_t, 2>();
    for (int64_t i = 0; i < m.data.train.size(0); ++i) {
        const auto& tail = m.entityTokens[static_cast<size_t>(acc[i][2])];
        seqs.push_back(m.querySequence(acc[i][0], acc[i][1], &tail, nullptr));
    }
    for (const auto& d : m.descriptions) {
        std::vector<int64_t> s(d.begin(), d.end());
        s.resize(static_cast<size_t>(m.config.maxLen), 0);
        seqs.push_back(std::move(s));
    }
    std::vector<torch::Tensor> params;
    for (auto& p : m.model->encoder->parameters())
        params.push_back(p);
    for (auto& p : m.model->mlmHead->parameters())
        params.push_back(p);
    torch::optim::Adam opt(params, torch::optim::AdamOptions(m.config.lr));
    double last = 0;
    for (int e = 0; e < epochs; ++e) {
        std::shuffle(seqs.begin(), seqs.end(), m.rng);
        double sum = 0;
        int64_t batches = 0;
        for (size_t from = 0; from < seqs.size(); from += static_cast<size_t>(m.config.batchSize)) {
            if (cancel)
                cancel->throwIfCancelled();
            std::vector<std::vector<int64_t>> batch(seqs.begin() + static_cast<std::ptrdiff_t>(from),
                                                    seqs.begin() + static_cast<std::ptrdiff_t>(std::min(seqs.size(), from + static_cast<size_t>(m.config.batchSize))));
            auto [in, labels] = m.maskBatch(batch);
            const auto logits = m.model->mlmHead(m.model->encoder(in));
            const auto loss = torch::nn::functional::cross_entropy(
                logits.view({-1, logits.size(-1)}), labels.view({-1}),
                torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100));
            sum += optimizerStep(opt, loss);
            ++batches;
        }
        last = sum / static_cast<double>(std::max<int64_t>(1, batches));
        if (progress)
            progress({"pretrain", e + 1, epochs, last});
    }
    return last;
}

double TextModel::finetune(int epochs, const CancelToken* cancel,
                           const std::function<void(const TextTrainProgress&)>& progress)
{
    auto& m = *impl_;
    const auto& c = m.config;
    if (c.loraRank > 0 && !m.loraOn) {
        m.model->encoder->enableLora(c.loraRank, c.loraAlpha);
        m.loraOn = true;
    }
    std::vector<torch::Tensor> params;
    for (auto& np : m.model->named_parameters()) {
        const bool adapter = np.key().find("lora_") != std::string::npos;
        const bool train = m.loraOn ? adapter : true;
        np.value().set_requires_grad(train);
        if (train)
            params.push_back(np.value());
    }
    if (c.lambdaReason > 0)
        m.buildRuleTargets();
    torch::optim::Adam opt(params, torch::optim::AdamOptions(c.lr));
    m.model->train();
    const int64_t n = m.data.train.size(0);
    double last = 0;
    for (int e = 0; e < epochs; ++e) {
        const auto order = torch::randperm(n, torch::kInt64);
        double sum = 0;
        int64_t batches = 0;
        for (int64_t from = 0; from < n; from += c.batchSize) {
            if (cancel)
                cancel->throwIfCancelled();
            const auto batch = m.data.train.index_select(0, order.narrow(0, from, std::min(c.batchSize, n - from)));
            torch::Tensor maskPos;
            const auto ids = m.queryBatch(batch, &maskPos);
            const auto hidden = m.model->encoder(ids);
            const auto logits = m.tailLogits(hidden, maskPos);
            const auto t = batch.select(1, 2);
            auto loss = torch::nn::functional::cross_entropy(logits, t);
            if (c.lambdaKge > 0) {
                const auto q = m.model->entityEmb.index_select(0, batch.select(1, 0)) *
                               m.model->relationEmb.index_select(0, batch.select(1, 1));
                loss = loss + c.lambdaKge * torch::nn::functional::cross_entropy(torch::matmul(q, m.model->entityEmb.t()), t);
            }
            if (c.lambdaLm > 0) {
                std::vector<std::vector<int64_t>> seqs;
                auto acc = batch.accessor<int64_t, 2>();
                for (int64_t i = 0; i < batch.size(0); ++i)
                    seqs.push_back(m.querySequence(acc[i][0], acc[i][1], &m.entityTokens[static_cast<size_t>(acc[i][2])], nullptr));
                auto [in, labels] = m.maskBatch(seqs);
                const auto lm = m.model->mlmHead(m.model->encoder(in));
                loss = loss + c.lambdaLm * torch::nn::functional::cross_entropy(
                                               lm.view({-1, lm.size(-1)}), labels.view({-1}),
                                               torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100));
            }
            if (c.lambdaReason > 0) {
                // KL(p_rules || p_model) over the batch rows where rules fire.
                std::vector<int64_t> rows, cols;
                std::vector<float> probs;
                auto acc = batch.accessor<int64_t, 2>();
                for (int64_t i = 0; i < batch.size(0); ++i) {
                    const auto it = m.ruleTargets.find(acc[i][0] * m.data.numRelations + acc[i][1]);
                    if (it == m.ruleTargets.end())
                        continue;
                    for (const auto& [tail, p] : it->second) {
                        rows.push_back(i);
                        cols.push_back(tail);
                        probs.push_back(p);
                    }
                }
                if (!rows.empty()) {
                    const auto logp = torch::log_softmax(logits, -1)
                                          .index({torch::tensor(rows, torch::kInt64), torch::tensor(cols, torch::kInt64)});
                    const auto p = torch::tensor(probs);
                    const auto kl = (p * (torch::log(p) - logp)).sum() / static_cast<double>(batch.size(0));
                    loss = loss + c.lambdaReason * kl;
                }
            }
            sum += optimizerStep(opt, loss);
            ++batches;
        }
        last = sum / static_cast<double>(std::max<int64_t>(1, batches));
        if (progress)
            progress({"finetune", e + 1, epochs, last});
    }
    return last;
}

RankMetrics TextModel::evaluateTails(bool test)
{
    auto& m = *impl_;
    torch::NoGradGuard noGrad;
    m.model->eval();
    const auto& triples = test ? m.data.test : m.data.valid;
    RankMetrics out;
    std::vector<double> ranks;
    for (int64_t from = 0; from < triples.size(0); from += 256) {
        const auto batch = triples.narrow(0, from, std::min<int64_t>(256, triples.size(0) - from));
        torch::Tensor maskPos;
        const auto logits = m.tailLogits(m.model->encoder(m.queryBatch(batch, &maskPos)), maskPos);
        auto acc = batch.accessor<int64_t, 2>();
        for (int64_t i = 0; i < batch.size(0); ++i) {
            auto row = logits[i].clone();
            const double truth = row[acc[i][2]].item<double>();
            for (int64_t known : m.filter->tails(acc[i][0], acc[i][1]))
                if (known != acc[i][2])
                    row[known] = -std::numeric_limits<float>::infinity();
            const double higher = row.gt(truth).sum().item<double>();
            const double equal = row.eq(truth).sum().item<double>() - 1;
            ranks.push_back(1 + higher + equal / 2);
        }
    }
    for (double r : ranks) {
        out.mrr += 1 / r;
        out.meanRank += r;
        out.hits1 += r <= 1;
        out.hits3 += r <= 3;
        out.hits10 += r <= 10;
    }
    const double n = std::max<double>(1, static_cast<double>(ranks.size()));
    out.mrr /= n, out.meanRank /= n, out.hits1 /= n, out.hits3 /= n, out.hits10 /= n;
    out.queries = static_cast<int64_t>(ranks.size());
    m.model->train();
    return out;
}

std::vector<std::pair<int64_t, double>> TextModel::rankTails(int64_t head, int64_t relation, int k)
{
    auto& m = *impl_;
    torch::NoGradGuard noGrad;
    m.model->eval();
    const auto h = m.data.entityIndex.find(head);
    const auto r = m.data.relationIndex.find(relation);
    if (h == m.data.entityIndex.end() || r == m.data.relationIndex.end())
        throw Error(Errc::NotFound, "unknown entity or relation");
    torch::Tensor maskPos;
    const auto logits = m.tailLogits(m.model->encoder(m.queryBatch(torch::tensor({{h->second, r->second, int64_t(0)}}), &maskPos)),
                                     maskPos)[0];
    const auto top = logits.topk(std::min<int64_t>(k, logits.size(0)));
    std::vector<std::pair<int64_t, double>> out;
    for (int64_t i = 0; i < std::get<0>(top).size(0); ++i)
        out.emplace_back(m.data.entityIds[static_cast<size_t>(std::get<1>(top)[i].item<int64_t>())],
                         std::get<0>(top)[i].item<double>());
    m.model->train();
    return out;
}

AttentionMaps TextModel::attention(int64_t head, int64_t relation, int64_t tail)
{
    auto& m = *impl_;
    torch::NoGradGuard noGrad;
    m.model->eval();
    const auto h = m.data.entityIndex.find(head);
    const auto r = m.data.relationIndex.find(relation);
    if (h == m.data.entityIndex.end() || r == m.data.relationIndex.end())
        throw Error(Errc::NotFound, "unknown entity or relation");
    const std::vector<int>* tailTokens = nullptr;
    if (tail) {
        const auto t = m.data.entityIndex.find(tail);
        if (t == m.data.entityIndex.end())
            throw Error(Errc::NotFound, "unknown tail entity");
        tailTokens = &m.entityTokens[static_cast<size_t>(t->second)];
    }
    const auto seq = m.querySequence(h->second, r->second, tailTokens, nullptr);
    const size_t T = static_cast<size_t>(std::find(seq.begin(), seq.end(), 0) - seq.begin());
    std::vector<torch::Tensor> maps;
    m.model->encoder(torch::tensor(seq).view({1, -1}), &maps);
    AttentionMaps out;
    for (size_t i = 0; i < T; ++i)
        out.tokens.push_back(m.tokenizer->piece(static_cast<int>(seq[i])));
    out.layers = static_cast<int>(maps.size());
    out.heads = static_cast<int>(m.config.heads);
    for (const auto& a : maps) { // [1, H, L, L] -> the real T x T block of each head
        const auto block = a[0].narrow(1, 0, static_cast<int64_t>(T)).narrow(2, 0, static_cast<int64_t>(T)).contiguous();
        const float* p = block.data_ptr<float>();
        out.weights.insert(out.weights.end(), p, p + block.numel());
    }
    m.model->train();
    return out;
}

std::vector<std::string> TextModel::trainableParameters() const
{
    std::vector<std::string> out;
    for (const auto& np : impl_->model->named_parameters())
        if (np.value().requires_grad())
            out.push_back(np.key());
    return out;
}

std::vector<std::pair<std::string, double>> TextModel::parameterNorms() const
{
    std::vector<std::pair<std::string, double>> out;
    for (const auto& np : impl_->model->named_parameters())
        out.emplace_back(np.key(), np.value().detach().pow(2).sum().item<double>());
    return out;
}

void TextModel::save(const std::string& path) const
{
    auto archive = parameterArchive(*impl_->model);
    const std::string tmp = path + ".tmp";
    archive.save_to(tmp);
    std::filesystem::rename(tmp, path); // atomic on one filesystem
}

void TextModel::saveToProject()
{
    auto archive = parameterArchive(*impl_->model);
    std::ostringstream bytes;
    archive.save_to(bytes);
    const auto& c = impl_->config;
    const nlohmann::json meta{{"vocab_size", c.vocabSize}, {"dim", c.dim}, {"heads", c.heads}, {"layers", c.layers},
                              {"ffn", c.ffn}, {"max_len", c.maxLen}, {"lora_rank", impl_->loraOn ? c.loraRank : 0},
                              {"lora_alpha", c.loraAlpha}};
    ArtifactStore(*impl_->project).put("transformer", "libtorch-archive", bytes.str(), meta.dump());
}

std::unique_ptr<TextModel> TextModel::fromProject(const std::string& projectPath)
{
    std::optional<Artifact> stored;
    {
        auto project = Project::open(projectPath, Project::OpenMode::MustExist);
        stored = ArtifactStore(*project).get("transformer");
    }
    if (!stored)
        return nullptr;
    TextModelConfig c;
    try {
        const auto meta = nlohmann::json::parse(stored->meta);
        c.vocabSize = meta.at("vocab_size").get<int>();
        c.dim = meta.at("dim").get<int64_t>();
        c.heads = meta.at("heads").get<int64_t>();
        c.layers = meta.at("layers").get<int64_t>();
        c.ffn = meta.at("ffn").get<int64_t>();
        c.maxLen = meta.at("max_len").get<int64_t>();
        c.loraRank = meta.at("lora_rank").get<int>();
        c.loraAlpha = meta.at("lora_alpha").get<double>();
    } catch (const std::exception& e) {
        throw Error(Errc::Format, std::string("the project's stored transformer has bad metadata: ") + e.what());
    }
    auto model = std::make_unique<TextModel>(projectPath, c);
    if (c.loraRank > 0) {
        model->impl_->model->encoder->enableLora(c.loraRank, c.loraAlpha);
        model->impl_->loraOn = true;
    }
    torch::serialize::InputArchive archive;
    try {
        std::istringstream in(stored->data);
        archive.load_from(in);
    } catch (const c10::Error&) {
        throw Error(Errc::Format, "the project's stored transformer weights are damaged");
    }
    loadParameters(*model->impl_->model, archive, "the project's stored transformer");
    return model;
}

void TextModel::load(const std::string& path)
{
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(path);
    } catch (const c10::Error& e) {
        throw Error(Errc::Format, "'" + path + "' is not a transformer weights file");
    }
    loadParameters(*impl_->model, archive, "'" + path + "'");
}

size_t TextModel::importTorchScript(const std::string& path)
{
    torch::jit::script::Module module;
    try {
        module = torch::jit::load(path);
    } catch (const c10::Error& e) {
        throw Error(Errc::Format, "'" + path + "' is not a TorchScript file");
    }
    std::unordered_map<std::string, torch::Tensor> theirs;
    for (const auto& p : module.named_parameters(true))
        theirs[p.name] = p.value;
    const size_t copied = copyParameters(
        *impl_->model,
        [&](const std::string& name) -> std::optional<torch::Tensor> {
            const auto it = theirs.find(name);
            if (it == theirs.end())
                return std::nullopt;
            return it->second.to(torch::kFloat32);
        },
        false, "'" + path + "'");
    if (copied == 0)
        throw Error(Errc::Format, "'" + path + "' has no parameter with this model's names (e.g. task_head.weight)");
    return copied;
}

} // namespace kg::ml
