// Pairs of entities that one sentence mentions together: what relation extraction trains on
// (distant supervision) and what it scores. Torch-free.
//
// Per document, mentions are found with text/mention_matcher.h. A name that several entities
// share is resolved by context: the document's own entity (a description is about it) wins,
// then the candidate with most graph neighbours among the document's other entities (the
// document entity and the unambiguous mentions), then the higher degree, then the lower id.
// A sentence of a document about an entity (a description) yields (document entity, m) for
// each other entity m it mentions: such text states facts about its subject. A sentence of
// any other document yields (m1, m2) for each two of its first kMaxMentions mentions. `a` is
// the document entity or the mention that comes first.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/doc_store.h"
#include "text/mention_matcher.h"

namespace kg::reason {
class GraphIndex;
}

namespace kg::text {

struct MentionPair {
    int64_t sentence = 0;
    int64_t a = 0, b = 0;          // entity ids
    int aBegin = 0, aEnd = 0;      // byte range of a's mention in the sentence; empty: a is
    int bBegin = 0, bEnd = 0;      // the document's entity, not named in this sentence
    size_t index = 0;              // the sentence's place in DocumentPairs::sentences
};

struct DocumentPairs {
    std::vector<SentenceRow> sentences;
    std::vector<MentionPair> pairs;
    int64_t mentions = 0;
    const std::string& text(const MentionPair& p) const { return sentences[p.index].text; }
};

class PairFinder {
public:
    static constexpr size_t kMaxMentions = 8;
    PairFinder(const MentionMatcher& matcher, const reason::GraphIndex& graph);

    // The chosen entity of each mention, given the document's entity (0: none) and every
    // sentence's mentions.
    std::vector<std::vector<int64_t>> resolve(int64_t docEntity,
                                              const std::vector<std::vector<TextMention>>& mentions) const;
    DocumentPairs pairs(int64_t docEntity, std::vector<SentenceRow> sentences) const;
    // Every document of the project's corpus, in order, one call each (connection held while
    // the sentences are read, released before fn runs).
    void forEachDocument(DocStore& docs, const std::function<void(DocumentPairs&)>& fn) const;

private:
    double contextScore(int64_t candidate, int64_t docEntity, const std::vector<int64_t>& context) const;
    const MentionMatcher& matcher_;
    const reason::GraphIndex& graph_;
};

} // namespace kg::text
