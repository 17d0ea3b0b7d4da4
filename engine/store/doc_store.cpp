#include "store/doc_store.h"

#include "core/error.h"
#include "store/fts.h"
#include "store/project.h"
#include "store/sqlite.h"

namespace kg {

namespace {

int64_t insertDocument(sql::Database& db, sql::Statement& doc, sql::Statement& sent, const NewDocument& d)
{
    doc.bind(1, d.name).bind(2, d.source).bind(3, d.format);
    if (d.entity)
        doc.bind(4, d.entity);
    else
        doc.bindNull(4);
    doc.bind(5, d.bytes);
    doc.run();
    const int64_t id = db.lastInsertRowid();
    int64_t pos = 0;
    for (const std::string& s : d.sentences) {
        sent.bind(1, id).bind(2, pos++).bind(3, s);
        sent.run();
    }
    return id;
}

const char* const kInsertDoc = "INSERT INTO documents(name, source, format, entity, bytes) VALUES (?, ?, ?, ?, ?)";
const char* const kInsertSentence = "INSERT INTO sentences(doc, pos, text) VALUES (?, ?, ?)";

SentenceRow readSentence(sql::Statement& st)
{
    return SentenceRow{st.int64(0), st.int64(1), st.isNull(2) ? 0 : st.int64(2), st.text(3)};
}

} // namespace

DocStore::DocStore(Project& project)
    : project_(project)
{
}

std::vector<int64_t> DocStore::add(const std::vector<NewDocument>& documents)
{
    std::vector<int64_t> ids;
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        auto doc = db.prepare(kInsertDoc);
        auto sent = db.prepare(kInsertSentence);
        for (const NewDocument& d : documents)
            ids.push_back(insertDocument(db, doc, sent, d));
        tx.commit();
    });
    return ids;
}

int64_t DocStore::addDescriptions(const std::function<std::vector<std::string>(const std::string&)>& split)
{
    int64_t added = 0;
    project_.withDatabase([&](sql::Database& db) {
        sql::Transaction tx(db);
        std::vector<NewDocument> docs;
        {
            auto st = db.prepare(R"SQL(SELECT e.id, e.key, e.description FROM entities e
                WHERE e.description <> '' AND NOT EXISTS
                  (SELECT 1 FROM documents d WHERE d.entity = e.id AND d.format = 'description')
                ORDER BY e.id)SQL");
            while (st.step()) {
                NewDocument d;
                d.entity = st.int64(0);
                d.name = "description of " + st.text(1);
                d.format = "description";
                const std::string text = st.text(2);
                d.bytes = static_cast<int64_t>(text.size());
                d.sentences = split(text);
                if (!d.sentences.empty())
                    docs.push_back(std::move(d));
            }
        }
        auto doc = db.prepare(kInsertDoc);
        auto sent = db.prepare(kInsertSentence);
        for (const NewDocument& d : docs)
            insertDocument(db, doc, sent, d);
        added = static_cast<int64_t>(docs.size());
        tx.commit();
    });
    return added;
}

std::vector<DocumentRecord> DocStore::documents()
{
    std::vector<DocumentRecord> out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare(R"SQL(SELECT d.id, d.name, d.source, d.format, d.entity, d.bytes,
            (SELECT count(*) FROM sentences s WHERE s.doc = d.id) FROM documents d ORDER BY d.id)SQL");
        while (st.step())
            out.push_back(DocumentRecord{st.int64(0), st.text(1), st.text(2), st.text(3),
                                         st.isNull(4) ? 0 : st.int64(4), st.int64(5), st.int64(6)});
    });
    return out;
}

DocCounts DocStore::counts()
{
    DocCounts c;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT count(*), coalesce(sum(format = 'description'), 0) FROM documents");
        st.step();
        c.documents = st.int64(0);
        c.descriptions = st.int64(1);
        auto s = db.prepare("SELECT count(*) FROM sentences");
        s.step();
        c.sentences = s.int64(0);
    });
    return c;
}

void DocStore::forEachSentence(const std::function<void(const SentenceRow&)>& fn)
{
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT s.id, s.doc, d.entity, s.text FROM sentences s "
                             "JOIN documents d ON d.id = s.doc ORDER BY s.doc, s.pos");
        while (st.step())
            fn(readSentence(st));
    });
}

SentenceRow DocStore::sentence(int64_t id)
{
    SentenceRow row;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare("SELECT s.id, s.doc, d.entity, s.text FROM sentences s "
                             "JOIN documents d ON d.id = s.doc WHERE s.id = ?");
        st.bind(1, id);
        if (!st.step())
            throw Error(Errc::NotFound, "sentence " + std::to_string(id) + " does not exist");
        row = readSentence(st);
    });
    return row;
}

std::vector<SentenceRow> DocStore::search(const std::string& text, int limit)
{
    std::vector<SentenceRow> out;
    const std::string q = ftsQuery(text);
    if (q.empty() || limit <= 0)
        return out;
    project_.withDatabase([&](sql::Database& db) {
        auto st = db.prepare(R"SQL(SELECT s.id, s.doc, d.entity, s.text FROM sentence_fts f
            JOIN sentences s ON s.id = f.rowid JOIN documents d ON d.id = s.doc
            WHERE sentence_fts MATCH ? ORDER BY bm25(sentence_fts), s.id LIMIT ?)SQL");
        st.bind(1, q).bind(2, static_cast<int64_t>(limit));
        while (st.step())
            out.push_back(readSentence(st));
    });
    return out;
}

} // namespace kg
