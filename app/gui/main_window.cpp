#include "main_window.h"

#include <QAction>
#include <algorithm>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <optional>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTabWidget>
#include <QUndoStack>

#include "core/error.h"
#include "demo_project.h"
#include "start_page.h"
#include "entity_inspector.h"
#include "add_triple_dialog.h"
#include "entity_search.h"
#include "graph_explorer.h"
#include "import_report_dialog.h"
#include "import_wizard.h"
#include "import_worker.h"
#include "project_editor.h"
#include "qt_convert.h"
#include "store/project.h"
#include "triple_table_model.h"
#ifdef KGWB_HAVE_TRAINING
#include "ask_panel.h"
#include "candidates_panel.h"
#include "embedding_panel.h"
#include "explain_panel.h"
#include "training_panel.h"
#endif

namespace kgapp {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , search_(new kgw::EntitySearch(this))
    , inspector_(new kgw::EntityInspector(this))
    , tripleView_(new QTableView(this))
    , tripleModel_(new kgw::TripleTableModel(this))
    , importer_(new kgw::ImportWorker(this))
    , graph_(new kgw::GraphExplorer(this))
    , editor_(new kgw::ProjectEditor(this))
    , tabs_(new QTabWidget(this))
    , stats_(new QLabel(this))
    , progress_(new QProgressBar(this))
    , cancel_(new QPushButton(tr("Cancel"), this))
    , start_(new kgw::StartPage(this))
{
    setWindowTitle(tr("KG Workbench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/kg-workbench.svg")));
    tripleView_->setModel(tripleModel_);
    tripleView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tripleView_->setAlternatingRowColors(true);
    tripleView_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    tripleView_->verticalHeader()->setDefaultSectionSize(22);
    tripleView_->setContextMenuPolicy(Qt::CustomContextMenu);
    graph_->setEditor(editor_);
    tabs_->addTab(graph_, tr("Graph"));
    tabs_->addTab(tripleView_, tr("Triples"));
#ifdef KGWB_HAVE_TRAINING
    training_ = new kgw::TrainingPanel(this);
    tabs_->addTab(training_, tr("Training"));
    embeddings_ = new kgw::EmbeddingPanel(this);
    tabs_->addTab(embeddings_, tr("Embeddings"));
    connect(training_, &kgw::TrainingPanel::jobDone, embeddings_, &kgw::EmbeddingPanel::refreshModels);
    connect(training_, &kgw::TrainingPanel::mapRequested, this, [this](qint64 run) {
        embeddings_->showRun(run); // first: the tab then opens on this run, not the one it last wanted
        tabs_->setCurrentWidget(embeddings_);
    });
    connect(embeddings_, &kgw::EmbeddingPanel::entitySelected, inspector_, &kgw::EntityInspector::showEntity);
    connect(embeddings_, &kgw::EmbeddingPanel::entityActivated, this, [this](qint64 id) {
        tabs_->setCurrentWidget(graph_);
        graph_->showEntity(id);
    });
    connect(search_, &kgw::EntitySearch::entityActivated, embeddings_, &kgw::EmbeddingPanel::selectEntity);
    connect(graph_, &kgw::GraphExplorer::entitySelected, embeddings_, &kgw::EmbeddingPanel::selectEntity);
    explain_ = new kgw::ExplainPanel(this);
    tabs_->addTab(explain_, tr("Explain"));
    // A chosen reasoning path is also added to (and highlighted in) the main graph view.
    connect(explain_, &kgw::ExplainPanel::highlightRequested, graph_, &kgw::GraphExplorer::showAndHighlight);
    connect(training_, &kgw::TrainingPanel::explainRequested, this, [this](qint64 run) {
        explain_->useRun(run);
        tabs_->setCurrentWidget(explain_);
    });
    connect(training_, &kgw::TrainingPanel::jobDone, explain_, &kgw::ExplainPanel::refreshModels);
    ask_ = new kgw::AskPanel(this);
    ask_->setTrainingQueue(training_);
    tabs_->addTab(ask_, tr("Ask"));
    connect(ask_, &kgw::AskPanel::highlightRequested, graph_, &kgw::GraphExplorer::showAndHighlight);
    connect(ask_, &kgw::AskPanel::jobFinished, training_, &kgw::TrainingPanel::refreshRuns);
    candidates_ = new kgw::CandidatesPanel(editor_, this);
    candidates_->setTrainingQueue(training_);
    tabs_->addTab(candidates_, tr("Candidates"));
#endif

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(search_);
    splitter->addWidget(tabs_);
    splitter->addWidget(inspector_);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 7);
    splitter->setStretchFactor(2, 3);
    search_->setMinimumWidth(170);
    inspector_->setMinimumWidth(220);
    workspace_ = splitter;
    pages_ = new QStackedWidget(this);
    pages_->addWidget(start_);
    pages_->addWidget(workspace_);
    setCentralWidget(pages_);
    connect(start_, &kgw::StartPage::newProjectRequested, this, &MainWindow::newProject);
    connect(start_, &kgw::StartPage::openProjectRequested, this, &MainWindow::openProjectDialog);
    connect(start_, &kgw::StartPage::recentChosen, this, [this](const QString& path) { openProject(path); });
    connect(start_, &kgw::StartPage::demoRequested, this, &MainWindow::openDemo);
    connect(start_, &kgw::StartPage::importRequested, this, [this] {
        newProject();
        if (project_)
            importWizard();
    });

    progress_->setMaximumWidth(220);
    progress_->setRange(0, 100);
    progress_->hide();
    cancel_->hide();
    statusBar()->addPermanentWidget(stats_); // transient messages use the left part
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    stats_->setText(tr("No project open. Use File ▸ New or Open."));

    buildMenus();
    connect(search_, &kgw::EntitySearch::entityActivated, inspector_, &kgw::EntityInspector::showEntity);
    connect(search_, &kgw::EntitySearch::entityActivated, graph_, &kgw::GraphExplorer::showEntity);
    connect(graph_, &kgw::GraphExplorer::entitySelected, inspector_, &kgw::EntityInspector::showEntity);
    connect(graph_, &kgw::GraphExplorer::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(graph_, &kgw::GraphExplorer::renameRequested, this, &MainWindow::renameEntityDialog);
    connect(graph_, &kgw::GraphExplorer::addTripleRequested, this, &MainWindow::addTripleDialog);
    connect(editor_, &kgw::ProjectEditor::changed, this, &MainWindow::onEdited);
    connect(editor_, &kgw::ProjectEditor::failed, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(tripleView_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        menu.addAction(tr("Add Triple…"), this, [this] { addTripleDialog(); });
        menu.addAction(tr("Delete Selected Triples"), this, &MainWindow::deleteSelectedTriples)
            ->setEnabled(tripleView_->selectionModel()->hasSelection());
        const QModelIndex index = tripleView_->indexAt(pos);
        if (index.isValid()) {
            const QVariant id = tripleModel_->data(index, kgw::TripleTableModel::EntityIdRole);
            const qint64 entity = id.isValid() ? id.toLongLong() : tripleModel_->tripleAt(index.row()).head;
            menu.addAction(tr("Show in Graph"), this, [this, entity] { focusEntity(entity); });
        }
        menu.exec(tripleView_->viewport()->mapToGlobal(pos));
    });
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
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 760);
    fitToScreen();
    splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    tabs_->setCurrentIndex(settings.value(QStringLiteral("window/tab"), 0).toInt());
}

MainWindow::~MainWindow() = default;

// The window never opens larger than the screen's available area (a restored geometry from
// a larger screen included), and stays on it.
void MainWindow::fitToScreen()
{
    const QScreen* s = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!s)
        return;
    const QRect avail = s->availableGeometry();
    const QSize size(std::min(width(), avail.width() * 19 / 20), std::min(height(), avail.height() * 19 / 20));
    if (size != this->size())
        resize(size);
    QRect frame = frameGeometry();
    if (!avail.contains(frame)) {
        frame.moveLeft(std::clamp(frame.left(), avail.left(), std::max(avail.left(), avail.right() - frame.width())));
        frame.moveTop(std::clamp(frame.top(), avail.top(), std::max(avail.top(), avail.bottom() - frame.height())));
        move(frame.topLeft());
    }
}

void MainWindow::openDemo()
{
    const QString path = defaultDemoPath();
    try {
        ensureDemoProject(path);
    } catch (const kg::Error& e) {
        QMessageBox::warning(this, tr("Demo graph"), tr("Cannot create the demo project: %1").arg(kgw::qs(e.what())));
        return;
    }
    openProject(path);
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project…"), QKeySequence::New, this, &MainWindow::newProject);
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this, &MainWindow::openProjectDialog);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(tr("&Import…"), QKeySequence(Qt::CTRL | Qt::Key_I), this, &MainWindow::importWizard);
    file->addAction(tr("Import &Labels…"), this, &MainWindow::importLabelsDialog);
#ifdef KGWB_HAVE_TRAINING
    file->addAction(tr("Import &Documents…"), this, [this] {
        if (!project_)
            return;
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Import Documents"), QString(), tr("Documents (*.txt *.md *.markdown *.html *.htm *.gz);;All files (*)"));
        if (files.isEmpty())
            return;
        tabs_->setCurrentWidget(candidates_);
        candidates_->importDocuments(files);
    });
#endif
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    undo_ = editor_->stack()->createUndoAction(this, tr("&Undo"));
    undo_->setShortcut(QKeySequence::Undo);
    redo_ = editor_->stack()->createRedoAction(this, tr("&Redo"));
    redo_->setShortcut(QKeySequence::Redo);
    edit->addAction(undo_);
    edit->addAction(redo_);
    edit->addSeparator();
    edit->addAction(tr("&Add Triple…"), QKeySequence(Qt::CTRL | Qt::Key_T), this, [this] { addTripleDialog(); });
    edit->addAction(tr("&Delete Selected Triples"), this, &MainWindow::deleteSelectedTriples);
    edit->addAction(tr("Re&name Entity…"), QKeySequence(Qt::Key_F2), this,
                    [this] { renameEntityDialog(inspector_->entityId()); });

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
    editor_->setProject(project_);
    graph_->setProject(project_);
#ifdef KGWB_HAVE_TRAINING
    training_->setProject(project_);
    embeddings_->setProject(project_);
    explain_->setProject(project_);
    ask_->setProject(project_);
    candidates_->setProject(project_);
#endif
    tripleModel_->setProject(project_);
    search_->setProject(project_);
    const qint64 shown = inspector_->entityId();
    inspector_->setProject(project_);
    if (shown)
        inspector_->showEntity(shown);
    pages_->setCurrentWidget(project_ ? workspace_ : static_cast<QWidget*>(start_));
    if (!project_)
        return;
    stats_->setText(tr("Counting…"));
    showStats();
}

void MainWindow::showStats()
{
    if (!project_)
        return;
    if (!statsWorker_)
        statsWorker_ = std::make_unique<kgw::WorkerThread>(QStringLiteral("kgwb-stats"));
    const quint64 token = ++statsToken_;
    statsWorker_->post([this, token, path = project_->path()] {
        QString text;
        try {
            const kg::ProjectStats s = kg::Project::open(path, kg::Project::OpenMode::ReadOnly)->stats();
            text = tr("%1 entities · %2 relations · %3 triples (train %4, valid %5, test %6)")
                       .arg(s.entities)
                       .arg(s.relations)
                       .arg(s.triples)
                       .arg(s.train)
                       .arg(s.valid)
                       .arg(s.test);
        } catch (const std::exception& e) {
            text = tr("Cannot count the project: %1").arg(QString::fromUtf8(e.what()));
        }
        QMetaObject::invokeMethod(
            this,
            [this, token, text] {
                if (token == statsToken_)
                    stats_->setText(text);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::focusEntity(qint64 entity)
{
    inspector_->showEntity(entity);
    tabs_->setCurrentWidget(graph_);
    graph_->showEntity(entity);
}

// After an edit, undo or redo: the views re-read what they show; the graph keeps its nodes.
void MainWindow::onEdited()
{
    tripleModel_->setProject(project_);
    if (const qint64 shown = inspector_->entityId())
        inspector_->showEntity(shown); // re-read on its worker; empties if the edit removed it
    graph_->refreshFromProject();
    showStats();
}

// Reads entity `id` on entityReads_, then runs `then` on the GUI thread, unless the entity is
// gone or another project was opened meanwhile.
void MainWindow::withEntity(qint64 id, std::function<void(const kg::EntityRecord&)> then)
{
    if (!project_ || !id)
        return;
    if (!entityReads_)
        entityReads_ = std::make_unique<kgw::ReadWorker>(QStringLiteral("kgwb-entity-read"));
    struct Found {
        std::optional<kg::EntityRecord> entity;
        QString error;
    };
    const std::string path = project_->path();
    entityReads_->post<Found>(
        this, path, [id](kg::Project& p, Found& out) { out.entity = p.entity(id); },
        [this, path, then = std::move(then)](Found found) {
            if (!project_ || project_->path() != path)
                return;
            if (!found.error.isEmpty())
                stats_->setText(tr("Cannot read the entity: %1").arg(found.error));
            else if (found.entity)
                then(*found.entity);
        });
}

void MainWindow::addTripleDialog(qint64 head)
{
    if (!project_)
        return;
    const auto open = [this](const QString& headKey) {
        kgw::AddTripleDialog dialog(project_, this);
        dialog.setHead(headKey);
        if (dialog.exec() == QDialog::Accepted)
            editor_->addTripleByKeys(dialog.head(), dialog.relation(), dialog.tail(), dialog.split());
    };
    if (head)
        withEntity(head, [open](const kg::EntityRecord& e) { open(kgw::qs(e.key)); });
    else
        open(QString());
}

void MainWindow::renameEntityDialog(qint64 entity)
{
    withEntity(entity, [this](const kg::EntityRecord& e) {
        bool ok = false;
        const QString label = QInputDialog::getText(this, tr("Rename Entity"), tr("New label for %1:").arg(kgw::qs(e.key)),
                                                    QLineEdit::Normal, kgw::qs(e.label), &ok);
        if (ok)
            editor_->renameEntity(e.id, label);
    });
}

void MainWindow::deleteSelectedTriples()
{
    if (!project_)
        return;
    QList<qint64> ids;
    for (const QModelIndex& row : tripleView_->selectionModel()->selectedRows())
        ids.append(tripleModel_->tripleAt(row.row()).id);
    if (ids.isEmpty())
        return;
    editor_->stack()->beginMacro(tr("delete %n triple(s)", nullptr, static_cast<int>(ids.size())));
    for (qint64 id : ids)
        editor_->deleteTriple(id);
    editor_->stack()->endMacro();
}

void MainWindow::importWizard()
{
    if (!project_) {
        stats_->setText(tr("Open or create a project before importing."));
        return;
    }
    kgw::ImportWizard wizard(this);
    if (wizard.exec() == QDialog::Accepted)
        startImport(wizard.request());
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

void MainWindow::importLabelsDialog()
{
    if (!project_) {
        stats_->setText(tr("Open or create a project before importing."));
        return;
    }
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Import Labels"), QString(),
                                                            tr("Labels (*.tsv *.csv *.txt *.gz);;All files (*)"));
    if (!files.isEmpty())
        startImport(QStringList(), files);
}

bool MainWindow::startImport(const QStringList& tripleFiles, const QStringList& labelFiles, kg::Split split)
{
    kg::import::ImportRequest req;
    for (const auto& f : tripleFiles)
        req.tripleFiles.emplace_back(kgw::ss(f));
    for (const auto& f : labelFiles)
        req.labelFiles.push_back(kgw::ss(f));
    req.split = split;
    return startImport(req);
}

bool MainWindow::startImport(const kg::import::ImportRequest& req)
{
    if (!project_ || importer_->busy())
        return false;
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
    if (outcome.ok)
        refreshAll(); // a failed or cancelled import changed nothing: every panel keeps what it shows
    statusBar()->showMessage(message, 15000);
    if (kgw::ImportReportDialog::worthShowing(outcome)) {
        auto* report = new kgw::ImportReportDialog(outcome, this);
        report->show();
    }
    Q_EMIT importFinished(outcome.ok, message);
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
    start_->setRecentProjects(recent);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    bool training = false;
#ifdef KGWB_HAVE_TRAINING
    training = training_->running();
#endif
    if (askBeforeQuit_ && (importer_->busy() || training)) {
        const QString what = importer_->busy() ? tr("An import is running; quitting rolls it back.")
                                               : tr("A training run is in progress; quitting stops it, and its last "
                                                    "finished epoch stays resumable.");
        if (QMessageBox::question(this, tr("Quit KG Workbench?"), what + QLatin1Char('\n') + tr("Quit anyway?"),
                                  QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    // A running import is cancelled and rolled back; the project file stays consistent.
    if (importer_->busy()) {
        importer_->cancel();
        importer_->wait();
    }
    graph_->cancelLayout();
#ifdef KGWB_HAVE_TRAINING
    // A running training job stops at its next step; the run is recorded as cancelled and its
    // last finished epoch stays resumable. The engine thread is joined when the panel goes.
    training_->cancel();
#endif
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (auto* splitter = findChild<QSplitter*>(QStringLiteral("mainSplitter")))
        settings.setValue(QStringLiteral("window/splitter"), splitter->saveState());
    settings.setValue(QStringLiteral("window/tab"), tabs_->currentIndex());
    event->accept();
}

} // namespace kgapp
