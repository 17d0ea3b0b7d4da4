// libFuzzer target: TSV/CSV triple parser in skip-bad-lines mode (must never crash or hang)
// and in all-or-nothing mode (may only throw kg::Error).
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "import/delimited.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (auto policy : {kg::import::ErrorPolicy::SkipBadLines, kg::import::ErrorPolicy::AllOrNothing}) {
        kg::io::MemorySource src(input, "fuzz.tsv");
        kgfuzz::CheckingSink sink;
        kg::import::ParseOptions opts;
        opts.policy = policy;
        opts.maxLineBytes = 4096;
        try {
            kg::import::parseDelimitedTriples(src, sink, opts);
        } catch (const kg::Error& e) {
            kgfuzz::expectParseOrIo(e);
        }
    }
    return 0;
}
