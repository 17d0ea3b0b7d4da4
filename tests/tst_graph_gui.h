// The graph explorer and editing, driving real widgets offscreen. One suite in two files:
// tst_graph_gui.cpp (search, expand by double-click and "show more", real Graphviz layouts and
// the layout cache, path highlighting, the undo/redo round trip through the engine's log,
// exports that parse, the import wizard preview) and tst_graph_gui_view.cpp (the view: edges
// drawn in bulk, edge labels kept clear, the minimap, panning), with shared helpers here.
#pragma once

#include <QComboBox>
#include <QCompleter>
#include <QGraphicsView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>
#include <QXmlStreamReader>

#include "add_triple_dialog.h"
#include "demo_project.h"
#include "entity_completer.h"
#include "entity_search.h"
#include "graph_explorer.h"
#include "graph_items.h"
#include "graph_session.h"
#include "graph_view.h"
#include "import/importer.h"
#include "import_wizard.h"
#include "layout/layout_process.h"
#include "main_window.h"
#include "project_editor.h"
#include "scene_sync.h"
#include "store/project.h"
#include "test_util.h"

namespace graphgui {

using namespace kgtest;

// Waits until the explorer has loaded, laid out and applied everything.
inline bool settle(kgw::GraphExplorer* g, int ms = 20000)
{
    return QTest::qWaitFor([g] { return !g->busy(); }, ms);
}

inline qint64 idOf(kgapp::MainWindow& w, const char* key) { return w.project()->entityByKey(key)->id; }

// A project at dir/NAME.kgwb holding the triples of `tsv`; returns its path.
inline QString projectFromTsv(const QTemporaryDir& dir, const QString& name, const QByteArray& tsv)
{
    const QString path = dir.filePath(name + ".kgwb");
    auto p = kg::Project::open(s(path));
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, name + ".tsv", tsv))};
    kg::import::runImport(*p, req);
    return path;
}

// The demo project in `dir`, opened in `w`; shown at 1280 x 760 unless show is false.
inline bool openDemo(kgapp::MainWindow& w, const QTemporaryDir& dir, bool show = true)
{
    const QString path = dir.filePath(QStringLiteral("demo.kgwb"));
    kgapp::ensureDemoProject(path);
    if (!w.openProject(path))
        return false;
    if (show) {
        w.resize(1280, 760);
        w.show();
    }
    return true;
}

} // namespace graphgui

class TestGraphGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void searchShowsEntityInGraph();
    void doubleClickExpandsAndHubsPage();
    void expansionsAndEditsKeepTheView();
    void layoutCacheAndAlgorithms();
    void pathHighlighting();
    void undoRedoRoundTrip();
    void editsAreReadOffTheGuiThread();
    void historySurvivesReopen();
    void exportsParse();
    void importWizardPreview();
    void fdpRunsInTheHelperBesideLibTorch();
    void addTripleDialogCompletesKeys();
    void largeViewsDrawEdgesInBulk();
    void edgeLabelsStayClear();
    void minimapOnlyWhileSomethingIsOffScreen();
    void viewPansWithoutScrollBars();
};
