#include "interrupt.h"

#include <atomic>
#include <csignal>

namespace kgcli {
namespace {

kg::CancelToken gToken;

// The job a job scope cancels (lock-free atomics: read from the signal handler).
std::atomic<void*> gTarget{nullptr};
std::atomic<void (*)(void*)> gCancelTarget{nullptr};

extern "C" void cancelInterruptToken(int)
{
    gToken.cancel(); // a lock-free atomic store: async-signal-safe
}

extern "C" void cancelTarget(int)
{
    if (auto cancel = gCancelTarget.load())
        cancel(gTarget.load()); // the job's cancel(): an atomic store
}

} // namespace

kg::CancelToken& interruptToken()
{
    return gToken;
}

InterruptScope::InterruptScope(void (*handler)(int))
{
    std::signal(SIGINT, handler ? handler : cancelInterruptToken);
    std::signal(SIGTERM, handler ? handler : cancelInterruptToken);
}

InterruptScope::InterruptScope(void* target, void (*cancel)(void*))
{
    gTarget = target;
    gCancelTarget = cancel;
    std::signal(SIGINT, cancelTarget);
    std::signal(SIGTERM, cancelTarget);
}

InterruptScope::~InterruptScope()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    gCancelTarget = nullptr;
    gTarget = nullptr;
}

} // namespace kgcli
