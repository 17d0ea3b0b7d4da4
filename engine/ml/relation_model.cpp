#include "ml/relation_model.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/model_file.h"

namespace kg::ml {

namespace {
constexpr std::string_view kMagic = "KGWBRX01";
}

RelationClassifierImpl::RelationClassifierImpl(const EncoderConfig& encoderConfig, int64_t relations)
{
    encoder = register_module("encoder", TripleTransformer(encoderConfig));
    head = register_module("head", torch::nn::Linear(encoderConfig.dim, 2 * relations + 1));
}

torch::Tensor RelationClassifierImpl::forward(const torch::Tensor& ids, const torch::Tensor& roles,
                                              const torch::Tensor& positions)
{
    const auto x = encoder->embed(ids, torch::zeros_like(ids), roles, positions);
    const auto h = encoder->encode(x, roles);
    return head(h.select(1, 0));
}

RelationInput::RelationInput(const text::Tokenizer& tokenizer, TokenLayout layout,
                             const std::unordered_map<int64_t, int64_t>& entityIndex, int64_t maxPieces)
    : tokenizer_(tokenizer)
    , layout_(layout)
    , entityIndex_(entityIndex)
    , maxPieces_(maxPieces)
{
}

Sequence RelationInput::encode(const text::MentionPair& p, const std::string& sentence) const
{
    Sequence s;
    auto entityToken = [&](int64_t e) {
        const auto it = entityIndex_.find(e);
        return it == entityIndex_.end() ? TokenLayout::kMask : layout_.entity(it->second);
    };
    auto push = [&](int64_t id, int64_t role, int64_t pos) {
        s.ids.push_back(id);
        s.aux.push_back(0);
        s.roles.push_back(role);
        s.positions.push_back(pos);
        s.factRow.push_back(-1);
    };
    push(TokenLayout::kCls, RoleCls, 0);
    push(entityToken(p.a), RoleHead, 0);
    push(entityToken(p.b), RoleTarget, 0);
    push(TokenLayout::kSep, RoleSep, 0);

    // Segments of the sentence: outside the mentions (text role) and each mention (its role).
    struct Span {
        int begin, end;
        int64_t role;
    };
    std::vector<Span> marks;
    if (p.aEnd > p.aBegin)
        marks.push_back({p.aBegin, p.aEnd, RoleHead});
    if (p.bEnd > p.bBegin)
        marks.push_back({p.bBegin, p.bEnd, RoleTarget});
    std::sort(marks.begin(), marks.end(), [](const Span& x, const Span& y) { return x.begin < y.begin; });
    std::vector<std::pair<int, int64_t>> pieces; // (piece id, role)
    const int n = static_cast<int>(sentence.size());
    int at = 0;
    auto addText = [&](int from, int to, int64_t role) {
        from = std::clamp(from, 0, n);
        to = std::clamp(to, from, n);
        if (to > from)
            for (int id : tokenizer_.encode(std::string_view(sentence).substr(static_cast<size_t>(from),
                                                                              static_cast<size_t>(to - from))))
                pieces.emplace_back(id, role);
    };
    for (const Span& m : marks) {
        if (m.begin < at)
            continue; // overlapping marks: keep the first
        addText(at, m.begin, RoleText);
        addText(m.begin, m.end, m.role);
        at = m.end;
    }
    addText(at, n, RoleText);

    // A window of at most maxPieces, centred on the marked pieces.
    const auto total = static_cast<int64_t>(pieces.size());
    int64_t start = 0;
    if (total > maxPieces_) {
        int64_t first = total, last = -1;
        for (int64_t i = 0; i < total; ++i)
            if (pieces[static_cast<size_t>(i)].second != RoleText) {
                first = std::min(first, i);
                last = i;
            }
        if (last >= 0) {
            const int64_t slack = maxPieces_ - (last - first + 1);
            start = slack >= 0 ? std::clamp<int64_t>(first - slack / 2, 0, total - maxPieces_) : first;
        }
    }
    const int64_t end = std::min(total, start + maxPieces_);
    for (int64_t i = start; i < end; ++i)
        push(layout_.piece(pieces[static_cast<size_t>(i)].first), pieces[static_cast<size_t>(i)].second, i - start + 1);
    return s;
}

std::vector<torch::Tensor> RelationInput::batch(const std::vector<const Sequence*>& sequences)
{
    size_t T = 1;
    for (const Sequence* s : sequences)
        T = std::max(T, s->ids.size());
    const auto B = static_cast<int64_t>(sequences.size());
    auto ids = torch::zeros({B, static_cast<int64_t>(T)}, torch::kLong);
    auto roles = torch::zeros_like(ids);
    auto pos = torch::zeros_like(ids);
    auto pi = ids.accessor<int64_t, 2>();
    auto pr = roles.accessor<int64_t, 2>();
    auto pp = pos.accessor<int64_t, 2>();
    for (int64_t b = 0; b < B; ++b) {
        const Sequence& s = *sequences[static_cast<size_t>(b)];
        for (size_t t = 0; t < s.ids.size(); ++t) {
            pi[b][static_cast<int64_t>(t)] = s.ids[t];
            pr[b][static_cast<int64_t>(t)] = s.roles[t];
            pp[b][static_cast<int64_t>(t)] = s.positions[t];
        }
    }
    return {ids, roles, pos};
}

TokenLayout RelationModelFile::layout() const
{
    TokenLayout l;
    l.entities = static_cast<int64_t>(entityIds.size());
    l.relations = static_cast<int64_t>(relationIds.size());
    l.pieces = pieces;
    return l;
}

EncoderConfig RelationModelFile::encoderConfig() const
{
    const TokenLayout l = layout();
    EncoderConfig ec;
    ec.vocab = l.vocab();
    ec.entities = l.entities;
    ec.entityOffset = TokenLayout::kSpecials;
    ec.relationTokens = 2 * l.relations;
    ec.roles = kRoleCount;
    ec.maxPosition = std::max<int64_t>(config.maxPieces, 64) + 1;
    ec.dim = config.dim;
    ec.heads = config.heads;
    ec.layers = config.layers;
    ec.ffn = config.ffn > 0 ? config.ffn : 2 * config.dim;
    ec.dropout = config.dropout;
    return ec;
}

void RelationModelFile::build()
{
    models.clear();
    for (int64_t f = 0; f < config.folds; ++f)
        models.push_back(RelationClassifier(encoderConfig(), static_cast<int64_t>(relationIds.size())));
}

std::string RelationModelFile::toBytes() const
{
    const nlohmann::json meta = {{"dim", config.dim},         {"heads", config.heads},
                                 {"layers", config.layers},   {"ffn", config.ffn},
                                 {"max_pieces", config.maxPieces}, {"dropout", config.dropout},
                                 {"pieces", pieces},          {"folds", config.folds},
                                 {"entity_ids", entityIds},   {"relation_ids", relationIds}};
    torch::serialize::OutputArchive archive;
    for (size_t f = 0; f < models.size(); ++f)
        writeParameters(archive, *models[f], "fold" + std::to_string(f) + ".");
    archive.write("tokenizer", torch::tensor(std::vector<uint8_t>(tokenizerBytes.begin(), tokenizerBytes.end()),
                                             torch::kUInt8));
    return packModelFile(kMagic, meta, archive);
}

RelationModelFile RelationModelFile::fromBytes(const std::string& bytes, const std::string& name)
{
    auto fail = [&](const std::string& why) { throw Error(Errc::Format, "relation extraction model '" + name + "': " + why); };
    torch::serialize::InputArchive archive;
    const nlohmann::json meta =
        unpackModelFile(bytes, kMagic, "a KG Workbench relation extraction model", archive, fail);
    RelationModelFile f;
    try {
        f.config.dim = meta.at("dim");
        f.config.heads = meta.at("heads");
        f.config.layers = meta.at("layers");
        f.config.ffn = meta.at("ffn");
        f.config.maxPieces = meta.at("max_pieces");
        f.config.dropout = meta.at("dropout");
        f.config.folds = meta.at("folds");
        f.pieces = meta.at("pieces");
        f.entityIds = meta.at("entity_ids").get<std::vector<int64_t>>();
        f.relationIds = meta.at("relation_ids").get<std::vector<int64_t>>();
    } catch (const nlohmann::json::exception& e) {
        fail(std::string("bad metadata: ") + e.what());
    }
    const auto& c = f.config;
    if (c.dim < 4 || c.dim > 4096 || c.heads < 1 || c.dim % c.heads != 0 || c.layers < 1 || c.layers > 48 ||
        c.maxPieces < 4 || c.maxPieces > 512 || f.pieces < 1 || f.relationIds.empty() || c.folds < 1 || c.folds > 10)
        fail("implausible configuration");
    f.build();
    for (size_t k = 0; k < f.models.size(); ++k)
        readParameters(archive, *f.models[k], "fold" + std::to_string(k) + ".", fail);
    torch::Tensor tok;
    if (!archive.try_read("tokenizer", tok) || tok.scalar_type() != torch::kUInt8)
        fail("no tokenizer in it");
    const torch::Tensor bytesOf = tok.contiguous();
    const auto* p = bytesOf.data_ptr<uint8_t>();
    f.tokenizerBytes.assign(p, p + tok.numel());
    return f;
}

} // namespace kg::ml
