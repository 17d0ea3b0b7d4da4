// A named thread that runs posted functions one after another, in order (the pattern behind
// the layout, explain and training workers). Destruction runs what is already posted, then
// joins: post cleanup of thread-owned objects last, before the owner's members go away.
#pragma once

#include <QObject>
#include <QThread>
#include <functional>

namespace kgw {

class WorkerThread {
public:
    explicit WorkerThread(const QString& name);
    ~WorkerThread(); // quits after the posted work and joins
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    // Queues fn to run on the thread (callable from any thread).
    void post(std::function<void()> fn);
    // Runs the posted functions, then stops and joins (idempotent).
    void stop();

private:
    QThread thread_;
    QObject* context_; // lives on thread_; deleted there when it finishes
};

} // namespace kgw
