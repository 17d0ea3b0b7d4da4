// libFuzzer target: document reading (text, Markdown, HTML; the first byte picks the format)
// and mention matching over the sentences. A document is refused only with
// kg::Error(Parse); every sentence read is non-empty valid UTF-8 of at most 2,000 bytes
// without line breaks, and every mention lies inside its sentence on UTF-8 boundaries.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "text/doc_import.h"
#include "text/mention_matcher.h"

namespace {

const kg::text::MentionMatcher& matcher()
{
    static const kg::text::MentionMatcher m = [] {
        kg::text::MentionMatcher built;
        const char* names[] = {"Paris", "New York", "New York City", "York", "caf\xC3\xA9", "a b c d", "Z\xC3\xBCrich"};
        int64_t id = 1;
        for (const char* n : names)
            built.add(id++, n);
        built.build();
        return built;
    }();
    return m;
}

bool boundary(const std::string& s, int at)
{
    return at == static_cast<int>(s.size()) || (static_cast<unsigned char>(s[static_cast<size_t>(at)]) & 0xC0) != 0x80;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const char* formats[] = {"text", "markdown", "html"};
    const std::string format = formats[data[0] % 3];
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    kg::NewDocument doc;
    try {
        kg::text::DocImportOptions options;
        options.maxBytes = 1 << 16;
        doc = kg::text::parseDocument(input, "fuzz-document", format, options);
    } catch (const kg::Error& e) {
        if (e.code() != kg::Errc::Parse)
            kgfuzz::fail(e.what());
        return 0;
    }
    if (doc.sentences.empty())
        kgfuzz::fail("a document without sentences was accepted");
    for (const std::string& s : doc.sentences) {
        if (s.empty() || s.size() > 2000)
            kgfuzz::fail("empty or oversized sentence");
        if (s.find('\n') != std::string::npos)
            kgfuzz::fail("line break inside a sentence");
        if (kg::io::findInvalidUtf8(s) != std::string_view::npos)
            kgfuzz::fail("invalid UTF-8 in a sentence");
        for (const auto& m : matcher().mentions(s))
            if (m.begin < 0 || m.end > static_cast<int>(s.size()) || m.begin >= m.end || !boundary(s, m.begin) ||
                !boundary(s, m.end))
                kgfuzz::fail("mention outside its sentence or inside a UTF-8 sequence");
    }
    return 0;
}
