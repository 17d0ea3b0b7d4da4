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
    return post(question, topic, QString(), path);
}

quint64 AskWorker::askAbout(const QString& question, const QString& topicKey)
{
    return post(question, 0, topicKey, {});
}

quint64 AskWorker::post(const QString& question, qint64 topic, const QString& topicKey, const QList<qint64>& path)
{
    const quint64 token = ++next_;
    askThread_.post([this, token, question, topic, topicKey, path]() mutable {
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
            if (!topicKey.isEmpty()) {
                const auto e = labels_->entityByKey(ss(topicKey));
                if (!e) {
                    out.unknownTopic = topicKey;
                    Q_EMIT answered(out);
                    return;
                }
                topic = e->id;
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

} // namespace kgw
