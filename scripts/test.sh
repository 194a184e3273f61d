#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this and nothing else).
#
# 1. A release build: unit, corpus, end-to-end and valgrind tests.
# 2. The same suite built with AddressSanitizer + UndefinedBehaviorSanitizer.
# CTest's summary of the sanitizer run is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --tests
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZM_BUILD_TESTS=ON -DZM_SANITIZE=OFF
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DZM_BUILD_TESTS=ON -DZM_SANITIZE=ON
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"
