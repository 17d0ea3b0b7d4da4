#include "ml/model_file.h"

#include <cstring>
#include <sstream>

namespace kg::ml {

std::string packModelFile(std::string_view magic, const nlohmann::json& meta, torch::serialize::OutputArchive& archive)
{
    const std::string metaText = meta.dump();
    std::ostringstream blob;
    archive.save_to(blob);
    std::string out(magic);
    const uint64_t n = metaText.size();
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out += metaText;
    out += blob.str();
    return out;
}

nlohmann::json unpackModelFile(const std::string& bytes, std::string_view magic, const std::string& kind,
                               torch::serialize::InputArchive& archive,
                               const std::function<void(const std::string&)>& fail)
{
    const size_t head = magic.size() + sizeof(uint64_t);
    if (bytes.size() < head || std::memcmp(bytes.data(), magic.data(), magic.size()) != 0)
        fail("not " + kind);
    uint64_t n = 0;
    std::memcpy(&n, bytes.data() + magic.size(), sizeof n);
    if (n > bytes.size() - head)
        fail("metadata longer than the file");
    nlohmann::json meta;
    try {
        meta = nlohmann::json::parse(bytes.substr(head, n));
    } catch (const nlohmann::json::exception& e) {
        fail(std::string("bad metadata: ") + e.what());
    }
    try {
        std::istringstream blob(bytes.substr(head + n));
        archive.load_from(blob, torch::Device(torch::kCPU));
    } catch (const c10::Error& e) {
        fail(std::string("unreadable tensors: ") + e.what_without_backtrace());
    }
    return meta;
}

} // namespace kg::ml
