// Delimited text (TSV, CSV, ';' or '|' separated) with dialect and header detection.
// CSV quoting follows RFC 4180 ("a ""quoted"" field", delimiters and newlines inside quotes).
// TAB-separated files are read literally: quotes are ordinary characters there.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "import/parse_sink.h"
#include "io/byte_source.h"

namespace kg::import {

struct Dialect {
    char delimiter = '\t';
    bool quoted = false; // RFC 4180 quoting
    bool header = false;
};

// Picks the delimiter that splits every sample line into the same number of fields within
// [minFields, maxFields], preferring TAB; then decides whether the first line is a header.
Dialect sniffDialect(const std::vector<std::string>& sample, size_t minFields, size_t maxFields,
                     const ParseOptions& opts);

enum class SplitStatus { Ok, OpenQuote, Error };

struct SplitResult {
    SplitStatus status = SplitStatus::Ok;
    uint32_t column = 0; // 1-based byte column of the error
    std::string reason;
};

// Splits one record into fields. OpenQuote means a quoted field continues on the next line.
// Fields are views into `record` or, for unescaped quoted fields, into `scratch`; they stay
// valid until either is modified.
SplitResult splitRecord(std::string_view record, const Dialect& d,
                        std::vector<std::string_view>& out, std::string& scratch);

// Reads `head rel tail` rows and calls sink.triple for each.
void parseDelimitedTriples(io::ByteSource& src, ParseSink& sink, const ParseOptions& opts);

// Reads `key label [description]` rows and calls sink.label for each.
void parseLabelFile(io::ByteSource& src, ParseSink& sink, const ParseOptions& opts);

} // namespace kg::import
