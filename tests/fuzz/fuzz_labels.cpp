// libFuzzer target: label file parser (key, label, optional description).
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "import/delimited.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    kg::io::MemorySource src(input, "fuzz-labels.tsv");
    kgfuzz::CheckingSink sink;
    kg::import::ParseOptions opts;
    opts.policy = kg::import::ErrorPolicy::SkipBadLines;
    opts.maxLineBytes = 4096;
    try {
        kg::import::parseLabelFile(src, sink, opts);
    } catch (const kg::Error& e) {
        kgfuzz::expectParseOrIo(e);
    }
    return 0;
}
