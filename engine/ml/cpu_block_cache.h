// Large CPU tensor blocks kept for reuse during a training job.
//
// LibTorch's CPU allocator gets each block from malloc, and glibc maps every block above its
// mmap threshold (32 MiB at most) afresh and unmaps it when freed. A training step allocates
// the same large tensors each time (at batch 1024 on fb15k-237 the transformer's [1024, 14541]
// scores are 60 MB), so it paid their page faults every step: a quarter of the step's CPU time
// in `perf`. Letting malloc keep them (M_MMAP_MAX 0) fixed the speed but held 300 MB more,
// fragmented between smaller blocks; this cache keeps exactly the freed large blocks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kg::ml {

// While any scope is alive (any thread; they nest), CPU tensor blocks of at least
// kMinBlockBytes are kept when freed and handed out again for a request of the same size; at
// most kMaxCachedBytes are kept, the least recently freed released first. Kept blocks never
// raise the process more than kMinBlockBytes above the most bytes its blocks of at least
// kMinTrackedBytes had live at once in the scope (the mark, counted as blocks are made anew,
// not as kept ones are reused): a request no kept block fits (a new size, such as an epoch's
// short last batch) first releases the least recently freed ones until live and kept bytes
// fit under that bound. When the last scope ends, every kept block is
// released. The first scope installs the cache as LibTorch's CPU allocator for the rest of
// the process, wrapping the allocator it replaces (which still makes every block; blocks
// under kMinTrackedBytes pass straight through, and outside a scope nothing is kept).
class CpuBlockCacheScope {
public:
    static constexpr size_t kMinBlockBytes = size_t{32} << 20;
    static constexpr size_t kMaxCachedBytes = size_t{2} << 30;
    static constexpr size_t kMinTrackedBytes = size_t{1} << 20; // counted towards the mark

    CpuBlockCacheScope();
    ~CpuBlockCacheScope();
    CpuBlockCacheScope(const CpuBlockCacheScope&) = delete;
    CpuBlockCacheScope& operator=(const CpuBlockCacheScope&) = delete;

    struct Stats {
        int64_t hits = 0, misses = 0; // large requests served from the cache / by a new block
        size_t cachedBytes = 0;       // kept now, free
        size_t liveBytes = 0;         // blocks of at least kMinTrackedBytes in use now
        size_t markBytes = 0;         // the most of them live at once in this scope, as counted
                                      // whenever one is made anew (a reused block never raises it)
    };
    static Stats stats();
};

} // namespace kg::ml
