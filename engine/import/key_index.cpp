#include "import/key_index.h"

#include <cstring>

namespace kg::import {

uint64_t KeyIndex::hashOf(std::string_view key)
{
    // 8 bytes at a time with a multiply-xorshift mix; good enough spread for identifiers.
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ key.size();
    const char* p = key.data();
    size_t n = key.size();
    while (n >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 32);
}

std::optional<int64_t> KeyIndex::find(std::string_view key) const
{
    if (slots_.empty())
        return std::nullopt;
    const uint64_t h = hashOf(key);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (!s.used)
            return std::nullopt;
        if (s.hash == h && s.length == key.size() &&
            std::memcmp(arena_.data() + s.offset, key.data(), key.size()) == 0)
            return s.id;
    }
}

void KeyIndex::grow()
{
    decltype(slots_) old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
        if (!s.used)
            continue;
        size_t i = s.hash & mask;
        while (slots_[i].used)
            i = (i + 1) & mask;
        slots_[i] = s;
    }
}

void KeyIndex::insert(std::string_view key, int64_t id)
{
    if (2 * (size_ + 1) > slots_.size())
        grow();
    const uint64_t h = hashOf(key);
    const size_t mask = slots_.size() - 1;
    size_t i = h & mask;
    while (slots_[i].used)
        i = (i + 1) & mask;
    slots_[i] = Slot{h, arena_.size(), static_cast<uint32_t>(key.size()), 1, id};
    arena_.insert(arena_.end(), key.begin(), key.end());
    ++size_;
}

} // namespace kg::import
