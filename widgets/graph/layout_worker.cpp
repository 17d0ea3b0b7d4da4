#include "layout_worker.h"

#include <QElapsedTimer>
#include <QMetaObject>

#include "layout/layout_cache.h"
#include "layout/layout_process.h"
#include "qt_convert.h"
#include "store/project.h"

namespace kgw {

LayoutWorker::LayoutWorker(QObject* parent)
    : QObject(parent)
    , thread_(QStringLiteral("layout"))
{
    qRegisterMetaType<kgw::LayoutOutcome>();
}

LayoutWorker::~LayoutWorker()
{
    cancel();
    thread_.post([this] { cache_.reset(); }); // closed on its own thread
    thread_.stop();
}

void LayoutWorker::cancel()
{
    if (current_)
        current_->cancel();
}

kg::Project* LayoutWorker::cacheProject(const QString& path)
{
    if (path.isEmpty())
        return nullptr;
    if (!cache_ || cachePath_ != path) {
        cache_.reset();
        cache_ = kg::Project::open(ss(path), kg::Project::OpenMode::MustExist);
        cachePath_ = path;
    }
    return cache_.get();
}

quint64 LayoutWorker::request(const kg::layout::LayoutInput& input, const QString& projectPath)
{
    cancel();
    const quint64 token = ++nextToken_;
    auto cancelToken = std::make_shared<kg::CancelToken>();
    current_ = cancelToken;
    ++running_;
    thread_.post([this, input, projectPath, token, cancelToken] {
        LayoutOutcome out;
        out.token = token;
        QElapsedTimer timer;
        timer.start();
        try {
            cancelToken->throwIfCancelled();
            const std::string key = kg::layout::layoutKey(input);
            kg::Project* project = cacheProject(projectPath);
            if (project) {
                if (auto hit = kg::layout::LayoutCache(*project).find(key)) {
                    out.result = std::make_shared<const kg::layout::LayoutResult>(std::move(*hit));
                    out.fromCache = true;
                }
            }
            if (!out.result) {
                // In a helper process: cancellable at once, and safe in a process that links
                // LibTorch (layout/layout_process.h). In-process only if there is no helper.
                auto result = std::make_shared<kg::layout::LayoutResult>(
                    kg::layout::layoutHelperPath().empty() ? kg::layout::computeLayout(input, cancelToken.get())
                                                           : kg::layout::computeLayoutIsolated(input, cancelToken.get()));
                if (project)
                    kg::layout::LayoutCache(*project).store(key, input.algorithm, *result);
                out.result = std::move(result);
            }
        } catch (const kg::Error& e) {
            out.cancelled = e.code() == kg::Errc::Cancelled;
            out.error = qs(e.what());
            out.result.reset();
        }
        out.elapsedMs = timer.elapsed();
        --running_;
        Q_EMIT finished(out); // queued to the receiver's (GUI) thread
    });
    return token;
}

} // namespace kgw
