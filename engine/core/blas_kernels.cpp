#include "core/blas_kernels.h"

#include <dlfcn.h>
#include <strings.h>
#include <unistd.h>

#include <cstdlib>

namespace kg {

const char* fasterBlasCore()
{
    if (std::getenv("OPENBLAS_CORETYPE") || std::getenv("KGWB_KEEP_BLAS"))
        return nullptr;
    // Present only when the BLAS in this process is OpenBLAS (Debian's alternatives may pick
    // the reference BLAS, which has no kernels to choose).
    using CoreName = char* (*)();
    const auto corename = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    if (!corename)
        return nullptr;
    const char* core = corename();
    if (!core || strcasecmp(core, "prescott") != 0)
        return nullptr;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return "Haswell";
    return nullptr;
}

void useFasterBlasKernels(char** argv)
{
    const char* core = fasterBlasCore();
    if (!core)
        return;
    setenv("OPENBLAS_CORETYPE", core, 1); // also stops a second re-exec
    execv("/proc/self/exe", argv);
}

} // namespace kg
