#!/usr/bin/env bash
# Builds zmc and runs it on the example project (examples/blog), whose
# datasource is the embedded SQLite default: `zmc check` validates the schema
# and its imports, `zmc format --check` verifies its canonical layout.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target zmc

zmc="$PWD/build/cli/zmc"
cd examples/blog
set -x
"$zmc" check
"$zmc" format --check
"$zmc" format --check --schema zenstack/auth.zmodel
