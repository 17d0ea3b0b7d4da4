// Runs an import's SQL writes on a writer thread, in the order they were posted, while the
// importer's own thread goes on parsing and looking up keys (SQLite's inserts then overlap
// that work instead of following it). The importer's thread holds the project's connection
// lock for the whole import and touches the connection only after drain(), so the connection
// is used by one thread at a time. Without a second core the writes run inline in post().
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kg::import {

class WriteBehind {
public:
    using Write = std::function<void()>;

    explicit WriteBehind(bool threaded);
    // Stops the writer; writes not yet run are dropped (the caller rolls back).
    ~WriteBehind();
    WriteBehind(const WriteBehind&) = delete;
    WriteBehind& operator=(const WriteBehind&) = delete;

    // Queues a write. Throws the first error a write threw (later posts throw it again).
    // Waits while the writer is two batches behind, which bounds the memory queued.
    void post(Write write);
    // Returns once every posted write has run; throws the first error one threw.
    void drain();

    double busySeconds() const { return busy_; }  // the writer's time in writes
    double waitSeconds() const { return waited_; } // the caller's time blocked on the writer

private:
    static constexpr size_t kBatch = 512; // writes handed over at once
    void handOver();
    void run();
    void rethrowLocked(std::unique_lock<std::mutex>& lock);

    const bool threaded_;
    std::vector<Write> filling_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::vector<Write>> queue_; // guarded by mutex_
    bool running_ = false;                 // the writer is inside a batch; guarded
    bool stop_ = false;                    // guarded
    std::exception_ptr error_;             // guarded
    double busy_ = 0, waited_ = 0;
    std::thread writer_;
};

} // namespace kg::import
