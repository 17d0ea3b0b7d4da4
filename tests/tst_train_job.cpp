// The training job API (ml/train_job.h): events, run records, cancel and resume, spec JSON.
// Real LibTorch training on a small generated graph in a real project file.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <c10/core/CPUAllocator.h>
#include <csignal>

#include "import/importer.h"
#include "core/cancel.h"
#include "ml/checkpoint.h"
#include "ml/cpu_block_cache.h"
#include "ml/embedding_export.h"
#include "ml/job_trainer.h"
#include "ml/train_job.h"
#include "ml/trainer.h"
#include "ml/kg_data.h"
#include "store/sqlite.h"
#include "store/project.h"
#include "store/run_store.h"
#include "test_util.h"

using namespace kg::ml;
using kgtest::s;
using Kind = JobEvent::Kind;

namespace {


JobSpec ringSpec(const QTemporaryDir& dir, int64_t epochs)
{
    JobSpec spec;
    spec.config.model = ModelKind::ComplEx;
    spec.config.dim = 32;
    spec.config.mode = TrainMode::OneVsAll;
    spec.config.lr = 0.05;
    spec.config.batchSize = 16;
    spec.config.epochs = epochs;
    spec.config.threads = 2;
    spec.config.device = "cpu";
    spec.checkpoint = s(dir.filePath("ring.ckpt"));
    spec.evalEvery = 1;
    spec.progressIntervalMs = 0;
    return spec;
}

std::vector<double> losses(const std::string& project, int64_t run)
{
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    std::vector<double> out;
    for (const auto& m : kg::RunStore(*p).metric(run, "loss"))
        out.push_back(m.value);
    return out;
}

} // namespace

class TestTrainJob : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eventsArriveInOrderAndRunIsRecorded();
    void cancelThenContinueRunMatchesUninterrupted();
    void cancelDuringSetupRecordsNoRun();
    void earlyStoppingKeepsBestCheckpoint();
    void failuresAreTypedAndRecorded();
    void sparseProgressKeepsLossesAndCatchesDivergence();
    void largeCpuBlocksAreReusedWithinAScope();
    void specJsonRoundTripAndErrors();
    void liveRunsAreNotMarkedInterrupted();
    void killDuringTrainingLeavesLoadableCheckpoints();
    void cliTrainsATransformerWithText();
    void embeddingExportReportsAndCancels();
};

void TestTrainJob::eventsArriveInOrderAndRunIsRecorded()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir);
    const JobSpec spec = ringSpec(dir, 3);
    TrainJob job(project, spec);
    std::vector<JobEvent> events;
    const JobResult result = job.run([&](const JobEvent& e) { events.push_back(e); });

    QCOMPARE(result.status, std::string("finished"));
    QCOMPARE(result.epochsDone, int64_t(3));
    QVERIFY(result.test.has_value());
    QVERIFY(result.bestValidMrr.has_value());
    // Setup stages first (before the run exists), then Started on the device.
    QVERIFY(events.size() > 3);
    QCOMPARE(events[0].kind, Kind::Preparing);
    QCOMPARE(events[0].text, std::string("project"));
    QCOMPARE(events[1].kind, Kind::Preparing);
    QCOMPARE(events[1].text, std::string("model"));
    QCOMPARE(events[0].runId, int64_t(0));
    QVERIFY(events[1].toJson().find("\"preparing\"") != std::string::npos);
    events.erase(events.begin(), events.begin() + 2);
    QCOMPARE(events.front().kind, Kind::Started);
    QCOMPARE(events.front().text, std::string("cpu"));
    QCOMPARE(events.back().kind, Kind::Finished);
    QCOMPARE(events.back().text, std::string("finished"));
    QCOMPARE(events.back().metrics.mrr, result.test->mrr);
    int epochs = 0, validations = 0, progress = 0;
    int64_t lastStep = -1;
    for (const auto& e : events) {
        QCOMPARE(e.runId, result.runId);
        if (e.kind == Kind::Progress) {
            ++progress;
            QVERIFY(e.step > lastStep);
            lastStep = e.step;
            QVERIFY(e.etaSeconds >= 0 && e.triplesPerSecond > 0 && e.memoryBytes > 0);
            QCOMPARE(e.tokensPerSecond, 0.0); // a KGE model reads no token sequence
            QVERIFY(e.toJson().find("tokens_per_second") == std::string::npos);
            QVERIFY(e.epoch >= 1 && e.epoch <= 3);
        } else if (e.kind == Kind::Epoch) {
            QCOMPARE(e.epoch, int64_t(++epochs));
        } else if (e.kind == Kind::Validation) {
            ++validations;
            QVERIFY(e.metrics.queries > 0 && e.metrics.mrr > 0 && e.metrics.mrr <= 1);
        }
        // Every event serialises to JSON naming its kind.
        QVERIFY(e.toJson().find(std::string("\"event\":\"") + eventKindName(e.kind) + "\"") != std::string::npos);
    }
    QCOMPARE(epochs, 3);
    QCOMPARE(validations, 3);
    QCOMPARE(progress, 3 * static_cast<int>(events[1].stepsPerEpoch)); // interval 0: every step
    QVERIFY(QFile::exists(QString::fromStdString(spec.checkpoint)));
    QVERIFY(QFile::exists(QString::fromStdString(resumePath(spec.checkpoint))));
    QCOMPARE(readCheckpointInfo(resumePath(spec.checkpoint)).epochsDone, int64_t(3));

    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    kg::RunStore runs(*p);
    const auto run = runs.run(result.runId);
    QVERIFY(run);
    QCOMPARE(run->status, std::string("finished"));
    QCOMPARE(run->checkpoint, spec.checkpoint);
    QVERIFY(run->finalMetrics.find("\"test\"") != std::string::npos);
    QCOMPARE(runs.metric(result.runId, "loss").size(), size_t(3));
    QCOMPARE(runs.metric(result.runId, "valid_mrr").size(), size_t(3));
    // The ring's held-out prev/two_ahead triples follow from train: the model learns them.
    QVERIFY2(result.test->mrr > 0.5, qPrintable(QString::number(result.test->mrr)));
}

void TestTrainJob::cancelThenContinueRunMatchesUninterrupted()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir);
    const JobSpec full = ringSpec(dir, 4);
    JobSpec straight = full;
    straight.checkpoint = s(dir.filePath("straight.ckpt"));
    const auto reference = TrainJob(project, straight).run({});

    // Cancel during epoch 3 (after epoch 2 has been checkpointed).
    TrainJob first(project, full);
    const auto cancelled = first.run([&](const JobEvent& e) {
        if (e.kind == Kind::Progress && e.epoch == 3)
            first.cancel();
    });
    QCOMPARE(cancelled.status, std::string("cancelled"));
    QCOMPARE(cancelled.epochsDone, int64_t(2));
    QCOMPARE(readCheckpointInfo(resumePath(full.checkpoint)).epochsDone, int64_t(2));
    {
        auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
        QCOMPARE(kg::RunStore(*p).run(cancelled.runId)->status, std::string("cancelled"));
    }

    // "Resume from checkpoint after restarting the app": continue the same run record.
    JobSpec resume = full;
    resume.resumeFrom = resumePath(full.checkpoint);
    resume.continueRun = cancelled.runId;
    std::vector<JobEvent> events;
    const auto resumed = TrainJob(project, resume).run([&](const JobEvent& e) { events.push_back(e); });
    QCOMPARE(resumed.runId, cancelled.runId);
    QCOMPARE(resumed.status, std::string("finished"));
    QCOMPARE(resumed.epochsDone, int64_t(4));
    int epochEvents = 0;
    for (const auto& e : events)
        epochEvents += e.kind == Kind::Epoch;
    QCOMPARE(epochEvents, 2); // epochs 3 and 4 only

    // Resume from an epoch boundary is bit-exact: same curve and test metrics as straight through.
    const auto a = losses(project, reference.runId), b = losses(project, resumed.runId);
    QCOMPARE(b.size(), size_t(4));
    for (size_t i = 0; i < a.size(); ++i)
        QCOMPARE(b[i], a[i]);
    QCOMPARE(resumed.test->mrr, reference.test->mrr);
}

// A cancel while the job sets up (reading the graph, building the model: for a transformer,
// training its tokenizer) ends it at the end of that stage, before any run is recorded.
void TestTrainJob::cancelDuringSetupRecordsNoRun()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir);
    for (const std::string stage : {"project", "model"}) {
        TrainJob job(project, ringSpec(dir, 3));
        std::vector<JobEvent> events;
        const JobResult result = job.run([&](const JobEvent& e) {
            events.push_back(e);
            if (e.kind == Kind::Preparing && e.text == stage)
                job.cancel();
        });
        QCOMPARE(result.status, std::string("cancelled"));
        QCOMPARE(result.runId, int64_t(0));
        QCOMPARE(events.back().kind, Kind::Preparing);
        QCOMPARE(events.back().text, stage);
    }
    auto p = kg::Project::open(project);
    QVERIFY(kg::RunStore(*p).runs().empty());
}

void TestTrainJob::earlyStoppingKeepsBestCheckpoint()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir);
    JobSpec spec = ringSpec(dir, 40);
    spec.config.lr = 0.5; // overshoots after a few epochs: validation stops improving
    spec.patience = 2;
    std::vector<double> mrr;
    int64_t bestEpoch = 0;
    const auto result = TrainJob(project, spec).run([&](const JobEvent& e) {
        if (e.kind == Kind::Validation)
            mrr.push_back(e.metrics.mrr);
        if (e.kind == Kind::Checkpoint && e.text == spec.checkpoint)
            bestEpoch = e.epoch;
    });
    QCOMPARE(result.status, std::string("stopped_early"));
    QVERIFY(result.epochsDone < 40);
    const double best = *std::max_element(mrr.begin(), mrr.end());
    QCOMPARE(*result.bestValidMrr, best);
    // The kept checkpoint is the best epoch's, and nothing better came in the last `patience`.
    QCOMPARE(readCheckpointInfo(spec.checkpoint).epochsDone, bestEpoch);
    QCOMPARE(mrr[static_cast<size_t>(bestEpoch - 1)], best);
    QCOMPARE(result.epochsDone, bestEpoch + spec.patience);
}

void TestTrainJob::failuresAreTypedAndRecorded()
{
    QTemporaryDir dir;
    const std::string empty = s(dir.filePath("empty.kgwb"));
    kg::Project::open(empty);
    try {
        TrainJob(empty, ringSpec(dir, 1)).run({});
        QFAIL("an empty project trained");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::InvalidArgument);
    }
    const std::string project = kgtest::importRingProject(dir);
    JobSpec spec = ringSpec(dir, 1);
    spec.resumeFrom = s(kgtest::writeFile(dir, "junk.ckpt", "not a checkpoint"));
    try {
        TrainJob(project, spec).run({});
        QFAIL("a junk checkpoint loaded");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Format);
    }
    spec.resumeFrom.clear();
    spec.continueRun = 999;
    try {
        TrainJob(project, spec).run({});
        QFAIL("continued a run that does not exist");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::NotFound);
    }
    try {
        TrainJob(s(dir.filePath("missing.kgwb")), ringSpec(dir, 1)).run({});
        QFAIL("opened a missing project");
    } catch (const kg::Error& e) {
        QVERIFY(e.code() == kg::Errc::Io || e.code() == kg::Errc::NotFound || e.code() == kg::Errc::Database);
    }
}

void TestTrainJob::largeCpuBlocksAreReusedWithinAScope()
{
    using kg::ml::CpuBlockCacheScope;
    const int64_t large = CpuBlockCacheScope::kMinBlockBytes / sizeof(float) + 1024;
    // The wrapped allocator's DataPtrs are simple, so its raw deleter frees raw_allocate's blocks.
    QVERIFY(c10::GetDefaultCPUAllocator()->raw_deleter() != nullptr);
    {
        const CpuBlockCacheScope outer;
        const auto before = CpuBlockCacheScope::stats();
        void* first = nullptr;
        {
            const auto t = torch::ones({large});
            first = t.data_ptr();
        }
        QCOMPARE(CpuBlockCacheScope::stats().cachedBytes, before.cachedBytes + large * sizeof(float));
        {
            const CpuBlockCacheScope nested; // nesting keeps the outer scope's blocks
            const auto again = torch::zeros({large}); // same size: the kept block, zero-filled
            QCOMPARE(again.data_ptr(), first);
            QCOMPARE(again.sum().item<double>(), 0.0);
            const auto other = torch::empty({large + 1}); // another size: a new block
            QVERIFY(other.data_ptr() != first);
        }
        const auto after = CpuBlockCacheScope::stats();
        QCOMPARE(after.hits, before.hits + 1);
        QCOMPARE(after.misses, before.misses + 2);
        // raw_allocate (oneDNN's path) works for small and large blocks alike
        auto* alloc = c10::GetCPUAllocator();
        for (const size_t n : {size_t{4096}, size_t(CpuBlockCacheScope::kMinBlockBytes)}) {
            void* p = alloc->raw_allocate(n);
            QVERIFY(p != nullptr);
            static_cast<char*>(p)[n - 1] = 1;
            alloc->raw_deallocate(p);
        }
    }
    {
        // Kept blocks never raise live + kept bytes more than kMinBlockBytes (just under L)
        // above the scope's most live bytes: four large blocks live at once, then blocks of a
        // new, smaller size (an epoch's short last batch) displace kept ones, the least
        // recently freed first.
        const CpuBlockCacheScope scope;
        const size_t L = large * sizeof(float);
        const auto base = CpuBlockCacheScope::stats();
        {
            std::vector<torch::Tensor> four;
            for (int i = 0; i < 4; ++i)
                four.push_back(torch::empty({large}));
        }
        QCOMPARE(CpuBlockCacheScope::stats().cachedBytes, 4 * L);
        const int64_t half = large / 2;
        const size_t H = half * sizeof(float);
        std::vector<torch::Tensor> halves;
        const size_t expectedKept[] = {4 * L, 3 * L, 3 * L, 2 * L, 2 * L, L};
        for (const size_t kept : expectedKept) {
            halves.push_back(torch::empty({half}));
            const auto s = CpuBlockCacheScope::stats();
            QCOMPARE(s.cachedBytes, kept);
            QCOMPARE(s.liveBytes, base.liveBytes + halves.size() * H);
            QVERIFY(s.liveBytes - base.liveBytes + s.cachedBytes <= 4 * L + CpuBlockCacheScope::kMinBlockBytes);
        }
        const auto hits = CpuBlockCacheScope::stats().hits;
        const auto again = torch::empty({large}); // the one kept block still serves its size
        QCOMPARE(CpuBlockCacheScope::stats().hits, hits + 1);
        QCOMPARE(CpuBlockCacheScope::stats().cachedBytes, size_t{0});
#if !defined(__SANITIZE_ADDRESS__) // ASan aborts on a request this large instead of failing it
        {
            // A failed allocation (out of memory) leaves the live count and the mark as they were.
            const auto before = CpuBlockCacheScope::stats();
            bool threw = false;
            try {
                (void)torch::empty({int64_t{1} << 58}); // 1 EiB: beyond any x86-64 address space, overcommit or not
            } catch (const c10::Error&) {
                threw = true;
            }
            QVERIFY(threw);
            QCOMPARE(CpuBlockCacheScope::stats().liveBytes, before.liveBytes);
            QCOMPARE(CpuBlockCacheScope::stats().markBytes, before.markBytes);
        }
#endif
    }
    // The last scope released every kept block; outside a scope nothing is kept.
    QCOMPARE(CpuBlockCacheScope::stats().cachedBytes, size_t{0});
    {
        const auto t = torch::ones({large});
    }
    QCOMPARE(CpuBlockCacheScope::stats().cachedBytes, size_t{0});
}

void TestTrainJob::sparseProgressKeepsLossesAndCatchesDivergence()
{
    // A step's loss stays on the device until a progress report or the epoch's end reads it:
    // with reports an hour apart, the run reports its first step and each epoch's last, and
    // records the same mean loss per epoch as reading every step.
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir);
    auto train = [&](int intervalMs, std::vector<JobEvent>& events) {
        JobSpec spec = ringSpec(dir, 2);
        spec.checkpoint.clear();
        spec.progressIntervalMs = intervalMs;
        return TrainJob(project, spec).run([&](const JobEvent& e) { events.push_back(e); });
    };
    std::vector<JobEvent> every, sparse;
    const auto a = train(0, every), b = train(3600 * 1000, sparse);
    auto count = [](const std::vector<JobEvent>& events, Kind kind) {
        return std::count_if(events.begin(), events.end(), [&](const JobEvent& e) { return e.kind == kind; });
    };
    QVERIFY(count(every, Kind::Progress) > 2);
    QCOMPARE(count(sparse, Kind::Progress), std::ptrdiff_t(3));
    const auto la = losses(project, a.runId), lb = losses(project, b.runId);
    QCOMPARE(la.size(), size_t(2));
    QCOMPARE(lb.size(), size_t(2));
    for (size_t i = 0; i < la.size(); ++i)
        QVERIFY2(std::abs(la[i] - lb[i]) <= 1e-9 * std::abs(la[i]), qPrintable(QString("%1 vs %2").arg(la[i]).arg(lb[i])));

    // A learning rate of 1e30 overflows the scores after the first step: the epoch's summed
    // loss is not finite, so the job fails as diverged before that epoch counts or is saved.
    JobSpec spec = ringSpec(dir, 2);
    spec.config.lr = 1e30;
    spec.progressIntervalMs = 3600 * 1000;
    std::vector<JobEvent> events;
    try {
        TrainJob(project, spec).run([&](const JobEvent& e) { events.push_back(e); });
        QFAIL("a run with a learning rate of 1e30 finished");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::InvalidArgument);
        QVERIFY2(std::string(e.what()).find("training diverged") != std::string::npos, e.what());
    }
    QCOMPARE(count(events, Kind::Epoch), std::ptrdiff_t(0));
    QVERIFY(!QFile::exists(QString::fromStdString(resumePath(spec.checkpoint))));
    auto p = kg::Project::open(project, kg::Project::OpenMode::MustExist);
    const auto runs = kg::RunStore(*p).runs(); // newest first
    QVERIFY(!runs.empty());
    QCOMPARE(runs.front().status, std::string("failed"));
    // Without progress reports (as federation's local epochs run) the epoch's sum catches it.
    const KgData data = KgData::fromProject(*p);
    auto trainer = makeTrainer(spec.config, data, project);
    try {
        trainer->run();
        QFAIL("a run with a learning rate of 1e30 and no progress reports finished");
    } catch (const kg::Error& e) {
        QVERIFY2(std::string(e.what()).find("training diverged") != std::string::npos, e.what());
    }
    QCOMPARE(trainer->epochsDone(), int64_t(0));
}

void TestTrainJob::specJsonRoundTripAndErrors()
{
    QTemporaryDir dir;
    JobSpec spec = ringSpec(dir, 7);
    spec.patience = 3;
    spec.continueRun = 5;
    spec.resumeFrom = "x.ckpt.resume";
    spec.evaluateTest = false;
    const JobSpec back = JobSpec::fromJson(spec.toJson());
    QCOMPARE(back.toJson(), spec.toJson());
    QCOMPARE(back.config.epochs, int64_t(7));
    QCOMPARE(back.patience, 3);
    for (const char* bad : {"[]", "{\"patience\": -1}", "{\"checkpoint\": 3}", "{\"bogus\": 1}",
                            "{\"config\": {\"model\": \"nope\"}}", "{\"evaluate_test\": 1}", "{"}) {
        try {
            JobSpec::fromJson(bad);
            QFAIL(bad);
        } catch (const kg::Error& e) {
            QCOMPARE(e.code(), kg::Errc::InvalidArgument);
        }
    }
}

void TestTrainJob::liveRunsAreNotMarkedInterrupted()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir);
    int64_t live = 0, dead = 0;
    kg::RunLease lease;
    {
        auto p = kg::Project::open(path);
        kg::RunStore store(*p);
        live = store.createRun("kge", "{}", &lease);
        dead = store.createRun("kge", "{}"); // no owner: as if its process had been killed
    }
    QVERIFY(kg::RunLease::held(path, live));
    QVERIFY(!kg::RunLease::held(path, dead));
    auto status = [&](int64_t run) {
        auto p = kg::Project::open(path); // opening for writing reaps dead runs
        return kg::RunStore(*p).run(run)->status;
    };
    QCOMPARE(status(live), std::string("running"));
    QCOMPARE(status(dead), std::string("interrupted"));
    lease = kg::RunLease(); // the owner goes away
    QVERIFY(!kg::RunLease::held(path, live));
    QCOMPARE(status(live), std::string("interrupted"));
    // A read-only open changes nothing.
    {
        auto p = kg::Project::open(path);
        kg::RunStore(*p).reopenRun(live, "{}", &lease);
    }
    lease = kg::RunLease();
    auto ro = kg::Project::open(path, kg::Project::OpenMode::ReadOnly);
    QCOMPARE(kg::RunStore(*ro).run(live)->status, std::string("running"));
}

void TestTrainJob::killDuringTrainingLeavesLoadableCheckpoints()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir, 400);
    const QString ckpt = dir.filePath("killed.ckpt");
    const QString resume = QString::fromStdString(resumePath(s(ckpt)));
    QProcess proc;
    proc.start(QStringLiteral(KGWB_CLI_PATH),
               {"train", QString::fromStdString(path), "--model", "complex", "--dim", "32", "--epochs", "100000",
                "--eval-every", "1", "--checkpoint", ckpt, "--threads", "1", "--device", "cpu", "--batch", "16",
                "--quiet"});
    QVERIFY(proc.waitForStarted());
    // Both files written (each atomically), then a few more epochs so the kill lands mid-epoch or
    // mid-write at a random point.
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(ckpt) && QFile::exists(resume), 120000);
    QTest::qWait(700);
    QCOMPARE(proc.state(), QProcess::Running);
    proc.kill(); // SIGKILL: no handler runs
    QVERIFY(proc.waitForFinished(30000));
    {
        kg::sql::Database db(path, kg::sql::Database::Mode::ReadWrite);
        auto check = db.prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), std::string("ok"));
    }
    auto project = kg::Project::open(path);
    const auto runs = kg::RunStore(*project).runs();
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(runs.front().status, std::string("interrupted"));
    QCOMPARE(runs.front().checkpoint, s(ckpt)); // recorded at the start, for resuming
    const KgData data = KgData::fromProject(*project);
    for (const QString& file : {ckpt, resume}) {
        const CheckpointInfo info = readCheckpointInfo(s(file));
        QVERIFY(info.epochsDone >= 1);
        Trainer trainer(info.config, data);
        loadCheckpoint(s(file), trainer); // every shape checked
        QCOMPARE(trainer.epochsDone(), info.epochsDone);
    }
    // The interrupted run continues from its resume state and finishes.
    const int64_t done = readCheckpointInfo(s(resume)).epochsDone;
    QProcess again;
    again.start(QStringLiteral(KGWB_CLI_PATH),
                {"train", QString::fromStdString(path), "--resume", resume, "--continue-run",
                 QString::number(runs.front().id), "--epochs", QString::number(done + 1), "--checkpoint", ckpt,
                 "--quiet"}); // the model, dim and batch come from the checkpoint
    QVERIFY(again.waitForFinished(120000));
    QVERIFY2(again.exitCode() == 0, again.readAllStandardError().constData());
    QCOMPARE(kg::RunStore(*project).run(runs.front().id)->status, std::string("finished"));
}

// When the kgwb executable loaded the sentencepiece shim with RTLD_DEEPBIND, an executable that
// copy-relocates std::cerr/std::cout (by using iostreams itself) made sentencepiece write to an
// unconstructed stream and crash (SIGSEGV) on every --use-text run. (The shim now has a
// link-map namespace, and its own C++ runtime, to itself.)
void TestTrainJob::cliTrainsATransformerWithText()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir);
    QProcess proc;
    proc.start(QStringLiteral(KGWB_CLI_PATH),
               {"train", QString::fromStdString(path), "--model", "transformer", "--use-text", "--vocab-size", "300",
                "--epochs", "1", "--dim", "16", "--heads", "2", "--threads", "1", "--device", "cpu", "--quiet"});
    QVERIFY(proc.waitForFinished(120000));
    QCOMPARE(proc.exitStatus(), QProcess::NormalExit);
    QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
    auto project = kg::Project::open(path, kg::Project::OpenMode::ReadOnly);
    QCOMPARE(kg::RunStore(*project).runs().front().status, std::string("finished"));
}

// The projector export reports its rows, and a cancelled export leaves the previous one intact.
void TestTrainJob::embeddingExportReportsAndCancels()
{
    QTemporaryDir dir;
    const std::string project = kgtest::importRingProject(dir);
    const JobSpec spec = ringSpec(dir, 1);
    QCOMPARE(TrainJob(project, spec).run([](const JobEvent&) {}).status, std::string("finished"));
    const std::string out = s(dir.filePath("projector"));
    std::vector<std::pair<int64_t, int64_t>> seen;
    const auto first = exportEmbeddings(project, spec.checkpoint, out,
                                        [&](int64_t done, int64_t total) { seen.emplace_back(done, total); });
    QVERIFY(first.rows > 0);
    QCOMPARE(first.dim, int64_t(32)); // ComplEx d32: 16 real and 16 imaginary parts
    QVERIFY(seen.size() >= 2);
    QCOMPARE(seen.front(), std::make_pair(int64_t(0), first.rows));
    QCOMPARE(seen.back(), std::make_pair(first.rows, first.rows));
    auto read = [](const std::string& path) {
        QFile f(QString::fromStdString(path));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QByteArray vectors = read(first.vectors), meta = read(first.metadata);
    QCOMPARE(vectors.count('\n'), first.rows);
    QCOMPARE(meta.count('\n'), first.rows + 1);

    // Cancelled at its first report (before any row): the error is typed, the earlier files stay.
    kg::CancelToken cancel;
    try {
        exportEmbeddings(project, spec.checkpoint, out, [&](int64_t, int64_t) { cancel.cancel(); }, &cancel);
        QFAIL("a cancelled export finished");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Cancelled);
    }
    QCOMPARE(read(first.vectors), vectors);
    QCOMPARE(read(first.metadata), meta);
    QCOMPARE(QDir(QString::fromStdString(out)).entryList(QDir::Files).size(), qsizetype(2)); // no .part left
}

QTEST_GUILESS_MAIN(TestTrainJob)
#include "tst_train_job.moc"
