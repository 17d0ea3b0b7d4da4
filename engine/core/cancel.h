// Cooperative cancellation shared between the thread that asks and the thread that works.
#pragma once

#include <atomic>

#include "core/error.h"

namespace kg {

class CancelToken {
public:
    void cancel() noexcept { flag_.store(true, std::memory_order_relaxed); }
    void reset() noexcept { flag_.store(false, std::memory_order_relaxed); }
    bool cancelled() const noexcept { return flag_.load(std::memory_order_relaxed); }
    // Throws Error(Errc::Cancelled) if cancel() was called.
    void throwIfCancelled() const
    {
        if (cancelled())
            throw Error(Errc::Cancelled, "operation cancelled");
    }

private:
    std::atomic<bool> flag_{false};
};

} // namespace kg
