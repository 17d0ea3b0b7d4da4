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

bool KeyIndex::matches(const Slot& s, std::string_view key, uint64_t hash) const
{
    if (s.hash != hash || s.length != key.size())
        return false;
    if (key.size() <= kInline)
        return std::memcmp(s.key, key.data(), key.size()) == 0;
    uint64_t offset;
    std::memcpy(&offset, s.key, sizeof offset);
    return std::memcmp(arena_.data() + offset, key.data(), key.size()) == 0;
}

std::optional<int64_t> KeyIndex::find(std::string_view key, uint64_t hash) const
{
    if (slots_.empty())
        return std::nullopt;
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (s.id < 0)
            return std::nullopt;
        if (matches(s, key, hash))
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
        if (s.id < 0)
            continue;
        size_t i = s.hash & mask;
        while (slots_[i].id >= 0)
            i = (i + 1) & mask;
        slots_[i] = s;
    }
}

void KeyIndex::insert(std::string_view key, uint64_t hash, int64_t id)
{
    if (2 * (size_ + 1) > slots_.size())
        grow();
    const size_t mask = slots_.size() - 1;
    size_t i = hash & mask;
    while (slots_[i].id >= 0)
        i = (i + 1) & mask;
    Slot& s = slots_[i];
    s.hash = hash;
    s.id = id;
    s.length = static_cast<uint32_t>(key.size());
    if (key.size() <= kInline) {
        std::memcpy(s.key, key.data(), key.size());
    } else {
        const uint64_t offset = arena_.size();
        std::memcpy(s.key, &offset, sizeof offset);
        arena_.insert(arena_.end(), key.begin(), key.end());
    }
    ++size_;
}

} // namespace kg::import
