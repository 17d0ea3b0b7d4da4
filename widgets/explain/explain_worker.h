// Runs explanations off the GUI thread: an engine Explainer (graph index, mined rules, and
// optionally a KGE checkpoint) and a transformer TextModel for attention, both owned by one
// worker thread and built lazily. Requests carry tokens; results come back through queued
// signals and the panel drops stale ones.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <memory>

#include "core/cancel.h"
#include "ml/text_model.h"
#include "reason/paths.h"
#include "worker_thread.h"

namespace kg {
class Project;
}

namespace kg::ml {
class Explainer;
class TextModel;
} // namespace kg::ml

namespace kgw {

struct AnswerRow {
    qint64 entity = 0;
    QString label;
    double score = 0;
    bool known = false;
};

struct PathRow {
    QString text;                // "A -r-> B <-s- C"
    QList<qint64> triples;       // in order
    QList<qint64> entities;      // nodes along the path
    double ruleConfidence = 0;
    qint64 ruleSupport = 0;
    double modelScore = 0;
};

struct ExplainResult {
    quint64 token = 0;
    QString error;
    bool answersOnly = false;
    QString scorer; // "model" | "rules"
    QList<AnswerRow> answers;
    QList<PathRow> paths;
    bool hasAttention = false;
    kg::ml::AttentionMaps attention;
    double elapsedMs = 0;
};

class ExplainWorker : public QObject {
    Q_OBJECT
public:
    explicit ExplainWorker(QObject* parent = nullptr);
    ~ExplainWorker() override;

    // Rebuilds the explainer for this project and checkpoint ("" = rules only) on next use.
    void configure(const QString& projectPath, const QString& checkpoint);
    quint64 answers(qint64 head, qint64 relation, int k);
    quint64 explain(qint64 head, qint64 relation, qint64 tail);
    // Trains the transformer used for attention (pre-training then fine-tuning).
    quint64 trainTransformer(int pretrainEpochs, int finetuneEpochs);
    void cancelTraining();
    bool hasTextModel() const { return textReady_.load(); }

Q_SIGNALS:
    void finished(const kgw::ExplainResult& result);
    void trainingProgress(quint64 token, const QString& phase, int epoch, int epochs, double loss);
    void trainingFinished(quint64 token, const QString& error);

private:
    void ensureExplainer(); // worker thread

    WorkerThread thread_;
    std::atomic<quint64> next_{0};
    QString projectPath_, checkpoint_;
    bool dirty_ = true; // worker thread only after configure() posts
    std::unique_ptr<kg::ml::Explainer> explainer_;
    std::unique_ptr<kg::Project> labels_; // this thread's connection, for entity and relation names
    std::unique_ptr<kg::ml::TextModel> text_;
    std::atomic<bool> textReady_{false};
    bool triedStoredText_ = false; // worker thread
    std::shared_ptr<kg::CancelToken> trainCancel_;
};

} // namespace kgw

Q_DECLARE_METATYPE(kgw::ExplainResult)
