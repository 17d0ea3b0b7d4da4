#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "args.h"

namespace kgcli {

int runInModelExecutable(const std::string& command, char** argv)
{
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    std::string helper;
    if (n > 0) {
        helper.assign(self, static_cast<size_t>(n));
        helper = helper.substr(0, helper.rfind('/') + 1) + kModelExecutable;
    }
    if (helper.empty() || access(helper.c_str(), X_OK) != 0) {
        std::fprintf(stderr, "kgwb %s: this kgwb was built without LibTorch (KGWB_WITH_TORCH=OFF): %s is missing\n",
                     command.c_str(), helper.empty() ? kModelExecutable : helper.c_str());
        return Failed;
    }
    execv(helper.c_str(), argv);
    std::fprintf(stderr, "kgwb %s: cannot run %s: %s\n", command.c_str(), helper.c_str(), std::strerror(errno));
    return Failed;
}

} // namespace kgcli
