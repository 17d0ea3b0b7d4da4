// The entity map of a trained model (ml/embedding_map.h): principal components of the unit
// vectors, each entity's main relation, nearest entities by cosine, errors, `kgwb similar` and
// `kgwb map`; t-SNE on clustered points.
// Real LibTorch training on a small generated graph in a real project file.
#include <QProcess>
#include <QTest>
#include <cmath>
#include <map>
#include <optional>
#include <random>

#include "core/cancel.h"
#include "core/error.h"
#include "ml/embedding_export.h"
#include "ml/embedding_map.h"
#include "ml/tsne.h"
#include "ml/train_job.h"
#include "store/project.h"
#include "test_util.h"

using namespace kg::ml;
using kgtest::s;

namespace {

// Points in three clusters in 20 dimensions (the cluster's axis at 12, Gaussian noise), with
// start coordinates that mix the clusters.
struct Clusters {
    std::vector<float> rows, init;
    std::vector<int> cluster;
};
constexpr int D = 20;

Clusters clusters(int n)
{
    std::mt19937 rng(3);
    std::normal_distribution<float> gauss;
    Clusters out;
    for (int i = 0; i < n; ++i) {
        const int c = i % 3;
        for (int d = 0; d < D; ++d)
            out.rows.push_back(gauss(rng) + (d == c ? 12.0f : 0.0f));
        out.init.push_back(static_cast<float>(i % 7)), out.init.push_back(static_cast<float>(i % 5));
        out.cluster.push_back(c);
    }
    return out;
}

// The share of each point's 10 nearest in the plane that are of its cluster.
double sameCluster(const std::vector<float>& xy, const std::vector<int>& cluster)
{
    const int n = static_cast<int>(cluster.size());
    int same = 0;
    for (int i = 0; i < n; ++i) {
        std::vector<std::pair<double, int>> byDistance;
        for (int j = 0; j < n; ++j)
            if (j != i)
                byDistance.emplace_back(std::hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]), j);
        std::partial_sort(byDistance.begin(), byDistance.begin() + 10, byDistance.end());
        for (int k = 0; k < 10; ++k)
            same += cluster[static_cast<size_t>(byDistance[static_cast<size_t>(k)].second)] == cluster[static_cast<size_t>(i)];
    }
    return static_cast<double>(same) / (10.0 * n);
}

JobSpec ringSpec(const QTemporaryDir& dir, ModelKind kind, int64_t epochs)
{
    JobSpec spec;
    spec.checkpoint = s(dir.filePath(QStringLiteral("ring-%1.ckpt").arg(static_cast<int>(kind))));
    spec.config.model = kind;
    spec.config.dim = 32;
    spec.config.mode = TrainMode::OneVsAll;
    spec.config.lr = kind == ModelKind::Transformer ? 0.003 : 0.05;
    spec.config.batchSize = 16;
    spec.config.epochs = epochs;
    spec.config.threads = 2;
    spec.config.device = "cpu";
    spec.config.transformer.heads = 2;
    spec.config.transformer.layers = 1;
    spec.config.transformer.context = 4;
    spec.evalEvery = 0;
    spec.evaluateTest = false;
    spec.progressIntervalMs = 0;
    return spec;
}

// Trains a model on the ring project; returns its run id.
int64_t train(const std::string& project, const JobSpec& spec)
{
    const JobResult r = TrainJob(project, spec).run([](const JobEvent&) {});
    if (r.status != "finished")
        qFatal("training ended %s", r.status.c_str());
    return r.runId;
}

double variance(const std::vector<double>& v)
{
    double mean = 0, sq = 0;
    for (double x : v)
        mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v)
        sq += (x - mean) * (x - mean);
    return sq / static_cast<double>(v.size() - 1);
}

} // namespace

class TestEmbeddingMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mapIsThePrincipalComponentsOfUnitVectors();
    void nearestMatchesBruteForce();
    void transformerRunsAreMapped();
    void errorsAreTyped();
    void cliListsTheNearest();
    void tsneKeepsClustersApart();
    void tsneOfASampleKeepsClustersApart();
    void tsnePlacesAreKeptPerRun();
};

// The coordinates are the unit vectors projected on orthogonal directions of largest variance:
// uncorrelated, the first with the most variance, no random direction with more, and each
// share of the total variance as reported.
void TestEmbeddingMap::mapIsThePrincipalComponentsOfUnitVectors()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir);
    const int64_t run = train(path, ringSpec(dir, ModelKind::ComplEx, 3));
    const EmbeddingMap map = mapEmbeddings(path, "run:" + std::to_string(run));
    auto project = kg::Project::open(path, kg::Project::OpenMode::ReadOnly);
    const size_t N = map.rows(), D = static_cast<size_t>(map.dim);
    QCOMPARE(N, size_t(40));
    QCOMPARE(D, size_t(32)); // ComplEx d32: 16 real and 16 imaginary parts
    QCOMPARE(map.unit.size(), N * D);
    QCOMPARE(map.xy.size(), N * 2);
    QVERIFY(map.model.find("32") != std::string::npos);

    // Unit rows, and the names of the project's entities.
    std::vector<std::vector<double>> centred(N, std::vector<double>(D));
    std::vector<double> mean(D, 0.0);
    for (size_t i = 0; i < N; ++i) {
        double norm = 0;
        for (size_t j = 0; j < D; ++j)
            norm += double(map.unit[i * D + j]) * map.unit[i * D + j], mean[j] += map.unit[i * D + j] / double(N);
        QVERIFY(std::abs(norm - 1) < 1e-4);
        QCOMPARE(map.names[i], project->entity(map.entities[i])->displayName());
        QCOMPARE(map.rowOf(map.entities[i]), int64_t(i));
    }
    double total = 0;
    for (size_t i = 0; i < N; ++i)
        for (size_t j = 0; j < D; ++j) {
            centred[i][j] = map.unit[i * D + j] - mean[j];
            total += centred[i][j] * centred[i][j] / double(N - 1);
        }

    std::vector<double> x(N), y(N);
    for (size_t i = 0; i < N; ++i)
        x[i] = map.xy[2 * i], y[i] = map.xy[2 * i + 1];
    const double vx = variance(x), vy = variance(y);
    QVERIFY2(vx >= vy * (1 - 1e-4), qPrintable(QString("%1 < %2").arg(vx).arg(vy)));
    QVERIFY(vy > 0);
    double cov = 0;
    for (size_t i = 0; i < N; ++i)
        cov += x[i] * y[i] / double(N - 1); // both have mean 0
    QVERIFY2(std::abs(cov) / std::sqrt(vx * vy) < 1e-3, qPrintable(QString::number(cov)));
    QVERIFY(std::abs(vx / total - map.explained[0]) < 1e-3);
    QVERIFY(std::abs(vy / total - map.explained[1]) < 1e-3);
    QVERIFY(map.explained[0] + map.explained[1] <= 1 + 1e-9);

    std::mt19937 rng(7);
    std::normal_distribution<double> gauss;
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<double> w(D);
        double n2 = 0;
        for (double& v : w)
            v = gauss(rng), n2 += v * v;
        std::vector<double> p(N, 0.0);
        for (size_t i = 0; i < N; ++i)
            for (size_t j = 0; j < D; ++j)
                p[i] += centred[i][j] * w[j] / std::sqrt(n2);
        QVERIFY(variance(p) <= vx * (1 + 1e-4));
    }

    // Each entity's main relation: the most frequent among its training facts, as counted here.
    std::map<int64_t, std::map<int64_t, int>> counts; // entity -> relation -> facts
    for (const auto& t : project->triples(0, 1 << 20))
        if (t.split == kg::Split::Train)
            ++counts[t.head][t.rel], ++counts[t.tail][t.rel];
    for (size_t i = 0; i < N; ++i) {
        const auto& c = counts[map.entities[i]];
        int best = 0;
        for (const auto& [rel, n] : c)
            best = std::max(best, n);
        QVERIFY(c.count(map.mainRelation[i]));
        QCOMPARE(c.at(map.mainRelation[i]), best);
    }
}

void TestEmbeddingMap::nearestMatchesBruteForce()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir);
    const int64_t run = train(path, ringSpec(dir, ModelKind::DistMult, 3));
    const EmbeddingMap map = mapEmbeddings(path, "run:" + std::to_string(run));
    const size_t D = static_cast<size_t>(map.dim);
    for (size_t row : {size_t(0), size_t(17), map.rows() - 1}) {
        const auto near = nearestEntities(map, map.entities[row], 5);
        QCOMPARE(near.size(), size_t(5));
        std::vector<std::pair<double, int64_t>> brute;
        for (size_t i = 0; i < map.rows(); ++i) {
            if (i == row)
                continue;
            double dot = 0;
            for (size_t j = 0; j < D; ++j)
                dot += double(map.unit[row * D + j]) * map.unit[i * D + j];
            brute.emplace_back(dot, map.entities[i]);
        }
        std::sort(brute.rbegin(), brute.rend());
        for (size_t k = 0; k < near.size(); ++k) {
            QVERIFY(near[k].first != map.entities[row]);
            QVERIFY(std::abs(near[k].second - brute[k].first) < 1e-5); // the same cosines, in order
            if (k + 1 < near.size())
                QVERIFY(near[k].second >= near[k + 1].second);
        }
    }
    QCOMPARE(nearestEntities(map, map.entities[0], 1000).size(), map.rows() - 1);
    QVERIFY(nearestEntities(map, map.entities[0], 0).empty());
}

// A transformer's map is its entity token rows (the tied output), one per entity; the
// projector export writes the same rows.
void TestEmbeddingMap::transformerRunsAreMapped()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir);
    const int64_t run = train(path, ringSpec(dir, ModelKind::Transformer, 1));
    const EmbeddingMap map = mapEmbeddings(path, "run:" + std::to_string(run));
    QCOMPARE(map.rows(), size_t(40));
    QCOMPARE(map.dim, int64_t(32));
    QVERIFY(map.model.find("transformer") != std::string::npos);
    QVERIFY(map.explained[0] > 0 && map.explained[0] >= map.explained[1]);
    QCOMPARE(nearestEntities(map, map.entities[3], 3).size(), size_t(3));

    const auto written = exportEmbeddings(path, "run:" + std::to_string(run), s(dir.filePath("projector")));
    QCOMPARE(written.rows, int64_t(40));
    QCOMPARE(written.dim, int64_t(32));
    QFile vectors(QString::fromStdString(written.vectors));
    QVERIFY(vectors.open(QIODevice::ReadOnly));
    const QList<QByteArray> first = vectors.readLine().trimmed().split('\t');
    QCOMPARE(first.size(), 32);
    double norm = 0, dot = 0; // the first row, scaled to length 1, is the map's first unit row
    for (int j = 0; j < 32; ++j)
        norm += first[j].toDouble() * first[j].toDouble();
    for (int j = 0; j < 32; ++j)
        dot += first[j].toDouble() / std::sqrt(norm) * map.unit[static_cast<size_t>(j)];
    QVERIFY2(std::abs(dot - 1) < 1e-4, qPrintable(QString::number(dot)));
}

void TestEmbeddingMap::errorsAreTyped()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir);
    auto code = [](auto&& fn) -> std::optional<kg::Errc> {
        try {
            fn();
        } catch (const kg::Error& e) {
            return e.code();
        }
        return std::nullopt;
    };
    QCOMPARE(code([&] { mapEmbeddings(path, "run:99"); }), kg::Errc::NotFound);
    QCOMPARE(code([&] { mapEmbeddings(path, "run:x"); }), kg::Errc::InvalidArgument);
    QCOMPARE(code([&] { mapEmbeddings(path, s(dir.filePath("missing.ckpt"))); }), kg::Errc::Io);
    const int64_t run = train(path, ringSpec(dir, ModelKind::ComplEx, 1));
    kg::CancelToken cancel;
    cancel.cancel();
    QCOMPARE(code([&] { mapEmbeddings(path, "run:" + std::to_string(run), &cancel); }), kg::Errc::Cancelled);
    const EmbeddingMap map = mapEmbeddings(path, "run:" + std::to_string(run));
    QCOMPARE(code([&] { nearestEntities(map, 123456, 3); }), kg::Errc::NotFound);
    QCOMPARE(map.rowOf(123456), int64_t(-1));

    // Another project's checkpoint does not fit this one: a Format error, not a crash.
    QTemporaryDir other;
    const std::string small = kgtest::importRingProject(other, 12);
    const JobSpec spec = ringSpec(other, ModelKind::ComplEx, 1);
    train(small, spec);
    QCOMPARE(code([&] { mapEmbeddings(path, spec.checkpoint); }), kg::Errc::Format);
}

void TestEmbeddingMap::cliListsTheNearest()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir);
    const int64_t run = train(path, ringSpec(dir, ModelKind::ComplEx, 2));
    const EmbeddingMap map = mapEmbeddings(path, "run:" + std::to_string(run));
    auto project = kg::Project::open(path, kg::Project::OpenMode::ReadOnly);
    const auto near = nearestEntities(map, project->entityByKey("e5")->id, 3);
    QProcess proc;
    proc.start(QStringLiteral(KGWB_CLI_PATH), {"similar", QString::fromStdString(path), "e5", "--run",
                                                QString::number(run), "--k", "3", "--json"});
    QVERIFY(proc.waitForFinished(60000));
    QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
    const QByteArray out = proc.readAllStandardOutput();
    int at = 0;
    for (const auto& [id, cosine] : near) { // the same neighbours, in the same order
        const QByteArray key = "\"key\": \"" + QByteArray::fromStdString(project->entity(id)->key) + "\"";
        const int found = static_cast<int>(out.indexOf(key, at));
        QVERIFY2(found > at, out.constData());
        at = found;
    }
    proc.start(QStringLiteral(KGWB_CLI_PATH), {"similar", QString::fromStdString(path), "e5"});
    QVERIFY(proc.waitForFinished(60000));
    QCOMPARE(proc.exitCode(), 2); // usage: no model named

    // kgwb map: one row per entity with the map's coordinates and main relation.
    proc.start(QStringLiteral(KGWB_CLI_PATH), {"map", QString::fromStdString(path), "--run", QString::number(run)});
    QVERIFY(proc.waitForFinished(60000));
    QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
    const QList<QByteArray> lines = proc.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), static_cast<int>(map.rows()) + 1);
    QCOMPARE(lines[0], QByteArray("key\tlabel\tx\ty\tmain_relation"));
    for (size_t i = 0; i < map.rows(); ++i) {
        const QList<QByteArray> f = lines[static_cast<int>(i) + 1].split('\t');
        QCOMPARE(f.size(), 5);
        QCOMPARE(f[0].toStdString(), project->entity(map.entities[i])->key);
        QVERIFY(std::abs(f[2].toDouble() - map.xy[2 * i]) < 1e-4 && std::abs(f[3].toDouble() - map.xy[2 * i + 1]) < 1e-4);
        QCOMPARE(f[4].toStdString(), project->relation(map.mainRelation[i])->key);
    }
}

// Three clusters of 60 points in 20 dimensions, started from coordinates that mix them: t-SNE
// places nearly every point beside points of its own cluster.
void TestEmbeddingMap::tsneKeepsClustersApart()
{
    const int n = 180;
    const Clusters data = clusters(n);
    const auto& [rows, init, cluster] = data;
    std::vector<std::pair<int, int>> reports;
    std::vector<double> last;
    const auto y = tsne(rows, n, D, init, TsneOptions{}, [&](int done, int total, const std::vector<double>& at) {
        reports.emplace_back(done, total);
        last = at;
    });
    QCOMPARE(y.size(), size_t(2 * n));
    QVERIFY(!reports.empty());
    QCOMPARE(reports.back(), std::make_pair(TsneOptions{}.iterations, TsneOptions{}.iterations));
    QCOMPARE(std::vector<float>(last.begin(), last.end()), y); // the last report shows the result
    const double start = sameCluster(init, cluster), placed = sameCluster(y, cluster);
    QVERIFY2(start < 0.6, qPrintable(QString::number(start))); // the start mixes the clusters
    QVERIFY2(placed >= 0.95, qPrintable(QString::number(placed)));
    TsneOptions three;
    three.threads = 3; // each point's forces computed alone: the same places for any thread count
    QVERIFY(tsne(rows, n, D, init, three) == y);
    kg::CancelToken cancel;
    cancel.cancel();
    try {
        tsne(rows, n, D, init, TsneOptions{}, {}, &cancel);
        QFAIL("not cancelled");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::Cancelled);
    }
    // Identical rows (an untrained table, say): finite places, no NaN.
    const auto flat = tsne(std::vector<float>(static_cast<size_t>(50 * D), 0.5f), 50, D,
                           std::vector<float>(100, 0.0f));
    QVERIFY(std::all_of(flat.begin(), flat.end(), [](float v) { return std::isfinite(v); }));
    try {
        tsne({1, 2, 3}, 3, 1, {0, 0, 0, 0, 0, 0});
        QFAIL("3 points accepted");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::InvalidArgument);
    }
}

// Above maxPoints rows, t-SNE lays out an even sample and places every other row beside its
// nearest sampled rows: the clusters stay apart for all rows, every report shows all rows, and
// the result is the same on any thread count.
void TestEmbeddingMap::tsneOfASampleKeepsClustersApart()
{
    const int n = 600;
    const Clusters data = clusters(n);
    TsneOptions o;
    o.maxPoints = 150;
    QCOMPARE(tsneSampleSize(n, o), int64_t(150));
    QCOMPARE(tsneSampleSize(100, o), int64_t(100));
    QCOMPARE(tsneSampleSize(n), int64_t(n)); // the default samples only far larger maps
    std::vector<double> last;
    size_t reports = 0;
    const auto y = tsne(data.rows, n, D, data.init, o, [&](int, int, const std::vector<double>& at) {
        ++reports;
        QCOMPARE(at.size(), size_t(2 * n));
        last = at;
    });
    QCOMPARE(y.size(), size_t(2 * n));
    QVERIFY(reports > 0);
    QCOMPARE(std::vector<float>(last.begin(), last.end()), y);
    QVERIFY(std::all_of(y.begin(), y.end(), [](float v) { return std::isfinite(v); }));
    const double placed = sameCluster(y, data.cluster);
    QVERIFY2(placed >= 0.95, qPrintable(QString::number(placed)));
    // Placed rows land on points of their own cluster, not on one spot: no place is shared by
    // more than a few rows.
    std::map<std::pair<float, float>, int> at;
    for (int i = 0; i < n; ++i)
        ++at[{y[2 * i], y[2 * i + 1]}];
    int most = 0;
    for (const auto& [place, count] : at)
        most = std::max(most, count);
    QVERIFY2(most <= 10, qPrintable(QString::number(most)));
    TsneOptions three = o;
    three.threads = 3;
    QVERIFY(tsne(data.rows, n, D, data.init, three) == y);
    o.maxPoints = 3;
    try {
        tsne(data.rows, n, D, data.init, o);
        QFAIL("a sample of 3 accepted");
    } catch (const kg::Error& e) {
        QCOMPARE(e.code(), kg::Errc::InvalidArgument);
    }
}

// t-SNE places of a run's map are kept in the project and read back while the run's vectors and
// entities are the same; a changed map is computed again (and replaces them).
void TestEmbeddingMap::tsnePlacesAreKeptPerRun()
{
    QTemporaryDir dir;
    const std::string path = kgtest::importRingProject(dir);
    const int64_t run = train(path, ringSpec(dir, ModelKind::ComplEx, 2));
    const std::string model = "run:" + std::to_string(run);
    const EmbeddingMap map = mapEmbeddings(path, model);
    bool read = true;
    int reports = 0;
    const auto first = storedTsneCoordinates(path, model, map, [&](int, int, const std::vector<double>&) { ++reports; },
                                             nullptr, &read);
    QVERIFY(!read && reports > 0);
    QCOMPARE(first, tsneCoordinates(map));
    reports = 0;
    const auto again = storedTsneCoordinates(path, model, map, [&](int, int, const std::vector<double>&) { ++reports; },
                                             nullptr, &read);
    QVERIFY(read);
    QCOMPARE(reports, 0); // nothing computed
    QCOMPARE(again, first);
    QCOMPARE(mapEmbeddings(path, model).unit, map.unit); // the same map in a new call: still read
    storedTsneCoordinates(path, model, mapEmbeddings(path, model), {}, nullptr, &read);
    QVERIFY(read);

    EmbeddingMap changed = map; // e.g. the run continued: other vectors
    changed.unit[0] += 0.25f;
    storedTsneCoordinates(path, model, changed, {}, nullptr, &read);
    QVERIFY(!read);
    storedTsneCoordinates(path, model, map, {}, nullptr, &read);
    QVERIFY(!read); // replaced by the changed map's places
    const std::string file = s(dir.filePath(QStringLiteral("ring-%1.ckpt").arg(static_cast<int>(ModelKind::ComplEx))));
    storedTsneCoordinates(path, file, map, {}, nullptr, &read);
    storedTsneCoordinates(path, file, map, {}, nullptr, &read);
    QVERIFY(!read); // a checkpoint file's places are not kept
}

QTEST_GUILESS_MAIN(TestEmbeddingMap)
#include "tst_embedding_map.moc"
