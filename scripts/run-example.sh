#!/usr/bin/env bash
# Builds zmc and runs it on the example project (examples/blog), whose
# datasource is the embedded SQLite default (examples/blog/.env:
# zenstack/dev.db): `zmc check` validates the schema and its imports, `zmc
# format --check` verifies its canonical layout, `zmc build` writes the
# Prisma schema ZenStack would write (examples/blog/prisma/schema.prisma),
# then the migration workflow on the committed migrations
# (zenstack/migrations): `migrate reset --force` builds the development
# database from them, `migrate status` checks it, `migrate dev` finds the
# schema in sync, and `migrate deploy` finds nothing pending.
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
"$zmc" migrate reset --force
"$zmc" migrate status
"$zmc" migrate dev
"$zmc" migrate deploy
