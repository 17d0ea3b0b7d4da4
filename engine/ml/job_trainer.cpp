#include "ml/job_trainer.h"

#include <cstdio>
#include <thread>
#include <unistd.h>

#include "core/error.h"
#include "ml/text_trainer.h"
#include "ml/trainer.h"
#include "ml/torch_compat.h"

namespace kg::ml {

torch::Device selectDevice(const std::string& spec)
{
    if (spec == "cpu")
        return torch::kCPU;
    if (spec == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    if (!torch::cuda::is_available())
        throw Error(Errc::InvalidArgument, "device '" + spec + "' requested but CUDA is not available");
    int index = 0;
    if (spec.size() > 5) {
        try {
            index = std::stoi(spec.substr(5));
        } catch (const std::exception&) {
            throw Error(Errc::InvalidArgument, "device '" + spec + "' is not cuda:N");
        }
    }
    if (index < 0 || index >= static_cast<int>(torch::cuda::device_count()))
        throw Error(Errc::InvalidArgument, "no CUDA device " + std::to_string(index));
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

int64_t JobTrainer::memoryInUse() const
{
    if (device().is_cuda()) {
        if (const auto bytes = compat::cudaAllocatedBytes(device().index()))
            return *bytes;
    }
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

std::chrono::steady_clock::duration JobTrainer::waitWhilePaused(const CancelToken* cancel) const
{
    const auto start = std::chrono::steady_clock::now();
    while (pause_ && pause_->load()) {
        if (cancel)
            cancel->throwIfCancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::chrono::steady_clock::now() - start;
}

std::unique_ptr<JobTrainer> makeTrainer(const TrainConfig& config, const KgData& data, const std::string& projectPath)
{
    if (config.model == ModelKind::Transformer)
        return std::make_unique<TextTrainer>(config, data, projectPath);
    return std::make_unique<Trainer>(config, data);
}

} // namespace kg::ml
