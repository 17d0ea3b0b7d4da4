// GUI responsiveness during training on fb15k-237: the real TrainingPanel runs a ComplEx job
// (dim 200, 1-vs-all, batch 512, threads = all cores) on its engine thread for a fixed time
// while a 5 ms timer probe records the longest gap between ticks on the GUI thread. The
// reference is the same probe over an idle period of the same length in the same run.
// Usage: bench_training_gui [DATASETS_DIR] [--seconds N]
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "core/blas_kernels.h"
#include "import/importer.h"
#include "store/project.h"
#include "training_panel.h"
#include "training_worker.h"

int main(int argc, char** argv)
{
    kg::useFasterBlasKernels(argv); // as kgwb does: the product's speed, not the fallback kernels'
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::string datasets = "../shared/datasets";
    int seconds = 30;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc)
            seconds = std::atoi(argv[++i]);
        else
            datasets = a;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/fb.kgwb").toStdString();
    auto project = std::shared_ptr<kg::Project>(kg::Project::open(path));
    kg::import::ImportRequest req;
    req.tripleFiles = {datasets + "/fb15k-237/train.tsv",
                       kg::import::TripleFile(datasets + "/fb15k-237/valid.tsv", kg::Split::Valid)};
    req.labelFiles = {datasets + "/fb15k-237/entities.tsv"};
    kg::import::runImport(*project, req);

    kgw::TrainingPanel panel;
    panel.resize(1200, 800);
    panel.show();
    panel.setProject(project);

    QElapsedTimer sinceTick;
    std::vector<qint64> gaps;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] { gaps.push_back(sinceTick.restart()); });
    auto measure = [&](const char* what, const std::function<void()>& during) {
        gaps.clear();
        sinceTick.start();
        probe.start();
        QElapsedTimer t;
        t.start();
        int events = 0;
        auto c = QObject::connect(panel.worker(), &kgw::TrainingWorker::jobEvent, [&] { ++events; });
        while (t.elapsed() < seconds * 1000) {
            app.processEvents(QEventLoop::WaitForMoreEvents, 50);
            if (during)
                during();
        }
        probe.stop();
        QObject::disconnect(c);
        std::sort(gaps.begin(), gaps.end());
        const qint64 p99 = gaps.empty() ? 0 : gaps[gaps.size() * 99 / 100];
        std::printf("%-9s %6zu ticks  max gap %4lld ms  p99 %3lld ms  (%d job events delivered)\n", what,
                    gaps.size(), static_cast<long long>(gaps.empty() ? 0 : gaps.back()), static_cast<long long>(p99),
                    events);
    };
    std::printf("fb15k-237: %lld train triples; probing the GUI thread for %d s each\n",
                static_cast<long long>(project->stats().train), seconds);
    measure("idle", {});
    kg::ml::JobSpec spec;
    spec.config.model = kg::ml::ModelKind::ComplEx;
    spec.config.dim = 200;
    spec.config.mode = kg::ml::TrainMode::OneVsAll;
    spec.config.batchSize = 512;
    spec.config.epochs = 1000;
    spec.config.device = "cpu";
    spec.evalEvery = 0;
    spec.checkpoint = (dir.path() + "/bench.ckpt").toStdString();
    panel.start(spec);
    measure("training", {});
    std::printf("dashboard said: %s\n", qPrintable(panel.statusLabel()->text()));
    panel.cancel();
    QElapsedTimer wait;
    wait.start();
    while (panel.running() && wait.elapsed() < 60000)
        app.processEvents(QEventLoop::WaitForMoreEvents, 50);
    std::printf("cancel acknowledged after %lld ms\n", static_cast<long long>(wait.elapsed()));
    return 0;
}
