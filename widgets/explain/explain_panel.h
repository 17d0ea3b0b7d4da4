// "Why this answer?": a query (head, relation, ?) gives ranked answers from the chosen model
// (mined rules, a KGE run or a transformer run); choosing an answer lists the reasoning paths
// (up to 3 hops, scored by mined rules and by a KGE model) and, for a transformer, the context
// facts by occlusion (the answer's score drop without each) with their attribution and the
// attention heatmap of the very pass that ranked the answers; the chosen path or the strongest
// facts are highlighted in the graph view. On demand
// (it takes seconds), the necessary facts of the answer ("without these 2 facts, Paris falls
// from rank 1 to 37") and, for KGE models, the sufficient ones; the necessary facts are
// highlighted in the graph.
#pragma once

#include <QWidget>
#include <memory>

#include "explain_worker.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace kg {
class Project;
}

namespace kgw {

class AttentionHeatmap;
class GraphExplorer;

class ExplainPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExplainPanel(QWidget* parent = nullptr);
    void setProject(std::shared_ptr<kg::Project> project);
    // Runs the query for entity and relation ids (what the form does).
    void query(qint64 head, qint64 relation);
    void explainAnswer(int row);
    void refreshModels(); // rules, KGE runs with checkpoints, transformer runs
    // Lists the models again and ranks with run `run` from now on (the Training tab's "Explain
    // with It"); a run without a kept model leaves the scorer as it was, with a reason.
    void useRun(qint64 run);

    QTableWidget* answers() const { return answers_; }
    QTableWidget* paths() const { return paths_; }
    QTableWidget* facts() const { return facts_; }
    QTableWidget* factSearch() const { return factTable_; } // necessary / sufficient facts
    QLabel* factSummary() const { return factSummary_; }
    QPushButton* findFactsButton() const { return findFacts_; }
    QPushButton* cancelFactsButton() const { return cancelFacts_; }
    // Searches the necessary (and sufficient) facts of the answer being explained.
    void findFacts();
    AttentionHeatmap* heatmap() const { return heatmap_; }
    GraphExplorer* pathGraph() const { return graph_; }
    ExplainWorker* worker() const { return worker_; }
    QComboBox* modelBox() const { return model_; }
    QLabel* status() const { return status_; }
    QLineEdit* headEdit() const { return headEdit_; }
    QPushButton* stopMiningButton() const { return stopMining_; }

Q_SIGNALS:
    void answersShown();
    void factsShown(); // a necessary / sufficient search finished and is shown
    void explanationShown(double elapsedMs);
    void listsShown(); // the relations and ranking models of the project, read on the worker
    // A path was chosen (its triples are highlighted in the panel's graph view).
    void highlightRequested(const QList<qint64>& triples);

private:
    void onFinished(const ExplainResult& r);
    void onLists(const ExplainLists& lists);
    void showFacts(const ExplainResult& r);
    void runFromForm();
    void startQuery(qint64 head, qint64 relation); // resets the panel for a new ranking

    std::shared_ptr<kg::Project> project_;
    ExplainWorker* worker_;
    quint64 answersToken_ = 0, explainToken_ = 0, factToken_ = 0, listsToken_ = 0;
    qint64 requestedRun_ = 0; // useRun()'s, until its lists land
    qint64 head_ = 0, relation_ = 0; // the query shown
    qint64 tail_ = 0;                // the answer being explained (0: none)
    QString tailLabel_;
    QString scorer_; // of the answers shown (ExplainResult::scorer)
    QList<PathRow> shownPaths_;
    QList<ContextFactRow> shownFacts_;
    QLineEdit* headEdit_;
    QComboBox *relationBox_, *model_;
    QPushButton* run_;
    QPushButton* stopMining_; // shown while rules are mined
    QTableWidget *answers_, *paths_, *facts_;
    QTabWidget* detail_; // paths | context facts | necessary facts
    QWidget* factPage_;
    QPushButton *findFacts_, *cancelFacts_;
    QLabel* factSummary_;
    QTableWidget* factTable_;
    AttentionHeatmap* heatmap_;
    GraphExplorer* graph_; // the answer's paths, the chosen one highlighted
    QLabel* status_;
};

} // namespace kgw
