#include "text/tokenizer.h"

#include <dlfcn.h>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unistd.h>
#include <filesystem>

#include "core/error.h"
#include "text/spm_shim_api.h"

namespace kg::text {
namespace {

struct ShimApi {
    std::string path;
    decltype(&kgwb_spm_train) train = nullptr;
    decltype(&kgwb_spm_load) load = nullptr;
    decltype(&kgwb_spm_free) free = nullptr;
    decltype(&kgwb_spm_vocab_size) vocabSize = nullptr;
    decltype(&kgwb_spm_encode) encode = nullptr;
    decltype(&kgwb_spm_decode) decode = nullptr;
    decltype(&kgwb_spm_id_to_piece) idToPiece = nullptr;
    decltype(&kgwb_spm_piece_to_id) pieceToId = nullptr;
};

std::vector<std::string> candidatePaths()
{
    std::vector<std::string> out;
    if (const char* env = std::getenv("KGWB_SPM_SHIM"))
        out.emplace_back(env);
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto dir = exe.parent_path();
        out.push_back((dir / "libkgwb_spm.so").string());
#ifdef KGWB_SPM_SHIM_FROM_BIN
        out.push_back((dir / KGWB_SPM_SHIM_FROM_BIN / "libkgwb_spm.so").string());
#endif
        out.push_back((dir / "../lib/kg-workbench/libkgwb_spm.so").string());
    }
#ifdef KGWB_SPM_SHIM_BUILD_PATH
    out.emplace_back(KGWB_SPM_SHIM_BUILD_PATH);
#endif
    return out;
}

// Opens the shim where sentencepiece's protobuf cannot meet libtorch's: first in a link-map
// namespace of its own (dlmopen), which also works under ASan/UBSan (they refuse DEEPBIND) since
// the shim is built uninstrumented; then, should namespaces run out, in its own symbol scope
// (RTLD_DEEPBIND). Returns nullptr with both reasons in `why`.
void* openIsolated(const std::string& path, std::string& why)
{
    if (void* h = dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL))
        return h;
    why = std::string("dlmopen: ") + dlerror();
    if (void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND))
        return h;
    why += "; dlopen: " + std::string(dlerror());
    return nullptr;
}

// Loads the shim once per process; the handle is intentionally never closed.
const ShimApi& shim()
{
    static std::once_flag once;
    static ShimApi api;
    static std::string failure;
    std::call_once(once, [] {
        std::string tried;
        void* h = nullptr;
        for (const auto& p : candidatePaths()) {
            if (!std::filesystem::exists(p)) {
                tried += "\n  " + p + " (missing)";
                continue;
            }
            std::string why;
            h = openIsolated(p, why);
            if (h) {
                api.path = p;
                break;
            }
            tried += "\n  " + p + " (" + why + ")";
        }
        if (!h) {
            failure = "cannot load the sentencepiece shim libkgwb_spm.so; tried:" + tried;
            return;
        }
        auto sym = [&](auto& fn, const char* name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(h, name));
            if (!fn && failure.empty())
                failure = api.path + " lacks symbol " + name;
        };
        decltype(&kgwb_spm_abi_version) abi = nullptr;
        sym(abi, "kgwb_spm_abi_version");
        sym(api.train, "kgwb_spm_train");
        sym(api.load, "kgwb_spm_load");
        sym(api.free, "kgwb_spm_free");
        sym(api.vocabSize, "kgwb_spm_vocab_size");
        sym(api.encode, "kgwb_spm_encode");
        sym(api.decode, "kgwb_spm_decode");
        sym(api.idToPiece, "kgwb_spm_id_to_piece");
        sym(api.pieceToId, "kgwb_spm_piece_to_id");
        if (failure.empty() && abi() != KGWB_SPM_ABI_VERSION)
            failure = api.path + " has ABI version " + std::to_string(abi()) + ", expected " +
                      std::to_string(KGWB_SPM_ABI_VERSION);
    });
    if (!failure.empty())
        throw Error(Errc::Library, failure);
    return api;
}

} // namespace

struct Tokenizer::Handle {
    kgwb_spm* p = nullptr;
    ~Handle()
    {
        if (p)
            shim().free(p);
    }
};

Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

std::string Tokenizer::shimPath() { return shim().path; }

Tokenizer Tokenizer::fromModelBytes(const std::string& bytes)
{
    const ShimApi& api = shim();
    char err[512] = {0};
    kgwb_spm* p = api.load(bytes.data(), bytes.size(), err, sizeof err);
    if (!p)
        throw Error(Errc::Format, std::string("invalid sentencepiece model: ") + err);
    Tokenizer t;
    t.handle_ = std::make_unique<Handle>();
    t.handle_->p = p;
    t.bytes_ = bytes;
    return t;
}

Tokenizer Tokenizer::train(const std::vector<std::string>& sentences, int vocabSize,
                           const std::string& modelType)
{
    const ShimApi& api = shim();
    namespace fs = std::filesystem;
    char dirTemplate[] = "/tmp/kgwb-spm-XXXXXX";
    if (!mkdtemp(dirTemplate))
        throw Error(Errc::Io, "cannot create a temporary directory for tokenizer training");
    const fs::path dir(dirTemplate);
    struct Cleanup {
        fs::path d;
        ~Cleanup()
        {
            std::error_code ec;
            fs::remove_all(d, ec);
        }
    } cleanup{dir};
    {
        std::ofstream in(dir / "corpus.txt", std::ios::binary);
        for (const auto& s : sentences) {
            std::string line = s;
            for (char& c : line)
                if (c == '\n' || c == '\r')
                    c = ' ';
            if (!line.empty())
                in << line << '\n';
        }
        if (!in)
            throw Error(Errc::Io, "cannot write tokenizer corpus in " + dir.string());
    }
    char err[1024] = {0};
    if (api.train((dir / "corpus.txt").c_str(), (dir / "spm").c_str(), vocabSize,
                  modelType.c_str(), err, sizeof err) != 0)
        throw Error(Errc::Library, std::string("tokenizer training failed: ") + err);
    std::ifstream model(dir / "spm.model", std::ios::binary);
    std::stringstream bytes;
    bytes << model.rdbuf();
    return fromModelBytes(bytes.str());
}

std::vector<int> Tokenizer::encode(std::string_view text) const
{
    const ShimApi& api = shim();
    std::vector<int> ids(text.size() + 8);
    long n = api.encode(handle_->p, text.data(), text.size(), ids.data(), ids.size());
    if (n < 0)
        throw Error(Errc::Library, "sentencepiece failed to encode text");
    if (static_cast<size_t>(n) > ids.size()) {
        ids.resize(static_cast<size_t>(n));
        n = api.encode(handle_->p, text.data(), text.size(), ids.data(), ids.size());
    }
    ids.resize(static_cast<size_t>(n));
    return ids;
}

std::string Tokenizer::decode(const std::vector<int>& ids) const
{
    const ShimApi& api = shim();
    std::string out(ids.size() * 8 + 16, '\0');
    long n = api.decode(handle_->p, ids.data(), ids.size(), out.data(), out.size());
    if (n < 0)
        throw Error(Errc::InvalidArgument, "cannot decode: token id out of range");
    if (static_cast<size_t>(n) > out.size()) {
        out.resize(static_cast<size_t>(n));
        n = api.decode(handle_->p, ids.data(), ids.size(), out.data(), out.size());
    }
    out.resize(static_cast<size_t>(n));
    return out;
}

std::string Tokenizer::piece(int id) const
{
    const ShimApi& api = shim();
    std::string out(64, '\0');
    long n = api.idToPiece(handle_->p, id, out.data(), out.size());
    if (n < 0)
        throw Error(Errc::InvalidArgument, "token id " + std::to_string(id) + " out of range");
    if (static_cast<size_t>(n) > out.size()) {
        out.resize(static_cast<size_t>(n));
        n = api.idToPiece(handle_->p, id, out.data(), out.size());
    }
    out.resize(static_cast<size_t>(n));
    return out;
}

int Tokenizer::pieceId(std::string_view p) const { return shim().pieceToId(handle_->p, p.data(), p.size()); }

int Tokenizer::vocabSize() const { return shim().vocabSize(handle_->p); }

} // namespace kg::text
