// libFuzzer target: the artifacts a project stores and reads back (a tampered project must
// give a clear error, never a crash). The first byte picks the reader:
//   0: mined rules (JSON)        1: layout cache entry (text)        2: tokenizer model
// Readers may only throw kg::Error(Format) (tokenizer: also Library when the sentencepiece
// shim cannot load); what they accept must round-trip.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "layout/graph_layout.h"
#include "reason/rules.h"
#include "text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 3) {
        case 0: {
            const auto rules = kg::reason::rulesFromJson(input);
            if (kg::reason::rulesFromJson(kg::reason::rulesToJson(rules)).size() != rules.size())
                kgfuzz::fail("rules do not round-trip");
            break;
        }
        case 1: {
            const auto layout = kg::layout::deserialize(input);
            if (kg::layout::deserialize(kg::layout::serialize(layout)).nodes.size() != layout.nodes.size())
                kgfuzz::fail("layout does not round-trip");
            break;
        }
        default: {
            const auto tokenizer = kg::text::Tokenizer::fromModelBytes(input);
            const auto ids = tokenizer.encode("Marie Curie was born in Warsaw.");
            for (const int id : ids)
                if (id < 0 || id >= tokenizer.vocabSize())
                    kgfuzz::fail("tokenizer returned an id outside its vocabulary");
            tokenizer.decode(ids);
            break;
        }
        }
    } catch (const kg::Error& e) {
        if (e.code() != kg::Errc::Format && e.code() != kg::Errc::Library)
            kgfuzz::fail(e.what());
    }
    return 0;
}
