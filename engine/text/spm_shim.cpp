// libkgwb_spm: wraps sentencepiece behind the C API in spm_shim_api.h. See that header for
// why this library exists and how it must be loaded.
#include "text/spm_shim_api.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

struct kgwb_spm {
    sentencepiece::SentencePieceProcessor proc;
};

namespace {

void setErr(char* err, size_t errlen, const std::string& msg)
{
    if (!err || errlen == 0)
        return;
    const size_t n = std::min(errlen - 1, msg.size());
    std::memcpy(err, msg.data(), n);
    err[n] = '\0';
}

long copyOut(const std::string& s, char* out, size_t cap)
{
    if (out && cap >= s.size())
        std::memcpy(out, s.data(), s.size());
    return static_cast<long>(s.size());
}

} // namespace

extern "C" {

__attribute__((visibility("default"))) int kgwb_spm_abi_version(void) { return KGWB_SPM_ABI_VERSION; }

__attribute__((visibility("default"))) int kgwb_spm_train(const char* input_path,
                                                          const char* model_prefix, int vocab_size,
                                                          const char* model_type, char* err,
                                                          size_t errlen)
{
    try {
        // The map form: the string form logs its whole command line before it reads minloglevel.
        const std::unordered_map<std::string, std::string> args{
            {"input", input_path},
            {"model_prefix", model_prefix},
            {"vocab_size", std::to_string(vocab_size)},
            {"model_type", model_type ? model_type : "unigram"},
            {"character_coverage", "1.0"},
            {"hard_vocab_limit", "false"},
            {"byte_fallback", "true"},
            {"minloglevel", "2"},
            {"num_threads", "1"},
            {"pad_id", "0"},
            {"unk_id", "1"},
            {"bos_id", "2"},
            {"eos_id", "3"},
            {"user_defined_symbols", "[MASK],[SEP],[CLS]"}};
        const auto status = sentencepiece::SentencePieceTrainer::Train(args);
        if (!status.ok()) {
            setErr(err, errlen, status.ToString());
            return -1;
        }
        return 0;
    } catch (const std::exception& e) {
        setErr(err, errlen, e.what());
        return -1;
    }
}

__attribute__((visibility("default"))) kgwb_spm* kgwb_spm_load(const char* bytes, size_t len,
                                                               char* err, size_t errlen)
{
    try {
        auto* p = new kgwb_spm;
        const auto status = p->proc.LoadFromSerializedProto(std::string_view(bytes, len));
        if (!status.ok()) {
            setErr(err, errlen, status.ToString());
            delete p;
            return nullptr;
        }
        return p;
    } catch (const std::exception& e) {
        setErr(err, errlen, e.what());
        return nullptr;
    }
}

__attribute__((visibility("default"))) void kgwb_spm_free(kgwb_spm* p) { delete p; }

__attribute__((visibility("default"))) int kgwb_spm_vocab_size(const kgwb_spm* p)
{
    return p->proc.GetPieceSize();
}

__attribute__((visibility("default"))) long kgwb_spm_encode(const kgwb_spm* p, const char* text,
                                                            size_t len, int* ids, size_t cap)
{
    std::vector<int> out;
    if (!p->proc.Encode(std::string_view(text, len), &out).ok())
        return -1;
    if (ids && cap >= out.size())
        std::memcpy(ids, out.data(), out.size() * sizeof(int));
    return static_cast<long>(out.size());
}

__attribute__((visibility("default"))) long kgwb_spm_decode(const kgwb_spm* p, const int* ids,
                                                            size_t n, char* out, size_t cap)
{
    std::string s;
    const std::vector<int> v(ids, ids + n);
    for (int id : v)
        if (id < 0 || id >= p->proc.GetPieceSize())
            return -1;
    if (!p->proc.Decode(v, &s).ok())
        return -1;
    return copyOut(s, out, cap);
}

__attribute__((visibility("default"))) long kgwb_spm_id_to_piece(const kgwb_spm* p, int id,
                                                                 char* out, size_t cap)
{
    if (id < 0 || id >= p->proc.GetPieceSize())
        return -1;
    return copyOut(p->proc.IdToPiece(id), out, cap);
}

__attribute__((visibility("default"))) int kgwb_spm_piece_to_id(const kgwb_spm* p,
                                                                const char* piece, size_t len)
{
    return p->proc.PieceToId(std::string_view(piece, len));
}

} // extern "C"
