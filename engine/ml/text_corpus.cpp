#include "ml/text_corpus.h"

#include <algorithm>
#include <optional>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "store/artifact_store.h"
#include "store/project.h"
#include "text/tokenizer.h"

namespace kg::ml {

NeighbourIndex::NeighbourIndex(const std::vector<std::array<int64_t, 3>>& train, int64_t entities, int64_t relations)
    : facts_(static_cast<size_t>(entities))
{
    for (size_t i = 0; i < train.size(); ++i) {
        const auto& [h, r, t] = train[i];
        const auto row = static_cast<int64_t>(i);
        facts_[static_cast<size_t>(h)].push_back({r, t, row});
        facts_[static_cast<size_t>(t)].push_back({r + relations, h, row});
    }
    // A fixed order that does not favour any relation: the deterministic context (inference,
    // evaluation, explanations) is the first K facts of it.
    std::mt19937_64 rng(0x6b67776275ULL);
    for (auto& f : facts_)
        std::shuffle(f.begin(), f.end(), rng);
}

SequenceBuilder::SequenceBuilder(TokenLayout layout, const NeighbourIndex* neighbours,
                                 std::vector<std::vector<int>> entityPieces, SequenceOptions options)
    : layout_(layout)
    , neighbours_(neighbours)
    , entityPieces_(std::move(entityPieces))
    , options_(options)
{
}

namespace {

void push(Sequence& s, int64_t id, int64_t role, int64_t aux = 0, int64_t position = 0, int64_t row = -1)
{
    s.ids.push_back(id);
    s.aux.push_back(aux);
    s.roles.push_back(role);
    s.positions.push_back(position);
    s.factRow.push_back(row);
}

// One allocation per field for a sequence of up to n tokens (a step builds one per example).
void reserve(Sequence& s, size_t n)
{
    for (auto* v : {&s.ids, &s.aux, &s.roles, &s.positions, &s.factRow})
        v->reserve(n);
}

} // namespace

Sequence SequenceBuilder::build(int64_t h, int64_t r, int64_t target, int64_t excludeRow, std::mt19937_64* rng,
                                const std::vector<int64_t>& excludeRows, const std::vector<NeighbourFact>& firstFacts) const
{
    Sequence s;
    const bool text = options_.useText && !entityPieces_.empty();
    reserve(s, 4 + (neighbours_ ? static_cast<size_t>(std::max<int64_t>(0, options_.context)) : 0) +
                   (text ? 1 + static_cast<size_t>(std::max<int64_t>(0, options_.textTokens)) : 0));
    push(s, TokenLayout::kCls, RoleCls);
    push(s, layout_.entity(h), RoleHead);
    push(s, layout_.relation(r), RoleRelation);
    s.targetPos = 3;
    push(s, target < 0 ? TokenLayout::kMask : layout_.entity(target), RoleTarget);
    if (neighbours_ && options_.context > 0) {
        const auto& all = neighbours_->facts(h);
        const auto K = static_cast<size_t>(options_.context);
        auto add = [&](const NeighbourFact& f) {
            push(s, layout_.entity(f.entity), RoleFact, layout_.relation(f.relation), 0, f.row);
        };
        if (!rng || all.size() <= K + 1) {
            size_t taken = 0;
            for (const auto& f : firstFacts) {
                if (taken == K)
                    break;
                add(f);
                ++taken;
            }
            for (const auto& f : all) {
                if (taken == K)
                    break;
                if (f.row == excludeRow || std::find(excludeRows.begin(), excludeRows.end(), f.row) != excludeRows.end())
                    continue;
                add(f);
                ++taken;
            }
        } else {
            // K distinct random facts other than the excluded one (rejection: K << degree here).
            std::vector<size_t> chosen;
            std::uniform_int_distribution<size_t> pick(0, all.size() - 1);
            while (chosen.size() < K) {
                const size_t i = pick(*rng);
                if (all[i].row == excludeRow || std::find(chosen.begin(), chosen.end(), i) != chosen.end())
                    continue;
                chosen.push_back(i);
            }
            for (size_t i : chosen)
                add(all[i]);
        }
    }
    if (text) {
        push(s, TokenLayout::kSep, RoleSep);
        const auto& p = entityPieces_[static_cast<size_t>(h)];
        const size_t n = std::min(p.size(), static_cast<size_t>(options_.textTokens));
        for (size_t i = 0; i < n; ++i)
            push(s, layout_.piece(p[i]), RoleText, 0, static_cast<int64_t>(i) + 1);
    }
    return s;
}

Sequence SequenceBuilder::description(int64_t e, const std::vector<int>& pieces, int64_t maxLen) const
{
    Sequence s;
    push(s, TokenLayout::kCls, RoleCls);
    push(s, layout_.entity(e), RoleHead);
    push(s, TokenLayout::kSep, RoleSep);
    const int64_t room = std::min<int64_t>(maxLen - 3, maxTextPosition() - 1);
    for (int64_t i = 0; i < room && i < static_cast<int64_t>(pieces.size()); ++i)
        push(s, layout_.piece(pieces[static_cast<size_t>(i)]), RoleText, 0, i + 1);
    s.targetPos = 1;
    return s;
}

TextCorpus TextCorpus::load(Project& project, const std::vector<int64_t>& entityIds, int vocabSize,
                            bool withDescriptions, const std::string& tokenizerBytes)
{
    TextCorpus c;
    std::vector<std::string> descriptionText;
    std::vector<int64_t> described;
    for (size_t i = 0; i < entityIds.size(); ++i) {
        const auto e = project.entity(entityIds[i]);
        c.entityText.push_back(e ? e->displayName() : std::string());
        if (e && !e->description.empty()) {
            descriptionText.push_back(e->displayName() + " : " + e->description);
            described.push_back(static_cast<int64_t>(i));
        }
    }
    std::optional<text::Tokenizer> tok;
    if (!tokenizerBytes.empty())
        tok.emplace(text::Tokenizer::fromModelBytes(tokenizerBytes)); // Error(Format) when damaged
    ArtifactStore artifacts(project);
    std::optional<Artifact> stored;
    if (!tok)
        stored = artifacts.get("tokenizer");
    bool reuse = false;
    if (stored) {
        try {
            reuse = nlohmann::json::parse(stored->meta).value("vocab_size", 0) == vocabSize;
        } catch (const std::exception&) {
            reuse = false; // damaged metadata: train again
        }
    }
    if (reuse) {
        try {
            tok.emplace(text::Tokenizer::fromModelBytes(stored->data));
        } catch (const Error&) {
            tok.reset(); // damaged model: train again
        }
    }
    if (!tok) {
        std::vector<std::string> sentences = c.entityText;
        sentences.insert(sentences.end(), descriptionText.begin(), descriptionText.end());
        sentences.erase(std::remove(sentences.begin(), sentences.end(), std::string()), sentences.end());
        if (sentences.empty())
            throw Error(Errc::InvalidArgument, "the project has no labels or descriptions to train a tokenizer on");
        tok.emplace(text::Tokenizer::train(sentences, vocabSize));
        artifacts.put("tokenizer", "sentencepiece", tok->modelBytes(),
                      nlohmann::json{{"vocab_size", vocabSize}, {"sentences", sentences.size()}}.dump());
    }
    c.tokenizerBytes = tok->modelBytes();
    c.pieces = tok->vocabSize();
    for (const auto& t : c.entityText)
        c.entityPieces.push_back(tok->encode(t));
    if (withDescriptions)
        for (size_t i = 0; i < described.size(); ++i)
            c.descriptions.emplace_back(described[i], tok->encode(descriptionText[i]));
    return c;
}

std::optional<TextCorpus::Stored> TextCorpus::storedTokenizer(Project& project)
{
    const auto stored = ArtifactStore(project).get("tokenizer");
    if (!stored)
        return std::nullopt;
    try {
        return Stored{stored->data, nlohmann::json::parse(stored->meta).value("vocab_size", 0)};
    } catch (const std::exception&) {
        return std::nullopt; // damaged metadata: as if there were none (a run trains again)
    }
}

TextCorpus::Stored TextCorpus::exportTokenizer(Project& project, int vocabSize)
{
    std::vector<int64_t> entities;
    project.scanGraph([&](int64_t e) { entities.push_back(e); }, [](int64_t) {}, [](const TripleRecord&) {});
    const auto corpus = load(project, entities, vocabSize, false);
    return Stored{corpus.tokenizerBytes, vocabSize};
}

int TextCorpus::pieceCount(const std::string& modelBytes) { return text::Tokenizer::fromModelBytes(modelBytes).vocabSize(); }

int TextCorpus::importTokenizer(Project& project, const std::string& modelBytes, int vocabSize)
{
    const int pieces = pieceCount(modelBytes); // Error(Format) when it is not a model
    if (vocabSize < 0)
        throw Error(Errc::InvalidArgument, "a vocabulary size cannot be negative");
    const int size = vocabSize > 0 ? vocabSize : pieces;
    ArtifactStore(project).put("tokenizer", "sentencepiece", modelBytes,
                               nlohmann::json{{"vocab_size", size}, {"pieces", pieces}, {"imported", true}}.dump());
    return size;
}

std::vector<std::string> TextCorpus::pieceNames(const std::string& tokenizerBytes, const std::vector<int>& ids)
{
    const auto tok = text::Tokenizer::fromModelBytes(tokenizerBytes);
    std::vector<std::string> out;
    for (int id : ids)
        out.push_back(tok.piece(id));
    return out;
}

} // namespace kg::ml
