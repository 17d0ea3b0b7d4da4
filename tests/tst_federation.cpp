// Federated training (fed/): FedE and FedR silo splits, salted entity hashes, and whole federations of
// real kgwb processes (a coordinator and silos) on loopback over c10d Gloo: learning, resume
// from a round checkpoint, refusal of mismatched settings, and a silo killed mid-run.
#include <QProcess>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTest>

#include <memory>
#include <set>

#include "core/error.h"
#include <torch/torch.h>

#include "fed/entity_hash.h"
#include "fed/pairwise_masks.h"
#include "fed/shared_rows.h"
#include "fed/silo_split.h"
#include "store/project.h"
#include "store/sqlite.h"
#include "fed_test_util.h"
#include "test_util.h"

using namespace kgtest;


class TestFederation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void siloSplitFollowsFedE();
    void siloSplitRefusesBadRequests();
    void siloSplitByTripleSharesRelations();
    void entityHashesAreSaltedAndStable();
    void pairwiseMasksCancel();
    void federationLearnsAndResumes();
    void relationSharingKeepsEntitiesInTheSilos();
    void mismatchedSettingsAreRefused();
    void killedSiloStopsTheFederation();
    void othersContinueWithoutAKilledSilo();
};

void TestFederation::siloSplitFollowsFedE()
{
    QTemporaryDir dir;
    const std::string source = importRelationRings(dir);
    auto project = kg::Project::open(source, kg::Project::OpenMode::ReadOnly);
    kg::fed::SiloSplitOptions o;
    o.clients = 3;
    const auto silos = kg::fed::splitIntoSilos(*project, s(dir.filePath("silos")), o);
    QCOMPARE(silos.size(), size_t(3));
    std::set<std::string> relations;
    int64_t triples = 0;
    for (const auto& silo : silos) {
        QCOMPARE(silo.relations.size(), size_t(2)); // 6 relations dealt evenly
        for (const auto& r : silo.relations)
            QVERIFY2(relations.insert(r).second, "a relation went to two silos");
        auto p = kg::Project::open(silo.path, kg::Project::OpenMode::MustExist);
        const auto st = p->stats();
        QCOMPARE(st.relations, int64_t(2));
        QCOMPARE(st.train, silo.train);
        QCOMPARE(st.valid + st.test, silo.valid + silo.test);
        QCOMPARE(silo.train + silo.valid + silo.test, int64_t(120)); // 2 relations x 60 triples
        QCOMPARE(silo.valid, int64_t(12));                           // 0.1 of 120
        triples += st.train + st.valid + st.test;
        // Labels and descriptions travel with the entities.
        const auto e = p->entityByKey("e7");
        QVERIFY(e);
        QCOMPARE(e->label, std::string("Entity 7"));
        QCOMPARE(e->description, std::string("number 7"));
    }
    QCOMPARE(relations.size(), size_t(6));
    QCOMPARE(triples, int64_t(360));
    QVERIFY(QFile::exists(dir.filePath("silos/silos.json")));
    QVERIFY(!QFileInfo::exists(dir.filePath("silos/.silo-split-tmp")));
}

void TestFederation::siloSplitRefusesBadRequests()
{
    QTemporaryDir dir;
    const std::string source = importRelationRings(dir);
    auto project = kg::Project::open(source, kg::Project::OpenMode::ReadOnly);
    kg::fed::SiloSplitOptions o;
    o.clients = 7; // more clients than relations
    QVERIFY_THROWS_EXCEPTION(kg::Error, kg::fed::splitIntoSilos(*project, s(dir.filePath("a")), o));
    o.clients = 1;
    QVERIFY_THROWS_EXCEPTION(kg::Error, kg::fed::splitIntoSilos(*project, s(dir.filePath("a")), o));
    o.clients = 2;
    kg::fed::splitIntoSilos(*project, s(dir.filePath("b")), o);
    try { // a folder that holds silos already is refused, and its silos stay as they were
        kg::fed::splitIntoSilos(*project, s(dir.filePath("b")), o);
        QFAIL("a second split into the same folder was accepted");
    } catch (const kg::Error& e) {
        QVERIFY2(QString(e.what()).contains("already holds"), e.what());
    }
    auto silo = kg::Project::open(s(dir.filePath("b/silo-1.kgwb")), kg::Project::OpenMode::ReadOnly);
    QCOMPARE(silo->stats().relations, int64_t(3));
}

void TestFederation::siloSplitByTripleSharesRelations()
{
    QTemporaryDir dir;
    auto project = kg::Project::open(importRelationRings(dir), kg::Project::OpenMode::ReadOnly);
    kg::fed::SiloSplitOptions o;
    o.clients = 3;
    o.by = kg::fed::SiloBy::Triple;
    const auto silos = kg::fed::splitIntoSilos(*project, s(dir.filePath("silos")), o);
    QCOMPARE(silos.size(), size_t(3));
    int64_t triples = 0;
    for (const auto& silo : silos) {
        // 60 triples of each relation dealt to 3 clients: every silo holds every relation.
        QCOMPARE(silo.relations.size(), size_t(6));
        auto p = kg::Project::open(silo.path, kg::Project::OpenMode::MustExist);
        const auto st = p->stats();
        QCOMPARE(st.relations, int64_t(6));
        QCOMPARE(st.train + st.valid + st.test, silo.train + silo.valid + silo.test);
        QVERIFY2(silo.train + silo.valid + silo.test > 80 && silo.train + silo.valid + silo.test < 160,
                 "a silo got far from a third of the triples");
        triples += st.train + st.valid + st.test;
    }
    QCOMPARE(triples, int64_t(360));
    QFile manifest(dir.filePath("silos/silos.json"));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    QVERIFY(manifest.readAll().contains("FedR: triples dealt to clients at random"));
}

void TestFederation::entityHashesAreSaltedAndStable()
{
    const auto a = kg::fed::entityHash("salt-one-1", "/m/02mjmr");
    QCOMPARE(kg::fed::entityHash("salt-one-1", "/m/02mjmr"), a);
    QVERIFY(kg::fed::entityHash("salt-two-2", "/m/02mjmr") != a);
    QVERIFY(kg::fed::entityHash("salt-one-1", "/m/02mjms") != a);
    QVERIFY_THROWS_EXCEPTION(kg::Error, kg::fed::entityHash("short", "x"));
}

void TestFederation::pairwiseMasksCancel()
{
    const auto rows = torch::rand({50, 9});
    torch::Tensor total = torch::zeros({50, 9});
    for (int rank = 1; rank <= 3; ++rank) {
        torch::Tensor mine = rows.clone();
        kg::fed::addPairwiseMasks(mine, "salt-of-the-silos", rank, 3, 4);
        QVERIFY((mine - rows).abs().mean().item<double>() > 1.0); // hidden under the masks
        total += mine;
    }
    QVERIFY((total - 3 * rows).abs().max().item<double>() < 1e-4); // and gone in the sum
    torch::Tensor other = rows.clone();
    kg::fed::addPairwiseMasks(other, "salt-of-the-silos", 1, 3, 5); // another round, other masks
    torch::Tensor same = rows.clone();
    kg::fed::addPairwiseMasks(same, "salt-of-the-silos", 1, 3, 4);
    QVERIFY((other - same).abs().mean().item<double>() > 1.0);
}

void TestFederation::federationLearnsAndResumes()
{
    QTemporaryDir dir;
    splitRelationRings(dir, 3, 200); // 240 test queries: FedE vs Isolation is not noise
    const QString ckpt = dir.filePath("fed.ckpt");
    // Runs a coordinator and 3 silos; returns the coordinator's exit code, and the silos'
    // exit codes and outputs in `silosOut`.
    auto runFederation = [&](int rounds, bool resume, QString* serverOut, std::vector<std::pair<int, QString>>* silosOut) {
        const int port = freeLoopbackPort();
        QStringList serve{"fed", "serve", "--clients", "3", "--port", QString::number(port), "--rounds",
                          QString::number(rounds), "--local-epochs", "10", "--model", "complex", "--dim", "32",
                          "--lr", "0.05", "--batch", "64", "--timeout", "60", "--checkpoint", ckpt, "--threads", "1"};
        if (resume)
            serve << "--resume";
        auto server = start(serve);
        std::vector<std::unique_ptr<QProcess>> silos;
        for (int r = 1; r <= 3; ++r)
            silos.push_back(start({"fed", "join", dir.filePath(QString("silos/silo-%1.kgwb").arg(r)), "--server",
                                   QString("127.0.0.1:%1").arg(port), "--rank", QString::number(r), "--threads", "1",
                                   "--timeout", "60"}));
        const int code = finish(*server, serverOut);
        for (auto& p : silos) {
            QString out;
            const int c = finish(*p, &out);
            silosOut->emplace_back(c, out);
        }
        return code;
    };
    auto silosOk = [](const std::vector<std::pair<int, QString>>& silos) {
        for (const auto& [code, out] : silos)
            if (code != 0 || !out.contains("test (this silo)"))
                return false;
        return silos.size() == 3;
    };
    QString out;
    std::vector<std::pair<int, QString>> silos;
    QCOMPARE(runFederation(4, false, &out, &silos), 0);
    QVERIFY2(silosOk(silos), qPrintable(silos.empty() ? QString() : silos[0].second));
    qInfo("%s", qPrintable(out));
    QVERIFY2(out.contains("200 entities in all, 200 held by two or more silos"), qPrintable(out));
    // Pooled valid MRR rises from round 1 to round 4 (split seeds 1-5: by 0.21-0.35).
    const QRegularExpression valid("round (\\d)/\\d+ .* valid MRR ([0-9.]+)");
    std::map<int, double> mrr;
    for (auto it = valid.globalMatch(out); it.hasNext();) {
        const auto m = it.next();
        mrr[m.captured(1).toInt()] = m.captured(2).toDouble();
    }
    QCOMPARE(mrr.size(), size_t(4));
    QVERIFY2(mrr[4] > mrr[1] + 0.1, qPrintable(out));
    QVERIFY(QFile::exists(ckpt));

    // FedE beats Isolation: each silo trained alone with the same budget (4 x 10 epochs).
    // Split seeds 1-5: FedE 0.65-0.87 against 0.37-0.63, by 0.18-0.32 (the inverses sit in
    // other silos).
    double isolated = 0;
    for (int r = 1; r <= 3; ++r) {
        auto alone = start({"train", dir.filePath(QString("silos/silo-%1.kgwb").arg(r)), "--model", "complex", "--dim",
                            "32", "--lr", "0.05", "--batch", "64", "--epochs", "40", "--threads", "1", "--quiet"});
        QString log;
        QCOMPARE(finish(*alone, &log), 0);
        isolated += QRegularExpression("test: MRR ([0-9.]+)").match(log).captured(1).toDouble() / 3; // test sizes equal within one
    }
    const double fede = QRegularExpression("test \\(pooled over the silos\\): MRR ([0-9.]+)").match(out).captured(1).toDouble();
    qInfo("pooled test MRR: FedE %.4f, isolation %.4f", fede, isolated);
    QVERIFY2(fede > isolated + 0.1, qPrintable(QString("FedE %1, isolation %2").arg(fede).arg(isolated)));

    // What the coordinator kept is salted hashes of the keys and embedding rows: no key, no
    // label, no triple. Its hash list is exactly HMAC(salt, key) of the 200 entities.
    QFile f(ckpt);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray raw = f.readAll();
    QVERIFY(!raw.contains("Entity 7") && !raw.contains("number 7"));
    torch::serialize::InputArchive archive;
    archive.load_from(s(ckpt));
    torch::Tensor hashes;
    QVERIFY(archive.try_read("hashes", hashes));
    std::set<std::string> expected;
    for (int i = 0; i < 200; ++i) {
        const auto h = kg::fed::entityHash(s(kSalt), "e" + std::to_string(i));
        expected.insert(std::string(reinterpret_cast<const char*>(h.data()), h.size()));
    }
    std::set<std::string> stored;
    for (int64_t i = 0; i < hashes.numel(); i += 32)
        stored.insert(std::string(reinterpret_cast<const char*>(hashes.data_ptr<uint8_t>()) + i, 32));
    QVERIFY(stored == expected);

    // Resume: rounds 5 and 6 only, from the checkpoint's table.
    QString resumed;
    silos.clear();
    QCOMPARE(runFederation(6, true, &resumed, &silos), 0);
    QVERIFY(silosOk(silos));
    QVERIFY2(!resumed.contains("round 1/6") && resumed.contains("round 5/6") && resumed.contains("round 6/6"),
             qPrintable(resumed));
}

void TestFederation::relationSharingKeepsEntitiesInTheSilos()
{
    // FedR: triples dealt at random, relation embeddings averaged, entity rows kept local.
    QTemporaryDir dir;
    {
        auto project = kg::Project::open(importRelationRings(dir, 200), kg::Project::OpenMode::ReadOnly);
        kg::fed::SiloSplitOptions o;
        o.clients = 3;
        o.by = kg::fed::SiloBy::Triple;
        kg::fed::splitIntoSilos(*project, s(dir.filePath("silos")), o);
    }
    // A coordinator and 3 silos sharing `share`; the coordinator's output.
    auto federate = [&](const QString& share, const QString& ckpt) {
        const int port = freeLoopbackPort();
        auto server = start({"fed", "serve", "--clients", "3", "--port", QString::number(port), "--rounds", "4",
                             "--local-epochs", "10", "--model", "complex", "--dim", "32", "--lr", "0.05", "--batch", "64",
                             "--timeout", "60", "--checkpoint", ckpt, "--threads", "1", "--share", share});
        std::vector<std::unique_ptr<QProcess>> silos;
        for (int r = 1; r <= 3; ++r)
            silos.push_back(start({"fed", "join", dir.filePath(QString("silos/silo-%1.kgwb").arg(r)), "--server",
                                   QString("127.0.0.1:%1").arg(port), "--rank", QString::number(r), "--threads", "1",
                                   "--timeout", "60"}));
        QString out;
        const int code = finish(*server, &out);
        for (auto& p : silos) {
            QString siloOut;
            if (finish(*p, &siloOut) != 0)
                out += "\nsilo failed: " + siloOut;
        }
        return code == 0 ? out : "coordinator failed: " + out;
    };
    auto pooledMrr = [](const QString& out) {
        return QRegularExpression("test \\(pooled over the silos\\): MRR ([0-9.]+)").match(out).captured(1).toDouble();
    };
    const QString ckpt = dir.filePath("fedr.ckpt");
    const QString out = federate("relations", ckpt);
    qInfo("%s", qPrintable(out));
    QVERIFY2(out.contains("sharing relations (FedR)") && out.contains("6 relations in all, 6 held by two or more silos") &&
                 !out.contains("failed"),
             qPrintable(out));
    // It learns: chance is about 0.03 among 200 entities; split seeds 1-5 gave 0.133-0.205.
    const double fedr = pooledMrr(out);
    QVERIFY2(fedr > 0.07, qPrintable(out));

    // The coordinator's view: the six relations' rows and the salted hashes of their keys; no
    // entity row and no entity hash ever reached it.
    torch::serialize::InputArchive archive;
    archive.load_from(s(ckpt));
    torch::Tensor hashes, table;
    QVERIFY(archive.try_read("hashes", hashes) && archive.try_read("table", table));
    QCOMPARE(table.sizes().vec(), (std::vector<int64_t>{6, 32}));
    std::set<std::string> expected, stored;
    for (int k = 0; k < 6; ++k) {
        expected.insert(kg::fed::relationHashBytes(s(kSalt), "r" + std::to_string(k)));
    }
    for (int64_t i = 0; i < hashes.numel(); i += 32)
        stored.insert(std::string(reinterpret_cast<const char*>(hashes.data_ptr<uint8_t>()) + i, 32));
    QVERIFY(stored == expected);

    // Both shared (FedAvg of the whole model): 200 entity and 6 relation rows, and on a split
    // that dealt the triples at random it learns what neither half does (split seeds 1-5:
    // 0.850-0.950 against FedR's 0.133-0.205).
    const QString both = federate("both", dir.filePath("fedavg.ckpt"));
    QVERIFY2(both.contains("206 entities and relations in all, 206 held by two or more silos") && !both.contains("failed"),
             qPrintable(both));
    qInfo("pooled test MRR: FedAvg %.4f, FedR %.4f", pooledMrr(both), fedr);
    QVERIFY2(pooledMrr(both) > 0.6 && pooledMrr(both) > fedr + 0.3, qPrintable(both));
}

void TestFederation::mismatchedSettingsAreRefused()
{
    QTemporaryDir dir;
    splitRelationRings(dir, 2, 60);
    const int port = freeLoopbackPort();
    auto server = start({"fed", "serve", "--clients", "2", "--port", QString::number(port), "--rounds", "2",
                         "--model", "complex", "--dim", "32", "--timeout", "30"});
    auto good = start({"fed", "join", dir.filePath("silos/silo-1.kgwb"), "--server", QString("127.0.0.1:%1").arg(port),
                       "--rank", "1", "--dim", "32"});
    auto bad = start({"fed", "join", dir.filePath("silos/silo-2.kgwb"), "--server", QString("127.0.0.1:%1").arg(port),
                      "--rank", "2", "--dim", "16"});
    QString serverOut, badOut, goodOut;
    QCOMPARE(finish(*server, &serverOut, 60000), 1);
    QCOMPARE(finish(*bad, &badOut, 60000), 1);
    QVERIFY2(serverOut.contains("refused") && serverOut.contains("dim 16"), qPrintable(serverOut));
    QVERIFY2(badOut.contains("refused") && badOut.contains("dim"), qPrintable(badOut));
    // The admitted silo is told as well (its verdict was ok, the federation then stopped):
    // it must not hang past the timeout.
    QVERIFY(finish(*good, &goodOut, 60000) != -2);
}

void TestFederation::killedSiloStopsTheFederation()
{
    QTemporaryDir dir;
    splitRelationRings(dir, 2, 60);
    const int port = freeLoopbackPort();
    auto server = start({"fed", "serve", "--clients", "2", "--port", QString::number(port), "--rounds", "1000",
                         "--model", "distmult", "--dim", "16", "--timeout", "10", "--checkpoint", dir.filePath("f.ckpt")});
    auto one = start({"fed", "join", dir.filePath("silos/silo-1.kgwb"), "--server", QString("127.0.0.1:%1").arg(port),
                      "--rank", "1", "--threads", "1"});
    auto two = start({"fed", "join", dir.filePath("silos/silo-2.kgwb"), "--server", QString("127.0.0.1:%1").arg(port),
                      "--rank", "2", "--threads", "1"});
    QString serverOut;
    QTRY_VERIFY_WITH_TIMEOUT((serverOut += QString::fromUtf8(server->readAll())).contains("round 2/"), 60000);
    two->kill(); // kill -9 mid-federation
    QElapsedTimer t;
    t.start();
    QCOMPARE(finish(*server, &serverOut, 60000), 1);
    QVERIFY2(t.elapsed() < 40000, "the coordinator waited past its timeout");
    QVERIFY2(serverOut.contains("a peer left or did not answer"), qPrintable(serverOut));
    QString oneOut;
    QVERIFY(finish(*one, &oneOut, 60000) != 0);
    // The silos' projects are intact (they were only read) and the round checkpoint exists.
    for (const char* p : {"silos/silo-1.kgwb", "silos/silo-2.kgwb"}) {
        kg::sql::Database db(s(dir.filePath(p)), kg::sql::Database::Mode::ReadOnly);
        auto check = db.prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), std::string("ok"));
    }
    QVERIFY(QFile::exists(dir.filePath("f.ckpt")));
}

void TestFederation::othersContinueWithoutAKilledSilo()
{
    QTemporaryDir dir;
    splitRelationRings(dir, 3, 60);
    const int port = freeLoopbackPort();
    auto server = start({"fed", "serve", "--clients", "3", "--port", QString::number(port), "--rounds", "30",
                         "--model", "distmult", "--dim", "16", "--timeout", "5", "--on-failure", "continue"});
    std::vector<std::unique_ptr<QProcess>> silos;
    for (int r = 1; r <= 3; ++r) {
        if (r == 3) // joins later than --timeout: joining has its own, longer wait (--join-timeout)
            QTest::qWait(8000);
        silos.push_back(start({"fed", "join", dir.filePath(QString("silos/silo-%1.kgwb").arg(r)), "--server",
                               QString("127.0.0.1:%1").arg(port), "--rank", QString::number(r), "--threads", "1",
                               "--timeout", "5"}));
    }
    QString serverOut;
    QTRY_VERIFY_WITH_TIMEOUT((serverOut += QString::fromUtf8(server->readAll())).contains("round 3/"), 60000);
    silos[1]->kill();
    const int code = finish(*server, &serverOut, 90000);
    QVERIFY2(code == 0, qPrintable(serverOut));
    QVERIFY2(serverOut.contains("silo(s) 2 left in round") && serverOut.contains("continuing with 2") &&
                 serverOut.contains("round 30/30") && serverOut.contains("test (pooled"),
             qPrintable(serverOut));
    for (int r : {0, 2}) {
        QString out;
        QCOMPARE(finish(*silos[static_cast<size_t>(r)], &out, 30000), 0);
        QVERIFY2(out.contains("test (this silo)"), qPrintable(out));
    }
}

QTEST_GUILESS_MAIN(TestFederation)
#include "tst_federation.moc"
