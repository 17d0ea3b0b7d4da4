// kgwb tokenizer export | import: one sentencepiece tokenizer shared between projects (federation
// silos must cut words alike for a transformer that reads text; ml/text_corpus.h).
#include <cstdio>

#include "args.h"
#include "io/whole_file.h"
#include "ml/text_corpus.h"
#include "store/project.h"

namespace kgcli {

int runTokenizer(int argc, char** argv)
{
    Args args(argc, argv, 2, {"vocab-size"}, {"quiet"});
    const auto& pos = args.positional();
    if (pos.size() != 3 || (pos[0] != "export" && pos[0] != "import"))
        throw UsageError("usage: tokenizer export PROJECT OUT [--vocab-size 1000] | tokenizer import PROJECT FILE "
                         "[--vocab-size N]");
    const int vocab = args.intValue("vocab-size", pos[0] == "export" ? 1000 : 0);
    if (pos[0] == "export") {
        if (vocab < 1)
            throw UsageError("--vocab-size must be at least 1");
        auto project = kg::Project::open(pos[1], kg::Project::OpenMode::MustExist);
        const auto tok = kg::ml::TextCorpus::exportTokenizer(*project, vocab);
        kg::io::writeFileAtomically(pos[2], tok.bytes, "tokenizer");
        if (!args.flag("quiet"))
            std::printf("wrote %s: the tokenizer of runs with --vocab-size %d (%d pieces)\n", pos[2].c_str(),
                        tok.vocabSize, kg::ml::TextCorpus::pieceCount(tok.bytes));
        return Ok;
    }
    const std::string bytes = kg::io::readWholeFile(pos[2], "tokenizer");
    auto project = kg::Project::open(pos[1], kg::Project::OpenMode::MustExist);
    const int size = kg::ml::TextCorpus::importTokenizer(*project, bytes, vocab);
    if (!args.flag("quiet"))
        std::printf("%s now cuts text with %s: runs with --use-text --vocab-size %d read it\n", pos[1].c_str(),
                    pos[2].c_str(), size);
    return Ok;
}

} // namespace kgcli
