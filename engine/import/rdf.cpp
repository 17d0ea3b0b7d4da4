#include "import/rdf.h"

#include <cstdarg>
#include <cstdio>
#include <exception>
#include <memory>
#include <serd/serd.h>

namespace kg::import {
namespace {

struct SerdDeleter {
    void operator()(SerdReader* r) const { serd_reader_free(r); }
    void operator()(SerdEnv* e) const { serd_env_free(e); }
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
    std::string s, p, o; // reused buffers
};

size_t readSource(void* buf, size_t size, size_t nmemb, void* stream)
{
    auto* ctx = static_cast<Context*>(stream);
    try {
        return ctx->src->read(static_cast<char*>(buf), size * nmemb) / (size ? size : 1);
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
        if (!nodeKey(ctx, subject, ctx.s, why) || !nodeKey(ctx, predicate, ctx.p, why) ||
            !nodeKey(ctx, object, ctx.o, why)) {
            // Serd reports no position to the statement sink; the statement count locates it.
            const std::string reason = why + " (statement " + std::to_string(ctx.statements) + ")";
            if (ctx.opts->policy == ErrorPolicy::AllOrNothing)
                throw Error(Errc::Parse, reason, SourceLocation{ctx.src->name()});
            ctx.sink->skipped(SourceLocation{ctx.src->name()}, reason);
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
    SourceLocation where{ctx.src->name(), error->line, error->col};
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

} // namespace

void parseRdf(io::ByteSource& src, RdfSyntax syntax, ParseSink& sink, const ParseOptions& opts,
              const std::string& blankPrefix)
{
    std::unique_ptr<SerdEnv, SerdDeleter> env(serd_env_new(nullptr));
    Context ctx{&src, &sink, &opts, env.get(), nullptr, 0, {}, {}, {}};
    std::unique_ptr<SerdReader, SerdDeleter> reader(
        serd_reader_new(syntax == RdfSyntax::Turtle ? SERD_TURTLE : SERD_NTRIPLES, &ctx, nullptr,
                        onBase, onPrefix, onStatement, nullptr));
    serd_reader_set_error_sink(reader.get(), onError, &ctx);
    // Strict parsing stops at the first error; lax parsing skips to the next statement.
    serd_reader_set_strict(reader.get(), opts.policy == ErrorPolicy::AllOrNothing);
    const std::string prefix = blankPrefix + "_";
    serd_reader_add_blank_prefix(reader.get(), reinterpret_cast<const uint8_t*>(prefix.c_str()));
    const SerdStatus st = serd_reader_read_source(
        reader.get(), readSource, sourceError, &ctx,
        reinterpret_cast<const uint8_t*>(src.name().c_str()), 4096);
    if (ctx.pending)
        std::rethrow_exception(ctx.pending);
    if (st > SERD_FAILURE && opts.policy == ErrorPolicy::AllOrNothing)
        throw Error(Errc::Parse, std::string("RDF syntax error: ") +
                                     reinterpret_cast<const char*>(serd_strerror(st)),
                    SourceLocation{src.name()});
    sink.progress(src.position(), src.size(), ctx.statements);
}

} // namespace kg::import
