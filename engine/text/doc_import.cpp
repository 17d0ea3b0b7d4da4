#include "text/doc_import.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>

#include "core/error.h"
#include "io/byte_source.h"
#include "io/utf8.h"
#include "store/project.h"

namespace kg::text {

namespace {

bool endsWith(const std::string& s, std::string_view suffix)
{
    return s.size() >= suffix.size() && std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void appendUtf8(std::string& out, uint32_t cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Decodes one character reference starting at s[i] == '&'; returns the bytes consumed (0:
// not a reference, keep the '&').
size_t decodeReference(std::string_view s, size_t i, std::string& out)
{
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10)
        return 0;
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    static const std::pair<const char*, uint32_t> named[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", ' '},
        {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"rsquo", 0x2019}, {"lsquo", 0x2018},
        {"rdquo", 0x201D}, {"ldquo", 0x201C}, {"eacute", 0xE9}, {"copy", 0xA9}};
    if (!name.empty() && name[0] == '#') {
        uint32_t cp = 0;
        const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        const std::string_view digits = name.substr(hex ? 2 : 1);
        if (digits.empty())
            return 0;
        for (char c : digits) {
            const int d = std::isdigit(static_cast<unsigned char>(c))      ? c - '0'
                          : hex && std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(c) - 'a' + 10
                                                                            : -1;
            if (d < 0 || cp > 0x10FFFF)
                return 0;
            cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
        }
        appendUtf8(out, cp);
        return semi - i + 1;
    }
    for (const auto& [n, cp] : named)
        if (name == n) {
            appendUtf8(out, cp);
            return semi - i + 1;
        }
    return 0;
}

bool isBlockTag(const std::string& tag)
{
    static const char* const blocks[] = {"p",  "div", "br", "li",  "ul", "ol", "h1",  "h2",      "h3",     "h4",
                                         "h5", "h6",  "tr", "td",  "th", "table", "section", "article", "header",
                                         "footer", "blockquote", "pre", "dd", "dt", "title", "hr"};
    return std::any_of(std::begin(blocks), std::end(blocks), [&](const char* b) { return tag == b; });
}

const char* const kAbbreviations[] = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e",
                                      "inc", "ltd", "co", "no", "fig", "approx", "cf", "al", "gen", "col", "lt",
                                      "sgt", "mt", "ft", "u.s", "u.k", "jan", "feb", "mar", "apr", "jun", "jul",
                                      "aug", "sep", "sept", "oct", "nov", "dec"};

// The word that ends just before position `dot` (letters, digits and inner dots).
bool isAbbreviation(std::string_view s, size_t dot)
{
    size_t b = dot;
    while (b > 0 && (std::isalnum(static_cast<unsigned char>(s[b - 1])) || s[b - 1] == '.'))
        --b;
    const std::string word = lower(s.substr(b, dot - b));
    if (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0])))
        return true; // an initial: "J. R. R. Tolkien"
    return std::any_of(std::begin(kAbbreviations), std::end(kAbbreviations), [&](const char* a) { return word == a; });
}

void pushSentence(std::vector<std::string>& out, std::string s)
{
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    constexpr size_t kMax = 2000;
    while (s.size() > kMax) {
        size_t cut = s.rfind(' ', kMax);
        if (cut == std::string::npos || cut == 0)
            cut = kMax;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
            --cut; // never inside a UTF-8 sequence
        out.push_back(s.substr(0, cut));
        s.erase(0, std::min(s.size(), cut + (s[cut] == ' ' ? 1 : 0)));
    }
    if (!s.empty())
        out.push_back(std::move(s));
}

void splitParagraph(const std::string& p, std::vector<std::string>& out)
{
    std::string cur;
    for (size_t i = 0; i < p.size(); ++i) {
        cur += p[i];
        const char c = p[i];
        if ((c == '.' || c == '!' || c == '?') && i + 2 < p.size() && p[i + 1] == ' ') {
            size_t j = i;
            while (j + 1 < p.size() && (p[j + 1] == '"' || p[j + 1] == ')' || p[j + 1] == '\''))
                ++j; // closing quotes stay with the sentence
            const unsigned char next = static_cast<unsigned char>(p[i + 2]);
            const bool starts = std::isupper(next) || std::isdigit(next) || next == '"' || next == '(' || next >= 0x80;
            if (starts && !(c == '.' && isAbbreviation(p, i))) {
                pushSentence(out, std::move(cur));
                cur.clear();
                ++i; // the space
            }
        }
    }
    pushSentence(out, std::move(cur));
}

} // namespace

std::string formatFromName(const std::string& path)
{
    std::string p = path;
    if (endsWith(p, ".gz"))
        p.resize(p.size() - 3);
    if (endsWith(p, ".html") || endsWith(p, ".htm") || endsWith(p, ".xhtml"))
        return "html";
    if (endsWith(p, ".md") || endsWith(p, ".markdown"))
        return "markdown";
    return "text";
}

std::string stripHtml(std::string_view html)
{
    std::string out;
    out.reserve(html.size());
    size_t i = 0;
    while (i < html.size()) {
        const char c = html[i];
        if (c == '<') {
            if (html.compare(i, 4, "<!--") == 0) {
                const size_t end = html.find("-->", i + 4);
                i = end == std::string_view::npos ? html.size() : end + 3;
                continue;
            }
            const size_t end = html.find('>', i);
            if (end == std::string_view::npos)
                break;
            size_t n = i + 1;
            const bool closing = n < end && html[n] == '/';
            if (closing)
                ++n;
            size_t e = n;
            while (e < end && std::isalnum(static_cast<unsigned char>(html[e])))
                ++e;
            const std::string tag = lower(html.substr(n, e - n));
            i = end + 1;
            if (!closing && (tag == "script" || tag == "style")) {
                const size_t close = lower(html.substr(i)).find("</" + tag);
                i = close == std::string::npos ? html.size() : i + close;
                continue;
            }
            if (isBlockTag(tag))
                out += "\n\n";
            else
                out += ' ';
            continue;
        }
        if (c == '&') {
            if (const size_t used = decodeReference(html, i, out)) {
                i += used;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
}

std::string stripMarkdown(std::string_view md)
{
    std::string out;
    size_t start = 0;
    while (start <= md.size()) {
        size_t end = md.find('\n', start);
        if (end == std::string_view::npos)
            end = md.size();
        std::string_view line = md.substr(start, end - start);
        start = end + 1;
        size_t b = 0;
        while (b < line.size() && (line[b] == ' ' || line[b] == '\t'))
            ++b;
        line.remove_prefix(b);
        bool own = false; // heading or list item: a paragraph of its own
        if (line.rfind("```", 0) == 0 || line.rfind("~~~", 0) == 0) {
            out += "\n\n";
            continue;
        }
        if (!line.empty() && line[0] == '#') {
            while (!line.empty() && line[0] == '#')
                line.remove_prefix(1);
            own = true;
        } else if (line.size() > 1 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
            line.remove_prefix(2);
            own = true;
        } else if (!line.empty() && line[0] == '>') {
            line.remove_prefix(1);
        } else {
            size_t d = 0;
            while (d < line.size() && std::isdigit(static_cast<unsigned char>(line[d])))
                ++d;
            if (d > 0 && d + 1 < line.size() && line[d] == '.' && line[d + 1] == ' ') {
                line.remove_prefix(d + 2);
                own = true;
            }
        }
        if (own)
            out += "\n\n";
        for (size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (c == '!' && i + 1 < line.size() && line[i + 1] == '[') {
                continue; // image: keep its alt text
            }
            if (c == ']' && i + 1 < line.size() && line[i + 1] == '(') {
                const size_t close = line.find(')', i);
                i = close == std::string_view::npos ? line.size() : close;
                continue; // link target dropped, text kept
            }
            if (c == '[' || c == ']' || c == '*' || c == '`' || (c == '_' && (i == 0 || line[i - 1] == ' ' ||
                                                                              i + 1 == line.size() || line[i + 1] == ' ')))
                continue;
            out += c;
        }
        out += own ? "\n\n" : "\n";
    }
    return out;
}

std::vector<std::string> splitSentences(std::string_view text)
{
    std::vector<std::string> out;
    std::string para;
    bool space = false;
    int newlines = 0;
    auto flush = [&] {
        if (!para.empty())
            splitParagraph(para, out);
        para.clear();
        space = false;
    };
    for (char c : text) {
        if (c == '\n') {
            if (++newlines >= 2)
                flush();
            space = !para.empty();
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            space = !para.empty();
            continue;
        }
        newlines = 0;
        if (space)
            para += ' ';
        space = false;
        para += c;
    }
    flush();
    return out;
}

NewDocument parseDocument(std::string_view bytes, const std::string& name, const std::string& format,
                          const DocImportOptions& options)
{
    auto fail = [&](const std::string& why, uint64_t line = 0) {
        throw Error(Errc::Parse, why, SourceLocation{name, line, 0});
    };
    if (bytes.size() > options.maxBytes)
        fail("larger than the " + std::to_string(options.maxBytes >> 20) + " MiB limit for one document");
    if (const void* nul = std::memchr(bytes.data(), 0, bytes.size()))
        fail("binary data, not text (a NUL byte at offset " +
             std::to_string(static_cast<const char*>(nul) - bytes.data()) + ")");
    std::string_view body = bytes;
    if (body.size() >= 3 && body.compare(0, 3, "\xEF\xBB\xBF") == 0)
        body.remove_prefix(3); // byte order mark
    if (const size_t bad = io::findInvalidUtf8(body); bad != std::string_view::npos) {
        const uint64_t line = 1 + static_cast<uint64_t>(std::count(body.begin(), body.begin() + bad, '\n'));
        fail("not UTF-8 text (byte offset " + std::to_string(bad) + "); convert it first, e.g. with iconv", line);
    }
    NewDocument d;
    const size_t slash = name.find_last_of('/');
    d.name = slash == std::string::npos ? name : name.substr(slash + 1);
    d.source = name;
    d.format = format;
    d.bytes = static_cast<int64_t>(bytes.size());
    d.sentences = splitSentences(format == "html" ? stripHtml(body) : format == "markdown" ? stripMarkdown(body)
                                                                                         : std::string(body));
    if (d.sentences.empty())
        fail("no text in it");
    return d;
}

NewDocument readDocument(const std::string& path, const DocImportOptions& options)
{
    io::FileSource src(path);
    std::string bytes;
    char buf[1 << 16];
    while (size_t n = src.read(buf, sizeof buf)) {
        bytes.append(buf, n);
        if (bytes.size() > options.maxBytes)
            break; // parseDocument refuses it without reading the rest
    }
    return parseDocument(bytes, path, formatFromName(path), options);
}

DocImportReport importDocuments(const std::string& projectPath, const std::vector<std::string>& files,
                                const DocImportOptions& options, const std::function<void(size_t, size_t)>& progress,
                                const CancelToken* cancel)
{
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<NewDocument> docs;
    std::string refused;
    for (size_t i = 0; i < files.size(); ++i) {
        if (cancel)
            cancel->throwIfCancelled();
        try {
            docs.push_back(readDocument(files[i], options));
        } catch (const Error& e) {
            if (e.code() == Errc::Cancelled)
                throw;
            const std::string where = e.where().file.empty() ? files[i] + ": " : formatLocation(e.where()) + ": ";
            refused += (refused.empty() ? "" : "\n") + where + e.reason();
        }
        if (progress)
            progress(i + 1, files.size());
    }
    if (!refused.empty())
        throw Error(Errc::Parse, "nothing was imported; refused:\n" + refused);
    if (cancel)
        cancel->throwIfCancelled();
    DocImportReport r;
    for (const NewDocument& d : docs) {
        r.sentences += static_cast<int64_t>(d.sentences.size());
        r.bytes += d.bytes;
    }
    auto project = Project::open(projectPath, Project::OpenMode::MustExist);
    DocStore(*project).add(docs);
    r.documents = static_cast<int64_t>(docs.size());
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

int64_t importDescriptions(const std::string& projectPath)
{
    auto project = Project::open(projectPath, Project::OpenMode::MustExist);
    return DocStore(*project).addDescriptions([](const std::string& text) { return splitSentences(text); });
}

} // namespace kg::text
