// Ctrl-C and SIGTERM for kgwb's long commands. While an InterruptScope lives, both signals
// call its handler, which may only do async-signal-safe work (an atomic store: a
// CancelToken's or a job's cancel()); when the scope ends, on every path out, exceptions
// included, the default actions return. One scope at a time (kgwb runs one command).
#pragma once

#include "core/cancel.h"

namespace kgcli {

class InterruptScope {
public:
    // cancelInterruptToken when omitted: the signals cancel interruptToken().
    explicit InterruptScope(void (*handler)(int) = nullptr);
    // The signals call job.cancel() (TrainJob, QaJob, ExtractJob: an atomic store).
    template <class Job>
    explicit InterruptScope(Job& job)
        : InterruptScope(&job, [](void* j) { static_cast<Job*>(j)->cancel(); })
    {
    }
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

private:
    InterruptScope(void* target, void (*cancel)(void*));
};

// The process's token for commands that take a CancelToken; the default scope's signals
// cancel it.
kg::CancelToken& interruptToken();

} // namespace kgcli
