// Whole files in and out, for the small files the front ends read or write at once (configs,
// tokenizer models, checkpoints). Torch-free.
#pragma once

#include <string>

namespace kg::io {

// The file's bytes. Error(Io) "cannot read WHAT 'PATH': reason" when it cannot be opened.
std::string readWholeFile(const std::string& path, const std::string& what = "file");

// Writes `bytes` to PATH.tmp, fsyncs and renames it over `path`: a crash leaves the old file
// or the new one, never a mix. Error(Io) "cannot write WHAT 'PATH.tmp': ..." or "cannot finish
// WHAT 'PATH': ..." on failure, with PATH.tmp removed.
void writeFileAtomically(const std::string& path, const std::string& bytes, const std::string& what = "file");

} // namespace kg::io
