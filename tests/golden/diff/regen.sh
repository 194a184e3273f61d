#!/usr/bin/env bash
# regen.sh — Prisma's own SQL for each consecutive pair of steps/NN.zmodel:
# `prisma migrate diff --from-schema-datamodel A --to-schema-datamodel B
# --script` (stdout), per dialect, into steps/<dialect>/NN.sql (NN = the
# target step). Not run by the test suite: its output is committed.
#
#   ZMC=build/cli/zmc tests/golden/diff/regen.sh [PEERS_DIR]
#
# Needs the peers (../shared/tools/peers-setup.sh installs them from the
# npm registry) and, for PostgreSQL, a server: it starts one with
# tests/support/pg.sh (Prisma's wasm engine opens the database even here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
: "${ZMC:=$root/build/cli/zmc}"
peers=${1:-$root/build-bench/peers}
[[ -x $peers/bin/prisma6 ]] || "$root/../shared/tools/peers-setup.sh" "$peers"
source "$root/tests/support/pg.sh"
zm_pg_start
work=$(mktemp -d)
trap 'rm -rf "$work"; zm_pg_stop' EXIT
mkdir -p "$work/sqlite/prisma" "$work/postgresql"
cp "$peers/templates/prisma.config.sqlite.ts" "$work/sqlite/prisma.config.ts"
cp "$peers/templates/prisma.config.pg.ts" "$work/postgresql/prisma.config.ts"

# The Prisma schema of each step, per dialect.
for z in "$here"/steps/*.zmodel; do
  n=$(basename "$z" .zmodel)
  "$ZMC" build --schema "$z" --backend prisma --output "$work/$n.prisma" -q
  cp "$work/$n.prisma" "$work/sqlite/$n.prisma"
  sed -e 's/provider = "sqlite"/provider = "postgresql"/' \
      -e 's|url *= "file:./dev.db"|url      = env("DATABASE_URL")|' "$work/$n.prisma" >"$work/postgresql/$n.prisma"
done
for d in sqlite postgresql; do
  mkdir -p "$here/steps/$d"
  prev=
  for z in "$here"/steps/*.zmodel; do
    n=$(basename "$z" .zmodel)
    if [[ -n $prev ]]; then
      (cd "$work/$d" && "$peers/bin/prisma6" migrate diff --from-schema-datamodel "$prev.prisma" \
        --to-schema-datamodel "$n.prisma" --script 2>/dev/null) >"$here/steps/$d/$n.sql"
      echo "$d $n: $(wc -l <"$here/steps/$d/$n.sql") lines"
    fi
    prev=$n
  done
done
