// OpenBLAS picks its kernels once, as it loads, from the CPU model. Debian 12's OpenBLAS
// (0.3.21) does not know some newer CPUs (a Sapphire Rapids Xeon here) and falls back to its
// Prescott (SSE3) kernels, so LibTorch's matrix products run far slower than the CPU allows
// (umls transformer training: 12.7 s with Prescott kernels, 7.0 s with SkylakeX ones).
#pragma once

namespace kg {

// The OpenBLAS core type to ask for instead of the loaded one, or nullptr: only when
// OPENBLAS_CORETYPE and KGWB_KEEP_BLAS are unset, the OpenBLAS in this process reports
// Prescott, and the CPU has AVX2 + FMA ("Haswell") or AVX-512 F/BW/DQ/VL ("SkylakeX").
const char* fasterBlasCore();

// Call first in main(): with a fasterBlasCore(), sets OPENBLAS_CORETYPE and re-executes the
// program (same pid, arguments and environment otherwise). Returns if there is nothing to
// do or the exec fails (the program then runs on with the kernels it has).
void useFasterBlasKernels(char** argv);

} // namespace kg
