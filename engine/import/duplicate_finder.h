// Finds the repeated triples of a bulk import (import/importer.cpp), whose unique index is
// dropped while rows go in: every triple is logged as four 32-bit numbers (16 bytes, half the
// memory of a hash set at a usable load), and repeats() sorts the log once at the end. The
// first occurrence wins: a triple already in the project, else the new one with the lowest id.
#pragma once

#include <cstdint>
#include <vector>

#include "core/huge_page_allocator.h"

namespace kg::import {

class DuplicateFinder {
public:
    // A hint: room for this many triples (address space only until used; ignored if refused).
    void reserve(size_t triples);
    // Entity and relation ids must be in [0, 2^32), and the log holds under 2^32 triples;
    // otherwise these throw InvalidArgument.
    // A triple the project holds already (it is never reported). All of them come before any addNew().
    void addExisting(int64_t h, int64_t r, int64_t t);
    // The next new triple. The k-th (from 0) is stored with id firstNewId + k (see repeats()).
    void addNew(int64_t h, int64_t r, int64_t t);
    size_t newCount() const { return rows_.size() - existing_; }
    // The ids of the new triples that repeat an earlier one, ascending. Sorts with up to two
    // threads; frees the log, after which the finder is empty.
    std::vector<int64_t> repeats(int64_t firstNewId);

private:
    struct Row {
        uint32_t h, r, t, n; // n: order of arrival, existing triples first
    };
    void append(int64_t h, int64_t r, int64_t t, const char* tooLarge);
    std::vector<Row, HugePageAllocator<Row>> rows_;
    size_t existing_ = 0; // rows from addExisting()
};

} // namespace kg::import
