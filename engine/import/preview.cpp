#include "import/preview.h"

#include "import/delimited.h"
#include "import/rdf.h"
#include "io/byte_source.h"

namespace kg::import {
namespace {

class PreviewSink : public ParseSink {
public:
    PreviewSink(FilePreview& out, size_t maxRows, CancelToken& stop)
        : out_(out)
        , max_(maxRows)
        , stop_(stop)
    {
    }
    void triple(std::string_view h, std::string_view r, std::string_view t) override
    {
        add({std::string(h), std::string(r), std::string(t)});
    }
    void literal(std::string_view s, std::string_view p, std::string_view v, std::string_view) override
    {
        ++out_.literals;
        (void)s, (void)p, (void)v;
    }
    void label(std::string_view k, std::string_view l, std::string_view d) override
    {
        add({std::string(k), std::string(l), std::string(d)});
    }
    void skipped(const SourceLocation&, const std::string&) override {}

private:
    void add(std::vector<std::string> row)
    {
        if (out_.rows.size() < max_)
            out_.rows.push_back(std::move(row));
        if (out_.rows.size() >= max_)
            stop_.cancel(); // the parser stops at the next line
    }
    FilePreview& out_;
    size_t max_;
    CancelToken& stop_;
};

} // namespace

FilePreview previewFile(const std::string& path, bool labelFile, size_t maxRows, const ParseOptions& options)
{
    FilePreview out;
    out.labels = labelFile;
    out.format = labelFile ? FileFormat::Delimited : detectFormat(path);
    CancelToken stop;
    ParseOptions opts = options;
    opts.cancel = &stop;
    PreviewSink sink(out, maxRows, stop);
    io::FileSource src(path); // throws Io
    try {
        if (labelFile)
            parseLabelFile(src, sink, opts);
        else if (out.format == FileFormat::Delimited)
            parseDelimitedTriples(src, sink, opts);
        else
            parseRdf(src, out.format == FileFormat::Turtle ? RdfSyntax::Turtle : RdfSyntax::NTriples, sink, opts);
    } catch (const Error& e) {
        if (e.code() != Errc::Cancelled)
            out.error = e;
    }
    return out;
}

} // namespace kg::import
