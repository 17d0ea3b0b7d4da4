// TextTrainer: evaluation, ranking, explanation passes, and weights from elsewhere.
#include <torch/script.h>

#include <unordered_map>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "ml/evaluator.h"
#include "ml/fused_rank.h"
#include "ml/text_trainer.h"
#include "ml/torch_compat.h"
#include "text/tokenizer.h"

namespace kg::ml {

torch::Tensor TextTrainer::scoreQueries(const std::vector<std::array<int64_t, 2>>& queries,
                                        const std::vector<std::vector<int64_t>>& excludeRows,
                                        const std::vector<std::vector<NeighbourFact>>& firstFacts)
{
    torch::NoGradGuard noGrad;
    model_->eval();
    std::vector<Sequence> seqs;
    for (size_t i = 0; i < queries.size(); ++i)
        seqs.push_back(builder_.build(queries[i][0], queries[i][1], -1, -1, nullptr,
                                      i < excludeRows.size() ? excludeRows[i] : std::vector<int64_t>{},
                                      i < firstFacts.size() ? firstFacts[i] : std::vector<NeighbourFact>{}));
    const auto b = collate(seqs);
    const auto x = model_->embed(b.ids, b.aux, b.roles, b.positions);
    auto out = model_->answerLogits(x, model_->encode(x, b.roles));
    model_->train();
    return out;
}

RankMetrics TextTrainer::evaluate(const torch::Tensor& triples, const FilterIndex& filter, const CancelToken* cancel)
{
    torch::NoGradGuard noGrad;
    const compat::SingleThreadedBlas blas; // as in training (see torch_compat.h)
    model_->eval();
    const auto m = rankReciprocalQueries(
        triples, filter, data_.numRelations, config_.evalBatch,
        [&](const torch::Tensor& heads, const torch::Tensor& rels) {
            const auto h = heads.to(torch::kCPU, torch::kInt64).contiguous();
            const auto r = rels.to(torch::kCPU, torch::kInt64).contiguous();
            const auto ha = h.accessor<int64_t, 1>(), ra = r.accessor<int64_t, 1>();
            std::vector<Sequence> seqs;
            for (int64_t i = 0; i < h.size(0); ++i)
                seqs.push_back(builder_.build(ha[i], ra[i], -1, -1, nullptr));
            const auto b = collate(seqs);
            const auto x = model_->embed(b.ids, b.aux, b.roles, b.positions);
            return model_->query(x, model_->encode(x, b.roles));
        },
        model_->entityRows(), model_->entityBias(), cancel);
    model_->train();
    return m;
}

std::vector<double> TextTrainer::scoresWithout(const Sequence& s, const std::vector<int>& tokens, int64_t answer)
{
    if (tokens.empty())
        return {};
    torch::NoGradGuard noGrad;
    model_->eval();
    std::vector<Sequence> seqs;
    for (const int t : tokens) {
        Sequence c = s;
        for (auto* field : {&c.ids, &c.aux, &c.roles, &c.positions, &c.factRow})
            field->erase(field->begin() + t);
        seqs.push_back(std::move(c));
    }
    const auto b = collate(seqs);
    const auto x = model_->embed(b.ids, b.aux, b.roles, b.positions);
    const auto scores =
        model_->answerLogits(x, model_->encode(x, b.roles)).select(1, answer).to(torch::kCPU, torch::kFloat64).contiguous();
    model_->train();
    return {scores.data_ptr<double>(), scores.data_ptr<double>() + scores.size(0)};
}

QueryPass TextTrainer::explainQuery(int64_t h, int64_t r, int64_t answer)
{
    model_->eval();
    QueryPass out;
    out.sequence = builder_.build(h, r, -1, -1, nullptr);
    const auto b = collate({out.sequence});
    // One pass: the embeddings are a leaf, so the answer's score can be differentiated with
    // respect to them (gradient x input), and the same pass's attentions are returned.
    const auto x = model_->embed(b.ids, b.aux, b.roles, b.positions).detach().requires_grad_(true);
    std::vector<torch::Tensor> maps;
    const auto hidden = model_->encode(x, b.roles, &maps);
    // The score's parts below come from the same query terms as the ranking.
    const auto parts = model_->queryParts(x, hidden);
    const auto rows = model_->entityRows();
    const auto logits = model_->scoreQuery(parts.sum(), rows)[0];
    if (answer < 0)
        answer = logits.argmax().item<int64_t>();
    {
        torch::NoGradGuard noGrad;
        const auto row = rows[answer];
        out.encoderPart = torch::dot(parts.encoder[0], row).item<double>();
        if (parts.shortcut.defined())
            out.shortcutPart = torch::dot(parts.shortcut[0], row).item<double>();
        out.biasPart = model_->entityBias()[answer].item<double>();
    }
    const auto grads = torch::autograd::grad({logits[answer]}, {x});
    out.attribution = (grads[0] * x).sum(-1)[0].detach().to(torch::kCPU);
    out.logits = logits.detach().to(torch::kCPU);
    for (const auto& a : maps)
        out.attentions.push_back(a[0].detach().to(torch::kCPU));
    model_->train();
    return out;
}

std::vector<std::string> TextTrainer::tokenNames(const Sequence& s) const
{
    // Relation/entity names come from the caller (project labels); here: keys by dense id.
    std::vector<std::string> out;
    const auto& L = builder_.layout();
    std::unique_ptr<text::Tokenizer> tok;
    for (size_t i = 0; i < s.ids.size(); ++i) {
        const int64_t id = s.ids[i];
        if (id == TokenLayout::kCls)
            out.push_back("[CLS]");
        else if (id == TokenLayout::kSep)
            out.push_back("[SEP]");
        else if (id == TokenLayout::kMask)
            out.push_back("[MASK]");
        else if (L.isEntity(id))
            out.push_back(std::string(1, 'E').append(std::to_string(id - L.entity(0))));
        else if (id < L.piece(0)) // (appended: GCC 12 -O3 warns falsely on "R" + to_string)
            out.push_back(std::string(1, 'R').append(std::to_string(id - L.relation(0))));
        else {
            if (!tok && corpus_)
                tok = std::make_unique<text::Tokenizer>(text::Tokenizer::fromModelBytes(corpus_->tokenizerBytes));
            out.push_back(tok ? tok->piece(static_cast<int>(id - L.piece(0))) : "?");
        }
    }
    return out;
}

void TextTrainer::initFrom(torch::serialize::InputArchive& archive, const std::string& source)
{
    auto fail = [&](const std::string& why) { throw Error(Errc::Format, "initialising from " + source + ": " + why); };
    // Piece rows cut by another tokenizer would mean other pieces here.
    if (const auto tok = corpus_ ? archiveTokenizer(archive) : std::nullopt; tok && *tok != corpus_->tokenizerBytes)
        fail("it read text with another tokenizer than this model's (build the model with archiveTokenizer of it)");
    torch::NoGradGuard noGrad;
    // Identity tokens sit at the same rows in both models (pieces come last), so the token
    // table and output bias are copied row-wise up to the smaller vocabulary.
    const int64_t identityRows = builder_.layout().piece(0);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;
    for (auto& p : model_->named_parameters()) {
        const auto& name = p.key();
        if (name.find("lora_") != std::string::npos)
            continue; // adapters start fresh
        torch::Tensor stored;
        if (!archive.try_read("model." + name, stored)) {
            if (addedSince(name))
                continue; // from a run before this tensor existed: it starts at zero
            fail("it has no tensor '" + name + "'");
        }
        auto dst = p.value();
        if (name == "tokens.weight" || name == "out_bias") {
            if (stored.dim() != dst.dim() || stored.size(0) < identityRows || (dst.dim() == 2 && stored.size(1) != dst.size(1)))
                fail("tensor '" + name + "' has shape " + c10::str(stored.sizes()) + ", this model needs " +
                     c10::str(dst.sizes()) + " (same graph and dim)");
            const int64_t rows = std::min(stored.size(0), dst.size(0));
            copies.emplace_back(dst.narrow(0, 0, rows), stored.narrow(0, 0, rows));
            continue;
        }
        if (stored.sizes() != dst.sizes())
            fail("tensor '" + name + "' has shape " + c10::str(stored.sizes()) + ", this model needs " + c10::str(dst.sizes()));
        copies.emplace_back(dst, stored);
    }
    for (auto& [dst, src] : copies)
        dst.copy_(src.to(dst.device()));
}

size_t TextTrainer::importTorchScript(const std::string& path)
{
    torch::jit::script::Module module;
    try {
        module = torch::jit::load(path);
    } catch (const c10::Error&) {
        throw Error(Errc::Format, "'" + path + "' is not a TorchScript file");
    }
    std::unordered_map<std::string, torch::Tensor> theirs;
    for (const auto& p : module.named_parameters(true))
        theirs[p.name] = p.value;
    torch::NoGradGuard noGrad;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;
    for (auto& np : model_->named_parameters()) {
        const auto it = theirs.find(np.key());
        if (it == theirs.end())
            continue;
        if (it->second.sizes() != np.value().sizes())
            throw Error(Errc::Format, "'" + path + "': parameter " + np.key() + " has shape " +
                                          c10::str(it->second.sizes()) + ", the model needs " + c10::str(np.value().sizes()));
        copies.emplace_back(np.value(), it->second.to(torch::kFloat32));
    }
    if (copies.empty())
        throw Error(Errc::Format, "'" + path + "' has no parameter with this model's names (e.g. out_dense.weight)");
    for (auto& [dst, src] : copies)
        dst.copy_(src);
    return copies.size();
}

torch::Tensor TextTrainer::entityVectors() const
{
    torch::NoGradGuard noGrad;
    return model_->entityRows().detach().to(torch::kCPU, torch::kFloat32).contiguous();
}

std::vector<std::string> TextTrainer::trainableParameters() const
{
    std::vector<std::string> out;
    for (const auto& np : model_->named_parameters())
        if (np.value().requires_grad())
            out.push_back(np.key());
    return out;
}

int64_t TextTrainer::parameterCount(bool trainableOnly) const
{
    int64_t n = 0;
    for (const auto& p : model_->parameters())
        if (!trainableOnly || p.requires_grad())
            n += p.numel();
    return n;
}

std::vector<std::pair<std::string, double>> TextTrainer::parameterNorms() const
{
    std::vector<std::pair<std::string, double>> out;
    for (const auto& np : model_->named_parameters())
        out.emplace_back(np.key(), np.value().detach().to(torch::kFloat64).pow(2).sum().item<double>());
    return out;
}

} // namespace kg::ml
