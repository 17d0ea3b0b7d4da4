#include "ml/checkpoint.h"

#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <zlib.h>

#include "core/error.h"
#include "io/whole_file.h"

namespace kg::ml {
namespace {

constexpr char kMagic[8] = {'K', 'G', 'W', 'B', 'C', 'K', 'P', 'T'};
constexpr uint32_t kVersion = 1;

template <typename T>
void put(std::string& out, T v)
{
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

struct Reader {
    const std::string& data;
    const std::string& path;
    size_t pos = 0;
    template <typename T>
    T get(const char* what)
    {
        if (data.size() - pos < sizeof(T))
            throw Error(Errc::Format, "checkpoint '" + path + "' is truncated (in " + what + ")");
        T v;
        std::memcpy(&v, data.data() + pos, sizeof v);
        pos += sizeof v;
        return v;
    }
    std::string bytes(uint64_t n, const char* what)
    {
        if (n > data.size() - pos)
            throw Error(Errc::Format, "checkpoint '" + path + "' is truncated or corrupt (" + what +
                                          " claims " + std::to_string(n) + " bytes)");
        std::string out = data.substr(pos, n);
        pos += n;
        return out;
    }
};

struct Parsed {
    CheckpointInfo info;
    std::string archive;
};

} // namespace

std::string readCheckpointFile(const std::string& path) { return io::readWholeFile(path, "checkpoint"); }

namespace {

Parsed parse(const std::string& data, const std::string& path)
{
    if (data.size() < sizeof kMagic + 4 || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0)
        throw Error(Errc::Format, "'" + path + "' is not a KG Workbench checkpoint");
    if (data.size() < 4 + sizeof kMagic + 4)
        throw Error(Errc::Format, "checkpoint '" + path + "' is truncated");
    uint32_t storedCrc;
    std::memcpy(&storedCrc, data.data() + data.size() - 4, 4);
    const auto crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size() - 4)));
    Reader r{data, path, sizeof kMagic};
    const auto version = r.get<uint32_t>("version");
    if (version != kVersion)
        throw Error(Errc::Format, "checkpoint '" + path + "' has format version " + std::to_string(version) +
                                      "; this program reads version " + std::to_string(kVersion));
    if (crc != storedCrc)
        throw Error(Errc::Format, "checkpoint '" + path + "' is corrupt (CRC mismatch)");
    const std::string meta = r.bytes(r.get<uint64_t>("metadata length"), "metadata");
    Parsed p;
    p.archive = r.bytes(r.get<uint64_t>("tensor length"), "tensors");
    try {
        const auto j = nlohmann::json::parse(meta);
        p.info.config = TrainConfig::fromJson(j.at("config").dump());
        // Runs stored before "lora_entities" existed gave the entity rows a rank-r adapter.
        const auto& stored = j.at("config");
        if (stored.contains("transformer") && stored["transformer"].is_object() &&
            !stored["transformer"].contains("lora_entities"))
            p.info.config.transformer.loraEntities = "adapter";
        p.info.numEntities = j.at("num_entities").get<int64_t>();
        p.info.numRelations = j.at("num_relations").get<int64_t>();
        p.info.epochsDone = j.at("epochs_done").get<int64_t>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(Errc::Format, "checkpoint '" + path + "' has bad metadata: " + e.what());
    } catch (const Error& e) {
        throw Error(Errc::Format, "checkpoint '" + path + "' has bad metadata: " + e.reason());
    }
    if (p.info.numEntities <= 0 || p.info.numRelations <= 0 || p.info.epochsDone < 0)
        throw Error(Errc::Format, "checkpoint '" + path + "' has impossible sizes in its metadata");
    return p;
}

} // namespace

void writeParameters(torch::serialize::OutputArchive& archive, const torch::nn::Module& model, const std::string& prefix)
{
    for (const auto& p : model.named_parameters())
        archive.write(prefix + p.key(), p.value().detach().to(torch::kCPU));
}

void readParameters(torch::serialize::InputArchive& archive, torch::nn::Module& model, const std::string& prefix,
                    const std::function<void(const std::string&)>& fail)
{
    torch::NoGradGuard noGrad;
    for (auto& p : model.named_parameters()) {
        torch::Tensor stored;
        if (!archive.try_read(prefix + p.key(), stored))
            fail("missing tensor '" + p.key() + "'");
        if (stored.sizes() != p.value().sizes() || stored.scalar_type() != p.value().scalar_type())
            fail("tensor '" + p.key() + "' has shape " + c10::str(stored.sizes()) + ", expected " +
                 c10::str(p.value().sizes()));
        p.value().copy_(stored);
    }
}

std::string checkpointBytes(const JobTrainer& trainer)
{
    torch::serialize::OutputArchive archive;
    trainer.saveState(archive);
    std::ostringstream blob;
    archive.save_to(blob);
    const std::string tensors = blob.str();
    const std::string meta = nlohmann::json{{"config", nlohmann::json::parse(trainer.config().toJson())},
                                            {"num_entities", trainer.numEntities()},
                                            {"num_relations", trainer.numRelations()},
                                            {"epochs_done", trainer.epochsDone()}}
                                 .dump();
    std::string out(kMagic, sizeof kMagic);
    put<uint32_t>(out, kVersion);
    put<uint64_t>(out, meta.size());
    out += meta;
    put<uint64_t>(out, tensors.size());
    out += tensors;
    put<uint32_t>(out, static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(out.data()),
                                                  static_cast<uInt>(out.size()))));
    return out;
}

void saveCheckpoint(const std::string& path, const JobTrainer& trainer)
{
    io::writeFileAtomically(path, checkpointBytes(trainer), "checkpoint");
}

CheckpointInfo readCheckpointInfo(const std::string& path) { return parse(readCheckpointFile(path), path).info; }

CheckpointInfo checkpointInfoFromBytes(const std::string& bytes, const std::string& name)
{
    return parse(bytes, name).info;
}

namespace {

void loadArchive(const std::string& tensors, const std::string& name, torch::serialize::InputArchive& archive)
{
    try {
        std::istringstream blob(tensors);
        archive.load_from(blob, torch::Device(torch::kCPU));
    } catch (const c10::Error& e) {
        throw Error(Errc::Format, "checkpoint '" + name + "' has unreadable tensors: " + e.what_without_backtrace());
    }
}

} // namespace

void readCheckpointArchive(const std::string& bytes, const std::string& name, torch::serialize::InputArchive& out)
{
    loadArchive(parse(bytes, name).archive, name, out);
}

OpenedCheckpoint openCheckpoint(const std::string& bytes, const std::string& name)
{
    Parsed p = parse(bytes, name);
    OpenedCheckpoint out;
    out.info = p.info;
    loadArchive(p.archive, name, out.archive);
    out.tokenizer = archiveTokenizer(out.archive).value_or(std::string());
    return out;
}

void loadCheckpoint(OpenedCheckpoint& c, const std::string& name, JobTrainer& trainer)
{
    if (c.info.numEntities != trainer.numEntities() || c.info.numRelations != trainer.numRelations())
        throw Error(Errc::Format, "checkpoint '" + name + "' is for " + std::to_string(c.info.numEntities) +
                                      " entities and " + std::to_string(c.info.numRelations) +
                                      " relations; this graph has " + std::to_string(trainer.numEntities()) +
                                      " and " + std::to_string(trainer.numRelations()));
    if ((c.info.config.model == ModelKind::Transformer) != (trainer.config().model == ModelKind::Transformer))
        throw Error(Errc::Format, "checkpoint '" + name + "' holds a " + modelName(c.info.config.model) +
                                      " model, not a " + modelName(trainer.config().model) + " model");
    trainer.loadState(c.archive, c.info.epochsDone, name);
}

void loadCheckpointBytes(const std::string& bytes, const std::string& name, JobTrainer& trainer)
{
    auto opened = openCheckpoint(bytes, name);
    loadCheckpoint(opened, name, trainer);
}

void loadCheckpoint(const std::string& path, JobTrainer& trainer) { loadCheckpointBytes(readCheckpointFile(path), path, trainer); }

std::optional<std::string> archiveTokenizer(torch::serialize::InputArchive& archive)
{
    torch::Tensor tok;
    if (!archive.try_read("tokenizer", tok) || tok.scalar_type() != torch::kUInt8 || tok.dim() != 1)
        return std::nullopt;
    const auto* p = tok.data_ptr<uint8_t>();
    return std::string(p, p + tok.numel());
}

} // namespace kg::ml
