#include "store/qa_store.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "store/project.h"
#include "store/sqlite.h"

namespace kg {

QaStore::QaStore(Project& project)
    : project_(project)
{
}

void QaStore::add(const std::vector<QaRecord>& records, bool replace)
{
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        if (replace)
            db.exec("DELETE FROM qa_pairs");
        auto st = db.prepare("INSERT INTO qa_pairs(question, topic, answers, path, split, synthetic, source) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)");
        for (const QaRecord& r : records) {
            if (r.answers.empty())
                throw Error(Errc::InvalidArgument, "question without an answer: " + r.question);
            st.bind(1, r.question);
            if (r.topic)
                st.bind(2, r.topic);
            else
                st.bindNull(2);
            st.bind(3, nlohmann::json(r.answers).dump())
                .bind(4, nlohmann::json(r.path).dump())
                .bind(5, static_cast<int>(r.split))
                .bind(6, r.synthetic ? 1 : 0)
                .bind(7, r.source);
            st.run();
        }
        tx.commit();
    });
}

std::vector<QaRecord> QaStore::all()
{
    std::vector<QaRecord> out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare(
            "SELECT id, question, topic, answers, path, split, synthetic, source FROM qa_pairs ORDER BY id");
        while (st.step()) {
            QaRecord r;
            r.id = st.int64(0);
            r.question = st.text(1);
            r.topic = st.isNull(2) ? 0 : st.int64(2);
            r.answers = nlohmann::json::parse(st.textView(3)).get<std::vector<int64_t>>();
            r.path = nlohmann::json::parse(st.textView(4)).get<std::vector<int64_t>>();
            r.split = static_cast<Split>(st.int64(5));
            r.synthetic = st.int64(6) != 0;
            r.source = st.text(7);
            out.push_back(std::move(r));
        }
    });
    return out;
}

QaCounts QaStore::counts()
{
    QaCounts c;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT split, synthetic, count(*) FROM qa_pairs GROUP BY split, synthetic");
        while (st.step()) {
            const int64_t n = st.int64(2);
            switch (static_cast<Split>(st.int64(0))) {
            case Split::Train: c.train += n; break;
            case Split::Valid: c.valid += n; break;
            case Split::Test: c.test += n; break;
            }
            if (st.int64(1))
                c.synthetic += n;
        }
    });
    return c;
}

void QaStore::forEachEntityName(const std::function<void(int64_t, const std::string&, const std::string&)>& fn)
{
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT id, key, label FROM entities ORDER BY id");
        while (st.step())
            fn(st.int64(0), st.text(1), st.text(2));
    });
}

} // namespace kg
