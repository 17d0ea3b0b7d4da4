// Helpers shared by the Qt tests: temp files, gzip, and a recording ParseSink.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <string>
#include <vector>
#include <zlib.h>

#include "import/parse_sink.h"

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

inline std::string s(const QString& q) { return q.toStdString(); }

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
