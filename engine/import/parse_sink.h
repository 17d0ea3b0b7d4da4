// Interface between the format parsers and whoever consumes their records (the importer,
// fuzz targets, tests). Parsers are pure: they touch no database.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/cancel.h"
#include "core/error.h"

namespace kg::import {

enum class ErrorPolicy {
    AllOrNothing, // the first bad line throws Error(Errc::Parse) and the import rolls back
    SkipBadLines, // bad lines are reported to ParseSink::skipped and parsing goes on
};

enum class HeaderMode { Auto, Present, Absent };

struct ParseOptions {
    ErrorPolicy policy = ErrorPolicy::AllOrNothing;
    size_t maxLineBytes = 16u << 20;
    char delimiter = 0;                // 0 = detect (TAB, ',', ';', '|')
    HeaderMode header = HeaderMode::Auto;
    const CancelToken* cancel = nullptr; // checked between lines
    std::string baseIri;               // RDF: base of relative IRIs ("" = the file's file:// URI)
};

class ParseSink {
public:
    virtual ~ParseSink() = default;
    // A triple whose object is an entity (TSV rows, RDF IRIs and blank nodes).
    virtual void triple(std::string_view head, std::string_view rel, std::string_view tail) = 0;
    // RDF statement whose object is a literal (labels, descriptions, attributes).
    virtual void literal(std::string_view subject, std::string_view predicate,
                         std::string_view value, std::string_view lang)
    {
        (void)subject, (void)predicate, (void)value, (void)lang;
    }
    // A row of a label file: key, label, optional description.
    virtual void label(std::string_view key, std::string_view label, std::string_view description)
    {
        (void)key, (void)label, (void)description;
    }
    // A bad line that was skipped (ErrorPolicy::SkipBadLines only).
    virtual void skipped(const SourceLocation& where, const std::string& reason) = 0;
    // Called every few thousand lines; may throw Error(Errc::Cancelled).
    virtual void progress(uint64_t bytesDone, uint64_t bytesTotal, uint64_t lines)
    {
        (void)bytesDone, (void)bytesTotal, (void)lines;
    }
};

} // namespace kg::import
