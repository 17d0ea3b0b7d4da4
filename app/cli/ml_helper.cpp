#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
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
    // libgomp reads its wait policy once, as it loads. Its default spins up to 300,000 times
    // before a thread sleeps, so ATen's OpenMP threads keep both cores busy while OpenBLAS's
    // own threads run the GEMMs. A shorter spin, set here where it costs no re-exec: fb15k-237
    // ComplEx d200 on 2 cores, shared negatives 17,200 -> 22,200 triples/s, 1-vs-all 1,050-1,120
    // -> 1,210; the umls transformer unchanged (OMP_WAIT_POLICY=PASSIVE cost it 5%).
    if (!std::getenv("OMP_WAIT_POLICY") && !std::getenv("GOMP_SPINCOUNT"))
        setenv("GOMP_SPINCOUNT", "10000", 1);
    execv(helper.c_str(), argv);
    std::fprintf(stderr, "kgwb %s: cannot run %s: %s\n", command.c_str(), helper.c_str(), std::strerror(errno));
    return Failed;
}

} // namespace kgcli
