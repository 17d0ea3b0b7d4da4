#!/usr/bin/env bash
# Builds everything (GUI, CLI, tests) with AddressSanitizer + UndefinedBehaviorSanitizer and runs
# the whole CTest suite under them. Any ASan or UBSan finding aborts its test, so a green run is
# a clean one. Leak detection is on; installer/lsan.supp names the only leaks it ignores (one-time
# allocations inside system libraries, never our code). Not part of CI (about an hour on 2 cores).
# Usage: installer/sanitize.sh [BUILD_DIR] [extra ctest args, e.g. -R tst_kge]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${1:-build-sanitize}
shift || true
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKGWB_SANITIZE=ON
cmake --build "$BUILD_DIR" -j"$(nproc)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$ROOT/installer/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# Sanitized code runs 2-5x slower: give every test that much more time.
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)" --timeout 3000 "$@"
