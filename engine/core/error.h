// Typed errors for the engine. Every failure the engine reports is a kg::Error with a code,
// a human-readable reason, and (where it applies) the file/line/column it came from.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace kg {

enum class Errc {
    Io,              // file missing, unreadable, disk full
    Parse,           // malformed input; where() names file, line and column
    Database,        // SQLite reported an error
    Schema,          // project file from a newer version or not a project at all
    Cancelled,       // the caller's CancelToken was triggered
    InvalidArgument, // bad option or API misuse
    NotFound,        // entity/relation/triple id that does not exist
    Conflict,        // uniqueness violated (e.g. duplicate entity key)
    Library,         // a dynamically loaded library (sentencepiece shim) failed
    Format,          // a binary file (checkpoint, model) whose header or shapes are wrong
};

const char* errcName(Errc code);

struct SourceLocation {
    std::string file;   // empty if not tied to a file
    uint64_t line = 0;  // 1-based, 0 = unknown
    uint32_t column = 0; // 1-based byte column, 0 = unknown
};

class Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& reason, SourceLocation where = {});

    Errc code() const noexcept { return code_; }
    const std::string& reason() const noexcept { return reason_; }
    const SourceLocation& where() const noexcept { return where_; }

private:
    Errc code_;
    std::string reason_;
    SourceLocation where_;
};

// "file:line:col: reason" with the parts that are known.
std::string formatLocation(const SourceLocation& where);

} // namespace kg
