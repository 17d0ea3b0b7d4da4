// libFuzzer target: checkpoint files (KGE or transformer). Loading checks lengths, CRC,
// metadata and every tensor's shape before anything is copied: any input gives a result or
// kg::Error(Format|Io|InvalidArgument), never a crash. Accepted KGE checkpoints of a small
// shape are also loaded into a trainer (the full path the CLI and the GUI take).
#include <torch/torch.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "ml/checkpoint.h"
#include "ml/kg_data.h"
#include "ml/trainer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        const kg::ml::CheckpointInfo info = kg::ml::checkpointInfoFromBytes(bytes, "fuzz.ckpt");
        auto config = info.config;
        if (config.model == kg::ml::ModelKind::Transformer || info.numEntities <= 0 || info.numEntities > 1000 ||
            info.numRelations <= 0 || info.numRelations > 100 || config.dim > 256)
            return 0; // metadata parsed; a model of that shape is not built here
        config.device = "cpu";
        config.threads = 1;
        const auto train = torch::zeros({1, 3}, torch::kInt64);
        const auto data = kg::ml::KgData::fromTensors(info.numEntities, info.numRelations, train, train, train);
        kg::ml::Trainer trainer(config, data);
        kg::ml::loadCheckpointBytes(bytes, "fuzz.ckpt", trainer);
    } catch (const kg::Error& e) {
        if (e.code() != kg::Errc::Format && e.code() != kg::Errc::Io && e.code() != kg::Errc::InvalidArgument)
            kgfuzz::fail(e.what());
    }
    return 0;
}
