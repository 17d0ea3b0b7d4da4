// Sequential byte sources for the parsers: a file (plain or gzip, detected from its magic
// bytes, not its name) or a memory buffer (tests and fuzzers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kg::io {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to n bytes; returns 0 at end of input. Throws Error(Errc::Io) on failure.
    virtual size_t read(char* buf, size_t n) = 0;
    // Bytes of the underlying file consumed so far (compressed bytes for gzip), for progress.
    virtual uint64_t position() const = 0;
    // Size of the underlying file, 0 if unknown.
    virtual uint64_t size() const = 0;
    virtual const std::string& name() const = 0;
};

class FileSource final : public ByteSource {
public:
    explicit FileSource(const std::string& path); // throws Error(Errc::Io)
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    size_t read(char* buf, size_t n) override;
    uint64_t position() const override;
    uint64_t size() const override { return size_; }
    const std::string& name() const override { return path_; }
    bool compressed() const { return compressed_; }

private:
    std::string path_;
    void* gz_ = nullptr; // gzFile; zlib reads plain files transparently
    uint64_t size_ = 0;
    bool compressed_ = false;
};

class MemorySource final : public ByteSource {
public:
    MemorySource(std::string_view data, std::string name);
    size_t read(char* buf, size_t n) override;
    uint64_t position() const override { return pos_; }
    uint64_t size() const override { return data_.size(); }
    const std::string& name() const override { return name_; }

private:
    std::string_view data_;
    std::string name_;
    size_t pos_ = 0;
};

} // namespace kg::io
