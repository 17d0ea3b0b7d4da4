// Host tensors for a step's inputs, on the training device without stalling it.
#pragma once

#include <torch/torch.h>

namespace kg::ml {

// `host` (a CPU tensor) on `device`. On CUDA the data goes through pinned memory and is copied
// in stream order without the host waiting: LibTorch's plain `.to(cuda)` from pageable memory
// synchronises the stream, so the GPU would idle while the host builds the next batch.
// LibTorch's caching host allocator keeps the pinned block until the copy has run, so `host`
// may be dropped at once. On the CPU: `host` itself.
inline torch::Tensor toDevice(const torch::Tensor& host, const torch::Device& device)
{
    if (!device.is_cuda())
        return host.to(device);
    return host.pin_memory().to(device, /*non_blocking=*/true);
}

} // namespace kg::ml
