// Flat string -> id map for the importer's entity/relation keys. A slot holds the key's hash,
// its id, its length and the key itself when it has at most 12 bytes (fb15k-237's "/m/0abc12",
// WordNet offsets, generated "/e/123456"), else the key's offset in one arena. A lookup of a
// short key costs one cache miss; callers that look up many keys at once compute the hashes
// first and prefetch() the slots, so those misses overlap instead of following each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/huge_page_allocator.h"

namespace kg::import {

class KeyIndex {
public:
    static uint64_t hashOf(std::string_view key);

    std::optional<int64_t> find(std::string_view key) const { return find(key, hashOf(key)); }
    // hash must be hashOf(key).
    std::optional<int64_t> find(std::string_view key, uint64_t hash) const;
    // Inserts a key that is not present yet. Ids are >= 0.
    void insert(std::string_view key, int64_t id) { insert(key, hashOf(key), id); }
    void insert(std::string_view key, uint64_t hash, int64_t id);
    // Starts loading the slot where a lookup of `hash` begins; a hint, no effect on results.
    void prefetch(uint64_t hash) const
    {
        if (!slots_.empty())
            __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
    }
    size_t size() const { return size_; }

private:
    static constexpr size_t kInline = 12;
    struct Slot {
        uint64_t hash = 0;
        int64_t id = -1; // -1: empty
        uint32_t length = 0;
        char key[kInline] = {}; // the key (length <= kInline) or its arena offset (8 bytes)
    };
    static_assert(sizeof(Slot) == 32, "two slots a cache line");
    bool matches(const Slot& s, std::string_view key, uint64_t hash) const;
    void grow();

    std::vector<Slot, HugePageAllocator<Slot>> slots_;
    std::vector<char, HugePageAllocator<char>> arena_; // keys longer than kInline, back to back
    size_t size_ = 0;
};

} // namespace kg::import
