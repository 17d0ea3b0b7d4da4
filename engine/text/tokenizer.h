// Subword tokenizer (sentencepiece) for verbalised triples.
//
// sentencepiece is reached only through libkgwb_spm, loaded in a link-map namespace of its own
// (see text/spm_shim_api.h), so any binary that also links libtorch is safe. The library
// is searched at: $KGWB_SPM_SHIM, <exe dir>/libkgwb_spm.so, the install libdir relative to
// the exe (<exe dir>/../lib/kg-workbench/ by default), then the build tree. Special ids: 0 pad, 1 unk, 2 bos, 3 eos, then [MASK] [SEP] [CLS].
// Models use byte fallback, so any UTF-8 text round-trips (unseen characters become bytes);
// that reserves 256 ids, so vocabSize should be well above 256.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kg::text {

class Tokenizer {
public:
    // Trains on the given sentences (labels, descriptions, verbalised triples).
    // Throws Error(Errc::Library) if the shim is missing or training fails.
    static Tokenizer train(const std::vector<std::string>& sentences, int vocabSize,
                           const std::string& modelType = "unigram");
    // Loads a serialized model (as returned by modelBytes()). Throws Error(Errc::Format).
    static Tokenizer fromModelBytes(const std::string& bytes);

    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

    std::vector<int> encode(std::string_view text) const;
    std::string decode(const std::vector<int>& ids) const; // throws on out-of-range ids
    std::string piece(int id) const;
    int pieceId(std::string_view piece) const;
    int vocabSize() const;
    const std::string& modelBytes() const { return bytes_; }

    // Path of the loaded shim library (loads it on first call). Throws Error(Errc::Library).
    static std::string shimPath();

private:
    Tokenizer() = default;
    struct Handle;
    std::unique_ptr<Handle> handle_;
    std::string bytes_;
};

} // namespace kg::text
