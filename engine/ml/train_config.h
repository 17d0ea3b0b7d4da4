// Training configuration for knowledge-graph embedding models. Torch-free, so that the GUI
// and the CLI can build and validate configs; JSON round-trips with every field.
#pragma once

#include <cstdint>
#include <string>

namespace kg::ml {

enum class ModelKind { TransE, DistMult, ComplEx, RotatE };
enum class TrainMode { NegativeSampling, OneVsAll };
enum class LossKind { Margin, BCE, CE };
enum class SamplerKind { Uniform, Bernoulli };
enum class RegKind { None, L2, N3 };
enum class OptimizerKind { Adam, Adagrad };

struct TrainConfig {
    ModelKind model = ModelKind::ComplEx;
    int64_t dim = 200;      // real dimensions; ComplEx/RotatE use dim/2 complex components
    double gamma = 12.0;    // score offset of distance models (TransE, RotatE)
    int pNorm = 1;          // TransE distance norm
    TrainMode mode = TrainMode::OneVsAll;
    LossKind loss = LossKind::CE;
    SamplerKind sampler = SamplerKind::Uniform;
    int64_t negatives = 64;     // per positive (shared within a chunk)
    int64_t negChunk = 32;      // positives sharing one negative set (1 = independent)
    double advTemperature = 0;  // > 0: self-adversarial weighting of negatives (BCE loss)
    double margin = 1.0;        // Margin loss
    RegKind reg = RegKind::None;
    double regWeight = 0.0;
    OptimizerKind optimizer = OptimizerKind::Adam;
    double lr = 0.01;
    int64_t batchSize = 256;
    int64_t epochs = 50;
    uint64_t seed = 42;
    int threads = 0;            // 0 = all cores
    std::string device = "auto"; // auto | cpu | cuda | cuda:N
    int64_t evalBatch = 256;

    std::string toJson() const;
    // Throws Error(Errc::InvalidArgument) naming the bad field.
    static TrainConfig fromJson(const std::string& json);
    // Throws Error(Errc::InvalidArgument) for inconsistent settings.
    void validate() const;
};

const char* modelName(ModelKind m);
ModelKind parseModel(const std::string& name); // throws InvalidArgument

} // namespace kg::ml
