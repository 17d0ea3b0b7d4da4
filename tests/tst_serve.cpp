// kgwb serve as an application uses it: a real server process on loopback answering ask,
// predict and explain; missing or wrong tokens, oversize bodies and malformed JSON refused;
// a bounded load test (8 clients, 400 requests) with no errors, throughput and p99 reported.
#include <httplib.h>

#include <QProcess>
#include <QTest>
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_util.h"

using namespace kgtest;

namespace {

int runCli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(KGWB_CLI_PATH), args);
    if (!p.waitForFinished(180000))
        qFatal("kgwb did not finish");
    if (p.exitCode() != 0)
        qWarning("%s", p.readAllStandardError().constData());
    return p.exitCode();
}

const char* kToken = "test-token-0123456789abcdef";

} // namespace

class TestServe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void refusesBadRequestsAndSurvivesLoad();
};

void TestServe::refusesBadRequestsAndSurvivesLoad()
{
    QTemporaryDir dir;
    writeQaWorld(dir);
    const QString project = dir.filePath("world.kgwb");
    QCOMPARE(runCli({"import", project, dir.filePath("world.tsv"), "--quiet"}), 0);
    QCOMPARE(runCli({"qa", "import", project, dir.filePath("questions.tsv"), "--split-file",
                     dir.filePath("questions-split.tsv")}),
             0);
    QCOMPARE(runCli({"qa", "train", project, "--epochs", "12", "--threads", "2", "--quiet"}), 0);
    writeFile(dir, "token.txt", QByteArray(kToken) + "\n");
    const int port = freeLoopbackPort();
    QProcess server;
    server.start(QStringLiteral(KGWB_CLI_PATH), {"serve", project, "--token-file", dir.filePath("token.txt"), "--port",
                                                 QString::number(port), "--max-body", "4096"});
    QVERIFY(server.waitForStarted());
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    const httplib::Headers auth{{"Authorization", std::string("Bearer ") + kToken}};
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
        const auto r = client.Get("/health", auth);
        up = r && r->status == 200;
        if (!up)
            QTest::qWait(100);
    }
    QVERIFY2(up, server.readAllStandardError().constData());

    const std::string question = R"({"question": "what is the occupation of person_5 's wife ?"})";
    auto missing = client.Post("/ask", question, "application/json");
    QVERIFY(missing);
    QCOMPARE(missing->status, 401);
    auto wrong = client.Post("/ask", httplib::Headers{{"Authorization", "Bearer not-the-token-at-all"}}, question,
                             "application/json");
    QCOMPARE(wrong->status, 401);
    auto oversize = client.Post("/ask", auth, std::string(5000, ' ') + question, "application/json");
    QVERIFY(oversize);
    QCOMPARE(oversize->status, 413);
    auto malformed = client.Post("/ask", auth, "{\"question\": ", "application/json");
    QCOMPARE(malformed->status, 400);
    auto noField = client.Post("/ask", auth, "{}", "application/json");
    QCOMPARE(noField->status, 400);
    auto unknown = client.Post("/predict", auth, R"({"head": "nobody", "relation": "job"})", "application/json");
    QCOMPARE(unknown->status, 404);

    auto ok = client.Post("/ask", auth, question, "application/json");
    QVERIFY(ok);
    QCOMPARE(ok->status, 200);
    const auto j = nlohmann::json::parse(ok->body);
    QCOMPARE(j["answers"][0]["entity"].get<std::string>(), std::string("job_0"));
    QCOMPARE(j["topic"].get<std::string>(), std::string("person_5"));
    QCOMPARE(j["paths"][0]["hops"].size(), size_t(2));
    auto predict = client.Post("/predict", auth, R"({"head": "person_4", "relation": "spouse", "k": 3})",
                               "application/json");
    QCOMPARE(predict->status, 200);
    auto explain = client.Post("/explain", auth, R"({"head": "person_4", "relation": "job", "tail": "job_0"})",
                               "application/json");
    QCOMPARE(explain->status, 200);
    QVERIFY(nlohmann::json::parse(explain->body).is_object());

    // Load: 8 clients, 50 requests each, bounded by a 60 s deadline.
    const int clients = 8, each = 50;
    std::vector<std::vector<double>> latencies(clients);
    std::atomic<int> errors{0};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            httplib::Client cl("127.0.0.1", port);
            cl.set_read_timeout(30);
            for (int i = 0; i < each; ++i) {
                const std::string q = "{\"question\": \"what is person_" + std::to_string((c * each + i) % 80) +
                                      " 's spouse 's job ?\"}";
                const auto t0 = std::chrono::steady_clock::now();
                const auto r = cl.Post("/ask", auth, q, "application/json");
                latencies[c].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
                if (!r || r->status != 200)
                    ++errors;
                if (std::chrono::steady_clock::now() - start > std::chrono::seconds(60))
                    return;
            }
        });
    for (auto& t : threads)
        t.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<double> all;
    for (const auto& l : latencies)
        all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    QCOMPARE(static_cast<int>(all.size()), clients * each);
    qInfo("serve load: %zu requests in %.2f s = %.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d errors", all.size(), seconds,
          static_cast<double>(all.size()) / seconds, all[all.size() / 2], all[all.size() * 99 / 100], errors.load());
    QCOMPARE(errors.load(), 0);

    server.terminate(); // SIGTERM: the server stops listening and exits 0
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
