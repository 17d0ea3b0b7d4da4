// An allocator for large, randomly accessed tables (the importer's hash tables): blocks of
// 4 MiB and more are mapped directly and marked for transparent huge pages before they are
// touched, so a lookup costs one cache miss instead of a miss plus a page walk (the walks
// dominate on virtual machines). Smaller blocks come from operator new. Linux-only hints:
// where the kernel refuses them, the memory is ordinary.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>

namespace kg {

template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr size_t kDirect = size_t{4} << 20;

    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept
    {
    }

    T* allocate(size_t n)
    {
        const size_t bytes = n * sizeof(T);
        if (bytes < kDirect)
            return static_cast<T*>(::operator new(bytes));
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        madvise(p, bytes, MADV_HUGEPAGE);
#endif
        return static_cast<T*>(p);
    }

    void deallocate(T* p, size_t n) noexcept
    {
        const size_t bytes = n * sizeof(T);
        if (bytes < kDirect)
            ::operator delete(p);
        else
            munmap(p, bytes);
    }

    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept
    {
        return true;
    }
};

} // namespace kg
