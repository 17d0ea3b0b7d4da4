#include "io/byte_source.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <zlib.h>

#include "core/error.h"

namespace kg::io {

FileSource::FileSource(const std::string& path)
    : path_(path)
{
    struct stat sb {};
    if (::stat(path.c_str(), &sb) != 0)
        throw Error(Errc::Io, "cannot open '" + path + "': " + std::strerror(errno));
    if (S_ISDIR(sb.st_mode))
        throw Error(Errc::Io, "'" + path + "' is a directory, not a file");
    size_ = static_cast<uint64_t>(sb.st_size);
    {
        std::ifstream probe(path, std::ios::binary);
        unsigned char magic[2] = {0, 0};
        probe.read(reinterpret_cast<char*>(magic), 2);
        compressed_ = probe.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f)
        throw Error(Errc::Io, "cannot open '" + path + "': " + std::strerror(errno));
    gzbuffer(f, 1 << 18);
    gz_ = f;
}

FileSource::~FileSource()
{
    if (gz_)
        gzclose(static_cast<gzFile>(gz_));
}

size_t FileSource::read(char* buf, size_t n)
{
    auto* f = static_cast<gzFile>(gz_);
    const int got = gzread(f, buf, static_cast<unsigned>(n));
    if (got < 0) {
        int errnum = 0;
        const char* msg = gzerror(f, &errnum);
        throw Error(Errc::Io, "cannot read '" + path_ + "': " +
                                  (errnum == Z_ERRNO ? std::strerror(errno) : msg) +
                                  (compressed_ ? " (corrupt or truncated gzip data?)" : ""));
    }
    if (got == 0 && compressed_) {
        int errnum = 0;
        gzerror(f, &errnum);
        if (errnum != Z_OK && errnum != Z_BUF_ERROR)
            throw Error(Errc::Io, "cannot read '" + path_ + "': corrupt gzip data");
    }
    return static_cast<size_t>(got);
}

uint64_t FileSource::position() const
{
    const auto off = gzoffset(static_cast<gzFile>(gz_));
    return off < 0 ? 0 : static_cast<uint64_t>(off);
}

MemorySource::MemorySource(std::string_view data, std::string name)
    : data_(data)
    , name_(std::move(name))
{
}

size_t MemorySource::read(char* buf, size_t n)
{
    const size_t k = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
}

} // namespace kg::io
