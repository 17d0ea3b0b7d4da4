#include "ml/extract_corpus.h"

#include "core/error.h"
#include "store/doc_store.h"
#include "store/project.h"

namespace kg::ml {

ExtractCorpus ExtractCorpus::load(Project& project, const CancelToken* cancel,
                                  const std::function<void(int64_t, int64_t)>& progress)
{
    ExtractCorpus c;
    DocStore docs(project);
    const DocCounts counts = docs.counts();
    if (counts.sentences == 0)
        throw Error(Errc::InvalidArgument, "the project has no documents: import some first "
                                           "(kgwb docs import, or --descriptions for entity descriptions)");
    c.graph = reason::GraphIndex::fromProject(project);
    c.matcher = text::MentionMatcher::fromProject(project);
    const text::PairFinder finder(c.matcher, c.graph);
    int64_t done = 0;
    finder.forEachDocument(docs, [&](text::DocumentPairs& d) {
        if (cancel)
            cancel->throwIfCancelled();
        c.sentences += static_cast<int64_t>(d.sentences.size());
        c.mentions += d.mentions;
        c.pairs += static_cast<int64_t>(d.pairs.size());
        c.documents.push_back(std::move(d));
        if (progress && (++done % 256 == 0 || done == counts.documents))
            progress(done, counts.documents);
    });
    return c;
}

} // namespace kg::ml
