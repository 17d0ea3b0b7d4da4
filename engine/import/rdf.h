// N-Triples and Turtle through the Serd library. Subjects and IRI/blank objects become
// ParseSink::triple, literal objects ParseSink::literal. Prefixed names and relative IRIs are
// expanded to full IRIs; blank nodes get a per-source prefix so two files never share one.
// Turtle's relative IRIs resolve against ParseOptions::baseIri, by default the file's own
// file:// URI (RFC 3986 5.1.3), with dot segments removed. A raw NUL (valid inside a literal)
// reaches Serd as the escape \u0000. Every error names file:line:column.
// Serd always parses strictly. With ErrorPolicy::SkipBadLines, N-Triples are parsed line by
// line and Turtle is held in memory and re-parsed from the line after each error.
#pragma once

#include "import/parse_sink.h"
#include "io/byte_source.h"

namespace kg::import {

enum class RdfSyntax { NTriples, Turtle };

void parseRdf(io::ByteSource& src, RdfSyntax syntax, ParseSink& sink, const ParseOptions& opts,
              const std::string& blankPrefix = "b");

} // namespace kg::import
