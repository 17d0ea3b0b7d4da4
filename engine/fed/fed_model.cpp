#include "fed/fed_model.h"

#include "core/error.h"
#include "fed/entity_hash.h"
#include "ml/text_corpus.h"
#include "ml/gnn_trainer.h"
#include "ml/text_trainer.h"
#include "ml/trainer.h"

#include <nlohmann/json.hpp>

namespace kg::fed {
namespace {

std::string shapeText(const torch::Tensor& t)
{
    std::string s = "[";
    for (int64_t i = 0; i < t.dim(); ++i)
        s += (i ? ", " : "") + std::to_string(t.size(i));
    return s + "]";
}

// A 1-D slice [n] as a column [n, 1] (a view).
torch::Tensor column(const torch::Tensor& t, int64_t from, int64_t n) { return t.narrow(0, from, n).unsqueeze(1); }

void kgeParts(const ml::KgeModel& m, std::vector<torch::Tensor>& entities, std::vector<torch::Tensor>& relations)
{
    entities = {m->allEntities()};
    relations = {m->allRelations()};
}

void gnnParts(const ml::CompGcn& m, std::vector<torch::Tensor>& entities, std::vector<torch::Tensor>& relations,
              std::vector<torch::Tensor>& dense)
{
    const int64_t R = (m->relation0.size(0) - 1) / 2;
    entities = {m->entity0, column(m->bias, 0, m->bias.size(0))};
    relations = {m->relation0.narrow(0, 0, R), m->relation0.narrow(0, R, R)};
    dense = {m->relation0.narrow(0, 2 * R, 1)};
    for (const auto& layer : m->layers)
        for (const auto& p : layer->parameters())
            dense.push_back(p);
}

void transformerParts(const ml::TripleTransformer& m, std::vector<torch::Tensor>& entities,
                      std::vector<torch::Tensor>& relations, std::vector<torch::Tensor>& dense)
{
    const auto& c = m->config();
    const int64_t E = c.entities, R = c.relationTokens / 2, from = c.entityOffset;
    const int64_t pieces = c.vocab - (from + E + 2 * R), piecesFrom = from + E + 2 * R;
    const auto params = m->named_parameters();
    const auto tokens = m->tokens->weight, bias = params["out_bias"];
    entities = {tokens.narrow(0, from, E), column(bias, from, E)};
    relations = {tokens.narrow(0, from + E, R), tokens.narrow(0, from + E + R, R), column(bias, from + E, R),
                 column(bias, from + E + R, R)};
    dense = {tokens.narrow(0, 0, from), bias.narrow(0, 0, from)};
    if (pieces > 0) { // the silos' shared tokenizer: piece p means the same in every silo
        dense.push_back(tokens.narrow(0, piecesFrom, pieces));
        dense.push_back(bias.narrow(0, piecesFrom, pieces));
    }
    for (const auto& p : params) {
        if (p.key() == "tokens.weight" || p.key() == "out_bias")
            continue;
        if (p.key().find("lora") != std::string::npos)
            throw Error(Errc::InvalidArgument, "a federated transformer has no LoRA adapters");
        dense.push_back(p.value());
    }
}

} // namespace

nlohmann::json federatedShape(const ml::TrainConfig& c)
{
    const auto j = nlohmann::json::parse(c.toJson());
    nlohmann::json out;
    for (const char* k : {"model", "dim", "gamma", "p_norm"})
        if (j.contains(k))
            out[k] = j[k];
    if (j.contains("transformer"))
        for (const char* k : {"heads", "layers", "ffn", "shortcut", "text_tokens", "use_text", "vocab_size"})
            out["transformer"][k] = j["transformer"][k];
    if (j.contains("gnn"))
        out["gnn"]["layers"] = j["gnn"]["layers"];
    return out;
}

void checkFederable(const ml::TrainConfig& c)
{
    if (c.model != ml::ModelKind::Transformer)
        return;
    const auto& t = c.transformer;
    std::string why;
    if (t.stage == ml::TextStage::Pretrain)
        why = "fine-tunes (federated pre-training is not offered)";
    else if (t.loraRank > 0)
        why = "trains without LoRA (every silo starts from the federation's common initialisation)";
    else if (t.initFrom != 0)
        why = "starts from the federation's common initialisation, not from a run (--init-from)";
    else if (t.bf16)
        why = "trains in fp32 on the CPU (Gloo reduces CPU tensors): turn bf16 off";
    if (!why.empty())
        throw Error(Errc::InvalidArgument, "a federated transformer " + why);
}

std::string tokenizerDigest(const std::string& modelBytes)
{
    static const char* hex = "0123456789abcdef";
    std::string digest;
    for (const uint8_t b : entityHash("kgwb-tokenizer-digest", modelBytes)) {
        digest += hex[b >> 4];
        digest += hex[b & 15];
    }
    return digest;
}

nlohmann::json tokenizerFingerprint(Project& project)
{
    const auto stored = ml::TextCorpus::storedTokenizer(project);
    if (!stored)
        return nullptr;
    return {{"digest", tokenizerDigest(stored->bytes)},
            {"vocab_size", stored->vocabSize},
            {"pieces", ml::TextCorpus::pieceCount(stored->bytes)}};
}

std::string tokenizerMismatch(const ml::TrainConfig& c, const nlohmann::json& theirs, nlohmann::json& first)
{
    if (c.model != ml::ModelKind::Transformer || !c.transformer.useText)
        return {};
    const std::string remedy = " (give every silo the same one: kgwb tokenizer export, then kgwb tokenizer import)";
    if (theirs.is_null())
        return "it has no tokenizer, and a federated transformer reads text only with one the silos share" + remedy;
    if (theirs.value("vocab_size", 0) != c.transformer.vocabSize)
        return "its tokenizer is for --vocab-size " + std::to_string(theirs.value("vocab_size", 0)) +
               ", the federation's is " + std::to_string(c.transformer.vocabSize);
    if (first.is_null())
        first = theirs;
    else if (theirs.value("digest", "") != first.value("digest", ""))
        return "its tokenizer differs from the first silo's" + remedy;
    return {};
}

FedModel FedModel::of(ml::JobTrainer& trainer)
{
    FedModel f;
    if (auto* t = dynamic_cast<ml::Trainer*>(&trainer))
        kgeParts(t->model(), f.entities_, f.relations_);
    else if (auto* g = dynamic_cast<ml::GnnTrainer*>(&trainer))
        gnnParts(g->model(), f.entities_, f.relations_, f.dense_);
    else if (auto* x = dynamic_cast<ml::TextTrainer*>(&trainer))
        transformerParts(x->model(), f.entities_, f.relations_, f.dense_);
    else
        throw Error(Errc::InvalidArgument, "this model cannot be federated");
    return f;
}

FedModel FedModel::draw(const ml::TrainConfig& config, int64_t entities, int64_t relations, int64_t pieces)
{
    FedModel f;
    if (config.model == ml::ModelKind::Transformer) {
        const ml::TripleTransformer m(ml::encoderConfig(config, entities, relations, pieces));
        transformerParts(m, f.entities_, f.relations_, f.dense_);
        f.owner_ = m.ptr();
    } else if (config.model == ml::ModelKind::CompGCN) {
        const ml::CompGcn m(entities, relations, config.dim, config.gnn.layers, config.gnn.dropout);
        gnnParts(m, f.entities_, f.relations_, f.dense_);
        f.owner_ = m.ptr();
    } else {
        const ml::KgeModel m(config, entities, relations);
        kgeParts(m, f.entities_, f.relations_);
        f.owner_ = m.ptr();
    }
    return f;
}

torch::Tensor FedModel::rows(const std::vector<torch::Tensor>& parts)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> cpu;
    for (const auto& p : parts)
        cpu.push_back(p.detach().to(torch::kCPU, torch::kFloat32));
    return torch::cat(cpu, 1); // a new tensor: later training does not change it
}

int64_t FedModel::width(const std::vector<torch::Tensor>& parts)
{
    int64_t w = 0;
    for (const auto& p : parts)
        w += p.size(1);
    return w;
}

void FedModel::setRows(const std::vector<torch::Tensor>& parts, const torch::Tensor& rows)
{
    const int64_t width = FedModel::width(parts);
    if (rows.dim() != 2 || rows.size(1) != width || rows.size(0) != parts.front().size(0))
        throw Error(Errc::InvalidArgument, "federated rows of shape " + shapeText(rows) + " for a model whose rows are [" +
                                               std::to_string(parts.front().size(0)) + ", " + std::to_string(width) + "]");
    torch::NoGradGuard noGrad;
    int64_t at = 0;
    for (const auto& p : parts) {
        p.copy_(rows.narrow(1, at, p.size(1)));
        at += p.size(1);
    }
}

torch::Tensor FedModel::dense() const
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flat{torch::zeros({0})};
    for (const auto& p : dense_)
        flat.push_back(p.detach().to(torch::kCPU, torch::kFloat32).reshape({-1}));
    return torch::cat(flat);
}

int64_t FedModel::denseSize() const
{
    int64_t size = 0;
    for (const auto& p : dense_)
        size += p.numel();
    return size;
}

void FedModel::setDense(const torch::Tensor& flat)
{
    const int64_t size = denseSize();
    if (flat.dim() != 1 || flat.numel() != size)
        throw Error(Errc::InvalidArgument, "a federated dense part of shape " + shapeText(flat) +
                                               " for a model whose dense part holds " + std::to_string(size) + " values");
    torch::NoGradGuard noGrad;
    int64_t at = 0;
    for (const auto& p : dense_) {
        p.copy_(flat.narrow(0, at, p.numel()).view(p.sizes()));
        at += p.numel();
    }
}

} // namespace kg::fed
