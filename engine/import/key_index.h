// Flat string -> id map for the importer's entity/relation keys. Keys live in one arena and
// slots hold (hash, offset, length, id), so a lookup costs about one cache miss instead of
// the two or three of std::unordered_map<std::string, ...>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/huge_page_allocator.h"

namespace kg::import {

class KeyIndex {
public:
    std::optional<int64_t> find(std::string_view key) const;
    // Inserts a key that is not present yet.
    void insert(std::string_view key, int64_t id);
    size_t size() const { return size_; }

private:
    struct Slot {
        uint64_t hash = 0;
        uint64_t offset = 0;
        uint32_t length = 0;
        uint32_t used = 0;
        int64_t id = 0;
    };
    static uint64_t hashOf(std::string_view key);
    void grow();

    std::vector<Slot, HugePageAllocator<Slot>> slots_;
    std::vector<char, HugePageAllocator<char>> arena_; // the keys, back to back
    size_t size_ = 0;
};

} // namespace kg::import
