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
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>
#include <zlib.h>

#include "import/importer.h"
#include "import/parse_sink.h"
#include "store/project.h"
#include "text/doc_import.h"

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

// Generated biographies for text-to-triples: people born in, living in and working for
// places and companies, each told in one of several phrasings, plus two "visited" sentences
// per person that state no fact; a share of the facts (keys) is hidden from the train graph.
// Writes train.tsv, labels.tsv and bios.txt to `dir` and imports all three into bio.kgwb.
using Hrt = std::tuple<std::string, std::string, std::string>;

struct Biographies {
    std::string project;
    std::set<Hrt> hidden; // by keys
};

inline Biographies writeBiographies(const QTemporaryDir& dir, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    const std::vector<std::string> first = {"Alva", "Bruno", "Cleo", "Dorian", "Edda", "Fenna", "Gustav", "Hilde",
                                            "Ivo", "Juna", "Kasimir", "Liesel", "Mattis", "Nele"};
    const std::vector<std::string> last = {"Brookes", "Castell", "Drummond", "Everly", "Fairweather", "Galloway"};
    const std::vector<std::string> cities = {"Oslo", "Lima", "Perth", "Quito", "Riga", "Sofia", "Tunis", "Bern"};
    const std::vector<std::string> firms = {"Acme Works", "Borealis Labs", "Cobalt Mining", "Delta Shipping",
                                            "Ember Foods", "Fjord Energy"};
    const std::vector<std::string> bornText = {"{p} was born in {o}.", "Born in {o}, {p} grew up by the river.",
                                               "{p} is a native of {o}."};
    const std::vector<std::string> livesText = {"{p} lives in {o}.", "{p} has a home in {o} today.",
                                                "These days {p} resides in {o}."};
    const std::vector<std::string> worksText = {"{p} works for {o}.", "{p} is employed by {o}.",
                                                "{p} took a job at {o}."};
    const std::vector<std::string> visitText = {"{p} visited {o} last year.", "{p} once flew over {o}."};
    auto fill = [](std::string t, const std::string& p, const std::string& o) {
        t.replace(t.find("{p}"), 3, p);
        t.replace(t.find("{o}"), 3, o);
        return t;
    };
    auto key = [](std::string name) {
        for (char& c : name)
            c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return name;
    };
    QByteArray train, labels, text;
    Biographies b;
    for (const auto& c : cities)
        labels += QByteArray::fromStdString(key(c) + "\t" + c + "\n");
    for (const auto& f : firms)
        labels += QByteArray::fromStdString(key(f) + "\t" + f + "\n");
    for (const auto& fn : first)
        for (const auto& ln : last) {
            const std::string person = fn + " " + ln;
            labels += QByteArray::fromStdString(key(person) + "\t" + person + "\n");
            const std::string born = cities[pick(cities.size())];
            std::string lives = cities[pick(cities.size())];
            while (lives == born)
                lives = cities[pick(cities.size())];
            const std::string firm = firms[pick(firms.size())];
            std::vector<std::string> sentences = {fill(bornText[pick(bornText.size())], person, born),
                                                  fill(livesText[pick(livesText.size())], person, lives),
                                                  fill(worksText[pick(worksText.size())], person, firm)};
            for (const auto& v : visitText) { // two sentences that state no fact
                std::string visited = cities[pick(cities.size())];
                while (visited == born || visited == lives)
                    visited = cities[pick(cities.size())];
                sentences.push_back(fill(v, person, visited));
            }
            std::shuffle(sentences.begin(), sentences.end(), rng);
            for (const auto& sentence : sentences)
                text += QByteArray::fromStdString(sentence + "\n\n");
            for (const auto& [rel, obj] : {std::pair<std::string, std::string>{"born_in", born}, {"lives_in", lives},
                                           {"works_for", firm}}) {
                const Hrt t{key(person), rel, key(obj)};
                if (pick(10) < 2)
                    b.hidden.insert(t);
                else
                    train += QByteArray::fromStdString(key(person) + "\t" + rel + "\t" + key(obj) + "\n");
            }
        }
    b.project = s(dir.filePath("bio.kgwb"));
    auto p = kg::Project::open(b.project);
    kg::import::ImportRequest req;
    req.tripleFiles = {s(kgtest::writeFile(dir, "train.tsv", train))};
    req.labelFiles = {s(kgtest::writeFile(dir, "labels.tsv", labels))};
    kg::import::runImport(*p, req);
    kg::text::importDocuments(b.project, {s(kgtest::writeFile(dir, "bios.txt", text))});
    return b;
}


} // namespace kgtest
