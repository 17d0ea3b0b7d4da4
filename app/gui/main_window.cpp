#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>

#include "core/error.h"
#include "entity_inspector.h"
#include "entity_search.h"
#include "import_worker.h"
#include "qt_convert.h"
#include "store/project.h"
#include "triple_table_model.h"

namespace kgapp {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , search_(new kgw::EntitySearch(this))
    , inspector_(new kgw::EntityInspector(this))
    , tripleView_(new QTableView(this))
    , tripleModel_(new kgw::TripleTableModel(this))
    , importer_(new kgw::ImportWorker(this))
    , stats_(new QLabel(this))
    , progress_(new QProgressBar(this))
    , cancel_(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("KG Workbench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/kg-workbench.svg")));
    tripleView_->setModel(tripleModel_);
    tripleView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tripleView_->setAlternatingRowColors(true);
    tripleView_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    tripleView_->verticalHeader()->setDefaultSectionSize(22);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(search_);
    splitter->addWidget(tripleView_);
    splitter->addWidget(inspector_);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    splitter->setStretchFactor(2, 3);
    setCentralWidget(splitter);

    progress_->setMaximumWidth(220);
    progress_->setRange(0, 100);
    progress_->hide();
    cancel_->hide();
    statusBar()->addWidget(stats_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    stats_->setText(tr("No project open. Use File ▸ New or Open."));

    buildMenus();
    connect(search_, &kgw::EntitySearch::entityActivated, inspector_, &kgw::EntityInspector::showEntity);
    connect(tripleView_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        const QVariant id = tripleModel_->data(index, kgw::TripleTableModel::EntityIdRole);
        inspector_->showEntity(id.isValid() ? id.toLongLong() : tripleModel_->tripleAt(index.row()).head);
    });
    connect(cancel_, &QPushButton::clicked, this, &MainWindow::cancelImport);
    connect(importer_, &kgw::ImportWorker::progress, this,
            [this](quint64 token, int percent, qint64 triples, const QString& file) {
                if (token != importToken_)
                    return; // stale report from an earlier job
                progress_->setValue(percent);
                statusBar()->showMessage(tr("Importing %1 — %2 triples").arg(QFileInfo(file).fileName()).arg(triples));
            });
    connect(importer_, &kgw::ImportWorker::finished, this, &MainWindow::onImportFinished);
    resize(1280, 760);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project…"), QKeySequence::New, this, &MainWindow::newProject);
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this, &MainWindow::openProjectDialog);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(tr("&Import Triples…"), this, [this] { importDialog(false); });
    file->addAction(tr("Import &Labels…"), this, [this] { importDialog(true); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    undo_ = edit->addAction(tr("&Undo"), QKeySequence::Undo, this, [this] { undoOrRedo(true); });
    redo_ = edit->addAction(tr("&Redo"), QKeySequence::Redo, this, [this] { undoOrRedo(false); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About KG Workbench"), this, [this] {
        QMessageBox::about(this, tr("About KG Workbench"),
                           tr("<b>KG Workbench</b> %1<br>Build, visualise and probe knowledge graphs "
                              "with models.")
                               .arg(QApplication::applicationVersion()));
    });
    updateRecentMenu();
}

bool MainWindow::openProject(const QString& path)
{
    try {
        project_ = std::shared_ptr<kg::Project>(kg::Project::open(kgw::ss(path)));
    } catch (const kg::Error& e) {
        project_.reset();
        stats_->setText(tr("Cannot open project: %1").arg(kgw::qs(e.what())));
        refreshAll();
        return false;
    }
    setWindowTitle(tr("%1 — KG Workbench").arg(QFileInfo(path).fileName()));
    rememberRecent(QFileInfo(path).absoluteFilePath());
    refreshAll();
    return true;
}

void MainWindow::refreshAll()
{
    tripleModel_->setProject(project_);
    search_->setProject(project_);
    const qint64 shown = inspector_->entityId();
    inspector_->setProject(project_);
    if (shown)
        inspector_->showEntity(shown);
    if (!project_)
        return;
    const kg::ProjectStats s = project_->stats();
    stats_->setText(tr("%1 entities · %2 relations · %3 triples (train %4, valid %5, test %6)")
                        .arg(s.entities)
                        .arg(s.relations)
                        .arg(s.triples)
                        .arg(s.train)
                        .arg(s.valid)
                        .arg(s.test));
    undo_->setEnabled(project_->canUndo());
    redo_->setEnabled(project_->canRedo());
}

QString MainWindow::statusText() const { return stats_->text(); }

void MainWindow::newProject()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QString(),
                                                      tr("KG Workbench projects (*.kgwb)"));
    if (path.isEmpty())
        return;
    openProject(path.endsWith(QLatin1String(".kgwb")) ? path : path + QStringLiteral(".kgwb"));
}

void MainWindow::openProjectDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(),
                                                      tr("KG Workbench projects (*.kgwb);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::importDialog(bool labels)
{
    if (!project_) {
        stats_->setText(tr("Open or create a project before importing."));
        return;
    }
    const QStringList files = QFileDialog::getOpenFileNames(
        this, labels ? tr("Import Labels") : tr("Import Triples"), QString(),
        tr("Triples (*.tsv *.csv *.txt *.nt *.ttl *.gz);;All files (*)"));
    if (files.isEmpty())
        return;
    kg::Split split = kg::Split::Train;
    if (!labels) {
        bool ok = false;
        const QStringList splits = {tr("train"), tr("valid"), tr("test")};
        const QString choice = QInputDialog::getItem(this, tr("Import Triples"),
                                                     tr("Add the triples to split:"), splits, 0, false, &ok);
        if (!ok)
            return;
        split = static_cast<kg::Split>(splits.indexOf(choice) + 1);
    }
    startImport(labels ? QStringList() : files, labels ? files : QStringList(), split);
}

bool MainWindow::startImport(const QStringList& tripleFiles, const QStringList& labelFiles, kg::Split split)
{
    if (!project_ || importer_->busy())
        return false;
    kg::import::ImportRequest req;
    for (const auto& f : tripleFiles)
        req.tripleFiles.emplace_back(kgw::ss(f));
    for (const auto& f : labelFiles)
        req.labelFiles.push_back(kgw::ss(f));
    req.split = split;
    importToken_ = importer_->start(kgw::qs(project_->path()), req);
    progress_->setValue(0);
    progress_->show();
    cancel_->show();
    return importToken_ != 0;
}

void MainWindow::cancelImport() { importer_->cancel(); }

void MainWindow::onImportFinished(const kgw::ImportOutcome& outcome)
{
    if (outcome.token != importToken_)
        return;
    progress_->hide();
    cancel_->hide();
    QString message;
    if (outcome.ok) {
        message = tr("Imported %1 triples (%2 duplicates), %3 new entities, %4 labels.")
                      .arg(outcome.report.triplesAdded)
                      .arg(outcome.report.duplicates)
                      .arg(outcome.report.entitiesAdded)
                      .arg(outcome.report.labelsApplied);
    } else if (outcome.cancelled) {
        message = tr("Import cancelled; the project is unchanged.");
    } else {
        message = tr("Import failed; the project is unchanged. %1").arg(outcome.error);
    }
    refreshAll();
    statusBar()->showMessage(message, 15000);
    Q_EMIT importFinished(outcome.ok, message);
}

void MainWindow::undoOrRedo(bool undo)
{
    if (!project_)
        return;
    try {
        const std::string what = undo ? project_->undo() : project_->redo();
        statusBar()->showMessage(what.empty() ? tr("Nothing to undo or redo.")
                                              : (undo ? tr("Undid: %1") : tr("Redid: %1")).arg(kgw::qs(what)),
                                 5000);
    } catch (const kg::Error& e) {
        statusBar()->showMessage(kgw::qs(e.what()), 10000);
    }
    refreshAll();
}

void MainWindow::rememberRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentProjects")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentProjects"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    for (const QString& path : recent)
        recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] { openProject(path); })
            ->setToolTip(path);
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // A running import is cancelled and rolled back; the project file stays consistent.
    if (importer_->busy()) {
        importer_->cancel();
        importer_->wait();
    }
    event->accept();
}

} // namespace kgapp
