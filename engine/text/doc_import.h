// Reading documents into the project: plain text, Markdown and HTML (tags stripped), each
// optionally gzipped, split into sentences. Torch-free.
//
// A file is refused with a reason naming it (and the line, for bad encoding): binary data,
// text that is not UTF-8, more than DocImportOptions::maxBytes, or no sentence at all. One
// refused file refuses the whole import and nothing is written; the accepted documents are
// added in one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancel.h"
#include "store/doc_store.h"

namespace kg::text {

// "html" for .html/.htm/.xhtml, "markdown" for .md/.markdown, else "text" (".gz" ignored).
std::string formatFromName(const std::string& path);

// Text of an HTML page: script, style and comments dropped, block elements end paragraphs
// (a blank line), the other tags removed, character references decoded.
std::string stripHtml(std::string_view html);
// Text of Markdown: heading marks, emphasis, code fences' markers, link targets and images
// removed; headings and list items become paragraphs of their own.
std::string stripMarkdown(std::string_view markdown);
// Sentences of plain text: paragraphs (blank lines) are never joined; within one, a sentence
// ends at . ! or ? followed by a space and a capital, digit or quote, except after common
// abbreviations and initials ("Dr.", "e.g.", "J."). Whitespace is collapsed; sentences
// longer than 2,000 bytes are cut at a space.
std::vector<std::string> splitSentences(std::string_view text);

struct DocImportOptions {
    uint64_t maxBytes = 64ull << 20; // per document, after decompression
};

// One document from `bytes` (already decompressed) named `name`. Throws Error(Parse) with
// the reason and where() = name (and the line, for bad encoding).
NewDocument parseDocument(std::string_view bytes, const std::string& name, const std::string& format,
                          const DocImportOptions& options = {});
// One file (plain or gzip, told by its magic bytes). Throws Error(Parse|Io).
NewDocument readDocument(const std::string& path, const DocImportOptions& options = {});

struct DocImportReport {
    int64_t documents = 0, sentences = 0, bytes = 0;
    double seconds = 0;
};

// Reads every file, then adds them all in one transaction. Any refused file: Error(Parse)
// listing each refused file on its own line, nothing written. progress(done, total) after
// each file; Error(Cancelled) when `cancel` fires (nothing written).
DocImportReport importDocuments(const std::string& projectPath, const std::vector<std::string>& files,
                                const DocImportOptions& options = {},
                                const std::function<void(size_t, size_t)>& progress = {},
                                const CancelToken* cancel = nullptr);
// Every entity description not yet a document becomes one (about its entity). Returns the
// documents added.
int64_t importDescriptions(const std::string& projectPath);

} // namespace kg::text
