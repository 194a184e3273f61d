#!/usr/bin/env bash
# Builds zmc and runs it on the example project (examples/blog), whose
# datasource is the embedded SQLite default: `zmc check` validates the schema
# and its imports, `zmc format --check` verifies its canonical layout, and
# `zmc build` writes the Prisma schema ZenStack would write
# (examples/blog/prisma/schema.prisma), which is then shown.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target zmc prisma

zmc="$PWD/build/cli/zmc"
cd examples/blog
set -x
"$zmc" check
"$zmc" format --check
"$zmc" format --check --schema zenstack/auth.zmodel
"$zmc" build
cat prisma/schema.prisma
