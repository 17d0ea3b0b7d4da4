// kg-workbench: the GUI. `kg-workbench --demo` opens the bundled demo graph; without a display
// it runs headless (Qt offscreen), saves a screenshot and says so.
#include <QApplication>

#include "core/blas_kernels.h"
#include "guarded_application.h"
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QSettings>
#include <QElapsedTimer>
#include <QTimer>
#include <QTranslator>
#include <cstdio>

#include "core/error.h"
#include "demo_project.h"
#include "graph_explorer.h"
#include "entity_search.h"
#include "main_window.h"
#include "qt_convert.h"
#include "store/project.h"

namespace {

bool haveDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

} // namespace

int main(int argc, char* argv[])
{
    kg::useFasterBlasKernels(argv); // re-executes where OpenBLAS fell back to slow kernels
    const bool headless = !haveDisplay();
    if (headless)
        qputenv("QT_QPA_PLATFORM", "offscreen");
    kgapp::GuardedApplication app(argc, argv); // exceptions in slots become messages
    app.setDialogsEnabled(!headless);
    QApplication::setOrganizationName(QStringLiteral("kg-workbench"));
    QApplication::setApplicationName(QStringLiteral("KG Workbench"));
    QApplication::setApplicationVersion(QStringLiteral(KGWB_VERSION));

    QCommandLineParser cli;
    cli.setApplicationDescription(QApplication::translate("main", "Knowledge-graph workbench"));
    cli.addHelpOption();
    cli.addVersionOption();
    QCommandLineOption demo(QStringLiteral("demo"), QApplication::translate("main", "Open the bundled demo graph."));
    QCommandLineOption lang(QStringLiteral("lang"), QApplication::translate("main", "UI language (en, zh_CN)."),
                            QStringLiteral("code"));
    QCommandLineOption shot(QStringLiteral("screenshot"),
                            QApplication::translate("main", "Save a screenshot of the window to FILE and quit."),
                            QStringLiteral("file"));
    cli.addOptions({demo, lang, shot});
    cli.addPositionalArgument(QStringLiteral("project"), QApplication::translate("main", "Project file to open."));
    cli.process(app);

    const QString language = cli.isSet(lang) ? cli.value(lang)
                                             : QSettings().value(QStringLiteral("language"), QLocale::system().name()).toString();
    QTranslator translator;
    if (translator.load(QStringLiteral(":/i18n/kgwb_%1.qm").arg(language)))
        QApplication::installTranslator(&translator);
    QTranslator qtTranslator;
    if (qtTranslator.load(QStringLiteral("qtbase_%1").arg(language), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    kgapp::MainWindow window;
    QString projectPath = cli.positionalArguments().value(0);
    if (cli.isSet(demo)) {
        projectPath = kgapp::defaultDemoPath();
        try {
            kgapp::ensureDemoProject(projectPath);
        } catch (const kg::Error& e) {
            std::fprintf(stderr, "kg-workbench: cannot create the demo project: %s\n", e.what());
            return 1;
        }
    }
    if (!projectPath.isEmpty() && !window.openProject(projectPath)) {
        std::fprintf(stderr, "kg-workbench: %s\n", qPrintable(window.statusText()));
        return 1;
    }
    if (cli.isSet(demo)) {
        window.search()->lineEdit()->setText(QStringLiteral("curie"));
        window.search()->openBestMatch(); // opens it in the graph when the search lands
    }
    window.show();

    QString screenshot = cli.value(shot);
    if (headless && screenshot.isEmpty())
        screenshot = QDir::current().filePath(QStringLiteral("kg-workbench-demo.png"));
    if (screenshot.isEmpty())
        return QApplication::exec();

    // Let the graph layout land (it runs on a worker thread), then grab the window and quit.
    QElapsedTimer waited;
    waited.start();
    QTimer poll;
    poll.setInterval(50);
    QObject::connect(&poll, &QTimer::timeout, &window, [&] {
        if ((window.search()->busy() || window.graph()->busy()) && waited.elapsed() < 10000)
            return;
        poll.stop();
        const bool saved = window.grab().save(screenshot);
        if (headless)
            std::printf("No display found: ran KG Workbench headless (Qt offscreen platform).\n");
        if (window.project()) {
            const kg::ProjectStats s = window.project()->stats();
            std::printf("Project %s: %lld entities, %lld relations, %lld triples.\n",
                        window.project()->path().c_str(), static_cast<long long>(s.entities),
                        static_cast<long long>(s.relations), static_cast<long long>(s.triples));
        }
        std::printf(saved ? "Screenshot saved to %s\n" : "Could not save screenshot to %s\n",
                    qPrintable(QDir::toNativeSeparators(screenshot)));
        QApplication::exit(saved ? 0 : 1);
    });
    QTimer::singleShot(300, &poll, qOverload<>(&QTimer::start));
    return QApplication::exec();
}
