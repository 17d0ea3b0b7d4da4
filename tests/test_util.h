// Helpers shared by the Qt tests: temp files, gzip, and a recording ParseSink.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <string>
#include <vector>
#include <zlib.h>

#include "import/importer.h"
#include "import/parse_sink.h"
#include "store/project.h"

namespace kgtest {

inline QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
    return path;
}

inline QString writeGzip(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    gzFile gz = gzopen(path.toLocal8Bit().constData(), "wb");
    if (!gz)
        qFatal("cannot write %s", qPrintable(path));
    gzwrite(gz, bytes.constData(), static_cast<unsigned>(bytes.size()));
    gzclose(gz);
    return path;
}

// A small learnable graph as train/valid/test TSV files in `dir`: a ring of `n` entities
// with "next", its inverse "prev" and "two_ahead" (next∘next). Every 7th prev/two_ahead triple
// goes to valid or test, so they are predictable from the train split. Returns the 3 paths.
inline std::vector<QString> writeRingGraph(const QTemporaryDir& dir, int n = 40)
{
    QByteArray train, valid, test;
    int held = 0;
    for (int i = 0; i < n; ++i) {
        const QByteArray a = "e" + QByteArray::number(i), b = "e" + QByteArray::number((i + 1) % n),
                         c = "e" + QByteArray::number((i + 2) % n);
        train += a + "\tnext\t" + b + "\n";
        for (const QByteArray& line : {b + "\tprev\t" + a + "\n", a + "\ttwo_ahead\t" + c + "\n"}) {
            if (++held % 7 == 0)
                (held % 14 == 0 ? test : valid) += line;
            else
                train += line;
        }
    }
    return {writeFile(dir, "ring_train.tsv", train), writeFile(dir, "ring_valid.tsv", valid),
            writeFile(dir, "ring_test.tsv", test)};
}

inline std::string s(const QString& q) { return q.toStdString(); }

// writeRingGraph imported into <dir>/ring.kgwb with its train/valid/test splits.
inline std::string importRingProject(const QTemporaryDir& dir, int n = 40)
{
    const auto files = writeRingGraph(dir, n);
    const std::string path = s(dir.filePath("ring.kgwb"));
    auto project = kg::Project::open(path);
    kg::import::ImportRequest req;
    req.tripleFiles = {s(files[0]), kg::import::TripleFile(s(files[1]), kg::Split::Valid),
                       kg::import::TripleFile(s(files[2]), kg::Split::Test)};
    kg::import::runImport(*project, req);
    return path;
}

// A graph of 6 relations over n entities: three rings (r0..r2) and their inverses (r3..r5),
// so every silo of a relation split sees most entities and can learn its own relations.
inline std::string importRelationRings(const QTemporaryDir& dir, int n = 60)
{
    QByteArray tsv, labels;
    for (int i = 0; i < n; ++i) {
        labels += "e" + QByteArray::number(i) + "\tEntity " + QByteArray::number(i) + "\tnumber " +
                  QByteArray::number(i) + "\n";
        for (int k = 1; k <= 3; ++k) {
            const QByteArray a = "e" + QByteArray::number(i), b = "e" + QByteArray::number((i + k) % n);
            tsv += a + "\tr" + QByteArray::number(k - 1) + "\t" + b + "\n";
            tsv += b + "\tr" + QByteArray::number(k + 2) + "\t" + a + "\n";
        }
    }
    const std::string path = s(dir.filePath("six.kgwb"));
    auto project = kg::Project::open(path);
    kg::import::ImportRequest req;
    req.tripleFiles = {s(writeFile(dir, "six.tsv", tsv))};
    req.labelFiles = {s(writeFile(dir, "six_labels.tsv", labels))};
    kg::import::runImport(*project, req);
    return path;
}

// A TCP port that was free a moment ago (bound to port 0, read back, closed), for tests
// that run a coordinator on loopback.
inline int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

struct RecordingSink : kg::import::ParseSink {
    std::vector<std::vector<std::string>> triples, literals, labels;
    std::vector<std::pair<kg::SourceLocation, std::string>> skippedLines;
    void triple(std::string_view h, std::string_view r, std::string_view t) override
    {
        triples.push_back({std::string(h), std::string(r), std::string(t)});
    }
    void literal(std::string_view s, std::string_view p, std::string_view v, std::string_view l) override
    {
        literals.push_back({std::string(s), std::string(p), std::string(v), std::string(l)});
    }
    void label(std::string_view k, std::string_view l, std::string_view d) override
    {
        labels.push_back({std::string(k), std::string(l), std::string(d)});
    }
    void skipped(const kg::SourceLocation& where, const std::string& reason) override
    {
        skippedLines.emplace_back(where, reason);
    }
};

// A small world for question answering: people with a spouse, a job and a birthplace; cities
// in countries. 2-hop questions of three kinds in two word orders, with their gold paths and a
// split file.
inline void writeQaWorld(const QTemporaryDir& dir)
{
    QByteArray kb, qs, split;
    for (int c = 0; c < 6; ++c)
        kb += "city_" + QByteArray::number(c) + "\tlocated_in\tcountry_" + QByteArray::number(c % 3) + "\n";
    auto person = [](int p) { return "person_" + QByteArray::number(p); };
    auto city = [](int p) { return "city_" + QByteArray::number((p * 7) % 6); };
    auto job = [](int p) { return "job_" + QByteArray::number((p * 5) % 4); };
    for (int p = 0; p < 80; ++p) {
        kb += person(p) + "\tspouse\t" + person(p ^ 1) + "\n";
        kb += person(p) + "\tbirthplace\t" + city(p) + "\n";
        kb += person(p) + "\tjob\t" + job(p) + "\n";
    }
    const QList<QByteArray> jobWords{"job", "occupation"}, spouseWords{"wife", "husband", "spouse"},
        placeWords{"birthplace", "hometown"}, countryWords{"country", "nation"};
    int n = 0;
    for (int p = 0; p < 80; ++p)
        for (int form = 0; form < 2; ++form) {
            const int q = p ^ 1;
            const QByteArray sw = spouseWords[(p + form) % 3], jw = jobWords[(p / 2 + form) % 2],
                             pw = placeWords[(p + form) % 2], cw = countryWords[(p / 3 + form) % 2];
            const QByteArray country = "country_" + QByteArray::number(((p * 7) % 6) % 3);
            // Three kinds: birthplace > located_in, spouse > job, spouse > birthplace.
            const QByteArray first = p % 3 == 0 ? pw : sw, second = p % 3 == 0 ? cw : p % 3 == 1 ? jw : pw;
            const QByteArray text = form ? "what is the " + second + " of " + person(p) + " 's " + first + " ?"
                                         : "what is " + person(p) + " 's " + first + " 's " + second + " ?";
            const QByteArray path = p % 3 == 0   ? person(p) + "#birthplace#" + city(p) + "#located_in#" + country
                                    : p % 3 == 1 ? person(p) + "#spouse#" + person(q) + "#job#" + job(q)
                                                 : person(p) + "#spouse#" + person(q) + "#birthplace#" + city(q);
            const QByteArray answer = path.mid(path.lastIndexOf('#') + 1);
            qs += text + "\t" + answer + "\t" + path + "\n";
            split += QByteArray::number(n) + (n % 10 == 9 ? "\ttest\n" : n % 10 == 8 ? "\tvalid\n" : "\ttrain\n");
            ++n;
        }
    writeFile(dir, "world.tsv", kb);
    writeFile(dir, "questions.tsv", qs);
    writeFile(dir, "questions-split.tsv", split);
}

} // namespace kgtest
