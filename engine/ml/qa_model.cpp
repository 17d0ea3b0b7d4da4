#include "ml/qa_model.h"
#include "ml/model_file.h"

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "core/error.h"
#include "ml/checkpoint.h"
#include "store/project.h"

namespace kg::ml {

QaReasonerImpl::QaReasonerImpl(const QaModelConfig& c)
    : config(c)
{
    const int64_t d = c.dim;
    words = register_module("words", torch::nn::Embedding(torch::nn::EmbeddingOptions(c.vocab, d).padding_idx(kPad)));
    offsets = register_module("offsets", torch::nn::Embedding(2 * c.maxOffset + 1, d));
    hops = register_module("hops", torch::nn::Embedding(c.maxHops + 1, d));
    previous = register_module("previous", torch::nn::Embedding(c.choices() + 1, d));
    query = register_module("query", torch::nn::Linear(2 * d, d));
    mix = register_module("mix", torch::nn::Linear(2 * d, d));
    out = register_module("out", torch::nn::Linear(d, c.choices()));
    coverageWeight = register_parameter("coverage_weight", torch::full({1}, -2.0));
    drop = register_module("drop", torch::nn::Dropout(c.dropout));
    if (c.pieces > 0) {
        pieceTable = register_module("piece_table",
                                     torch::nn::Embedding(torch::nn::EmbeddingOptions(c.pieces, c.pieceDim).padding_idx(0)));
        pieceProj = register_module("piece_proj", torch::nn::Linear(torch::nn::LinearOptions(c.pieceDim, d).bias(false)));
    }
}

torch::Tensor QaReasonerImpl::encode(const torch::Tensor& w, const torch::Tensor& off, const torch::Tensor& pieces)
{
    const auto keep = w.ne(kPad).unsqueeze(-1).to(torch::kFloat);
    auto x = words->forward(w) + offsets->forward(off);
    if (pieceTable && pieces.defined()) {
        // The mean of the word's piece rows, projected: the word as its pieces read it.
        const auto present = pieces.ne(0).unsqueeze(-1).to(torch::kFloat); // [B, L, P, 1]
        const auto sum = (pieceTable->forward(pieces) * present).sum(2);     // [B, L, Dp]
        x = x + pieceProj->forward(sum / present.sum(2).clamp_min(1.0));
    }
    // No mixing between words: a hop that attends to a word reads that word (and where it
    // stands), so the attention says which words chose the relation.
    return drop->forward(x * keep); // [B, L, D]
}

QaReasonerImpl::Hop QaReasonerImpl::hop(const torch::Tensor& states, const torch::Tensor& padding, int64_t h,
                                        const torch::Tensor& prev, const torch::Tensor& coverage)
{
    const auto hopIds = torch::full({prev.size(0)}, h, torch::TensorOptions().dtype(torch::kLong).device(prev.device()));
    auto q = torch::tanh(query->forward(torch::cat({hops->forward(hopIds), previous->forward(prev)}, -1))); // [B, D]
    auto scores = torch::bmm(states, q.unsqueeze(-1)).squeeze(-1) / std::sqrt(static_cast<double>(config.dim));
    scores = scores + coverageWeight * coverage;
    scores = scores.masked_fill(padding, -1e9);
    auto attention = torch::softmax(scores, -1);                                     // [B, L]
    auto context = torch::bmm(attention.unsqueeze(1), states).squeeze(1);            // [B, D]
    auto logits = out->forward(drop->forward(torch::tanh(mix->forward(torch::cat({context, q}, -1)))));
    return {logits, attention};
}

std::optional<int64_t> QaGraph::choiceOf(int64_t relation, bool inverse) const
{
    const auto it = denseOf.find(relation);
    if (it == denseOf.end())
        return std::nullopt;
    return (inverse ? relations() : 0) + it->second;
}

std::pair<int64_t, bool> QaGraph::relationOf(int64_t choice) const
{
    const bool inverse = choice >= relations();
    return {relationIds.at(static_cast<size_t>(inverse ? choice - relations() : choice)), inverse};
}

std::vector<int64_t> QaGraph::step(const std::vector<int64_t>& from, int64_t choice) const
{
    const auto [rel, inverse] = relationOf(choice);
    std::vector<int64_t> out;
    std::unordered_set<int64_t> seen;
    for (const int64_t e : from) {
        for (const auto& edge : inverse ? index->in(e) : index->out(e))
            if (edge.relation == rel && seen.insert(edge.other).second) {
                out.push_back(edge.other);
                if (out.size() >= maxFrontier)
                    return out;
            }
    }
    if (completion && out.empty()) // predictions fill gaps; they never add to real edges
        for (size_t i = 0; i < from.size() && i < kPredictedFrom; ++i)
            for (const auto& f : completion->predicted(from[i]))
                if (f.relation == rel && f.inverse == inverse && seen.insert(f.other).second)
                    out.push_back(f.other);
    return out;
}

std::vector<char> QaGraph::leaving(const std::vector<int64_t>& from) const
{
    std::vector<char> allowed(static_cast<size_t>(2 * relations() + 1), 0);
    for (const int64_t e : from) {
        for (const auto& edge : index->out(e))
            if (const auto c = choiceOf(edge.relation, false))
                allowed[static_cast<size_t>(*c)] = 1;
        for (const auto& edge : index->in(e))
            if (const auto c = choiceOf(edge.relation, true))
                allowed[static_cast<size_t>(*c)] = 1;
    }
    return allowed;
}

std::vector<float> QaGraph::predictedOnly(const std::vector<int64_t>& from) const
{
    std::vector<float> out(static_cast<size_t>(2 * relations() + 1), 0.f);
    if (!completion)
        return out;
    for (size_t i = 0; i < from.size() && i < kPredictedFrom; ++i)
        for (const auto& f : completion->predicted(from[i]))
            if (const auto c = choiceOf(f.relation, f.inverse)) {
                auto& p = out[static_cast<size_t>(*c)];
                p = std::max(p, f.probability);
            }
    return out;
}

std::vector<QaDecodedPath> decodePaths(QaReasonerImpl& model, const QaGraph& graph, const QaEncodedQuestion& question,
                                       int64_t topic, int64_t beam, const std::vector<int64_t>& forced)
{
    torch::NoGradGuard noGrad;
    const auto& c = model.config;
    const int64_t L = static_cast<int64_t>(question.ids.size());
    const auto words = torch::tensor(question.ids, torch::kLong).view({1, L});
    torch::Tensor pieces;
    if (!question.pieces.empty())
        pieces = torch::tensor(question.pieces, torch::kLong).view({1, L, c.maxPieces});
    const auto states = model.encode(words, torch::tensor(question.offsets, torch::kLong).view({1, L}), pieces);
    const auto padding = words.eq(kPad);

    struct Beam {
        QaDecodedPath path;
        torch::Tensor coverage; // [L]
    };
    std::vector<Beam> live(1);
    live[0].path.frontiers.push_back({topic});
    live[0].coverage = torch::zeros({L});
    std::vector<QaDecodedPath> done;
    for (int64_t h = 0; h <= c.maxHops && !live.empty(); ++h) {
        const int64_t B = static_cast<int64_t>(live.size());
        std::vector<int64_t> prev;
        std::vector<torch::Tensor> cov;
        for (const Beam& b : live) {
            prev.push_back(b.path.choices.empty() ? c.start() : b.path.choices.back());
            cov.push_back(b.coverage);
        }
        const auto step = model.hop(states.expand({B, L, c.dim}), padding.expand({B, L}), h, torch::tensor(prev, torch::kLong),
                                    torch::stack(cov));
        struct Candidate {
            size_t beam;
            int64_t choice;
            double logProb, p;
        };
        std::vector<Candidate> next;
        for (int64_t b = 0; b < B; ++b) {
            auto allowed = h < c.maxHops ? graph.leaving(live[b].path.frontiers.back())
                                         : std::vector<char>(static_cast<size_t>(c.choices()), 0);
            allowed[static_cast<size_t>(c.stop())] = h >= 1;
            if (h < static_cast<int64_t>(forced.size())) {
                const int64_t f = forced[static_cast<size_t>(h)];
                std::fill(allowed.begin(), allowed.end(), 0);
                allowed[static_cast<size_t>(f)] = 1;
            }
            // With a completion, a relation the graph lacks here but the completion predicts is
            // allowed too, at the cost of its prediction's log-probability; every choice is
            // normalised over the same (wider) set.
            std::vector<float> cost(allowed.size(), 0.f);
            if (graph.completion && h < c.maxHops && h >= static_cast<int64_t>(forced.size())) {
                const auto predicted = graph.predictedOnly(live[b].path.frontiers.back());
                for (size_t k = 0; k < allowed.size(); ++k)
                    if (!allowed[k] && predicted[k] > 0) {
                        allowed[k] = 1;
                        cost[k] = std::log(predicted[k]);
                    }
            }
            auto mask = torch::from_blob(allowed.data(), {c.choices()}, torch::kChar).to(torch::kBool);
            const auto lp = torch::log_softmax(step.logits[b].masked_fill(mask.logical_not(), -1e9), -1);
            const auto lpa = lp.accessor<float, 1>();
            for (int64_t k = 0; k < c.choices(); ++k)
                if (allowed[static_cast<size_t>(k)])
                    next.push_back({static_cast<size_t>(b), k, live[b].path.logProb + lpa[k] + cost[static_cast<size_t>(k)],
                                    std::exp(lpa[k])});
        }
        std::sort(next.begin(), next.end(), [](const Candidate& a, const Candidate& b) { return a.logProb > b.logProb; });
        std::vector<Beam> kept;
        for (const Candidate& cand : next) {
            const Beam& from = live[cand.beam];
            const auto attention = step.attention[static_cast<int64_t>(cand.beam)];
            if (cand.choice == c.stop()) { // finished paths compete at the end, whatever their length
                QaDecodedPath p = from.path;
                p.logProb = cand.logProb;
                done.push_back(std::move(p));
                continue;
            }
            if (static_cast<int64_t>(kept.size()) >= beam)
                continue;
            auto reached = graph.step(from.path.frontiers.back(), cand.choice);
            if (reached.empty())
                continue;
            Beam b{from.path, from.coverage + attention};
            b.path.choices.push_back(cand.choice);
            b.path.logProb = cand.logProb;
            b.path.probabilities.push_back(cand.p);
            const auto a = attention.contiguous();
            b.path.attention.emplace_back(a.data_ptr<float>(), a.data_ptr<float>() + L);
            b.path.frontiers.push_back(std::move(reached));
            kept.push_back(std::move(b));
        }
        live = std::move(kept);
    }
    std::sort(done.begin(), done.end(), [](const QaDecodedPath& a, const QaDecodedPath& b) { return a.logProb > b.logProb; });
    if (static_cast<int64_t>(done.size()) > beam)
        done.resize(static_cast<size_t>(beam));
    return done;
}

std::vector<QaRanked> rankAnswers(const std::vector<QaDecodedPath>& paths, size_t limit)
{
    std::vector<QaRanked> out;
    std::unordered_set<int64_t> seen;
    for (size_t i = 0; i < paths.size() && out.size() < limit; ++i)
        for (const int64_t e : paths[i].frontiers.back()) {
            if (out.size() >= limit)
                break;
            if (seen.insert(e).second)
                out.push_back({e, i, std::exp(paths[i].logProb)});
        }
    return out;
}

std::unique_ptr<QaKnowledge> QaKnowledge::fromProject(Project& project)
{
    auto k = std::make_unique<QaKnowledge>();
    k->index = reason::GraphIndex::fromProject(project);
    const auto* index = &k->index;
    k->linker = text::EntityLinker::fromProject(
        project, [index](int64_t e) { return static_cast<double>(index->out(e).size() + index->in(e).size()); });
    return k;
}

QaGraph QaKnowledge::graph(const std::vector<int64_t>& relationIds) const
{
    QaGraph g;
    g.index = &index;
    g.relationIds = relationIds;
    for (size_t i = 0; i < relationIds.size(); ++i)
        g.denseOf.emplace(relationIds[i], static_cast<int64_t>(i));
    return g;
}

QaKnowledge::Topic QaKnowledge::topic(Project& project, const std::vector<std::string>& words, int64_t given) const
{
    Topic t;
    if (given) {
        t.entity = given;
        t.by = "given";
        if (auto m = linker.find(words, given)) {
            t.begin = m->begin;
            t.end = m->end;
        }
        return t;
    }
    if (auto m = linker.topic(words)) {
        t = Topic{m->entities.front(), m->begin, m->end, "name"};
        return t;
    }
    // Full-text search, word by word (content words only: not stop words, not words that name
    // relations): the entity most words find (weighted by rank) wins.
    std::unordered_map<int64_t, double> votes;
    for (const auto& w : words) {
        if (w.size() < 3 || !linker.isContentWord(w))
            continue;
        const auto hits = project.searchEntities(w, 5);
        for (size_t i = 0; i < hits.size(); ++i)
            votes[hits[i].id] += 1.0 / static_cast<double>(i + 1);
    }
    double best = 0;
    for (const auto& [entity, v] : votes)
        if (v > best || (v == best && entity < t.entity)) {
            best = v;
            t.entity = entity;
            t.by = "search";
        }
    return t;
}

void QaModelFile::indexWords()
{
    wordIndex.clear();
    for (size_t i = 0; i < words.size(); ++i)
        wordIndex.emplace(words[i], static_cast<int64_t>(i));
}

QaEncodedQuestion QaModelFile::encodeWords(const std::vector<std::string>& tokens, size_t begin, size_t end) const
{
    QaEncodedQuestion q;
    const bool topic = end > begin;
    const bool withPieces = config.pieces > 0 && tokenizer;
    auto push = [&](int64_t id, const std::string* word) {
        const int64_t pos = static_cast<int64_t>(q.ids.size());
        const int64_t off = topic ? std::clamp(pos - static_cast<int64_t>(begin), -config.maxOffset, config.maxOffset)
                                  : config.maxOffset;
        q.ids.push_back(id);
        q.offsets.push_back(off + config.maxOffset);
        if (!withPieces)
            return;
        std::vector<int> p;
        if (word)
            p = tokenizer->encode(*word);
        for (int64_t k = 0; k < config.maxPieces; ++k)
            q.pieces.push_back(k < static_cast<int64_t>(p.size()) && p[static_cast<size_t>(k)] < config.pieces
                                   ? p[static_cast<size_t>(k)]
                                   : 0);
    };
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (topic && i == begin)
            push(kEntityWord, nullptr);
        if (topic && i >= begin && i < end)
            continue;
        const auto it = wordIndex.find(tokens[i]);
        push(it == wordIndex.end() ? kUnk : it->second, &tokens[i]);
    }
    if (q.ids.empty())
        push(kUnk, nullptr);
    return q;
}

namespace {
constexpr std::string_view kMagic = "KGWBQA01";
}

std::string QaModelFile::toBytes() const
{
    const nlohmann::json meta = {{"vocab", config.vocab},     {"relations", config.relations},
                                 {"dim", config.dim},         {"max_hops", config.maxHops},
                                 {"max_offset", config.maxOffset}, {"dropout", config.dropout},
                                 {"words", words},            {"relation_ids", relationIds},
                                 {"pieces", config.pieces},   {"piece_dim", config.pieceDim},
                                 {"max_pieces", config.maxPieces}, {"encoder_from", encoderFrom}};
    torch::serialize::OutputArchive archive;
    writeParameters(archive, *model, "");
    if (config.pieces > 0)
        archive.write("tokenizer", torch::tensor(std::vector<uint8_t>(tokenizerBytes.begin(), tokenizerBytes.end()),
                                                 torch::kUInt8), true);
    return packModelFile(kMagic, meta, archive);
}

QaModelFile QaModelFile::fromBytes(const std::string& bytes, const std::string& name)
{
    auto fail = [&](const std::string& why) { throw Error(Errc::Format, "question-answering model '" + name + "': " + why); };
    torch::serialize::InputArchive archive;
    const nlohmann::json meta =
        unpackModelFile(bytes, kMagic, "a KG Workbench question-answering model", archive, fail);
    QaModelFile f;
    try {
        f.config.vocab = meta.at("vocab");
        f.config.relations = meta.at("relations");
        f.config.dim = meta.at("dim");
        f.config.maxHops = meta.at("max_hops");
        f.config.maxOffset = meta.at("max_offset");
        f.config.dropout = meta.at("dropout");
        f.words = meta.at("words").get<std::vector<std::string>>();
        f.relationIds = meta.at("relation_ids").get<std::vector<int64_t>>();
        // Models stored before the piece encoder have none.
        f.config.pieces = meta.value("pieces", int64_t{0});
        f.config.pieceDim = meta.value("piece_dim", int64_t{0});
        f.config.maxPieces = meta.value("max_pieces", f.config.maxPieces);
        f.encoderFrom = meta.value("encoder_from", int64_t{0});
    } catch (const nlohmann::json::exception& e) {
        fail(std::string("bad metadata: ") + e.what());
    }
    const auto& c = f.config;
    if (c.vocab != static_cast<int64_t>(f.words.size()) || c.relations != static_cast<int64_t>(f.relationIds.size()) ||
        c.dim < 2 || c.dim > 4096 || c.maxHops < 1 || c.maxHops > 8 || c.maxOffset < 1 || c.maxOffset > 256 ||
        c.vocab < 3 || c.relations < 1 || c.pieces < 0 || c.pieces > 1000000 ||
        (c.pieces > 0 && (c.pieceDim < 1 || c.pieceDim > 4096 || c.maxPieces < 1 || c.maxPieces > 64)))
        fail("impossible sizes in the metadata");
    f.indexWords();
    f.model = QaReasoner(c);
    readParameters(archive, *f.model, "", fail);
    if (c.pieces > 0) {
        torch::Tensor t;
        if (!archive.try_read("tokenizer", t) || t.scalar_type() != torch::kUInt8 || t.dim() != 1)
            fail("the piece encoder's tokenizer is missing");
        t = t.contiguous();
        f.tokenizerBytes.assign(reinterpret_cast<const char*>(t.data_ptr<uint8_t>()), static_cast<size_t>(t.numel()));
        try {
            f.tokenizer = std::make_shared<const text::Tokenizer>(text::Tokenizer::fromModelBytes(f.tokenizerBytes));
        } catch (const Error& e) {
            if (e.code() != Errc::Format)
                throw; // e.g. the sentencepiece shim is missing: not the file's fault
            fail(std::string("its tokenizer: ") + e.what());
        }
        if (f.tokenizer->vocabSize() != c.pieces)
            fail("its tokenizer has " + std::to_string(f.tokenizer->vocabSize()) + " pieces, the piece table " +
                 std::to_string(c.pieces));
    }
    f.model->eval();
    return f;
}

} // namespace kg::ml
