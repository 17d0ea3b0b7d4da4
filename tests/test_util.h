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

} // namespace kgtest
