#include "ask_worker.h"

#include <QDir>
#include <QFileInfo>

#include "core/error.h"
#include "ml/qa.h"
#include "qa/qa_import.h"
#include "qt_convert.h"
#include "store/project.h"

namespace kgw {

AskWorker::AskWorker(QObject* parent)
    : QObject(parent)
    , askThread_(QStringLiteral("ask"))
    , jobThread_(QStringLiteral("qa-job"))
{
    qRegisterMetaType<kgw::AskResult>();
}

AskWorker::~AskWorker()
{
    cancelTraining();
    jobThread_.stop();
    askThread_.post([this] { // engine objects die on their own thread
        answerer_.reset();
        labels_.reset();
    });
    askThread_.stop();
}

void AskWorker::configure(const QString& projectPath, qint64 run, qint64 completionRun)
{
    askThread_.post([this, projectPath, run, completionRun] {
        projectPath_ = projectPath;
        run_ = run;
        completionRun_ = completionRun;
        dirty_ = true;
    });
}

quint64 AskWorker::ask(const QString& question, qint64 topic, const QList<qint64>& path)
{
    const quint64 token = ++next_;
    askThread_.post([this, token, question, topic, path] {
        AskResult out;
        out.token = token;
        try {
            if (dirty_ || !answerer_) {
                answerer_.reset();
                labels_.reset();
                answerer_ = kg::ml::QaAnswerer::load(ss(projectPath_), run_, completionRun_);
                labels_ = kg::Project::open(ss(projectPath_), kg::Project::OpenMode::ReadOnly);
                dirty_ = false;
            }
            kg::ml::QaAskOptions o;
            o.topic = topic;
            o.path.assign(path.begin(), path.end());
            const auto r = answerer_->ask(ss(question), o);
            auto entity = [&](int64_t id) {
                const auto e = labels_->entity(id);
                return e ? qs(e->displayName()) : QString::number(id);
            };
            for (const auto& w : r.words)
                out.words << qs(w);
            out.topicBegin = static_cast<int>(r.topicBegin);
            out.topicEnd = static_cast<int>(r.topicEnd);
            out.topic = r.topic;
            out.topicLabel = r.topic ? entity(r.topic) : QString();
            out.linkedBy = qs(r.linkedBy);
            out.milliseconds = r.milliseconds;
            for (const auto& p : r.paths) {
                AskPathRow row;
                row.probability = p.probability;
                row.reached = p.reached;
                for (const auto& h : p.hops) {
                    const auto rel = labels_->relation(h.relation);
                    AskHopRow hop;
                    hop.relation = h.inverse ? -h.relation : h.relation;
                    hop.relationName = (h.inverse ? QStringLiteral("~") : QString()) +
                                       (rel ? qs(rel->displayName()) : QString::number(h.relation));
                    hop.probability = h.probability;
                    hop.attention = QVector<float>(h.attention.begin(), h.attention.end());
                    row.text += (row.text.isEmpty() ? QString() : QStringLiteral(" > ")) + hop.relationName;
                    row.hops << hop;
                }
                out.paths << row;
            }
            for (const auto& a : r.answers) {
                AskAnswerRow row;
                row.entity = a.entity;
                row.label = entity(a.entity);
                row.score = a.score;
                row.path = static_cast<int>(a.path);
                for (size_t h = 0; h < a.chain.size(); ++h) {
                    const bool guessed = h > 0 && h - 1 < a.predicted.size() && a.predicted[h - 1];
                    row.predicted = row.predicted || guessed;
                    row.walk += (h == 0 ? QString() : guessed ? QStringLiteral(" ⇢ ") : QStringLiteral(" → ")) + entity(a.chain[h]);
                }
                row.triples = QList<qint64>(a.triples.begin(), a.triples.end());
                out.answers << row;
            }
        } catch (const std::exception& e) { // kg::Error, c10::Error, std: a message, never terminate
            out.error = qs(e.what());
        }
        Q_EMIT answered(out);
    });
    return token;
}

void AskWorker::importQuestions(const QString& projectPath, const QString& file)
{
    jobThread_.post([this, projectPath, file] {
        try {
            auto project = kg::Project::open(ss(projectPath), kg::Project::OpenMode::MustExist);
            kg::qa::QaImportOptions o;
            const QFileInfo info(file);
            const QString split = info.dir().filePath(info.completeBaseName() + QStringLiteral("-split.tsv"));
            if (QFileInfo::exists(split))
                o.splitFile = ss(split);
            const auto r = kg::qa::importQaPairs(*project, ss(file), o);
            Q_EMIT jobDone(true, tr("Imported %1 questions (train %2, valid %3, test %4).")
                                     .arg(r.total())
                                     .arg(r.train)
                                     .arg(r.valid)
                                     .arg(r.test));
        } catch (const std::exception& e) {
            Q_EMIT jobDone(false, tr("Import failed: %1").arg(qs(e.what())));
        }
    });
}

void AskWorker::train(const QString& projectPath, int epochs, bool weak)
{
    {
        std::lock_guard<std::mutex> lock(jobMutex_);
        cancelRequested_ = false;
    }
    jobThread_.post([this, projectPath, epochs, weak] {
        try {
            kg::ml::QaTrainSpec spec;
            spec.epochs = epochs;
            spec.weak = weak;
            kg::ml::QaJob job(ss(projectPath), spec);
            {
                std::lock_guard<std::mutex> lock(jobMutex_);
                if (cancelRequested_)
                    job.cancel();
                job_ = &job;
            }
            const auto r = job.run([this](const kg::ml::JobEvent& e) {
                if (e.kind == kg::ml::JobEvent::Kind::Progress || e.kind == kg::ml::JobEvent::Kind::Epoch) {
                    const double done = static_cast<double>(e.epoch - (e.kind == kg::ml::JobEvent::Kind::Progress)) +
                                        (e.kind == kg::ml::JobEvent::Kind::Progress && e.stepsPerEpoch
                                             ? static_cast<double>(e.step) / static_cast<double>(e.stepsPerEpoch)
                                             : 0.0);
                    Q_EMIT jobProgress(static_cast<int>(100.0 * done / static_cast<double>(std::max<int64_t>(e.epochs, 1))),
                                       tr("Epoch %1 of %2, loss %3").arg(e.epoch).arg(e.epochs).arg(e.loss, 0, 'f', 4));
                }
            });
            {
                std::lock_guard<std::mutex> lock(jobMutex_);
                job_ = nullptr;
            }
            Q_EMIT jobDone(r.status == "finished",
                           tr("Run %1 %2: test Hits@1 %3, path accuracy %4 (%5 questions).")
                               .arg(r.runId)
                               .arg(r.status == "finished" ? tr("finished") : tr("cancelled"))
                               .arg(r.test.hits1, 0, 'f', 3)
                               .arg(r.test.pathAccuracy, 0, 'f', 3)
                               .arg(r.test.questions));
        } catch (const std::exception& e) {
            {
                std::lock_guard<std::mutex> lock(jobMutex_);
                job_ = nullptr;
            }
            Q_EMIT jobDone(false, tr("Training failed: %1").arg(qs(e.what())));
        }
    });
}

void AskWorker::cancelTraining()
{
    std::lock_guard<std::mutex> lock(jobMutex_);
    cancelRequested_ = true;
    if (job_)
        job_->cancel();
}

} // namespace kgw
