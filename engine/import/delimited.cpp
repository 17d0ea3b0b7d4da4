#include "import/delimited.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "io/line_reader.h"
#include "io/utf8.h"

namespace kg::import {
namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool looksLikeHeader(const std::vector<std::string_view>& fields)
{
    static const std::vector<std::string> first = {"head", "subject", "h", "source", "src", "s",
                                                   "id", "entity", "key", "from", "head_id"};
    static const std::vector<std::string> second = {
        "relation", "predicate", "rel", "r", "p", "label", "name", "relation_id", "edge", "type"};
    if (fields.size() < 2)
        return false;
    auto in = [](const std::vector<std::string>& set, const std::string& v) {
        return std::find(set.begin(), set.end(), v) != set.end();
    };
    return in(first, lower(fields[0])) && in(second, lower(fields[1]));
}

std::string delimiterName(char d)
{
    switch (d) {
    case '\t': return "TAB";
    case ',': return "','";
    case ';': return "';'";
    case '|': return "'|'";
    default: return std::string("'") + d + "'";
    }
}

// Shared record loop for triple and label files: reads lines, joins multi-line quoted
// records, validates UTF-8, splits fields and hands each good record to `emit`.
// `emit` returns an error reason (empty = accepted).
void forEachRecord(io::ByteSource& src, ParseSink& sink, const ParseOptions& opts,
                   size_t minFields, size_t maxFields,
                   const std::function<std::string(const std::vector<std::string_view>&)>& emit)
{
    io::LineReader reader(src, opts.maxLineBytes);
    io::LineReader::Line line;

    // Sniff the dialect on up to 20 leading non-blank lines, then replay them.
    struct Held {
        std::string text;
        uint64_t number;
        bool tooLong;
    };
    std::vector<Held> held;
    bool more = true;
    while (held.size() < 20 && (more = reader.next(line))) {
        held.push_back({std::string(line.text), line.number, line.tooLong});
    }
    std::vector<std::string> sample;
    for (const auto& h : held)
        if (!h.tooLong && !h.text.empty())
            sample.push_back(h.text);
    const Dialect dialect = sniffDialect(sample, minFields, maxFields, opts);

    std::vector<std::string_view> fields;
    std::string scratch;
    std::string record; // accumulates a quoted record spanning lines
    uint64_t recordLine = 0;
    bool headerPending = dialect.header;
    size_t heldIdx = 0;

    auto fail = [&](uint64_t lineNo, uint32_t col, const std::string& reason) {
        SourceLocation where{src.name(), lineNo, col};
        if (opts.policy == ErrorPolicy::AllOrNothing)
            throw Error(Errc::Parse, reason, where);
        sink.skipped(where, reason);
    };

    auto nextLine = [&](std::string_view& text, uint64_t& number, bool& tooLong) -> bool {
        if (heldIdx < held.size()) {
            text = held[heldIdx].text;
            number = held[heldIdx].number;
            tooLong = held[heldIdx].tooLong;
            ++heldIdx;
            return true;
        }
        if (!more || !reader.next(line))
            return false;
        text = line.text;
        number = line.number;
        tooLong = line.tooLong;
        return true;
    };

    std::string_view text;
    uint64_t number = 0;
    bool tooLong = false;
    while (nextLine(text, number, tooLong)) {
        if ((number & 1023) == 0) {
            if (opts.cancel)
                opts.cancel->throwIfCancelled();
            if ((number & 65535) == 0)
                sink.progress(src.position(), src.size(), number);
        }
        if (tooLong) {
            record.clear();
            fail(number, 0, "line is longer than " + std::to_string(opts.maxLineBytes) + " bytes");
            continue;
        }
        const size_t bad = io::findInvalidUtf8(text);
        if (bad != std::string_view::npos) {
            record.clear();
            fail(number, static_cast<uint32_t>(bad + 1), "invalid UTF-8 byte sequence");
            continue;
        }
        if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
            record.clear();
            fail(number, static_cast<uint32_t>(nul + 1), "NUL byte (keys and labels must be text)");
            continue;
        }
        std::string_view rec = text;
        if (!record.empty()) {
            record += '\n';
            record.append(text);
            rec = record;
        } else {
            recordLine = number;
        }
        if (rec.find_first_not_of(" \t") == std::string_view::npos && record.empty())
            continue; // blank line
        const SplitResult r = splitRecord(rec, dialect, fields, scratch);
        if (r.status == SplitStatus::OpenQuote) {
            if (record.size() > opts.maxLineBytes) {
                record.clear();
                fail(recordLine, 0, "quoted field is never closed");
                continue;
            }
            if (record.empty())
                record.assign(text);
            continue;
        }
        // `fields` may point into `record`: clear it only after the fields are consumed.
        if (r.status == SplitStatus::Error) {
            fail(recordLine, r.column, r.reason);
        } else if (headerPending) {
            headerPending = false;
        } else if (fields.size() < minFields || fields.size() > maxFields) {
            const std::string want = minFields == maxFields
                                         ? std::to_string(minFields)
                                         : std::to_string(minFields) + " to " +
                                               std::to_string(maxFields);
            fail(recordLine, 0,
                 "expected " + want + " fields separated by " + delimiterName(dialect.delimiter) +
                     ", found " + std::to_string(fields.size()));
        } else if (const std::string err = emit(fields); !err.empty()) {
            fail(recordLine, 0, err);
        }
        record.clear();
    }
    if (!record.empty())
        fail(recordLine, 0, "quoted field is never closed before end of file");
    sink.progress(src.position(), src.size(), number);
}

} // namespace

SplitResult splitRecord(std::string_view rec, const Dialect& d,
                        std::vector<std::string_view>& out, std::string& scratch)
{
    out.clear();
    if (!d.quoted) {
        size_t start = 0;
        for (;;) {
            const size_t pos = rec.find(d.delimiter, start);
            if (pos == std::string_view::npos) {
                out.push_back(rec.substr(start));
                break;
            }
            out.push_back(rec.substr(start, pos - start));
            start = pos + 1;
        }
        return {};
    }
    scratch.clear();
    scratch.reserve(rec.size()); // never reallocates below, so views into it stay valid
    size_t i = 0;
    const size_t n = rec.size();
    for (;;) {
        if (i < n && rec[i] == '"') {
            const size_t open = i;
            const size_t begin = scratch.size();
            ++i;
            for (;;) {
                if (i >= n)
                    return {SplitStatus::OpenQuote, static_cast<uint32_t>(open + 1), {}};
                if (rec[i] == '"') {
                    if (i + 1 < n && rec[i + 1] == '"') {
                        scratch += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                scratch += rec[i++];
            }
            if (i < n && rec[i] != d.delimiter)
                return {SplitStatus::Error, static_cast<uint32_t>(i + 1),
                        "unexpected character after closing quote"};
            out.push_back(std::string_view(scratch).substr(begin));
        } else {
            const size_t pos = rec.find(d.delimiter, i);
            const size_t end = pos == std::string_view::npos ? n : pos;
            out.push_back(rec.substr(i, end - i));
            i = end;
        }
        if (i >= n)
            break;
        ++i; // skip delimiter
        if (i == n) {
            out.emplace_back();
            break;
        }
    }
    return {};
}

Dialect sniffDialect(const std::vector<std::string>& sample, size_t minFields, size_t maxFields,
                     const ParseOptions& opts)
{
    Dialect best;
    const std::string candidates = opts.delimiter ? std::string(1, opts.delimiter)
                                                  : std::string("\t,;|");
    best.delimiter = candidates[0];
    best.quoted = best.delimiter != '\t';
    std::vector<std::string_view> fields;
    std::string scratch;
    bool found = false;
    for (char c : candidates) {
        Dialect d{c, c != '\t', false};
        size_t count = 0;
        bool consistent = !sample.empty();
        for (const auto& line : sample) {
            const SplitStatus st = splitRecord(line, d, fields, scratch).status;
            if (st == SplitStatus::OpenQuote)
                continue; // a quoted field spanning lines: judge the dialect on other lines
            if (st != SplitStatus::Ok) {
                consistent = false;
                break;
            }
            if (count == 0)
                count = fields.size();
            if (fields.size() != count || count < minFields || count > maxFields) {
                consistent = false;
                break;
            }
        }
        if (consistent && count > 0) {
            best = d;
            found = true;
            break;
        }
    }
    if (!found && !opts.delimiter) {
        // No consistent split: take the most frequent candidate so that errors point at the
        // real problem (a stray quote, a short line) rather than at the wrong delimiter.
        size_t bestCount = 0;
        for (char c : candidates) {
            size_t n = 0;
            for (const auto& line : sample)
                n += static_cast<size_t>(std::count(line.begin(), line.end(), c));
            if (n > bestCount) {
                bestCount = n;
                best = Dialect{c, c != '\t', false};
            }
        }
    }
    if (opts.header == HeaderMode::Present) {
        best.header = true;
    } else if (opts.header == HeaderMode::Auto && !sample.empty()) {
        splitRecord(sample.front(), best, fields, scratch);
        best.header = looksLikeHeader(fields);
    }
    return best;
}

void parseDelimitedTriples(io::ByteSource& src, ParseSink& sink, const ParseOptions& opts)
{
    static const char* names[] = {"head", "relation", "tail"};
    forEachRecord(src, sink, opts, 3, 3, [&](const std::vector<std::string_view>& f) -> std::string {
        for (int k = 0; k < 3; ++k)
            if (f[k].empty())
                return std::string("empty ") + names[k] + " field";
        sink.triple(f[0], f[1], f[2]);
        return {};
    });
}

void parseLabelFile(io::ByteSource& src, ParseSink& sink, const ParseOptions& opts)
{
    forEachRecord(src, sink, opts, 2, 3, [&](const std::vector<std::string_view>& f) -> std::string {
        if (f[0].empty())
            return "empty key field";
        sink.label(f[0], f[1], f.size() > 2 ? f[2] : std::string_view());
        return {};
    });
}

} // namespace kg::import
