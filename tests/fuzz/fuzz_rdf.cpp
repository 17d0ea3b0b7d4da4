// libFuzzer target: N-Triples and Turtle through Serd, strict and lax.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "import/rdf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (auto syntax : {kg::import::RdfSyntax::NTriples, kg::import::RdfSyntax::Turtle}) {
        for (auto policy : {kg::import::ErrorPolicy::SkipBadLines, kg::import::ErrorPolicy::AllOrNothing}) {
            kg::io::MemorySource src(input, "fuzz.ttl");
            kgfuzz::CheckingSink sink;
            kg::import::ParseOptions opts;
            opts.policy = policy;
            try {
                kg::import::parseRdf(src, syntax, sink, opts);
            } catch (const kg::Error& e) {
                kgfuzz::expectParseOrIo(e);
            }
        }
    }
    return 0;
}
