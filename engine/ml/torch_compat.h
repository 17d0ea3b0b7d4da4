// The few places where LibTorch 1.13 (Debian, CPU) and 2.x (e.g. a CUDA build from a PyTorch
// install) differ, in one header. Everything else in engine/ml compiles against both as is.
// KGWB_TORCH_CUDA is defined by CMake when the LibTorch found has CUDA (c10_cuda).
#pragma once

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <optional>

#if defined(KGWB_TORCH_CUDA)
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#endif
#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>
#include <sstream>
#include <string>
#include <type_traits>

namespace kg::ml::compat {

// A c10::Allocator whose allocate() forwards to allocateBlock(). LibTorch 1.13's allocate() is
// const, later ones' is not; later ones also declare copy_data() (pure virtual in 2.x releases
// since about 2.3), defined here as a memcpy. Both picked by what the headers declare.
template <typename Base, bool = requires(const Base& a, void* d, const void* s) { a.copy_data(d, s, size_t{}); }>
struct WithCopyData : Base {};
template <typename Base>
struct WithCopyData<Base, true> : Base {
    void copy_data(void* dest, const void* src, std::size_t count) const override { std::memcpy(dest, src, count); }
};
template <typename A = c10::Allocator,
          bool Const = std::is_same_v<decltype(&A::allocate), c10::DataPtr (A::*)(size_t) const>>
struct CpuAllocatorBase;
template <typename A>
struct CpuAllocatorBase<A, true> : WithCopyData<A> {
    virtual c10::DataPtr allocateBlock(size_t n) = 0;
    c10::DataPtr allocate(size_t n) const override { return const_cast<CpuAllocatorBase*>(this)->allocateBlock(n); }
};
template <typename A>
struct CpuAllocatorBase<A, false> : WithCopyData<A> {
    virtual c10::DataPtr allocateBlock(size_t n) = 0;
    c10::DataPtr allocate(size_t n) override { return allocateBlock(n); }
};

// The key an optimizer files a parameter's state under: the TensorImpl's address as a string
// in LibTorch 1.13, the address itself in later versions (picked from the map's key type).
template <typename Optimizer>
auto optimizerStateKey(Optimizer& optimizer, const torch::Tensor& p)
{
    using Key = typename std::decay_t<decltype(optimizer.state())>::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream key; // as 1.13's c10::guts::to_string writes a pointer
        key << p.unsafeGetTensorImpl();
        return key.str();
    } else
        return static_cast<Key>(p.unsafeGetTensorImpl());
}

// Bytes the caching allocator has handed out on a CUDA device (nullopt: no CUDA build).
inline std::optional<int64_t> cudaAllocatedBytes(c10::DeviceIndex device)
{
#if defined(KGWB_TORCH_CUDA)
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device);
    return stats.allocated_bytes[0].current; // StatType::AGGREGATE
#else
    (void)device;
    return std::nullopt;
#endif
}

// "NVIDIA H200, 139.8 GiB" for CUDA device `index` ("" without a CUDA build).
inline std::string cudaDeviceDescription(int index)
{
#if defined(KGWB_TORCH_CUDA)
    const auto* p = at::cuda::getDeviceProperties(index);
    char memory[32];
    std::snprintf(memory, sizeof memory, "%.1f GiB", static_cast<double>(p->totalGlobalMem) / (1024.0 * 1024 * 1024));
    return std::string(p->name) + ", " + memory;
#else
    (void)index;
    return {};
#endif
}

// While alive, an OpenBLAS (Debian's libblas.so.3 alternative) runs single-threaded, restored
// after. For many small GEMMs inside LibTorch's OpenMP pool (the transformer), OpenBLAS's own
// threads fight the pool's spinning threads: one epoch of umls took 33.9 s instead of 23.9 s
// on 2 cores. Large single GEMMs (KGE 1-vs-all) keep OpenBLAS threads. No-op without OpenBLAS.
class SingleThreadedBlas {
public:
    SingleThreadedBlas()
    {
        set_ = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
        auto get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
        if (set_ && get) {
            previous_ = get();
            set_(1);
        }
    }
    ~SingleThreadedBlas()
    {
        if (set_ && previous_ > 0)
            set_(previous_);
    }
    SingleThreadedBlas(const SingleThreadedBlas&) = delete;
    SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

private:
    void (*set_)(int) = nullptr;
    int previous_ = 0;
};

// While alive, operations on a CUDA `device` run under bf16 autocast (matmuls in bf16, losses
// and reductions in fp32), when `enabled`. LibTorch 1.13 and 2.x name the switches differently.
// (CPU autocast is wired too, but 1.13's CPU layer norm rejects bf16 input: TextTrainer refuses.)
class Bf16Autocast {
public:
    Bf16Autocast(const torch::Device& device, bool enabled)
        : type_(device.type())
        , on_(enabled && (type_ == torch::kCUDA || type_ == torch::kCPU))
    {
        if (!on_)
            return;
        at::autocast::increment_nesting();
#if TORCH_VERSION_MAJOR >= 2
        was_ = at::autocast::is_autocast_enabled(type_);
        dtype_ = at::autocast::get_autocast_dtype(type_);
        at::autocast::set_autocast_enabled(type_, true);
        at::autocast::set_autocast_dtype(type_, at::kBFloat16);
#else
        if (type_ == torch::kCUDA) {
            was_ = at::autocast::is_enabled();
            dtype_ = at::autocast::get_autocast_gpu_dtype();
            at::autocast::set_enabled(true);
            at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        } else {
            was_ = at::autocast::is_cpu_enabled();
            dtype_ = at::autocast::get_autocast_cpu_dtype();
            at::autocast::set_cpu_enabled(true);
            at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        }
#endif
    }
    ~Bf16Autocast()
    {
        if (!on_)
            return;
#if TORCH_VERSION_MAJOR >= 2
        at::autocast::set_autocast_enabled(type_, was_);
        at::autocast::set_autocast_dtype(type_, dtype_);
#else
        if (type_ == torch::kCUDA) {
            at::autocast::set_enabled(was_);
            at::autocast::set_autocast_gpu_dtype(dtype_);
        } else {
            at::autocast::set_cpu_enabled(was_);
            at::autocast::set_autocast_cpu_dtype(dtype_);
        }
#endif
        if (at::autocast::decrement_nesting() == 0)
            at::autocast::clear_cache();
    }
    Bf16Autocast(const Bf16Autocast&) = delete;
    Bf16Autocast& operator=(const Bf16Autocast&) = delete;

private:
    c10::DeviceType type_;
    bool on_;
    bool was_ = false;
    at::ScalarType dtype_ = at::kBFloat16;
};

// Adam over a list of tensors in one fused kernel per launch (ATen's _fused_adam_: CUDA since
// 2.0, CPU since 2.4; used from 2.4 on). steps: float32 step counts on the device, already
// counting this step (the kernel reads them for the bias corrections and leaves them as they
// are; torch's Python optimizer adds 1 before calling it). Not amsgrad. Throws where unavailable.
#define KGWB_TORCH_HAS_FUSED_ADAM (TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4))
inline constexpr bool kHasFusedAdam = KGWB_TORCH_HAS_FUSED_ADAM;
inline void fusedAdam(const std::vector<torch::Tensor>& params, const std::vector<torch::Tensor>& grads,
                      const std::vector<torch::Tensor>& expAvg, const std::vector<torch::Tensor>& expAvgSq,
                      const std::vector<torch::Tensor>& steps, double lr, double beta1, double beta2,
                      double weightDecay, double eps)
{
#if KGWB_TORCH_HAS_FUSED_ADAM
    at::_fused_adam_(params, grads, expAvg, expAvgSq, {}, steps, lr, beta1, beta2, weightDecay, eps,
                     /*amsgrad=*/false, /*maximize=*/false);
#else
    (void)params, (void)grads, (void)expAvg, (void)expAvgSq, (void)steps, (void)lr, (void)beta1, (void)beta2,
        (void)weightDecay, (void)eps;
    throw std::logic_error("fused Adam needs LibTorch 2.4 or later");
#endif
}

// The default CPU generator's state (dropout draws from it), for bit-exact resume.
inline torch::Tensor defaultCpuGeneratorState() { return at::detail::getDefaultCPUGenerator().get_state(); }
inline void setDefaultCpuGeneratorState(const torch::Tensor& state)
{
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
}

} // namespace kg::ml::compat
