#include "import/duplicate_finder.h"

#include <algorithm>
#include <new>
#include <stdexcept>
#include <thread>

#include "core/error.h"

namespace kg::import {

namespace {

constexpr uint64_t kMaxRows = uint64_t{1} << 32;

} // namespace

void DuplicateFinder::reserve(size_t triples)
{
    try {
        rows_.reserve(triples);
    } catch (const std::bad_alloc&) { // an over-large guess on a small machine: grow as needed
    } catch (const std::length_error&) {
    }
}

void DuplicateFinder::append(int64_t h, int64_t r, int64_t t, const char* tooLarge)
{
    constexpr int64_t kLimit = int64_t{1} << 32;
    const bool fits = h >= 0 && r >= 0 && t >= 0 && h < kLimit && r < kLimit && t < kLimit;
    if (!fits || rows_.size() >= kMaxRows)
        throw Error(Errc::InvalidArgument, tooLarge);
    rows_.push_back({static_cast<uint32_t>(h), static_cast<uint32_t>(r), static_cast<uint32_t>(t),
                     static_cast<uint32_t>(rows_.size())});
}

void DuplicateFinder::addExisting(int64_t h, int64_t r, int64_t t)
{
    append(h, r, t, "project too large for a bulk import (ids beyond 2^32)");
    ++existing_;
}

void DuplicateFinder::addNew(int64_t h, int64_t r, int64_t t)
{
    append(h, r, t, "import too large for one bulk import (ids beyond 2^32); import in parts");
}

std::vector<int64_t> DuplicateFinder::repeats(int64_t firstNewId)
{
    const auto less = [](const Row& a, const Row& b) {
        const uint64_t ka = (uint64_t{a.h} << 32) | a.r, kb = (uint64_t{b.h} << 32) | b.r;
        if (ka != kb)
            return ka < kb;
        return ((uint64_t{a.t} << 32) | a.n) < ((uint64_t{b.t} << 32) | b.n);
    };
    // Split by head around the middle of the head range, then sort the parts side by side:
    // equal triples land in the same part whatever the split.
    auto [lo, hi] = std::minmax_element(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) { return a.h < b.h; });
    const auto mid = rows_.empty() ? rows_.end()
                                   : std::partition(rows_.begin(), rows_.end(), [pivot = lo->h + (hi->h - lo->h) / 2](const Row& x) {
                                         return x.h <= pivot;
                                     });
    if (std::thread::hardware_concurrency() > 1 && rows_.size() > (1u << 16)) {
        std::thread other([&] { std::sort(rows_.begin(), mid, less); });
        std::sort(mid, rows_.end(), less);
        other.join();
    } else {
        std::sort(rows_.begin(), mid, less);
        std::sort(mid, rows_.end(), less);
    }
    std::vector<int64_t> out;
    for (size_t i = 1; i < rows_.size(); ++i) {
        const Row& a = rows_[i - 1];
        const Row& b = rows_[i];
        // b arrived after a (ties sort by n); the project's own triples are distinct already.
        if (a.h == b.h && a.r == b.r && a.t == b.t && b.n >= existing_)
            out.push_back(firstNewId + static_cast<int64_t>(b.n - existing_));
    }
    std::sort(out.begin(), out.end());
    decltype(rows_)().swap(rows_);
    existing_ = 0;
    return out;
}

} // namespace kg::import
