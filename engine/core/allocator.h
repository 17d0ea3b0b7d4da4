// glibc's malloc hands a large freed block back to the kernel (trim, or munmap above the mmap
// threshold), so a loop that allocates and frees the same tensors every step pays page faults
// and zeroed pages each time: 14% of a fb15k-237 ComplEx training step in `perf`.
#pragma once

namespace kg {

// Process-wide and idempotent: blocks up to 32 MiB (glibc's largest mmap threshold) come from
// the heap, and up to 1 GiB of freed memory at its top stays for reuse instead of being
// trimmed. Called by the training epoch loop (evaluation showed no gain). A no-op
// without glibc.
void keepFreedMemoryForReuse();

} // namespace kg
