#include "worker_thread.h"

#include <QMetaObject>

namespace kgw {

WorkerThread::WorkerThread(const QString& name)
    : context_(new QObject)
{
    thread_.setObjectName(name);
    context_->moveToThread(&thread_);
    QObject::connect(&thread_, &QThread::finished, context_, &QObject::deleteLater);
    thread_.start();
}

WorkerThread::~WorkerThread() { stop(); }

void WorkerThread::post(std::function<void()> fn) { QMetaObject::invokeMethod(context_, std::move(fn)); }

void WorkerThread::stop()
{
    thread_.quit();
    thread_.wait();
}

} // namespace kgw
