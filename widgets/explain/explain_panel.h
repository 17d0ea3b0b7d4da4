// "Why this answer?": a query (head, relation, ?) gives ranked answers (from a trained KGE run
// or, without one, from mined rules); choosing an answer lists the reasoning paths (up to 3
// hops, scored by mined rules and by the model), highlights a chosen path in the graph view,
// and shows the transformer's attention over the query tokens (layer/head heatmap).
#pragma once

#include <QWidget>
#include <memory>

#include "explain_worker.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

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
    void trainTransformer(int pretrainEpochs, int finetuneEpochs);
    void refreshModels(); // runs with checkpoints

    QTableWidget* answers() const { return answers_; }
    QTableWidget* paths() const { return paths_; }
    AttentionHeatmap* heatmap() const { return heatmap_; }
    GraphExplorer* pathGraph() const { return graph_; }
    ExplainWorker* worker() const { return worker_; }
    QComboBox* modelBox() const { return model_; }
    QLabel* status() const { return status_; }

Q_SIGNALS:
    void answersShown();
    void explanationShown(double elapsedMs);
    void transformerReady(bool ok);
    // A path was chosen (its triples are highlighted in the panel's graph view).
    void highlightRequested(const QList<qint64>& triples);

private:
    void onFinished(const ExplainResult& r);
    void runFromForm();

    std::shared_ptr<kg::Project> project_;
    ExplainWorker* worker_;
    quint64 answersToken_ = 0, explainToken_ = 0, trainToken_ = 0;
    qint64 head_ = 0, relation_ = 0; // the query shown
    QList<PathRow> shownPaths_;
    QLineEdit* headEdit_;
    QComboBox *relationBox_, *model_;
    QPushButton *run_, *train_;
    QTableWidget *answers_, *paths_;
    AttentionHeatmap* heatmap_;
    GraphExplorer* graph_; // the answer's paths, the chosen one highlighted
    QLabel* status_;
};

} // namespace kgw
