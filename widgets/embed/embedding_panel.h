// The Embeddings tab: a map of a trained model's entities (KGE or transformer run) in the way
// of TensorBoard's projector, without leaving the project. Each entity is a point on the first
// two principal components of its unit vector, or placed by t-SNE (computed on demand, with
// progress, kept for the map shown), coloured by the relation it takes part in most
// (the graph view's colours); choosing one rings it and lists the entities nearest it by cosine
// similarity, in a table and as lines on the map. The map, the lists and the neighbours are
// computed on the panel's worker (ml/embedding_map.h); results carry tokens and stale ones are
// dropped.
#pragma once

#include <QColor>
#include <QHash>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <memory>

#include "embedding_scatter.h"
#include "read_worker.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace kg {
class CancelToken;
class Project;
namespace ml {
struct EmbeddingMap;
}
} // namespace kg

namespace kgw {

class EmbeddingPanel : public QWidget {
    Q_OBJECT
public:
    explicit EmbeddingPanel(QWidget* parent = nullptr);
    ~EmbeddingPanel() override;
    void setProject(std::shared_ptr<kg::Project> project);
    // Lists the runs with entity vectors again (after a job); keeps the map shown when listed.
    // While the panel is hidden, the newest run is mapped when it is first shown.
    void refreshModels();
    // Maps the model "run:N" (listed or not); mapShown says when it is drawn.
    void showModel(const QString& model);
    // The Training tab's "Show on Map": lists the runs again (the run may have just finished),
    // then maps the run (when the panel is hidden: once it is shown). A run without a kept
    // model leaves the map as it is and says why on the status line.
    void showRun(qint64 run);
    // Rings an entity of the map (centred when out of view) and lists its nearest entities
    // (neighboursShown). Before a map is shown, it is ringed once one is.
    void selectEntity(qint64 id);
    // PCA (0) or t-SNE (1): the map's points move there (t-SNE computed once per map, on the
    // worker; projectionShown says when it is drawn).
    void setProjection(int projection);
    // Writes the map as shown to PNG or SVG (by extension); the status line says how it went.
    bool exportMap(const QString& path);

    QComboBox* modelBox() const { return model_; }
    QComboBox* projectionBox() const { return projection_; }
    EmbeddingScatter* scatter() const { return scatter_; }
    QTableWidget* neighbours() const { return neighbours_; }
    QListWidget* legend() const { return legend_; }
    QLineEdit* findEdit() const { return find_; }
    QLabel* status() const { return status_; }

    static constexpr int kNeighbours = 15;
    static constexpr int kLegendRelations = 12; // the rest share one grey

Q_SIGNALS:
    void listsShown();
    void mapShown(const QString& error); // empty on success
    void neighboursShown();
    void projectionShown(const QString& error); // empty on success
    void entitySelected(qint64 id);  // the user chose a point or a neighbour (for the inspector)
    void entityActivated(qint64 id); // double-click: show it in the graph

protected:
    void showEvent(QShowEvent* e) override;

private:
    struct Lists;
    struct Loaded;
    struct Near;
    struct Placed;
    void onMap(Loaded r);
    // The map's points at these coordinates (KeepZoom: t-SNE's layout moving, see setPositions).
    void showPoints(const std::vector<float>& xy, EmbeddingScatter::View view = EmbeddingScatter::View::Fit);
    void startTsne();
    void requestNeighbours(qint64 id);
    void findNext();
    void choose(qint64 id); // a user's choice: select and tell the window

    std::shared_ptr<kg::Project> project_;
    std::shared_ptr<const kg::ml::EmbeddingMap> map_;
    QHash<qint64, QString> relationNames_;
    QString shown_;          // the model drawn ("run:N")
    QString wanted_;         // mapped when the panel is next shown
    qint64 requested_ = 0;   // showRun's run, mapped once the lists are read
    qint64 pending_ = 0;     // selected before the map arrived
    quint64 listsToken_ = 0, mapToken_ = 0, nearToken_ = 0;
    std::shared_ptr<kg::CancelToken> mapCancel_, tsneCancel_;
    std::shared_ptr<const std::vector<float>> tsne_; // of map_, once computed
    quint64 tsneToken_ = 0;
    QString pcaStatus_;       // what the status line says of the PCA map

    QComboBox* model_;
    QComboBox* projection_;
    QLineEdit* find_;
    QPushButton* fit_;
    QPushButton* export_;
    EmbeddingScatter* scatter_;
    QListWidget* legend_;
    QTableWidget* neighbours_;
    QLabel* status_;
    ReadWorker worker_{QStringLiteral("embeddings")}; // last: goes first
};

} // namespace kgw
