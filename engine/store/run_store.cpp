#include "store/run_store.h"

#include "core/error.h"
#include "store/project.h"
#include "store/sqlite.h"

namespace kg {
namespace {

constexpr const char* kRunCols =
    "SELECT id, created, coalesce(finished, ''), kind, status, config, final_metrics, checkpoint FROM runs ";

RunRecord readRun(sql::Statement& st)
{
    return RunRecord{st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.text(7)};
}

} // namespace

RunStore::RunStore(Project& project)
    : project_(project)
{
}

int64_t RunStore::createRun(const std::string& kind, const std::string& configJson, RunLease* lease)
{
    int64_t id = 0;
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        auto st = db.prepare("INSERT INTO runs(kind, status, config) VALUES (?, 'running', ?)");
        st.bind(1, kind).bind(2, configJson);
        st.run();
        id = db.lastInsertRowid();
        if (lease)
            *lease = RunLease(project_.path(), id);
        tx.commit();
    });
    return id;
}

void RunStore::reopenRun(int64_t run, const std::string& configJson, RunLease* lease)
{
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        if (lease)
            *lease = RunLease(project_.path(), run);
        auto st = db.prepare("UPDATE runs SET status = 'running', config = ?, finished = NULL WHERE id = ?");
        st.bind(1, configJson).bind(2, run);
        st.run();
        if (db.changes() == 0)
            throw Error(Errc::NotFound, "run " + std::to_string(run) + " does not exist");
        tx.commit();
    });
}

std::vector<int64_t> RunStore::markInterrupted()
{
    std::vector<int64_t> out;
    project_.withDatabase([&](sql::Database& db) {
        auto orphans = [&] { // 'running' runs whose lease nobody holds
            std::vector<int64_t> ids;
            auto st = db.prepare("SELECT id FROM runs WHERE status = 'running'");
            while (st.step())
                if (const int64_t run = st.int64(0); !RunLease::held(project_.path(), run))
                    ids.push_back(run);
            return ids;
        };
        // Every open runs this: a plain read first, so the common case takes no write lock (and
        // does not wait for another process's import or training to commit).
        if (orphans().empty())
            return;
        sql::Transaction tx(db); // no run can start or finish between the check and the update
        for (const int64_t run : orphans()) {
            auto up = db.prepare("UPDATE runs SET status = 'interrupted', finished = datetime('now') "
                                 "WHERE id = ? AND status = 'running'");
            up.bind(1, run);
            up.run();
            out.push_back(run);
        }
        tx.commit();
    });
    return out;
}

void RunStore::setCheckpoint(int64_t run, const std::string& checkpoint)
{
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("UPDATE runs SET checkpoint = ? WHERE id = ?");
        st.bind(1, checkpoint).bind(2, run);
        st.run();
    });
}

void RunStore::addMetric(int64_t run, int64_t step, int64_t epoch, const std::string& name, double value)
{
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("INSERT INTO run_metrics(run, step, epoch, name, value) VALUES (?, ?, ?, ?, ?)");
        st.bind(1, run).bind(2, step).bind(3, epoch).bind(4, name).bind(5, value);
        st.run();
    });
}

void RunStore::finishRun(int64_t run, const std::string& status, const std::string& finalMetricsJson,
                         const std::string& checkpoint)
{
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("UPDATE runs SET status = ?, final_metrics = ?, checkpoint = ?, "
                             "finished = datetime('now') WHERE id = ?");
        st.bind(1, status).bind(2, finalMetricsJson).bind(3, checkpoint).bind(4, run);
        st.run();
        if (db.changes() == 0)
            throw Error(Errc::NotFound, "run " + std::to_string(run) + " does not exist");
    });
}

std::vector<RunRecord> RunStore::runs()
{
    std::vector<RunRecord> out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare(std::string(kRunCols) + "ORDER BY id DESC");
        while (st.step())
            out.push_back(readRun(st));
    });
    return out;
}

std::optional<RunRecord> RunStore::run(int64_t id)
{
    std::optional<RunRecord> out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare(std::string(kRunCols) + "WHERE id = ?");
        st.bind(1, id);
        if (st.step())
            out = readRun(st);
    });
    return out;
}

std::vector<MetricPoint> RunStore::metric(int64_t run, const std::string& name)
{
    std::vector<MetricPoint> out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT step, epoch, value FROM run_metrics WHERE run = ? AND name = ? ORDER BY step");
        st.bind(1, run).bind(2, name);
        while (st.step())
            out.push_back(MetricPoint{st.int64(0), st.int64(1), st.real(2)});
    });
    return out;
}

std::vector<std::string> RunStore::metricNames(int64_t run)
{
    std::vector<std::string> out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT DISTINCT name FROM run_metrics WHERE run = ? ORDER BY name");
        st.bind(1, run);
        while (st.step())
            out.push_back(st.text(0));
    });
    return out;
}

bool RunStore::hasMetric(int64_t run, const std::string& name)
{
    bool out = false;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT 1 FROM run_metrics WHERE run = ? AND name = ? LIMIT 1");
        st.bind(1, run).bind(2, name);
        out = st.step();
    });
    return out;
}

void RunStore::deleteRun(int64_t run)
{
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        for (const char* q : {"DELETE FROM run_metrics WHERE run = ?", "DELETE FROM runs WHERE id = ?"}) {
            auto st = db.prepare(q);
            st.bind(1, run);
            st.run();
        }
        tx.commit();
    });
}

} // namespace kg
