#include "import/triple_set.h"

namespace kg::import {

uint64_t TripleSet::hash(int32_t h, int32_t r, int32_t t)
{
    uint64_t x = (static_cast<uint64_t>(static_cast<uint32_t>(h)) << 32) ^
                 (static_cast<uint64_t>(static_cast<uint32_t>(r)) << 16) ^
                 static_cast<uint32_t>(t) * 0x9E3779B97F4A7C15ULL;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

void TripleSet::reserve(size_t n)
{
    size_t cap = 1024;
    while (cap * 7 < n * 10) // load factor <= 0.7
        cap *= 2;
    if (cap <= slots_.size())
        return;
    decltype(slots_) old;
    old.swap(slots_);
    slots_.assign(cap, Slot{});
    size_ = 0;
    for (const Slot& s : old)
        if (s.h >= 0)
            insert(s.h, s.r, s.t);
}

void TripleSet::grow() { reserve(slots_.empty() ? 512 : slots_.size() * 7 / 10 + 1); }

bool TripleSet::insert(int64_t h64, int64_t r64, int64_t t64)
{
    if (10 * (size_ + 1) > 7 * slots_.size())
        grow();
    const auto h = static_cast<int32_t>(h64), r = static_cast<int32_t>(r64),
               t = static_cast<int32_t>(t64);
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash(h, r, t) & mask;; i = (i + 1) & mask) {
        Slot& s = slots_[i];
        if (s.h < 0) {
            s = Slot{h, r, t};
            ++size_;
            return true;
        }
        if (s.h == h && s.r == r && s.t == t)
            return false;
    }
}

} // namespace kg::import
