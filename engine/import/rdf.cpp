#include "import/rdf.h"

#include "import/iri.h"

#include "io/line_reader.h"
#include "io/utf8.h"

#include <cstdarg>
#include <cstdio>
#include <algorithm>
#include <utility>
#include <exception>
#include <memory>
#include <vector>
#include <serd/serd.h>

namespace kg::import {
namespace {

struct SerdDeleter {
    void operator()(SerdReader* r) const { serd_reader_free(r); }
    void operator()(SerdEnv* e) const { serd_env_free(e); }
};

// What Serd reads: the bytes of one source, with each raw NUL handed over as the escape
// \u0000 (a NUL is valid inside an RDF literal, but Serd 0.30 stops at it and can loop), and
// the line and column of the last byte handed over. Serd reads it one byte at a time (page
// size 1), so at a statement callback that is where Serd stands: the end of the statement.
class SerdInput {
public:
    SerdInput(io::ByteSource& src, uint64_t firstLine)
        : src_(src)
        , line_(firstLine)
    {
    }
    size_t read(char* out, size_t n)
    {
        size_t done = 0;
        while (done < n) {
            if (pos_ == buf_.size() && !refill())
                break;
            const char c = buf_[pos_++];
            out[done++] = c;
            if (escapeTail_ > 0) {
                --escapeTail_; // the rest of a \u0000 escape: the same column
            } else if (c == '\n') {
                ++line_;
                column_ = 0;
            } else {
                ++column_;
                if (next_ < escapes_.size() && escapes_[next_] == pos_ - 1) {
                    escapeTail_ = 5;
                    ++next_;
                }
            }
        }
        return done;
    }
    uint64_t line() const { return line_; }
    uint32_t column() const { return std::max<uint32_t>(column_, 1); } // 1-based, of the last byte read

private:
    bool refill()
    {
        char raw[1 << 14];
        const size_t got = src_.read(raw, sizeof raw);
        buf_.clear();
        escapes_.clear();
        pos_ = next_ = 0;
        for (size_t i = 0; i < got; ++i) {
            if (raw[i] == '\0') {
                escapes_.push_back(buf_.size());
                buf_ += "\\u0000";
            } else {
                buf_ += raw[i];
            }
        }
        return got > 0;
    }

    io::ByteSource& src_;
    std::string buf_;
    std::vector<size_t> escapes_; // offsets in buf_ where an escape for a raw NUL starts
    size_t pos_ = 0, next_ = 0;
    int escapeTail_ = 0;
    uint64_t line_ = 1;
    uint32_t column_ = 0;
};

// State shared with Serd's C callbacks. C++ exceptions must not cross Serd's C frames, so
// callbacks catch, park the exception here, and stop the reader; parseRdf rethrows.
struct Context {
    io::ByteSource* src;
    ParseSink* sink;
    const ParseOptions* opts;
    SerdEnv* env;
    std::exception_ptr pending;
    uint64_t statements = 0;
    SerdInput* input = nullptr; // what the current reader reads
    uint64_t lineOffset = 0; // added to Serd's line numbers when it reads a slice of the input
    unsigned errorLine = 0;  // Serd's line of the last error (0 = none) in the current slice
    std::string s, p, o; // reused buffers

    // Where the reader stands (statement callbacks: the end of the current statement).
    SourceLocation here() const
    {
        return input ? SourceLocation{src->name(), input->line(), input->column()} : SourceLocation{src->name()};
    }
};

size_t readSource(void* buf, size_t size, size_t nmemb, void* stream)
{
    auto* ctx = static_cast<Context*>(stream);
    try {
        return ctx->input->read(static_cast<char*>(buf), size * nmemb) / (size ? size : 1);
    } catch (...) {
        if (!ctx->pending)
            ctx->pending = std::current_exception();
        return 0;
    }
}

int sourceError(void*) { return 0; }

// Expands CURIEs and relative IRIs; returns false (with a reason) if a prefix is undefined.
bool nodeKey(Context& ctx, const SerdNode* node, std::string& out, std::string& why)
{
    switch (node->type) {
    case SERD_BLANK:
        out.assign("_:");
        out.append(reinterpret_cast<const char*>(node->buf), node->n_bytes);
        return true;
    case SERD_URI:
    case SERD_CURIE: {
        SerdNode full = serd_env_expand_node(ctx.env, node);
        if (!full.buf) {
            why = std::string("undefined prefix in '") +
                  reinterpret_cast<const char*>(node->buf) + "'";
            return false;
        }
        out.assign(reinterpret_cast<const char*>(full.buf), full.n_bytes);
        serd_node_free(&full);
        // A relative reference was resolved against the base: finish what Serd 0.30 leaves
        // (dot segments in the middle of the path). An absolute IRI stays as written.
        if (node->type == SERD_URI &&
            !hasScheme(std::string_view(reinterpret_cast<const char*>(node->buf), node->n_bytes)))
            out = removeDotSegments(out);
        if (out.empty()) {
            why = "empty IRI (a relative IRI such as <> needs a @base)";
            return false;
        }
        return true;
    }
    default:
        out.assign(reinterpret_cast<const char*>(node->buf), node->n_bytes);
        return true;
    }
}

SerdStatus onBase(void* handle, const SerdNode* uri)
{
    return serd_env_set_base_uri(static_cast<Context*>(handle)->env, uri);
}

SerdStatus onPrefix(void* handle, const SerdNode* name, const SerdNode* uri)
{
    return serd_env_set_prefix(static_cast<Context*>(handle)->env, name, uri);
}

SerdStatus onStatement(void* handle, SerdStatementFlags, const SerdNode*, const SerdNode* subject,
                       const SerdNode* predicate, const SerdNode* object, const SerdNode*,
                       const SerdNode* objectLang)
{
    auto& ctx = *static_cast<Context*>(handle);
    try {
        if ((++ctx.statements & 1023) == 0) {
            if (ctx.opts->cancel)
                ctx.opts->cancel->throwIfCancelled();
            if ((ctx.statements & 65535) == 0)
                ctx.sink->progress(ctx.src->position(), ctx.src->size(), ctx.statements);
        }
        std::string why;
        const bool ok = nodeKey(ctx, subject, ctx.s, why) && nodeKey(ctx, predicate, ctx.p, why) &&
                        nodeKey(ctx, object, ctx.o, why);
        if (ok && (io::findInvalidUtf8(ctx.s) != std::string_view::npos ||
                   io::findInvalidUtf8(ctx.p) != std::string_view::npos ||
                   io::findInvalidUtf8(ctx.o) != std::string_view::npos))
            why = "invalid UTF-8 in an IRI or literal";
        if (!why.empty()) {
            // Serd reports no position to the statement sink; the input's position (the end
            // of the statement) locates it.
            if (ctx.opts->policy == ErrorPolicy::AllOrNothing)
                throw Error(Errc::Parse, why, ctx.here());
            ctx.sink->skipped(ctx.here(), why);
            return SERD_SUCCESS;
        }
        if (object->type == SERD_LITERAL) {
            std::string_view lang;
            if (objectLang && objectLang->buf)
                lang = std::string_view(reinterpret_cast<const char*>(objectLang->buf),
                                        objectLang->n_bytes);
            ctx.sink->literal(ctx.s, ctx.p, ctx.o, lang);
        } else {
            ctx.sink->triple(ctx.s, ctx.p, ctx.o);
        }
        return SERD_SUCCESS;
    } catch (...) {
        if (!ctx.pending)
            ctx.pending = std::current_exception();
        return SERD_ERR_INTERNAL;
    }
}

SerdStatus onError(void* handle, const SerdError* error)
{
    auto& ctx = *static_cast<Context*>(handle);
    char msg[512];
    va_list args;
    va_copy(args, *error->args);
    vsnprintf(msg, sizeof msg, error->fmt, args);
    va_end(args);
    std::string reason(msg);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
        reason.pop_back();
    SourceLocation where{ctx.src->name(), error->line + ctx.lineOffset, error->col};
    if (where.column == 0 && ctx.input) // Serd gives no column for some errors: where it stopped
        where = ctx.here();
    ctx.errorLine = error->line ? error->line : 1;
    try {
        if (ctx.opts->policy == ErrorPolicy::AllOrNothing) {
            if (!ctx.pending)
                ctx.pending = std::make_exception_ptr(Error(Errc::Parse, reason, where));
        } else {
            ctx.sink->skipped(where, reason);
        }
    } catch (...) {
        if (!ctx.pending)
            ctx.pending = std::current_exception();
    }
    return SERD_SUCCESS;
}

using ReaderPtr = std::unique_ptr<SerdReader, SerdDeleter>;

// Serd 0.30's lax mode can loop forever at end of input inside an IRI, so the reader is
// always strict; skipping bad input is done here by restarting after each error.
ReaderPtr makeReader(Context& ctx, RdfSyntax syntax, const std::string& blankPrefix)
{
    ReaderPtr reader(serd_reader_new(syntax == RdfSyntax::Turtle ? SERD_TURTLE : SERD_NTRIPLES, &ctx,
                                     nullptr, onBase, onPrefix, onStatement, nullptr));
    serd_reader_set_error_sink(reader.get(), onError, &ctx);
    serd_reader_set_strict(reader.get(), true);
    const std::string prefix = blankPrefix + "_";
    serd_reader_add_blank_prefix(reader.get(), reinterpret_cast<const uint8_t*>(prefix.c_str()));
    return reader;
}

void rethrowPending(Context& ctx)
{
    if (ctx.pending)
        std::rethrow_exception(std::exchange(ctx.pending, nullptr));
}

// Feeds `src` (whose first line is line ctx.lineOffset + 1 of the file) to `reader` one byte
// at a time; returns Serd's status.
SerdStatus readAll(Context& ctx, SerdReader* reader, io::ByteSource& src)
{
    SerdInput input(src, ctx.lineOffset + 1);
    ctx.input = &input;
    const SerdStatus st = serd_reader_read_source(reader, readSource, sourceError, &ctx,
                                                  reinterpret_cast<const uint8_t*>(ctx.src->name().c_str()), 1);
    ctx.input = nullptr;
    return st;
}

// All-or-nothing: stream the source through one strict reader; the first error throws.
void parseStrict(Context& ctx, RdfSyntax syntax, const std::string& blankPrefix)
{
    ReaderPtr reader = makeReader(ctx, syntax, blankPrefix);
    const SerdStatus st = readAll(ctx, reader.get(), *ctx.src);
    rethrowPending(ctx);
    if (st > SERD_FAILURE)
        throw Error(Errc::Parse, std::string("RDF syntax error: ") +
                                     reinterpret_cast<const char*>(serd_strerror(st)),
                    SourceLocation{ctx.src->name()});
}

// Skip mode, N-Triples: statements never span lines, so each line is parsed on its own.
void parseNTriplesLines(Context& ctx, const std::string& blankPrefix)
{
    ReaderPtr reader = makeReader(ctx, RdfSyntax::NTriples, blankPrefix);
    io::LineReader lines(*ctx.src, ctx.opts->maxLineBytes);
    io::LineReader::Line line;
    std::string buf;
    while (lines.next(line)) {
        if (line.tooLong) {
            ctx.sink->skipped({ctx.src->name(), line.number, 0},
                              "line is longer than " + std::to_string(ctx.opts->maxLineBytes) + " bytes");
            continue;
        }
        buf.assign(line.text);
        buf += '\n';
        ctx.lineOffset = line.number - 1;
        io::MemorySource one(buf, ctx.src->name());
        readAll(ctx, reader.get(), one);
        rethrowPending(ctx); // cancellation or sink failures
    }
}

// Skip mode, Turtle: statements span lines, so the (decompressed) document is held in
// memory; after an error a fresh strict reader resumes at the next line. Prefixes live in
// ctx.env, so they survive the restart.
void parseTurtleRestarting(Context& ctx, const std::string& blankPrefix)
{
    std::string doc;
    char chunk[1 << 16];
    while (const size_t n = ctx.src->read(chunk, sizeof chunk))
        doc.append(chunk, n);
    if (doc.substr(0, 3) == "\xEF\xBB\xBF")
        doc.erase(0, 3);
    size_t offset = 0;
    ctx.lineOffset = 0;
    while (offset < doc.size()) {
        ctx.errorLine = 0;
        ReaderPtr reader = makeReader(ctx, RdfSyntax::Turtle, blankPrefix);
        io::MemorySource rest(std::string_view(doc).substr(offset), ctx.src->name());
        readAll(ctx, reader.get(), rest);
        rethrowPending(ctx);
        const unsigned resumeLine = ctx.errorLine;
        if (resumeLine == 0)
            break; // the rest parsed cleanly
        // Resume at the start of the line after the error.
        size_t pos = offset;
        for (unsigned l = 0; l < resumeLine && pos < doc.size(); ++l) {
            const size_t nl = doc.find('\n', pos);
            pos = nl == std::string::npos ? doc.size() : nl + 1;
        }
        ctx.lineOffset += resumeLine;
        offset = std::max(pos, offset + 1);
    }
}

} // namespace

void parseRdf(io::ByteSource& src, RdfSyntax syntax, ParseSink& sink, const ParseOptions& opts,
              const std::string& blankPrefix)
{
    std::unique_ptr<SerdEnv, SerdDeleter> env(serd_env_new(nullptr));
    // Turtle resolves relative IRIs against a base; N-Triples has only absolute ones.
    const std::string base = opts.baseIri.empty() ? fileBaseIri(src.name()) : opts.baseIri;
    if (syntax == RdfSyntax::Turtle && !base.empty()) {
        const SerdNode node = serd_node_from_string(SERD_URI, reinterpret_cast<const uint8_t*>(base.c_str()));
        serd_env_set_base_uri(env.get(), &node);
    }
    Context ctx{&src, &sink, &opts, env.get(), nullptr, 0, nullptr, 0, 0, {}, {}, {}};
    if (opts.policy == ErrorPolicy::AllOrNothing)
        parseStrict(ctx, syntax, blankPrefix);
    else if (syntax == RdfSyntax::NTriples)
        parseNTriplesLines(ctx, blankPrefix);
    else
        parseTurtleRestarting(ctx, blankPrefix);
    sink.progress(src.position(), src.size(), ctx.statements);
}

} // namespace kg::import
