// The kgwb CLI as a user runs it: exit codes, messages, and kill -9 during import.
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <csignal>

#include "store/project.h"
#include "store/sqlite.h"
#include "test_util.h"

using namespace kgtest;

namespace {

struct Run {
    int code;
    QString out, err;
};

Run kgwb(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(KGWB_CLI_PATH), args);
    if (!p.waitForFinished(120000))
        qFatal("kgwb did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void usageErrors();
    void importStatsSearchEdit();
    void parseErrorNamesFileLineAndRollsBack();
    void docsAndCandidates();
    void trainEvalPredict();
    void sigintCancelsAndRollsBack();
    void killDuringImportKeepsProjectIntact_data();
    void killDuringImportKeepsProjectIntact();
    void slowBlasKernelsAreReplaced();
};

void TestCli::usageErrors()
{
    QCOMPARE(kgwb({}).code, 2);
    QCOMPARE(kgwb({"frobnicate"}).code, 2);
    const Run r = kgwb({"import", "p.kgwb", "x.tsv", "--split", "holdout"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--split"));
    QCOMPARE(kgwb({"import", "p.kgwb", "--bogus"}).code, 2);
    QVERIFY(kgwb({"--help"}).out.contains("import PROJECT"));
}

void TestCli::importStatsSearchEdit()
{
    QTemporaryDir dir;
    const QString p = dir.filePath("p.kgwb");
    const QString t = writeFile(dir, "t.tsv", "curie\tborn_in\twarsaw\ncurie\tfield\tphysics\n");
    const QString l = writeFile(dir, "l.tsv", "curie\tMarie Curie\tPhysicist and chemist\nborn_in\tborn in\n");
    Run r = kgwb({"import", p, t, "--labels", l, "--quiet"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("imported 2 triples"), qPrintable(r.out));
    r = kgwb({"stats", p, "--json"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("\"entities\": 3"));
    {
        // --profile: where the time went, phases that add up to no more than the whole.
        QTemporaryDir other;
        const Run prof = kgwb({"import", other.filePath("q.kgwb"), t, "--quiet", "--profile"});
        QCOMPARE(prof.code, 0);
        const QRegularExpression line(QStringLiteral("in ([0-9.]+) s\\ntime: parse ([0-9.]+) s, key lookup/dedup ([0-9.]+) s, "
                                                     "insert ([0-9.]+) s \\(writer thread busy ([0-9.]+) s\\), index rebuild ([0-9.]+) s, "
                                                     "full-text index ([0-9.]+) s, commit ([0-9.]+) s, other ([0-9.]+) s"));
        const auto m = line.match(prof.out);
        QVERIFY2(m.hasMatch(), qPrintable(prof.out));
        double phases = 0;
        for (int i = 2; i <= 9; ++i)
            if (i != 5) // the writer's busy time overlaps parsing; not a phase of its own
                phases += m.captured(i).toDouble();
        QVERIFY2(phases <= m.captured(1).toDouble() + 0.01, qPrintable(prof.out));
    }
    r = kgwb({"search", p, "chem"});
    QVERIFY2(r.out.contains("Marie Curie"), qPrintable(r.out));
    QCOMPARE(kgwb({"edit", p, "add-entity", "paris", "Paris"}).code, 0);
    QCOMPARE(kgwb({"edit", p, "add-triple", "curie", "born_in", "paris", "--split", "test"}).code, 0);
    QCOMPARE(kgwb({"edit", p, "add-triple", "curie", "born_in", "paris"}).code, 1); // duplicate
    r = kgwb({"edit", p, "undo"});
    QVERIFY2(r.out.contains("add triple"), qPrintable(r.out));
    r = kgwb({"edit", p, "history"});
    QVERIFY(r.out.contains("undone"));
    QCOMPARE(kgwb({"stats", p, "--json"}).out.contains("\"test\": 0"), true);
    QCOMPARE(kgwb({"stats", dir.filePath("missing.kgwb")}).code, 1);
    // All splits of a benchmark in one atomic import.
    const QString q = dir.filePath("q.kgwb");
    r = kgwb({"import", q, t, "--valid", writeFile(dir, "v.tsv", "warsaw\tin\tpoland\n"), "--test",
              writeFile(dir, "te.tsv", "physics\tis\tscience\nparis\tin\tfrance\n"), "--quiet"});
    QCOMPARE(r.code, 0);
    r = kgwb({"stats", q, "--json"});
    QVERIFY2(r.out.contains("\"train\": 2") && r.out.contains("\"valid\": 1") && r.out.contains("\"test\": 2"),
             qPrintable(r.out));
    // Export one split as key TSV; it imports again as the same triples.
    r = kgwb({"export", q, "--split", "test", "--out", dir.filePath("back.tsv")});
    QCOMPARE(r.code, 0);
    QFile back(dir.filePath("back.tsv"));
    QVERIFY(back.open(QIODevice::ReadOnly));
    QCOMPARE(back.readAll(), QByteArray("physics\tis\tscience\nparis\tin\tfrance\n"));
    QCOMPARE(kgwb({"export", q, "--split", "holdout", "--out", dir.filePath("x.tsv")}).code, 2);
}

void TestCli::parseErrorNamesFileLineAndRollsBack()
{
    QTemporaryDir dir;
    const QString p = dir.filePath("p.kgwb");
    const QString good = writeFile(dir, "good.tsv", "a\tr\tb\n");
    const QString bad = writeFile(dir, "bad.tsv", "c\tr\td\ne\tr\n");
    const Run r = kgwb({"import", p, good, bad, "--quiet"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("bad.tsv:2: expected 3 fields"), qPrintable(r.err));
    QVERIFY(kgwb({"stats", p, "--json"}).out.contains("\"triples\": 0"));
    const Run skip = kgwb({"import", p, good, bad, "--skip-bad-lines", "--quiet"});
    QCOMPARE(skip.code, 0);
    QVERIFY(skip.out.contains("skipped 1 bad lines"));
    QVERIFY(skip.out.contains("bad.tsv:2"));
}

void TestCli::docsAndCandidates()
{
    QTemporaryDir dir;
    const QString p = dir.filePath("p.kgwb");
    const QString t = writeFile(dir, "t.tsv", "curie\tborn_in\twarsaw\n");
    const QString l = writeFile(dir, "l.tsv", "curie\tMarie Curie\tMarie Curie was born in Warsaw.\nwarsaw\tWarsaw\n");
    QCOMPARE(kgwb({"import", p, t, "--labels", l, "--quiet"}).code, 0);
    const QString good = writeFile(dir, "a.html", "<p>Marie Curie lived in Paris. She worked in Paris.</p>");
    const QString bad = writeFile(dir, "b.txt", "caf\xe9\n");
    Run r = kgwb({"docs", "import", p, good, bad});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("b.txt:1") && r.err.contains("UTF-8") && !r.err.contains("a.html"), qPrintable(r.err));
    r = kgwb({"docs", "import", p, good, "--descriptions"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("imported 1 documents, 2 sentences") && r.out.contains("added 1 entity descriptions"),
             qPrintable(r.out));
    r = kgwb({"docs", "search", p, "paris"});
    QVERIFY2(r.out.contains("lived in Paris"), qPrintable(r.out));
    r = kgwb({"candidates", p, "list"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("0 pending, 0 accepted, 0 rejected"), qPrintable(r.out));
    QCOMPARE(kgwb({"candidates", p, "accept", "99"}).code, 1);
    QCOMPARE(kgwb({"candidates", p, "frob"}).code, 2);
    // Without a trained extractor, extraction says what to do.
    r = kgwb({"extract", p});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("extract train"), qPrintable(r.err));
}

void TestCli::trainEvalPredict()
{
    QTemporaryDir dir;
    const QString p = dir.filePath("p.kgwb");
    QByteArray train, test;
    for (int i = 0; i < 40; ++i) { // two relations forming a cycle, easy to learn
        train += "e" + QByteArray::number(i) + "\tnext\te" + QByteArray::number((i + 1) % 40) + "\n";
        if (i % 5 != 0)
            train += "e" + QByteArray::number((i + 1) % 40) + "\tprev\te" + QByteArray::number(i) + "\n";
        else
            test += "e" + QByteArray::number((i + 1) % 40) + "\tprev\te" + QByteArray::number(i) + "\n";
    }
    QCOMPARE(kgwb({"import", p, writeFile(dir, "train.tsv", train), "--test", writeFile(dir, "test.tsv", test), "--quiet"}).code, 0);
    const QString ckpt = dir.filePath("m.ckpt");
    Run r = kgwb({"train", p, "--model", "distmult", "--dim", "16", "--epochs", "3", "--threads", "1",
                  "--checkpoint", ckpt, "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("test: MRR"), qPrintable(r.out));
    QVERIFY(QFile::exists(ckpt));
    r = kgwb({"runs", p, "--json"});
    QVERIFY2(r.out.contains("\"status\": \"finished\"") && r.out.contains("\"mrr\""), qPrintable(r.out));
    r = kgwb({"eval", p, "--checkpoint", ckpt});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("Hits@10"));
    // --filter-also: with every other head and tail of each test triple known, each answer
    // ranks first; a line of keys the project lacks is skipped, a short line is an error.
    QByteArray known = "x1\tprev\tx2\n";
    for (const QByteArray& line : test.split('\n')) {
        const auto f = line.split('\t');
        if (f.size() != 3)
            continue;
        for (int j = 0; j < 40; ++j) {
            const QByteArray e = "e" + QByteArray::number(j);
            known += f[0] + "\tprev\t" + e + "\n" + e + "\tprev\t" + f[2] + "\n";
        }
    }
    r = kgwb({"eval", p, "--checkpoint", ckpt, "--filter-also", writeFile(dir, "known.tsv", known)});
    QVERIFY2(r.code == 0 && r.out.contains("test: MRR 1.0000") && r.out.contains("(1 with keys this project lacks skipped)"),
             qPrintable(r.out + r.err));
    r = kgwb({"eval", p, "--checkpoint", ckpt, "--filter-also", writeFile(dir, "short.tsv", "e1\tprev\te2\ne1\tprev\n")});
    QVERIFY2(r.code == 1 && r.err.contains("short.tsv:2"), qPrintable(r.err));
    r = kgwb({"predict", p, "e3", "next", "--checkpoint", ckpt, "--k", "3"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.count('\n') == 4, qPrintable(r.out));
    // Errors are clear and typed.
    r = kgwb({"train", p, "--model", "complex", "--dim", "15"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("even dim"), qPrintable(r.err));
    r = kgwb({"eval", p, "--checkpoint", writeFile(dir, "bad.ckpt", "garbage")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("not a KG Workbench checkpoint"), qPrintable(r.err));
    r = kgwb({"predict", p, "nobody", "next", "--checkpoint", ckpt});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("no entity"));
    r = kgwb({"train", p, "--epochs", "x3"});
    QCOMPARE(r.code, 2); // a bad number is a usage error
    QVERIFY2(r.err.contains("--epochs needs an integer"), qPrintable(r.err));
    // The transformer from the command line: defaults alone, then from its run with LoRA.
    const QString tckpt = dir.filePath("t.ckpt");
    r = kgwb({"train", p, "--model", "transformer", "--dim", "16", "--epochs", "1", "--threads", "1", "--checkpoint",
              tckpt, "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("test: MRR"), qPrintable(r.out));
    const QString run = r.out.mid(r.out.indexOf("recorded as run ") + 16).trimmed();
    r = kgwb({"runs", p, "--json"}); // newest first: without --lr, the transformer's own rate
    QVERIFY2(r.out.indexOf("\"lr\": 0.001") >= 0 && r.out.indexOf("\"lr\": 0.001") < r.out.indexOf("\"lr\": 0.01,"),
             qPrintable(r.out));
    r = kgwb({"train", p, "--model", "transformer", "--dim", "16", "--epochs", "1", "--threads", "1", "--init-from", run,
              "--lora-rank", "2", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = kgwb({"eval", p, "--checkpoint", tckpt});
    QVERIFY2(r.code == 0 && r.out.contains("Hits@10"), qPrintable(r.err));
    r = kgwb({"predict", p, "e3", "next", "--checkpoint", tckpt, "--k", "3"});
    QVERIFY2(r.code == 0 && r.out.count('\n') == 4, qPrintable(r.out + r.err));
    r = kgwb({"train", p, "--model", "transformer", "--dim", "18", "--epochs", "1"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("divisible by heads"), qPrintable(r.err));
    // A Training tab preset by id, with flags over it; unknown ids name the known ones.
    r = kgwb({"train", p, "--preset", "transformer-explain", "--dim", "16", "--epochs", "1", "--threads", "1",
              "--no-shortcut", "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = kgwb({"runs", p, "--json"}); // newest first: the preset's context and targets, the flags' dim and shortcut
    const QString newest = r.out.left(r.out.indexOf("\"id\": ")); // keys sorted: config comes before id
    QVERIFY2(newest.size() < r.out.size() / 2, qPrintable(r.out));
    for (const char* field : {"\"context\": 16", "\"targets\": \"all\"", "\"shortcut\": false", "\"dim\": 16",
                              "\"epochs\": 1,", "\"head_mask\": 0.0"})
        QVERIFY2(newest.contains(QLatin1String(field)), qPrintable(field + QStringLiteral(" in ") + newest));
    r = kgwb({"train", "--list-presets"});
    QVERIFY2(r.code == 0 && r.out.contains("transformer-rank") && r.out.contains("complex-1vsall"), qPrintable(r.out));
    r = kgwb({"train", p, "--preset", "fast"});
    QVERIFY2(r.code == 1 && r.err.contains("no training preset 'fast'") && r.err.contains("transformer-explain"),
             qPrintable(r.err));
    r = kgwb({"train", p, "--preset", "compgcn", "--config", writeFile(dir, "c.json", "{}")});
    QVERIFY2(r.code == 2 && r.err.contains("not both"), qPrintable(r.err));
    // kgwb bench: every figure with its same-run reference.
    r = kgwb({"bench", p, "--steps", "1", "--queries", "5", "--nodes", "20", "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    for (const char* line : {"train step", "filtered eval of the test split", "tail ranks of the test split on cpu",
                             "explain (answers + paths)", "layout sfdp"})
        QVERIFY2(r.out.contains(line), qPrintable(r.out));
    // --only rank: the ranking figure alone (what the GPU check runs).
    r = kgwb({"bench", p, "--only", "rank", "--threads", "1"});
    QVERIFY2(r.code == 0 && r.out.contains("tail ranks of the test split on cpu"), qPrintable(r.err + r.out));
    QVERIFY2(!r.out.contains("train step") && !r.out.contains("explain ("), qPrintable(r.out));
    r = kgwb({"bench", p, "--only", "layout"});
    QVERIFY2(r.code == 2 && r.err.contains("--only takes rank"), qPrintable(r.err));
}

namespace {

QString makeBigFile(const QTemporaryDir& dir, int lines)
{
    QByteArray data;
    data.reserve(lines * 24);
    for (int i = 0; i < lines; ++i) {
        data += 'e';
        data += QByteArray::number((static_cast<qint64>(i) * 7919) % 400000);
        data += "\tr";
        data += QByteArray::number(i % 50);
        data += "\te";
        data += QByteArray::number(i);
        data += '\n';
    }
    return writeFile(dir, "big.tsv", data);
}

// Starts `kgwb import` and returns once it has printed a progress line >= percent.
bool waitForProgress(QProcess& proc, int percent)
{
    QByteArray seen;
    while (proc.state() != QProcess::NotRunning) {
        proc.waitForReadyRead(50);
        seen += proc.readAllStandardError();
        int idx;
        while ((idx = seen.indexOf('\n')) >= 0) {
            const QByteArray line = seen.left(idx);
            seen.remove(0, idx + 1);
            if (line.startsWith("import: ") && line.mid(8, line.indexOf('%') - 8).toInt() >= percent)
                return true;
        }
    }
    return false;
}

} // namespace

void TestCli::sigintCancelsAndRollsBack()
{
    QTemporaryDir dir;
    const QString p = dir.filePath("p.kgwb");
    QCOMPARE(kgwb({"edit", p, "add-entity", "keep"}).code, 1); // project must exist for edit
    QCOMPARE(kgwb({"import", p, writeFile(dir, "seed.tsv", "keep\tr\tme\n"), "--quiet"}).code, 0);
    const QString big = makeBigFile(dir, 600000);
    QProcess proc;
    proc.start(QStringLiteral(KGWB_CLI_PATH), {"import", p, big});
    QVERIFY(waitForProgress(proc, 20));
    ::kill(static_cast<pid_t>(proc.processId()), SIGINT);
    QVERIFY(proc.waitForFinished(60000));
    QCOMPARE(proc.exitCode(), 130);
    QVERIFY(QString::fromUtf8(proc.readAllStandardError()).contains("cancelled"));
    auto project = kg::Project::open(s(p));
    QCOMPARE(project->tripleCount(), 1);
}

void TestCli::killDuringImportKeepsProjectIntact_data()
{
    QTest::addColumn<int>("percent");
    QTest::newRow("early") << 5;
    QTest::newRow("middle") << 50;
    QTest::newRow("late") << 95;
    QTest::newRow("index rebuild / commit") << 100;
}

void TestCli::killDuringImportKeepsProjectIntact()
{
    QFETCH(int, percent);
    QTemporaryDir dir;
    const QString p = dir.filePath("p.kgwb");
    QCOMPARE(kgwb({"import", p, writeFile(dir, "seed.tsv", "seed\tr\tx\n"), "--quiet"}).code, 0);
    const int lines = 800000;
    const QString big = makeBigFile(dir, lines);
    QProcess proc;
    proc.start(QStringLiteral(KGWB_CLI_PATH), {"import", p, big});
    const bool reached = waitForProgress(proc, percent);
    proc.kill(); // SIGKILL
    proc.waitForFinished(30000);
    if (!reached)
        qInfo("import finished before the kill point; checking the complete result");

    {
        kg::sql::Database db(s(p), kg::sql::Database::Mode::ReadWrite); // runs WAL recovery
        auto check = db.prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), std::string("ok"));
    }
    auto project = kg::Project::open(s(p));
    const int64_t n = project->tripleCount();
    QVERIFY2(n == 1 || n == 1 + lines, qPrintable(QString::number(n)));
    QCOMPARE(project->searchEntities("seed", 3).size(), size_t(1));
    // The project remains usable: a fresh import of the same file completes.
    if (n == 1) {
        QCOMPARE(kgwb({"import", p, big, "--quiet"}).code, 0);
        QCOMPARE(project->tripleCount(), 1 + lines);
    }
}

QTEST_GUILESS_MAIN(TestCli)
// Where OpenBLAS fell back to its Prescott kernels on a CPU with AVX2, kgwb re-executes itself
// with faster ones (core/blas_kernels.h); KGWB_KEEP_BLAS=1 keeps what OpenBLAS chose.
void TestCli::slowBlasKernelsAreReplaced()
{
    // With OPENBLAS_VERBOSE=2, OpenBLAS names its kernels as it loads: once per exec.
    auto cores = [](bool keep, const QStringList& args = {QStringLiteral("train")}) {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("OPENBLAS_VERBOSE"), QStringLiteral("2"));
        env.remove(QStringLiteral("OPENBLAS_CORETYPE"));
        env.remove(QStringLiteral("KGWB_KEEP_BLAS"));
        if (keep)
            env.insert(QStringLiteral("KGWB_KEEP_BLAS"), QStringLiteral("1"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(KGWB_CLI_PATH), args); // train without a project: a usage error, from kgwb-ml
        if (!p.waitForFinished(60000))
            qFatal("kgwb did not finish");
        QStringList names;
        for (const QString& line : QString::fromUtf8(p.readAll()).split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1String("Core: ")))
                names << line.mid(6).trimmed();
        return names;
    };
    const QStringList kept = cores(true);
    if (kept.isEmpty())
        QSKIP("the BLAS in use is not OpenBLAS, or it does not name its kernels");
    // Commands without a model run in kgwb itself, which loads neither LibTorch nor OpenBLAS.
    QVERIFY(cores(false, {QStringLiteral("--help")}).isEmpty());
    QCOMPARE(kept.size(), 1);
    const QStringList chosen = cores(false);
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (kept.front().compare(QLatin1String("Prescott"), Qt::CaseInsensitive) == 0 && avx2) {
        QCOMPARE(chosen.size(), 2); // the fallback, then the re-executed kgwb's kernels
        QVERIFY2(chosen.back() == QLatin1String("Haswell") || chosen.back() == QLatin1String("SkylakeX"),
                 qPrintable(chosen.join(QLatin1Char(' '))));
    } else {
        QCOMPARE(chosen, kept); // nothing to replace: no re-exec
    }
}

#include "tst_cli.moc"
