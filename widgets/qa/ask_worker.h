// Runs question answering off the GUI thread: one engine QaAnswerer (the chosen qa run's
// model, the graph and the entity linker), owned by the ask thread and built lazily, and
// question imports on a second thread (so asking stays possible). Training is a job in the
// Training tab's queue (TrainingPanel::startJob). Requests carry tokens; results come back through queued signals.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <atomic>
#include <memory>

#include "worker_thread.h"

namespace kg {
class Project;
}
namespace kg::ml {
class QaAnswerer;
} // namespace kg::ml

namespace kgw {

struct AskHopRow {
    qint64 relation = 0; // signed: -id walks the relation backwards
    QString relationName;
    double probability = 0;
    QVector<float> attention; // over AskResult::words
};

struct AskPathRow {
    QString text; // "spouse > nationality"
    double probability = 0;
    qint64 reached = 0;
    QList<AskHopRow> hops;
};

struct AskAnswerRow {
    qint64 entity = 0;
    QString label;
    double score = 0;
    int path = 0;    // into AskResult::paths
    QString walk;    // "A → B → C" ("⇢" where the hop is a predicted fact)
    bool predicted = false; // the walk uses a fact the completion run predicted
    QList<qint64> triples;
};

struct AskResult {
    quint64 token = 0;
    QString error;
    QStringList words;
    int topicBegin = 0, topicEnd = 0;
    qint64 topic = 0;
    QString topicLabel, linkedBy;
    QString unknownTopic; // askAbout(): the key no entity has (nothing was asked)
    QList<AskPathRow> paths;
    QList<AskAnswerRow> answers;
    double milliseconds = 0;
};

class AskWorker : public QObject {
    Q_OBJECT
public:
    explicit AskWorker(QObject* parent = nullptr);
    ~AskWorker() override;

    // The project and qa run (0 = newest) to answer with, and a CompGCN run that completes
    // walks where the graph lacks a fact (0 = none); the models load on the next ask.
    void configure(const QString& projectPath, qint64 run, qint64 completionRun = 0);
    // topic: 0 = link from the text; path: fixed first hops (relation ids, -id = backwards).
    quint64 ask(const QString& question, qint64 topic, const QList<qint64>& path);
    // The topic by key, looked up on the worker; a key no entity has gives unknownTopic.
    quint64 askAbout(const QString& question, const QString& topicKey);
    // Imports questions (TSV; a sibling NAME-split.tsv assigns splits).
    void importQuestions(const QString& projectPath, const QString& file);

Q_SIGNALS:
    void answered(const kgw::AskResult& result);
    void jobProgress(int percent, const QString& text);
    void jobDone(bool ok, const QString& summary);

private:
    // topic, or else topicKey (looked up on the worker), or else linked from the text.
    quint64 post(const QString& question, qint64 topic, const QString& topicKey, const QList<qint64>& path);
    WorkerThread askThread_, jobThread_;
    std::atomic<quint64> next_{0};
    QString projectPath_;               // ask thread only after configure() posts
    qint64 run_ = 0, completionRun_ = 0;
    bool dirty_ = true;
    std::unique_ptr<kg::ml::QaAnswerer> answerer_;
    std::unique_ptr<kg::Project> labels_; // the ask thread's connection, for names
};

} // namespace kgw

Q_DECLARE_METATYPE(kgw::AskResult)
