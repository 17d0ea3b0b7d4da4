#include "store/run_lease.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

#include "core/error.h"

namespace kg {
namespace {

struct flock byteOf(int64_t run, short type)
{
    struct flock l {};
    l.l_type = type;
    l.l_whence = SEEK_SET;
    l.l_start = static_cast<off_t>(run);
    l.l_len = 1;
    l.l_pid = 0; // required for open-file-description locks
    return l;
}

} // namespace

RunLease::RunLease(const std::string& projectPath, int64_t run)
{
    const std::string path = lockPath(projectPath);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw Error(Errc::Io, "cannot open '" + path + "': " + std::strerror(errno));
    struct flock l = byteOf(run, F_WRLCK);
    if (::fcntl(fd_, F_OFD_SETLK, &l) != 0) {
        const int err = errno;
        ::close(fd_);
        fd_ = -1;
        throw Error(Errc::Io, "run " + std::to_string(run) + " is already training (" + std::strerror(err) + ")");
    }
}

RunLease::~RunLease()
{
    if (fd_ >= 0)
        ::close(fd_); // releases the lock
}

RunLease::RunLease(RunLease&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RunLease& RunLease::operator=(RunLease&& other) noexcept
{
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

bool RunLease::held(const std::string& projectPath, int64_t run)
{
    const int fd = ::open(lockPath(projectPath).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false; // no lock file: nobody has leased a run
    struct flock l = byteOf(run, F_WRLCK);
    const bool ok = ::fcntl(fd, F_OFD_GETLK, &l) == 0;
    ::close(fd);
    return ok && l.l_type != F_UNLCK;
}

} // namespace kg
