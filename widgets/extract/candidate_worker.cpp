#include "candidate_worker.h"

#include "core/error.h"
#include "ml/extract.h"
#include "qt_convert.h"
#include "store/candidate_store.h"
#include "store/doc_store.h"
#include "store/project.h"
#include "store/run_store.h"
#include "store/run_summary.h"
#include "text/doc_import.h"

namespace kgw {

namespace {

// UTF-16 offset of a byte offset into UTF-8 text.
int utf16Offset(const std::string& text, int byteOffset)
{
    const auto n = static_cast<size_t>(std::clamp(byteOffset, 0, static_cast<int>(text.size())));
    return static_cast<int>(QString::fromUtf8(text.data(), static_cast<qsizetype>(n)).size());
}

} // namespace

CandidateWorker::CandidateWorker(QObject* parent)
    : QObject(parent)
    , listThread_(QStringLiteral("candidates"))
    , jobThread_(QStringLiteral("extract-job"))
{
    qRegisterMetaType<kgw::CandidatePage>();
}

CandidateWorker::~CandidateWorker()
{
    cancelJob();
    jobThread_.stop();
    listThread_.post([this] { project_.reset(); });
    listThread_.stop();
}

void CandidateWorker::configure(const QString& projectPath)
{
    path_ = projectPath;
    listThread_.post([this, projectPath] {
        project_.reset();
        if (!projectPath.isEmpty())
            project_ = kg::Project::open(ss(projectPath), kg::Project::OpenMode::MustExist);
    });
}

quint64 CandidateWorker::list(const QString& status, double minScore, int limit, bool relations)
{
    const quint64 token = ++next_;
    listThread_.post([this, token, status, minScore, limit, relations] {
        CandidatePage page;
        page.token = token;
        try {
            if (!project_)
                throw kg::Error(kg::Errc::InvalidArgument, "no project is open");
            kg::CandidateStore store(*project_);
            const auto counts = store.counts();
            page.pending = counts.pending;
            page.accepted = counts.accepted;
            page.rejected = counts.rejected;
            const auto docs = kg::DocStore(*project_).counts();
            page.documents = docs.documents;
            page.sentences = docs.sentences;
            auto name = [&](int64_t id, bool relation, QString* key) {
                const auto r = relation ? project_->relation(id) : project_->entity(id);
                if (key)
                    *key = r ? qs(r->key) : QString();
                return r ? qs(r->displayName()) : QString::number(id);
            };
            for (const auto& c : store.list(ss(status), minScore, limit)) {
                CandidateRow row;
                row.id = c.id;
                row.head = c.head;
                row.relation = c.rel;
                row.tail = c.tail;
                row.headLabel = name(c.head, false, &row.headKey);
                row.relationLabel = name(c.rel, true, nullptr);
                row.tailLabel = name(c.tail, false, &row.tailKey);
                row.status = qs(c.status);
                row.score = c.score;
                for (const auto& e : c.evidence)
                    row.evidence << EvidenceRow{qs(e.text), qs(e.docName), utf16Offset(e.text, e.headBegin),
                                                utf16Offset(e.text, e.headEnd), utf16Offset(e.text, e.tailBegin),
                                                utf16Offset(e.text, e.tailEnd), e.score};
                page.rows << row;
            }
            if (relations)
                for (const auto& r : project_->relations())
                    page.relations << qMakePair(static_cast<qint64>(r.id), qs(r.displayName()));
            for (const auto& r : kg::RunStore(*project_).runs()) {
                const QString when = qs(r.created);
                if (r.kind == "extract" && r.status != "running" && r.status != "failed")
                    page.extractRuns << qMakePair(qint64(r.id), tr("Run %1 (%2)").arg(r.id).arg(when));
            }
            for (const auto& kept : kg::keptModels(*project_)) // triple scorers with their checkpoint
                if (kept.run.kind == "kge" && kept.summary.model != "compgcn")
                    page.kgeRuns << qMakePair(qint64(kept.run.id), tr("Run %1 %2 (%3)")
                                                                       .arg(kept.run.id)
                                                                       .arg(qs(kept.summary.model), qs(kept.run.created)));
        } catch (const std::exception& e) {
            page.error = qs(e.what());
        }
        Q_EMIT listed(page);
    });
    return token;
}

void CandidateWorker::postJob(const QString& failurePrefix,
                              std::function<QString(const std::string&, const kg::CancelToken&)> fn)
{
    auto token = std::make_shared<kg::CancelToken>();
    {
        std::lock_guard<std::mutex> lock(jobMutex_);
        cancel_ = token;
    }
    const std::string path = ss(path_);
    jobThread_.post([this, token, fn, failurePrefix, path] {
        try {
            if (path.empty())
                throw kg::Error(kg::Errc::InvalidArgument, "no project is open");
            const QString summary = fn(path, *token);
            Q_EMIT jobDone(true, summary);
        } catch (const kg::Error& e) {
            Q_EMIT jobDone(false, e.code() == kg::Errc::Cancelled ? tr("Cancelled; nothing was changed.")
                                                                  : failurePrefix + qs(e.what()));
        } catch (const std::exception& e) {
            Q_EMIT jobDone(false, failurePrefix + qs(e.what()));
        }
    });
}

void CandidateWorker::importDocuments(const QStringList& files, bool descriptions)
{
    std::vector<std::string> paths;
    for (const QString& f : files)
        paths.push_back(ss(f));
    postJob(tr("Import failed: "), [this, paths, descriptions](const std::string& project, const kg::CancelToken& cancel) {
        QString summary;
        if (!paths.empty()) {
            const auto r = kg::text::importDocuments(project, paths, {}, [this](size_t done, size_t total) {
                Q_EMIT jobProgress(static_cast<int>(100 * done / std::max<size_t>(total, 1)),
                                   tr("Reading document %1 of %2").arg(done).arg(total));
            }, &cancel);
            summary = tr("Imported %1 documents, %2 sentences.").arg(r.documents).arg(r.sentences);
        }
        if (descriptions) {
            const int64_t n = kg::text::importDescriptions(project);
            summary += (summary.isEmpty() ? QString() : QStringLiteral(" ")) +
                       tr("Added %1 entity descriptions as documents.").arg(n);
        }
        return summary;
    });
}

void CandidateWorker::extract(qint64 run, qint64 kgeRun, double minScore)
{
    postJob(tr("Extraction failed: "), [this, run, kgeRun, minScore](const std::string& project, const kg::CancelToken& cancel) {
        kg::ml::ExtractOptions o;
        o.run = run;
        o.kgeRun = kgeRun;
        o.minScore = minScore;
        const auto r = kg::ml::extractTriples(project, o, [this](int64_t done, int64_t total) {
            Q_EMIT jobProgress(static_cast<int>(100 * done / std::max<int64_t>(total, 1)),
                               tr("Extracting: document %1 of %2").arg(done).arg(total));
        }, &cancel);
        return tr("%1 candidates from %2 sentences (%3 entity pairs); %4 new for review.")
            .arg(r.candidates)
            .arg(r.sentences)
            .arg(r.pairs)
            .arg(r.stored);
    });
}

void CandidateWorker::cancelJob()
{
    std::lock_guard<std::mutex> lock(jobMutex_);
    if (cancel_)
        cancel_->cancel();
}

} // namespace kgw
