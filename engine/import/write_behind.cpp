#include "import/write_behind.h"

#include <chrono>

namespace kg::import {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

} // namespace

WriteBehind::WriteBehind(bool threaded)
    : threaded_(threaded)
{
    if (threaded_)
        writer_ = std::thread([this] { run(); });
}

WriteBehind::~WriteBehind()
{
    if (!threaded_)
        return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        queue_.clear();
    }
    changed_.notify_all();
    writer_.join();
}

void WriteBehind::rethrowLocked(std::unique_lock<std::mutex>& lock)
{
    if (!error_)
        return;
    const std::exception_ptr e = error_;
    lock.unlock();
    std::rethrow_exception(e);
}

void WriteBehind::post(Write write)
{
    if (!threaded_) {
        if (error_)
            std::rethrow_exception(error_);
        const auto start = Clock::now();
        try {
            write();
        } catch (...) {
            error_ = std::current_exception();
            throw;
        }
        busy_ += since(start);
        return;
    }
    filling_.push_back(std::move(write));
    if (filling_.size() >= kBatch)
        handOver();
}

void WriteBehind::handOver()
{
    const auto start = Clock::now();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < 2 || error_; });
    waited_ += since(start);
    rethrowLocked(lock);
    if (filling_.empty())
        return;
    queue_.push_back(std::move(filling_));
    filling_.clear();
    lock.unlock();
    changed_.notify_all();
}

void WriteBehind::drain()
{
    if (!threaded_) {
        if (error_)
            std::rethrow_exception(error_);
        return;
    }
    handOver();
    const auto start = Clock::now();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return (queue_.empty() && !running_) || error_; });
    waited_ += since(start);
    rethrowLocked(lock);
}

void WriteBehind::run()
{
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_)
            return;
        std::vector<Write> batch = std::move(queue_.front());
        queue_.pop_front();
        running_ = true;
        lock.unlock();
        const auto start = Clock::now();
        std::exception_ptr failed;
        try {
            for (Write& w : batch)
                w();
        } catch (...) {
            failed = std::current_exception();
        }
        const double took = since(start);
        lock.lock();
        busy_ += took;
        running_ = false;
        if (failed) {
            error_ = failed;
            queue_.clear();
        }
        changed_.notify_all();
        if (failed) {
            // Wait to be stopped; later posts see the error.
            changed_.wait(lock, [&] { return stop_; });
            return;
        }
    }
}

} // namespace kg::import
