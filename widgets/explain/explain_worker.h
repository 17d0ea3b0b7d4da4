// Runs explanations off the GUI thread: one engine Explainer (graph index, mined rules, and
// the ranking model: rules, a KGE run or a transformer run), owned by the worker thread and
// built lazily. For a transformer the attention and attribution come from the same forward
// pass that ranked the answers. Requests carry tokens; results come back through queued
// signals and the panel drops stale ones.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <functional>
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
    bool scored = false; // the ranking model scored it (kg::reason::ExplanationPath::scored)
};

struct ContextFactRow {
    QString text;         // "Curie —born_in→ Warsaw"
    qint64 triple = 0;
    int token = -1; // its position in the input (the heatmap's row and column)
    double attribution = 0, rollout = 0, occlusion = 0; // kg::ml::ContextFactWeight's
};

struct FactRow {
    QString text;         // "Curie —born_in→ Warsaw"
    qint64 triple = 0;
    double rankAfter = 0; // candidates: the answer's rank with this fact alone removed
    double scoreDrop = 0;
};

// Necessary and sufficient facts of one answer (ml/fact_explanation.h), labelled.
struct FactExplanationRows {
    QList<FactRow> necessary;        // the explanation
    QList<FactRow> candidates;       // each tried alone, largest score drop first
    bool necessaryAchieved = false;
    double rankBefore = 0, rankAfter = 0, necessarySeconds = 0;
    int maxSize = 0;                 // the largest set tried
    QList<FactRow> sufficient;
    bool sufficientAchieved = false;
    int convertedEntities = 0;
    double convertedShare = 0, sufficientRankBefore = 0, sufficientRankAfter = 0;
};

struct ExplainResult {
    quint64 token = 0;
    QString error;
    bool cancelled = false;
    bool answersOnly = false;
    qint64 head = 0;       // answers: the head ranked for
    QString headKey;       // answers: its key
    QString headText;      // answersFor(): the text asked for
    bool noMatch = false;  // answersFor(): no entity matches headText
    bool factsOnly = false;  // a necessary/sufficient search (FactExplanationRows)
    FactExplanationRows factRows;
    QString scorer; // "model" (KGE) | "transformer" | "compgcn" | "rules"
    QList<AnswerRow> answers;
    QList<PathRow> paths;
    bool hasAttention = false;
    kg::ml::AttentionMaps attention;      // the ranking pass's, per layer and head
    QList<ContextFactRow> facts;          // by occlusion, largest first
    double answerRank = 0;                // in the same pass
    // The answer's score by path (kg::ml::TextExplanation): shown when the model has the
    // head x relation shortcut, whose part attention does not see.
    bool shortcut = false;
    double answerScore = 0, encoderPart = 0, shortcutPart = 0, biasPart = 0;
    double elapsedMs = 0;
};

// The project's relations and the runs that can rank its answers, for the panel's boxes.
struct ExplainLists {
    quint64 token = 0;
    QString error;
    QList<QPair<QString, qint64>> relations; // shown name, id
    QList<QPair<QString, QString>> models;   // shown name, ranker: "" rules, "run:N" (transformer), a KGE checkpoint
    QString ranker;                          // the one the worker uses from now on
};

class ExplainWorker : public QObject {
    Q_OBJECT
public:
    explicit ExplainWorker(QObject* parent = nullptr);
    ~ExplainWorker() override;

    // Rebuilds the explainer for this project and model ("" = rules, a checkpoint file, or
    // "run:N") on next use.
    void configure(const QString& projectPath, const QString& model);
    // Reads the lists on the worker and configures its ranker there: the first model of
    // `prefer` still listed ("" = the rules, "run:N"), else the newest run (the rules when
    // none). Requests posted later use that ranker.
    quint64 loadLists(const QString& projectPath, const QStringList& prefer);
    quint64 answers(qint64 head, qint64 relation, int k);
    // The same for the entity a user typed: its key, else the best full-text match (resolved
    // on the worker; the result says which, or noMatch).
    quint64 answersFor(const QString& headText, qint64 relation, int k);
    // Paths (and the transformer's attention) for one answer. A new explain() or
    // cancelExplain() stops the one before (its result, if any, has cancelled = true).
    quint64 explain(qint64 head, qint64 relation, qint64 tail);
    void cancelExplain();
    // Necessary (and, for KGE models, sufficient) facts: seconds of post-training; cancel with
    // cancelFacts() (the result then has cancelled = true).
    quint64 factExplanations(qint64 head, qint64 relation, qint64 tail);
    void cancelFacts();
    // Stops a rule mining in progress (the request that needed the rules fails "cancelled";
    // the next one mines again).
    void cancelMining() { miningCancel_.cancel(); }

Q_SIGNALS:
    void finished(const kgw::ExplainResult& result);
    void listsLoaded(const kgw::ExplainLists& lists);
    // The project's rules are being mined (once; then stored in the project): share done.
    void miningProgress(double share);

private:
    void ensureExplainer(); // worker thread
    // Posts a request: on the worker thread, with the explainer ready and the scorer named,
    // `fill` completes `seed`; any exception becomes its error. Returns its token.
    quint64 request(ExplainResult seed, std::function<void(ExplainResult&)> fill);
    void fillAnswers(ExplainResult& out, qint64 relation, int k); // worker thread; out.head set
    QString entityName(qint64 id) const;   // worker thread, from labels_
    QString relationName(qint64 id) const;

    WorkerThread thread_;
    std::atomic<quint64> next_{0};
    QString projectPath_, checkpoint_;
    bool dirty_ = true; // worker thread only after configure() posts
    std::unique_ptr<kg::ml::Explainer> explainer_;
    std::unique_ptr<kg::Project> labels_; // this thread's connection, for entity and relation names
    std::shared_ptr<kg::CancelToken> factCancel_ = std::make_shared<kg::CancelToken>(); // GUI thread swaps it
    std::shared_ptr<kg::CancelToken> explainCancel_ = std::make_shared<kg::CancelToken>(); // and this one
    kg::CancelToken miningCancel_; // reset by the worker thread as each request starts
};

} // namespace kgw

Q_DECLARE_METATYPE(kgw::ExplainResult)
Q_DECLARE_METATYPE(kgw::ExplainLists)
