// Inputs of the triple transformer, torch-free: the token layout (identity tokens for
// entities and relation directions, then sentencepiece pieces), the head's neighbour facts
// used as context (HittER-style), and the sequences built from them. The project's text
// (labels, descriptions, tokenizer) is loaded by TextCorpus.
//
// Query (h, r, ?), r in [0, 2R) with r >= R the reciprocal of r - R:
//   [CLS] ENT(h) REL(r) [MASK] FACT(r1, e1) ... FACT(rK, eK) [ [SEP] piece ... piece ]
// A context fact is one token: embedding(REL(ri)) + embedding(ENT(ei)), so attention and
// attribution name whole facts. Text pieces (the head's label) carry positions; other tokens
// are told apart by their role embedding.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace kg {
class Project;
}

namespace kg::ml {

struct TokenLayout {
    static constexpr int64_t kPad = 0, kCls = 1, kSep = 2, kMask = 3, kSpecials = 4;
    int64_t entities = 0, relations = 0, pieces = 0; // relations: base count R (2R tokens)

    int64_t entity(int64_t e) const { return kSpecials + e; }
    int64_t relation(int64_t r) const { return kSpecials + entities + r; } // r in [0, 2R)
    int64_t piece(int64_t p) const { return kSpecials + entities + 2 * relations + p; }
    int64_t vocab() const { return kSpecials + entities + 2 * relations + pieces; }
    bool isEntity(int64_t id) const { return id >= kSpecials && id < kSpecials + entities; }
};

enum TokenRole : int64_t { RolePad, RoleCls, RoleHead, RoleRelation, RoleTarget, RoleFact, RoleSep, RoleText, kRoleCount };

struct NeighbourFact {
    int64_t relation = 0; // [0, 2R): r, or r + R when the edge is walked backwards
    int64_t entity = 0;   // the neighbour (dense id)
    int64_t row = 0;      // row of the training triple
};

// Every training edge of each entity, in both directions, in a fixed pseudo-random order.
class NeighbourIndex {
public:
    NeighbourIndex() = default;
    NeighbourIndex(const std::vector<std::array<int64_t, 3>>& train, int64_t entities, int64_t relations);
    const std::vector<NeighbourFact>& facts(int64_t entity) const { return facts_[static_cast<size_t>(entity)]; }

private:
    std::vector<std::vector<NeighbourFact>> facts_;
};

struct Sequence {
    std::vector<int64_t> ids, aux, roles, positions; // aux: relation token of a fact, else 0
    std::vector<int64_t> factRow;                    // per token: training row of its fact, or -1
    int64_t targetPos = 3;
};

struct SequenceOptions {
    int64_t context = 16;
    bool useText = false;
    int64_t textTokens = 8;
};

class SequenceBuilder {
public:
    SequenceBuilder() = default;
    SequenceBuilder(TokenLayout layout, const NeighbourIndex* neighbours, std::vector<std::vector<int>> entityPieces,
                    SequenceOptions options);

    // (h, r, ?) with `target` = -1, or the triple with its tail token in place of [MASK].
    // excludeRow: a training row left out of the context (the triple being predicted).
    // rng: random context facts; nullptr: the first `context` in the index's fixed order,
    // skipping `excludeRows` as well (the context the model would see without those facts).
    // firstFacts (rng == nullptr only): facts put first in the context, ahead of h's own, all
    // within the `context` bound (sufficient facts: another entity's facts copied onto h).
    Sequence build(int64_t h, int64_t r, int64_t target, int64_t excludeRow, std::mt19937_64* rng,
                   const std::vector<int64_t>& excludeRows = {},
                   const std::vector<NeighbourFact>& firstFacts = {}) const;
    // [CLS] ENT(e) [SEP] pieces of "label : description" (at most maxLen tokens).
    Sequence description(int64_t e, const std::vector<int>& pieces, int64_t maxLen) const;
    const TokenLayout& layout() const { return layout_; }
    const SequenceOptions& options() const { return options_; }
    int64_t maxTextPosition() const { return maxTextPosition(options_.textTokens); }
    static int64_t maxTextPosition(int64_t textTokens) { return std::max<int64_t>(textTokens, 64) + 1; }

private:
    TokenLayout layout_;
    const NeighbourIndex* neighbours_ = nullptr;
    std::vector<std::vector<int>> entityPieces_;
    SequenceOptions options_;
};

// Labels, descriptions and the sentencepiece tokenizer of a project, in dense entity order.
// The tokenizer is `tokenizerBytes` when given (a run's own: the one its piece rows were
// trained with), else the project's artifact "tokenizer" when its vocabulary size matches,
// else trained on labels and descriptions and stored there. Throws kg::Error.
struct TextCorpus {
    std::vector<std::string> entityText;             // display names
    std::vector<std::vector<int>> entityPieces;      // pieces of the display name
    std::vector<std::pair<int64_t, std::vector<int>>> descriptions; // (entity, pieces of "label : description")
    std::string tokenizerBytes;
    int pieces = 0;

    static TextCorpus load(Project& project, const std::vector<int64_t>& entityIds, int vocabSize,
                           bool withDescriptions, const std::string& tokenizerBytes = {});
    // Pieces for display ("▁Par", "is").
    static std::vector<std::string> pieceNames(const std::string& tokenizerBytes, const std::vector<int>& ids);

    // The project's stored tokenizer, if any: its model bytes and the vocabulary size a run
    // must ask for (--vocab-size) to read text with it.
    struct Stored {
        std::string bytes;
        int vocabSize = 0;
    };
    static std::optional<Stored> storedTokenizer(Project& project);
    // The tokenizer a run with `vocabSize` would use on this project (trained on all its labels
    // and descriptions and stored, when it has none of that size): for sharing with other
    // projects, such as federation silos that must cut words alike.
    static Stored exportTokenizer(Project& project, int vocabSize);
    // Makes `modelBytes` (a sentencepiece model) the project's tokenizer, replacing its own;
    // runs that read text use it when they ask for `vocabSize` (0: its piece count), which is
    // returned. Error(Format) when the bytes are not a sentencepiece model; nothing is changed.
    static int importTokenizer(Project& project, const std::string& modelBytes, int vocabSize = 0);
    // Pieces of a sentencepiece model. Error(Format) when the bytes are not one.
    static int pieceCount(const std::string& modelBytes);
};

} // namespace kg::ml
