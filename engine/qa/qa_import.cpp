#include "qa/qa_import.h"

#include <algorithm>
#include <unordered_map>

#include "core/error.h"
#include "io/byte_source.h"
#include "io/line_reader.h"
#include "store/project.h"
#include "store/qa_store.h"

namespace kg::qa {
namespace {

constexpr size_t kMaxLine = 1 << 20;

std::vector<std::string> split(std::string_view s, char sep)
{
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t pos = s.find(sep, start);
        out.emplace_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos)
            return out;
        start = pos + 1;
    }
}

std::unordered_map<uint64_t, Split> readSplits(const std::string& file)
{
    std::unordered_map<uint64_t, Split> out;
    io::FileSource src(file);
    io::LineReader reader(src, kMaxLine);
    io::LineReader::Line line;
    while (reader.next(line)) {
        if (line.text.empty())
            continue;
        const auto fields = split(line.text, '\t');
        const auto where = SourceLocation{file, line.number, 0};
        if (fields.size() != 2)
            throw Error(Errc::Parse, "expected line<TAB>split", where);
        const auto s = parseSplit(fields[1]);
        if (!s)
            throw Error(Errc::Parse, "unknown split '" + fields[1] + "'", where);
        try {
            out[std::stoull(fields[0])] = *s;
        } catch (const std::exception&) {
            throw Error(Errc::Parse, "bad line number '" + fields[0] + "'", where);
        }
    }
    return out;
}

// Resolves keys to ids, caching lookups.
class Keys {
public:
    explicit Keys(Project& p) : p_(p) {}
    int64_t entity(const std::string& key, const SourceLocation& where)
    {
        if (auto it = entities_.find(key); it != entities_.end())
            return it->second;
        const auto e = p_.entityByKey(key);
        if (!e)
            throw Error(Errc::Parse, "unknown entity '" + key + "'", where);
        return entities_[key] = e->id;
    }
    int64_t relation(const std::string& key, const SourceLocation& where)
    {
        if (auto it = relations_.find(key); it != relations_.end())
            return it->second;
        const auto r = p_.relationByKey(key);
        if (!r)
            throw Error(Errc::Parse, "unknown relation '" + key + "'", where);
        return relations_[key] = r->id;
    }

private:
    Project& p_;
    std::unordered_map<std::string, int64_t> entities_, relations_;
};

} // namespace

QaImportReport importQaPairs(Project& project, const std::string& file, const QaImportOptions& options)
{
    const auto splits = options.splitFile.empty() ? std::unordered_map<uint64_t, Split>{} : readSplits(options.splitFile);
    Keys keys(project);
    std::vector<QaRecord> records;
    QaImportReport report;
    io::FileSource src(file);
    io::LineReader reader(src, kMaxLine);
    io::LineReader::Line line;
    while (reader.next(line)) {
        const SourceLocation where{file, line.number, 0};
        if (line.tooLong)
            throw Error(Errc::Parse, "line longer than 1 MiB", where);
        if (line.text.empty())
            continue;
        const auto fields = split(line.text, '\t');
        if (fields.size() < 2 || fields.size() > 4 || fields[0].empty() || fields[1].empty())
            throw Error(Errc::Parse, "expected question<TAB>answer[<TAB>path[<TAB>answers]]", where);
        QaRecord r;
        r.question = fields[0];
        r.source = file + ":" + std::to_string(line.number);
        r.answers.push_back(keys.entity(fields[1], where));
        if (fields.size() >= 3 && !fields[2].empty()) {
            auto items = split(fields[2], '#');
            for (size_t i = 0; i < items.size(); ++i)
                if (items[i] == "<end>") {
                    items.resize(i);
                    break;
                }
            if (items.size() < 3 || items.size() % 2 == 0)
                throw Error(Errc::Parse, "a path alternates entity#relation#entity..., starting and ending at an entity",
                            where);
            r.topic = keys.entity(items[0], where);
            for (size_t i = 1; i < items.size(); i += 2)
                r.path.push_back(keys.relation(items[i], where));
            if (keys.entity(items.back(), where) != r.answers.front())
                throw Error(Errc::Parse, "the path does not end at the answer '" + fields[1] + "'", where);
            ++report.withPath;
        }
        if (fields.size() == 4)
            for (const auto& key : split(fields[3], '/'))
                if (!key.empty()) {
                    const int64_t id = keys.entity(key, where);
                    if (std::find(r.answers.begin(), r.answers.end(), id) == r.answers.end())
                        r.answers.push_back(id);
                }
        if (!splits.empty()) {
            const auto it = splits.find(line.number - 1);
            if (it == splits.end())
                throw Error(Errc::Parse, "line " + std::to_string(line.number - 1) + " has no split in " + options.splitFile,
                            where);
            r.split = it->second;
        } else {
            r.split = options.split;
        }
        (r.split == Split::Train ? report.train : r.split == Split::Valid ? report.valid : report.test)++;
        records.push_back(std::move(r));
    }
    if (records.empty())
        throw Error(Errc::Parse, "no questions", SourceLocation{file, 0, 0});
    QaStore(project).add(records, options.replace);
    return report;
}

} // namespace kg::qa
