#include "import_worker.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <future>

#include "qt_convert.h"
#include "store/project.h"

namespace kgw {

struct ImportWorker::Job {
    kg::CancelToken cancel;
    std::promise<void> done;
    std::shared_future<void> finished = done.get_future().share();
};

ImportWorker::ImportWorker(QObject* parent)
    : QObject(parent)
    , thread_(std::make_unique<WorkerThread>(QStringLiteral("kgwb-import")))
{
    qRegisterMetaType<kgw::ImportOutcome>();
}

ImportWorker::~ImportWorker()
{
    cancel();
    thread_.reset(); // runs (a cancelled) job to its end and joins
}

void ImportWorker::cancel()
{
    if (job_)
        job_->cancel.cancel();
}

void ImportWorker::wait()
{
    if (job_)
        job_->finished.wait();
}

quint64 ImportWorker::start(const QString& projectPath, kg::import::ImportRequest request)
{
    if (busy_.exchange(true))
        return 0;
    wait();
    const quint64 token = nextToken_++;
    auto job = std::make_shared<Job>();
    job_ = job;
    request.parse.cancel = &job->cancel;
    const std::string path = ss(projectPath);
    thread_->post([this, job, token, path, request]() {
        ImportOutcome outcome;
        outcome.token = token;
        QElapsedTimer sinceEmit;
        sinceEmit.start();
        try {
            auto project = kg::Project::open(path);
            outcome.report = kg::import::runImport(
                *project, request, [&](const kg::import::ImportProgress& p) {
                    if (sinceEmit.elapsed() < 50) // at most 20 updates a second
                        return;
                    sinceEmit.restart();
                    const int percent = p.bytesTotal ? static_cast<int>(100 * p.bytesDone / p.bytesTotal) : 0;
                    QMetaObject::invokeMethod(
                        this, [this, token, percent, triples = static_cast<qint64>(p.triples),
                               file = qs(p.file)] { Q_EMIT progress(token, percent, triples, file); },
                        Qt::QueuedConnection);
                });
            outcome.ok = true;
        } catch (const kg::Error& e) {
            outcome.cancelled = e.code() == kg::Errc::Cancelled;
            outcome.error = qs(e.what());
        } catch (const std::exception& e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, outcome] {
                busy_.store(false);
                Q_EMIT finished(outcome);
            },
            Qt::QueuedConnection);
        job->done.set_value();
    });
    return token;
}

} // namespace kgw
