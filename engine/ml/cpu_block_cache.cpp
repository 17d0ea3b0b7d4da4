#include "ml/cpu_block_cache.h"

#include <c10/core/CPUAllocator.h>

#include <algorithm>
#include <list>
#include <mutex>
#include <unordered_map>

#include "ml/torch_compat.h"

namespace kg::ml {
namespace {

class CachingCpuAllocator;
CachingCpuAllocator& cache(); // the one instance, installed on first use

// Every DataPtr it returns is "simple" (data == context), as LibTorch's own CPU allocator's
// are, so raw_allocate/raw_deallocate (used by oneDNN) work: the one deleter looks the block
// up and passes any other pointer to the wrapped allocator's deleter.
class CachingCpuAllocator final : public compat::CpuAllocatorBase<> {
public:
    explicit CachingCpuAllocator(c10::Allocator* inner)
        : inner_(inner)
    {
    }

    c10::DataPtr allocateBlock(size_t n) override
    {
        if (n < CpuBlockCacheScope::kMinTrackedBytes)
            return inner_->allocate(n);
        c10::DataPtr block;
        std::list<Block> dropped; // freed after the lock is released, before a new block is made
        size_t mark = 0; // the scope's mark once this block exists (a failed one leaves it)
        {
            const std::lock_guard lock(mutex_);
            if (scopes_ > 0 && n >= CpuBlockCacheScope::kMinBlockBytes)
                for (auto it = free_.begin(); it != free_.end(); ++it)
                    if (it->size == n) {
                        block = std::move(it->block);
                        cached_ -= n;
                        free_.erase(it);
                        ++hits_;
                        break;
                    }
            if (!block && scopes_ > 0) {
                // Kept blocks never hold the process more than one large block above the most
                // its tracked blocks were live at once: a new size (an epoch's short last
                // batch) displaces them. The slack lets a step whose small tensors vary by a
                // few MB keep the blocks its next phase will ask for.
                mark = std::max(highWater_, liveBytes_ + n);
                while (!free_.empty() && liveBytes_ + n + cached_ > mark + CpuBlockCacheScope::kMinBlockBytes)
                    releaseOldest(dropped);
                misses_ += n >= CpuBlockCacheScope::kMinBlockBytes;
            }
            liveBytes_ += n;
        }
        dropped.clear();
        if (!block) {
            try {
                block = inner_->allocate(n); // outside the lock: may take a while
            } catch (...) { // out of memory: the job fails; the counts stay right for the next
                const std::lock_guard lock(mutex_);
                liveBytes_ -= n;
                throw;
            }
        }
        void* data = block.get();
        {
            const std::lock_guard lock(mutex_);
            highWater_ = std::max(highWater_, mark);
            live_.emplace(data, Block{n, std::move(block)});
        }
        return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
    }

    c10::DeleterFnPtr raw_deleter() const override { return &release; }

    void enter()
    {
        const std::lock_guard lock(mutex_);
        if (scopes_++ == 0)
            highWater_ = liveBytes_;
    }

    void leave()
    {
        std::list<Block> dropped;
        {
            const std::lock_guard lock(mutex_);
            if (--scopes_ > 0)
                return;
            dropped.swap(free_);
            cached_ = 0;
        }
        // `dropped` goes out of scope here: the wrapped allocator frees each block, unlocked
    }

    CpuBlockCacheScope::Stats stats() const
    {
        const std::lock_guard lock(mutex_);
        return {hits_, misses_, cached_, liveBytes_, highWater_};
    }

private:
    struct Block {
        size_t size;
        c10::DataPtr block; // the wrapped allocator's
    };

    static void release(void* data) { cache().keepOrFree(data); }

    // Moves the least recently freed kept block to `dropped` (freed by the caller, unlocked).
    void releaseOldest(std::list<Block>& dropped)
    {
        cached_ -= free_.front().size;
        dropped.splice(dropped.end(), free_, free_.begin());
    }

    void keepOrFree(void* data)
    {
        std::list<Block> dropped; // freed after the lock is released
        {
            std::unique_lock lock(mutex_);
            const auto it = live_.find(data);
            if (it == live_.end()) {
                // not one of the large blocks: the wrapped allocator's own (raw_deallocate)
                lock.unlock();
                if (const auto del = inner_->raw_deleter())
                    del(data);
                return;
            }
            const size_t size = it->second.size;
            liveBytes_ -= size;
            if (scopes_ > 0 && size >= CpuBlockCacheScope::kMinBlockBytes &&
                size <= CpuBlockCacheScope::kMaxCachedBytes) {
                while (cached_ + size > CpuBlockCacheScope::kMaxCachedBytes)
                    releaseOldest(dropped);
                cached_ += size;
                free_.push_back(std::move(it->second));
            } else {
                dropped.push_back(std::move(it->second));
            }
            live_.erase(it);
        }
    }

    c10::Allocator* inner_;
    mutable std::mutex mutex_;
    std::unordered_map<void*, Block> live_;
    std::list<Block> free_; // least recently freed first
    size_t cached_ = 0;    // bytes in free_
    size_t liveBytes_ = 0; // bytes in live_
    size_t highWater_ = 0; // the most liveBytes_ was after a miss in this scope (the mark)
    int scopes_ = 0;
    int64_t hits_ = 0, misses_ = 0;
};

CachingCpuAllocator& cache()
{
    static CachingCpuAllocator* const installed = [] {
        // Never destroyed: tensors it made may outlive every scope, up to process exit.
        auto* a = new CachingCpuAllocator(c10::GetCPUAllocator());
        c10::SetCPUAllocator(a, /*priority=*/100);
        return a;
    }();
    return *installed;
}

} // namespace

CpuBlockCacheScope::CpuBlockCacheScope() { cache().enter(); }

CpuBlockCacheScope::~CpuBlockCacheScope() { cache().leave(); }

CpuBlockCacheScope::Stats CpuBlockCacheScope::stats() { return cache().stats(); }

} // namespace kg::ml
