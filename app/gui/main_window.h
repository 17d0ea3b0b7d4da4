// Main window: entity search | graph explorer / triple table (tabs) | entity inspector, with
// project open/create, recent projects, the import wizard (background import with progress and
// cancel), editing on a QUndoStack that writes through the engine's persistent edit log, and
// settings (geometry, layout choices) kept in QSettings.
#pragma once

#include <QMainWindow>
#include <QStringList>
#include <functional>
#include <memory>

#include "read_worker.h"
#include "worker_thread.h"

#include "import/importer.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QMenu;
class QTabWidget;
class QStackedWidget;

namespace kg {
class Project;
}

namespace kgw {
class EntityInspector;
class EntitySearch;
class GraphExplorer;
class ImportWorker;
class ProjectEditor;
class TrainingPanel;
class StartPage;
class ExplainPanel;
class EmbeddingPanel;
class AskPanel;
class CandidatesPanel;
class TripleTableModel;
struct ImportOutcome;
} // namespace kgw

namespace kgapp {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens or creates a project; returns false and shows the reason in the status bar.
    bool openProject(const QString& path);
    // Starts a background import into the open project; returns false if one is running.
    bool startImport(const QStringList& tripleFiles, const QStringList& labelFiles,
                     kg::Split split = kg::Split::Train);
    bool startImport(const kg::import::ImportRequest& request);
    void cancelImport();

    std::shared_ptr<kg::Project> project() const { return project_; }
    kgw::EntitySearch* search() const { return search_; }
    kgw::EntityInspector* inspector() const { return inspector_; }
    QTableView* tripleView() const { return tripleView_; }
    kgw::TripleTableModel* tripleModel() const { return tripleModel_; }
    kgw::ImportWorker* importWorker() const { return importer_; }
    kgw::GraphExplorer* graph() const { return graph_; }
    kgw::ProjectEditor* editor() const { return editor_; }
    QTabWidget* tabs() const { return tabs_; }
    // Closing while an import or a training job runs asks first (on by default).
    void setAskBeforeQuit(bool on) { askBeforeQuit_ = on; }
    kgw::TrainingPanel* training() const { return training_; } // null without LibTorch
    kgw::ExplainPanel* explain() const { return explain_; }    // null without LibTorch
    kgw::EmbeddingPanel* embeddings() const { return embeddings_; } // null without LibTorch
    kgw::AskPanel* ask() const { return ask_; }                // null without LibTorch
    kgw::CandidatesPanel* candidates() const { return candidates_; } // null without LibTorch
    // Opens the entity in the graph (first page of its triples) and the inspector.
    void focusEntity(qint64 entity);
    // The status bar: the project's counts ("Counting…" while a worker reads them) or a message.
    QString statusText() const;

Q_SIGNALS:
    void importFinished(bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    bool askBeforeQuit_ = true;
    void buildMenus();
    void newProject();
    void openProjectDialog();
    void importLabelsDialog();
    void importWizard();
    void addTripleDialog(qint64 head = 0);
    void renameEntityDialog(qint64 entity);
    void deleteSelectedTriples();
    void onEdited();
    void refreshAll();
    void updateRecentMenu();
    void rememberRecent(const QString& path);
    void onImportFinished(const kgw::ImportOutcome& outcome);
    void openDemo();
    void fitToScreen();

    std::shared_ptr<kg::Project> project_;
    kgw::EntitySearch* search_;
    kgw::EntityInspector* inspector_;
    QTableView* tripleView_;
    kgw::TripleTableModel* tripleModel_;
    kgw::ImportWorker* importer_;
    kgw::GraphExplorer* graph_;
    kgw::ProjectEditor* editor_;
    QTabWidget* tabs_;
    kgw::TrainingPanel* training_ = nullptr;
    kgw::ExplainPanel* explain_ = nullptr;
    kgw::EmbeddingPanel* embeddings_ = nullptr;
    kgw::AskPanel* ask_ = nullptr;
    kgw::CandidatesPanel* candidates_ = nullptr;
    quint64 importToken_ = 0;
    QLabel* stats_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    kgw::StartPage* start_;          // shown while no project is open
    QWidget* workspace_ = nullptr;   // search | tabs | inspector
    QStackedWidget* pages_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QAction* undo_ = nullptr;
    QAction* redo_ = nullptr;
    // Counts for the status bar, on a worker (a 20M-triple count takes seconds); a newer
    // request's token drops older results.
    void showStats();
    quint64 statsToken_ = 0;
    std::unique_ptr<kgw::WorkerThread> statsWorker_;
    // Reads the entity a dialog starts from (rename, add triple), off the GUI thread.
    std::unique_ptr<kgw::ReadWorker> entityReads_;
    void withEntity(qint64 id, std::function<void(const kg::EntityRecord&)> then);
};

} // namespace kgapp
