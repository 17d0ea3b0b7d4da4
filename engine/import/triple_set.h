// Compact open-addressing set of (head, rel, tail) id triples, for duplicate detection
// during bulk imports when the unique index is dropped. 12 bytes a slot, load <= 0.7 (20M triples: 400 MB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/huge_page_allocator.h"

namespace kg::import {

class TripleSet {
public:
    // Ids must be in [0, 2^31); callers check fits() first.
    static bool fits(int64_t h, int64_t r, int64_t t)
    {
        return h >= 0 && r >= 0 && t >= 0 && h < (1LL << 31) && r < (1LL << 31) && t < (1LL << 31);
    }
    void reserve(size_t n);
    // Returns true if the triple was not yet present.
    bool insert(int64_t h, int64_t r, int64_t t);
    size_t size() const { return size_; }

private:
    struct Slot {
        int32_t h = -1, r = 0, t = 0;
    };
    static uint64_t hash(int32_t h, int32_t r, int32_t t);
    void grow();

    std::vector<Slot, HugePageAllocator<Slot>> slots_;
    size_t size_ = 0;
};

} // namespace kg::import
