#include "interrupt.h"

#include <csignal>

namespace kgcli {
namespace {

kg::CancelToken gToken;

extern "C" void cancelInterruptToken(int)
{
    gToken.cancel(); // a lock-free atomic store: async-signal-safe
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

InterruptScope::~InterruptScope()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

} // namespace kgcli
