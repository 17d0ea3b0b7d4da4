// The question-answering reasoner (IRN-style chain reasoning, LibTorch module idiom). A
// question's words are embedded with their offset from the topic entity's mention (no mixing
// between words, so attention on a word means that word); then, hop by hop, a query made of the hop number and the previous
// relation attends over the words (earlier attention is penalised, so each hop reads a new
// part of the question) and picks the next relation, in either direction, or STOP. Decoding
// walks the graph: a hop may only pick relations that leave the entities reached so far.
// Optionally a word is also read through its sentencepiece pieces (a piece table and a
// projection, added to the word's own row): words never seen in training then still mean
// something, and the piece table, the relation choices and the previous-choice rows can start
// from a transformer run's token table (QaTrainSpec::encoderFrom).
#pragma once

#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "reason/graph_index.h"
#include "text/entity_linker.h"
#include "text/tokenizer.h"

namespace kg {
class Project;
}

namespace kg::ml {

struct QaModelConfig {
    int64_t vocab = 0;     // word table, including kPad, kUnk and kEntityWord
    int64_t relations = 0; // R: choices are R forward, R inverse, STOP; START feeds hop 0
    int64_t dim = 64;
    int64_t maxHops = 3;
    int64_t maxOffset = 16; // word offsets from the topic are clipped to +-maxOffset
    double dropout = 0.1;
    int64_t pieces = 0;    // piece table rows (the tokenizer's vocabulary); 0 = words only
    int64_t pieceDim = 0;  // its width (the transformer's dim when started from one)
    int64_t maxPieces = 6; // pieces read per word
    int64_t choices() const { return 2 * relations + 1; }
    int64_t stop() const { return 2 * relations; }
    int64_t start() const { return 2 * relations + 1; }
};

constexpr int64_t kPad = 0, kUnk = 1, kEntityWord = 2;

class QaReasonerImpl : public torch::nn::Module {
public:
    explicit QaReasonerImpl(const QaModelConfig& c);
    // words [B, L] (kPad = padding), offsets [B, L] (word position minus the topic's, clipped
    // and shifted to [0, 2·maxOffset]), pieces [B, L, maxPieces] (0 = none; undefined or
    // ignored without a piece table) -> word states [B, L, D].
    torch::Tensor encode(const torch::Tensor& words, const torch::Tensor& offsets, const torch::Tensor& pieces = {});
    struct Hop {
        torch::Tensor logits;    // [B, choices]
        torch::Tensor attention; // [B, L]
    };
    // One reasoning hop. prev [B]: the previous choice (start() before the first hop);
    // coverage [B, L]: the sum of earlier hops' attention.
    Hop hop(const torch::Tensor& states, const torch::Tensor& padding, int64_t hop, const torch::Tensor& prev,
            const torch::Tensor& coverage);

    QaModelConfig config;
    torch::nn::Embedding words{nullptr}, offsets{nullptr}, hops{nullptr}, previous{nullptr};
    torch::nn::Linear query{nullptr}, mix{nullptr}, out{nullptr};
    torch::nn::Embedding pieceTable{nullptr}; // with config.pieces > 0
    torch::nn::Linear pieceProj{nullptr};
    torch::Tensor coverageWeight;
    torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(QaReasoner);

// Facts the graph lacks, predicted by a link-prediction model (ml/qa_completion.h): for an
// entity, the (relation id, inverse, other end) triples the model is confident of.
class QaCompletion {
public:
    struct Fact {
        int64_t relation = 0; // project relation id
        bool inverse = false; // the entity is the tail
        int64_t other = 0;
        float probability = 0;
    };
    virtual ~QaCompletion() = default;
    virtual std::vector<Fact> predicted(int64_t entity) const = 0;
};

// The graph a reasoner walks, in its dense relation ids. Choices c < R follow out-edges of
// relation c, R <= c < 2R in-edges of relation c - R.
struct QaGraph {
    const reason::GraphIndex* index = nullptr;
    std::vector<int64_t> relationIds;                 // dense -> project relation id
    std::unordered_map<int64_t, int64_t> denseOf;     // project relation id -> dense
    size_t maxFrontier = 4096;                        // entities kept per hop
    const QaCompletion* completion = nullptr;         // also walk predicted facts (optional)
    static constexpr size_t kPredictedFrom = 16;      // entities of a frontier asked for predictions

    int64_t relations() const { return static_cast<int64_t>(relationIds.size()); }
    // The choice walking project relation `relation` (backwards if `inverse`); nullopt if the
    // reasoner does not know the relation. signedChoice takes -id for backwards.
    std::optional<int64_t> choiceOf(int64_t relation, bool inverse) const;
    std::optional<int64_t> signedChoice(int64_t signedRelation) const
    {
        return choiceOf(signedRelation < 0 ? -signedRelation : signedRelation, signedRelation < 0);
    }
    // The project relation a choice (< 2R) walks, and whether it walks it backwards.
    std::pair<int64_t, bool> relationOf(int64_t choice) const;

    // Entities reached from `from` by one choice (deduplicated, at most maxFrontier); where the
    // graph has none and there is a completion, the predicted other ends of the first
    // kPredictedFrom entities of `from` instead.
    std::vector<int64_t> step(const std::vector<int64_t>& from, int64_t choice) const;
    // Which choices leave `from` along graph edges (STOP is added by the caller).
    std::vector<char> leaving(const std::vector<int64_t>& from) const;
    // With a completion: per choice, the highest probability of a predicted fact of the first
    // kPredictedFrom entities of `from` (0 where none); decoding allows a choice the graph
    // lacks at that probability's cost.
    std::vector<float> predictedOnly(const std::vector<int64_t>& from) const;
};

struct QaDecodedPath {
    std::vector<int64_t> choices;                 // without the final STOP
    double logProb = 0;                           // including STOP
    std::vector<double> probabilities;            // of each choice
    std::vector<std::vector<float>> attention;    // of each hop over the words
    std::vector<std::vector<int64_t>> frontiers;  // entities before each hop and at the end
};

// A question as the reasoner reads it: word ids, offsets from the topic, and (with a piece
// table) each word's first maxPieces piece ids, row-major [words][maxPieces], 0 = none.
struct QaEncodedQuestion {
    std::vector<int64_t> ids, offsets, pieces;
};

// Beam search over relation paths from `topic`: each hop may pick only relations that leave
// the entities reached so far; paths end with STOP (after at least one hop). The first
// forced.size() choices are fixed. Returns finished paths, most probable first.
std::vector<QaDecodedPath> decodePaths(QaReasonerImpl& model, const QaGraph& graph, const QaEncodedQuestion& question,
                                       int64_t topic, int64_t beam, const std::vector<int64_t>& forced = {});

struct QaRanked {
    int64_t entity = 0;
    size_t path = 0; // index of its most probable path
    double score = 0; // that path's probability
};
// Answers in order of their best path's probability (a path's entities in graph order), at
// most `limit`.
std::vector<QaRanked> rankAnswers(const std::vector<QaDecodedPath>& paths, size_t limit);

// What questions are answered against: the project's train graph and an entity linker over
// its keys and labels (degree breaks ties between entities of one name).
struct QaKnowledge {
    reason::GraphIndex index;
    text::EntityLinker linker;

    static std::unique_ptr<QaKnowledge> fromProject(Project& project);
    // The graph in the dense relation order `relationIds`; points into this object.
    QaGraph graph(const std::vector<int64_t>& relationIds) const;

    struct Topic {
        int64_t entity = 0; // 0: none found
        size_t begin = 0, end = 0;
        std::string by;     // "given" | "name" | "search"
    };
    // `given` (with its mention in the words, where named there), else the longest name
    // mention, else the best full-text match of the question's words.
    Topic topic(Project& project, const std::vector<std::string>& words, int64_t given) const;
};

// A reasoner with its word table and relation order, as stored in a project artifact:
// "KGWBQA01" | u64 n | n bytes JSON | torch archive (with the tokenizer model as a byte
// tensor when there is a piece table). fromBytes checks every tensor's shape.
struct QaModelFile {
    QaModelConfig config;
    std::vector<std::string> words;   // index = word id
    std::vector<int64_t> relationIds; // dense -> project relation id
    std::unordered_map<std::string, int64_t> wordIndex; // word -> id (indexWords())
    QaReasoner model{nullptr};
    std::string tokenizerBytes;       // with a piece table: the sentencepiece model
    std::shared_ptr<const text::Tokenizer> tokenizer; // loaded from tokenizerBytes
    int64_t encoderFrom = 0;          // the transformer run the encoder started from (0: none)

    void indexWords();

    std::string toBytes() const;
    static QaModelFile fromBytes(const std::string& bytes, const std::string& name);
    // A tokenised question: the topic's words [begin, end) become one kEntityWord (begin ==
    // end: no topic); offsets are from that word, clipped and shifted; unknown words are kUnk
    // (and still have their pieces).
    QaEncodedQuestion encodeWords(const std::vector<std::string>& tokens, size_t begin, size_t end) const;
};

} // namespace kg::ml
