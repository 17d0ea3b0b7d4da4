#include "store/candidate_store.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "store/edit_group.h"
#include "store/project.h"
#include "store/sqlite.h"

namespace kg {

namespace {

using nlohmann::json;

const char* const kCandidateCols = "SELECT c.id, c.head, c.rel, c.tail, c.score, c.run, c.status, c.triple, "
                                   "coalesce(c.decided, '') FROM candidates c ";

CandidateRecord readCandidate(sql::Statement& st)
{
    CandidateRecord c;
    c.id = st.int64(0);
    c.head = st.int64(1);
    c.rel = st.int64(2);
    c.tail = st.int64(3);
    c.score = st.real(4);
    c.run = st.isNull(5) ? 0 : st.int64(5);
    c.status = st.text(6);
    c.triple = st.isNull(7) ? 0 : st.int64(7);
    c.decided = st.text(8);
    return c;
}

void readEvidence(sql::Database& db, CandidateRecord& c)
{
    auto st = db.prepare(R"SQL(SELECT v.sentence, v.score, v.head_begin, v.head_end, v.tail_begin, v.tail_end,
            s.text, s.doc, d.name FROM candidate_evidence v JOIN sentences s ON s.id = v.sentence
            JOIN documents d ON d.id = s.doc WHERE v.candidate = ? ORDER BY v.score DESC, v.sentence)SQL");
    st.bind(1, c.id);
    while (st.step()) {
        CandidateEvidence e;
        e.sentence = st.int64(0);
        e.score = st.real(1);
        e.headBegin = static_cast<int>(st.int64(2));
        e.headEnd = static_cast<int>(st.int64(3));
        e.tailBegin = static_cast<int>(st.int64(4));
        e.tailEnd = static_cast<int>(st.int64(5));
        e.text = st.text(6);
        e.doc = st.int64(7);
        e.docName = st.text(8);
        c.evidence.push_back(std::move(e));
    }
}

CandidateRecord requireCandidate(sql::Database& db, int64_t id)
{
    auto st = db.prepare(std::string(kCandidateCols) + "WHERE c.id = ?");
    st.bind(1, id);
    if (!st.step())
        throw Error(Errc::NotFound, "candidate " + std::to_string(id) + " does not exist");
    return readCandidate(st);
}

bool tripleExists(sql::Database& db, int64_t h, int64_t r, int64_t t)
{
    auto st = db.prepare("SELECT 1 FROM triples WHERE head = ? AND rel = ? AND tail = ?");
    st.bind(1, h).bind(2, r).bind(3, t);
    return st.step();
}

void requireExists(sql::Database& db, const char* table, int64_t id)
{
    auto st = db.prepare(std::string("SELECT 1 FROM ") + table + " WHERE id = ?");
    st.bind(1, id);
    if (!st.step())
        throw Error(Errc::NotFound, std::string(table) + " id " + std::to_string(id) + " does not exist");
}

json decision(int64_t id, const std::string& newStatus, int64_t newTriple)
{
    return json{{"id", id},
                {"old_status", "pending"},
                {"old_triple", 0},
                {"new_status", newStatus},
                {"new_triple", newTriple}};
}

// Adds (h, r, t) to the train split and marks candidate c accepted, within group g.
int64_t acceptInGroup(sql::Database& db, EditGroup& g, const CandidateRecord& c, int64_t h, int64_t r, int64_t t)
{
    const int64_t id = nextTableId(db, "triples");
    g.apply("add_triple", json{{"id", id}, {"h", h}, {"r", r}, {"t", t}, {"split", 1}});
    g.apply("decide_candidate", decision(c.id, "accepted", id));
    return id;
}

} // namespace

CandidateStore::CandidateStore(Project& project)
    : project_(project)
{
}

int64_t CandidateStore::replacePending(int64_t run, const std::vector<CandidateRecord>& fresh)
{
    int64_t stored = 0;
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        db.exec("DELETE FROM candidates WHERE status = 'pending'");
        auto known = db.prepare(R"SQL(SELECT EXISTS(SELECT 1 FROM triples WHERE head = ?1 AND rel = ?2 AND tail = ?3)
            OR EXISTS(SELECT 1 FROM candidates WHERE head = ?1 AND rel = ?2 AND tail = ?3))SQL");
        auto add = db.prepare("INSERT INTO candidates(head, rel, tail, score, run) VALUES (?, ?, ?, ?, ?)");
        auto ev = db.prepare("INSERT INTO candidate_evidence(candidate, sentence, score, head_begin, head_end, "
                             "tail_begin, tail_end) VALUES (?, ?, ?, ?, ?, ?, ?)");
        for (const CandidateRecord& c : fresh) {
            known.bind(1, c.head).bind(2, c.rel).bind(3, c.tail);
            known.step();
            const bool skip = known.int64(0) != 0;
            known.reset();
            if (skip)
                continue;
            add.bind(1, c.head).bind(2, c.rel).bind(3, c.tail).bind(4, c.score);
            if (run)
                add.bind(5, run);
            else
                add.bindNull(5);
            add.run();
            const int64_t id = db.lastInsertRowid();
            for (const CandidateEvidence& e : c.evidence) {
                ev.bind(1, id).bind(2, e.sentence).bind(3, e.score).bind(4, e.headBegin).bind(5, e.headEnd);
                ev.bind(6, e.tailBegin).bind(7, e.tailEnd);
                ev.run();
            }
            ++stored;
        }
        tx.commit();
    });
    return stored;
}

std::vector<CandidateRecord> CandidateStore::list(const std::string& status, double minScore, int64_t limit,
                                                  int64_t offset, bool withEvidence)
{
    std::vector<CandidateRecord> out;
    project_.withDatabase([&](sql::Database& db) {
        // Candidates whose entities or relation were deleted since are not listed.
        auto st = db.prepare(std::string(kCandidateCols) +
                             "JOIN entities h ON h.id = c.head JOIN entities t ON t.id = c.tail "
                             "JOIN relations r ON r.id = c.rel WHERE (?1 = '' OR c.status = ?1) AND c.score >= ?2 "
                             "ORDER BY c.score DESC, c.id LIMIT ?3 OFFSET ?4");
        st.bind(1, status).bind(2, minScore).bind(3, limit).bind(4, offset);
        while (st.step())
            out.push_back(readCandidate(st));
        if (withEvidence)
            for (CandidateRecord& c : out)
                readEvidence(db, c);
    });
    return out;
}

CandidateRecord CandidateStore::get(int64_t id)
{
    CandidateRecord c;
    project_.withDatabase([&](sql::Database& db) {
        c = requireCandidate(db, id);
        readEvidence(db, c);
    });
    return c;
}

CandidateCounts CandidateStore::counts()
{
    CandidateCounts c;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT status, count(*) FROM candidates GROUP BY status");
        while (st.step()) {
            const std::string s = st.text(0);
            (s == "pending" ? c.pending : s == "accepted" ? c.accepted : c.rejected) = st.int64(1);
        }
    });
    return c;
}

int64_t CandidateStore::accept(int64_t id, int64_t head, int64_t rel, int64_t tail)
{
    int64_t triple = 0;
    project_.withDatabase([&](sql::Database& db) {
        const CandidateRecord c = requireCandidate(db, id);
        if (c.status != "pending")
            throw Error(Errc::Conflict, "candidate " + std::to_string(id) + " is already " + c.status);
        const int64_t h = head ? head : c.head, r = rel ? rel : c.rel, t = tail ? tail : c.tail;
        requireExists(db, "entities", h);
        requireExists(db, "relations", r);
        requireExists(db, "entities", t);
        if (tripleExists(db, h, r, t))
            throw Error(Errc::Conflict, "the triple is already in the graph");
        EditGroup g(db, "accept candidate");
        triple = acceptInGroup(db, g, c, h, r, t);
        g.commit();
    });
    return triple;
}

void CandidateStore::reject(int64_t id)
{
    project_.withDatabase([&](sql::Database& db) {
        const CandidateRecord c = requireCandidate(db, id);
        if (c.status != "pending")
            throw Error(Errc::Conflict, "candidate " + std::to_string(id) + " is already " + c.status);
        EditGroup g(db, "reject candidate");
        g.apply("decide_candidate", decision(id, "rejected", 0));
        g.commit();
    });
}

int64_t CandidateStore::acceptAbove(double minScore)
{
    int64_t n = 0;
    project_.withDatabase([&](sql::Database& db) {
        std::vector<CandidateRecord> take;
        {
            auto st = db.prepare(std::string(kCandidateCols) +
                                 "JOIN entities h ON h.id = c.head JOIN entities t ON t.id = c.tail "
                                 "JOIN relations r ON r.id = c.rel WHERE c.status = 'pending' AND c.score >= ? "
                                 "AND NOT EXISTS (SELECT 1 FROM triples x WHERE x.head = c.head AND x.rel = c.rel "
                                 "AND x.tail = c.tail) ORDER BY c.score DESC, c.id");
            st.bind(1, minScore);
            while (st.step())
                take.push_back(readCandidate(st));
        }
        if (take.empty())
            return;
        EditGroup g(db, "accept " + std::to_string(take.size()) + " candidates");
        for (const CandidateRecord& c : take)
            acceptInGroup(db, g, c, c.head, c.rel, c.tail);
        g.commit();
        n = static_cast<int64_t>(take.size());
    });
    return n;
}

std::vector<CandidateRecord> CandidateStore::provenance(int64_t entity)
{
    std::vector<CandidateRecord> out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare(std::string(kCandidateCols) +
                             "JOIN triples x ON x.id = c.triple WHERE c.status = 'accepted' "
                             "AND (x.head = ?1 OR x.tail = ?1) ORDER BY c.decided DESC, c.id DESC");
        st.bind(1, entity);
        while (st.step())
            out.push_back(readCandidate(st));
        for (CandidateRecord& c : out)
            readEvidence(db, c);
    });
    return out;
}

} // namespace kg
