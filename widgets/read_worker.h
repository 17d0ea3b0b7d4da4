// A worker thread with its own read-only connection to a project, for the widgets that must not
// run SQL on the GUI thread (the graph session, the search box, the inspector): reads run there
// one after another, in the order posted, and each result is handed back, queued, to its
// receiver's thread. Stale results are the receiver's business (its tokens).
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QString>
#include <exception>
#include <memory>
#include <string>

#include "read_connection.h"
#include "worker_thread.h"

namespace kgw {

class ReadWorker {
public:
    explicit ReadWorker(const QString& name)
        : thread_(name)
    {
    }
    // Runs the reads already posted, closes the connection on its own thread, then joins. As
    // the owner's last member it goes first, before what the reads' results touch.
    ~ReadWorker()
    {
        thread_.post([connection = connection_] { connection->reset(); });
        thread_.stop();
    }
    ReadWorker(const ReadWorker&) = delete;
    ReadWorker& operator=(const ReadWorker&) = delete;

    // Runs read(project, out) on the worker over its connection to `path`; an exception's message
    // goes to out.error (Result has a QString `error`). Then apply(std::move(out)) runs on
    // receiver's thread, or never if the receiver is gone by then.
    template <typename Result, typename Read, typename Apply>
    void post(QObject* receiver, const std::string& path, Read read, Apply apply)
    {
        thread_.post([receiver, path, read, apply, connection = connection_] {
            Result out;
            try {
                read(connection->open(path), out);
            } catch (const std::exception& e) {
                out.error = QString::fromUtf8(e.what());
            }
            QMetaObject::invokeMethod(receiver, [apply, out = std::move(out)]() mutable { apply(std::move(out)); },
                                      Qt::QueuedConnection);
        });
    }

private:
    std::shared_ptr<ReadConnection> connection_ = std::make_shared<ReadConnection>();
    WorkerThread thread_;
};

} // namespace kgw
