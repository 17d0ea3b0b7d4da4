// A quick look at the first records of a file, as the importer would read them: for the
// import wizard's preview. Reads only as far as needed (stops after maxRows records).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "import/importer.h"

namespace kg::import {

struct FilePreview {
    FileFormat format = FileFormat::Delimited;
    bool labels = false;
    std::vector<std::vector<std::string>> rows; // triples: h, r, t; labels: key, label, description
    uint64_t literals = 0;                      // RDF literal statements seen (labels etc.)
    std::optional<Error> error;                 // first problem, with file and line
};

// Never throws for bad content (it lands in `error`); throws Error(Io) if unreadable.
FilePreview previewFile(const std::string& path, bool labelFile, size_t maxRows = 20,
                        const ParseOptions& options = {});

} // namespace kg::import
