// Checkpoints of a Trainer: model parameters, optimizer state, sampler RNG state, epochs done
// and the config, in one file written atomically (temp file, fsync, rename).
//
// Layout: "KGWBCKPT" | u32 version | u64 n | n bytes JSON metadata | u64 m | m bytes torch
// archive | u32 CRC-32 of everything before. Loading checks every length against the file
// size, the CRC, the metadata, and each tensor's shape before anything is copied.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ml/job_trainer.h"

namespace kg::ml {

struct CheckpointInfo {
    TrainConfig config;
    int64_t numEntities = 0;
    int64_t numRelations = 0;
    int64_t epochsDone = 0;
};

// Every parameter of `model` under prefix + its name, on the CPU.
void writeParameters(torch::serialize::OutputArchive& archive, const torch::nn::Module& model, const std::string& prefix);
// Copies every parameter of `model` from prefix + its name after checking shape and dtype; a
// missing or different tensor is reported through fail(reason), which must throw.
void readParameters(torch::serialize::InputArchive& archive, torch::nn::Module& model, const std::string& prefix,
                    const std::function<void(const std::string&)>& fail);

// Any trainer (KGE or transformer); the config in the metadata says which.
void saveCheckpoint(const std::string& path, const JobTrainer& trainer);
std::string checkpointBytes(const JobTrainer& trainer);

// The bytes of a checkpoint file, unchecked (see checkpointInfoFromBytes). Throws Error(Io).
std::string readCheckpointFile(const std::string& path);

// Reads only the metadata (validated like a full load). Throws Error(Errc::Format|Io).
CheckpointInfo readCheckpointInfo(const std::string& path);
CheckpointInfo checkpointInfoFromBytes(const std::string& bytes, const std::string& name);

// Restores the trainer's model, optimizer, RNG and epoch count. The trainer must have been
// built with the same model shapes; otherwise Error(Errc::Format) says which tensor differs.
// Tensors are read onto the CPU first (a checkpoint written on a GPU loads on a CPU-only host)
// and copied to the trainer's device.
void loadCheckpoint(const std::string& path, JobTrainer& trainer);
void loadCheckpointBytes(const std::string& bytes, const std::string& name, JobTrainer& trainer);
// A checkpoint read once (metadata and tensors, validated, on the CPU): to build a trainer
// from its config and tokenizer, then load it, without checking and parsing the bytes again.
struct OpenedCheckpoint {
    CheckpointInfo info;
    torch::serialize::InputArchive archive;
    std::string tokenizer; // archiveTokenizer(archive), "" when it holds none
};
OpenedCheckpoint openCheckpoint(const std::string& bytes, const std::string& name);
// loadCheckpointBytes' checks and load, from an opened checkpoint.
void loadCheckpoint(OpenedCheckpoint& checkpoint, const std::string& name, JobTrainer& trainer);
// The tensor archive of a checkpoint (validated like a full load), mapped to the CPU.
void readCheckpointArchive(const std::string& bytes, const std::string& name, torch::serialize::InputArchive& out);
// The tokenizer a transformer's checkpoint (or kept model) was trained with, which gives its
// piece rows their meaning; nullopt when it holds none (a 1-D uint8 "tokenizer"): it read no
// text, or predates checkpoints carrying it. OpenedCheckpoint::tokenizer holds it.
std::optional<std::string> archiveTokenizer(torch::serialize::InputArchive& archive);

} // namespace kg::ml
