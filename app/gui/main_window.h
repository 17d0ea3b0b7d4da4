// Main window: entity search | triple table | entity inspector, with project open/create,
// recent projects, background import with progress and cancel, and undo/redo through the
// engine's persistent edit log.
#pragma once

#include <QMainWindow>
#include <QStringList>
#include <memory>

#include "import/importer.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QMenu;

namespace kg {
class Project;
}

namespace kgw {
class EntityInspector;
class EntitySearch;
class ImportWorker;
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
    void cancelImport();

    std::shared_ptr<kg::Project> project() const { return project_; }
    kgw::EntitySearch* search() const { return search_; }
    kgw::EntityInspector* inspector() const { return inspector_; }
    QTableView* tripleView() const { return tripleView_; }
    kgw::TripleTableModel* tripleModel() const { return tripleModel_; }
    kgw::ImportWorker* importWorker() const { return importer_; }
    QString statusText() const;

Q_SIGNALS:
    void importFinished(bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void newProject();
    void openProjectDialog();
    void importDialog(bool labels);
    void undoOrRedo(bool undo);
    void refreshAll();
    void updateRecentMenu();
    void rememberRecent(const QString& path);
    void onImportFinished(const kgw::ImportOutcome& outcome);

    std::shared_ptr<kg::Project> project_;
    kgw::EntitySearch* search_;
    kgw::EntityInspector* inspector_;
    QTableView* tripleView_;
    kgw::TripleTableModel* tripleModel_;
    kgw::ImportWorker* importer_;
    quint64 importToken_ = 0;
    QLabel* stats_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QMenu* recentMenu_ = nullptr;
    QAction* undo_ = nullptr;
    QAction* redo_ = nullptr;
};

} // namespace kgapp
