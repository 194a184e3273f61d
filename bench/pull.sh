#!/usr/bin/env bash
# bench/pull.sh — `zmc db pull` against `prisma db pull` on a database of
# --models tables (default 1000), on SQLite and on PostgreSQL.
#
#   bench/pull.sh [--models 1000] [--runs 10] [--peer-runs 3] [--seed 1]
#                 [--dialects "sqlite postgresql"] [--no-peers] [--keep]
#                 [--no-install]
#
# The database: `zmc_gen_schema N SEED` (as bench/db_push.sh: every model with
# its fields, indexes, an enum and keys to others) pushed by `zmc db push`.
# Timed, wall clock, best (mean) of --runs (zmc) / --peer-runs (Prisma) after
# one warm-up, each tool printing the schema it reads (`db pull --print`,
# nothing written): zmc from a schema holding only the datasource, Prisma 6
# (wasm schema engine + driver adapter, ../shared/reference/peers.md) from
# the same. On PostgreSQL the server's own reading of its catalog,
# `pg_dump --schema-only`, is given beside them as a floor.
# Checked before the timing: zmc's pulled schema describes the database
# (`zmc migrate diff --from-schema pulled --to-url DB --exit-code` is 0).
#
# PostgreSQL: a throw-away server (tests/support/pg.sh), stopped at exit.
# Environment: BUILD_DIR (default <repo>/build-bench), PEERS_DIR (default
# $BUILD_DIR/peers), PEERS_SETUP, JOBS (default 2), PEER_TIMEOUT (default 900).
# Not part of CI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
PEERS_DIR="${PEERS_DIR:-$BUILD_DIR/peers}"
PEERS_SETUP="${PEERS_SETUP:-$ROOT/../shared/tools/peers-setup.sh}"
JOBS="${JOBS:-2}"
PEER_TIMEOUT="${PEER_TIMEOUT:-900}"
MODELS=1000 RUNS=10 PEER_RUNS=3 SEED=1 PEERS=1 KEEP=0 INSTALL=1
DIALECTS="sqlite postgresql"

# shellcheck source=lib.sh
BENCH=pull; source "$ROOT/bench/lib.sh"
while [ $# -gt 0 ]; do
  bench_option "$@"
  shift "$SHIFTS"
done
bench_check_options
bench_timing_tools

log "building zmc (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target zmc zmc_gen_schema prisma sql >/dev/null
ZMC="$BUILD_DIR/cli/zmc"
GEN="$BUILD_DIR/bench/zmc_gen_schema"
bench_workdir
if [ "$PEERS" = 1 ]; then
  if [ ! -x "$PEERS_DIR/bin/prisma6" ] || [ ! -f "$PEERS_DIR/templates/prisma.config.pg.ts" ]; then
    [ -f "$PEERS_SETUP" ] || die "$PEERS_SETUP not found: cannot install the peers"
    log "installing peers with $PEERS_SETUP into $PEERS_DIR (npm)"
    bash "$PEERS_SETUP" "$PEERS_DIR" >/dev/null
  fi
  PRISMA="$PEERS_DIR/bin/prisma6"
fi
bench_rev

declare -a ROWS=()
for d in $DIALECTS; do
  dir="$WORK/$d"; mkdir -p "$dir/gen" "$dir/zmc" "$dir/prisma/prisma"
  if [ "$d" = sqlite ]; then
    "$GEN" "$MODELS" "$SEED" --prisma-compatible >"$dir/gen/schema.zmodel"
    url="file:$dir/dev.db"
    sed -i "s|url *= *\"file:./dev.db\"|url = \"$url\"|" "$dir/gen/schema.zmodel"
    env=(env "SQLITE_URL=$url")
    [ "$PEERS" = 0 ] || cp "$PEERS_DIR/templates/prisma.config.sqlite.ts" "$dir/prisma/prisma.config.ts"
  else
    pg_start
    url="$ZM_PG_URL/bench_pull"
    "$PG_BIN/psql" -X -q -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -c 'CREATE DATABASE bench_pull'
    "$GEN" "$MODELS" "$SEED" --provider postgresql >"$dir/gen/schema.zmodel"
    env=(env "DATABASE_URL=$url")
    [ "$PEERS" = 0 ] || cp "$PEERS_DIR/templates/prisma.config.pg.ts" "$dir/prisma/prisma.config.ts"
  fi
  log "$d: pushing $MODELS models"
  run_checked "$dir/push.out" "zmc db push ($d)" "${env[@]}" "$ZMC" db push --zenstack 2 --schema "$dir/gen/schema.zmodel"

  printf 'datasource db {\n  provider = "%s"\n  url      = "%s"\n}\n' "$d" "$url" >"$dir/zmc/schema.zmodel"
  cp "$dir/zmc/schema.zmodel" "$dir/zmc/pulled.zmodel"
  run_checked "$dir/pull.out" "zmc db pull ($d)" "$ZMC" db pull --schema "$dir/zmc/pulled.zmodel"
  rc=0; "$ZMC" migrate diff --from-schema "$dir/zmc/pulled.zmodel" --to-url "$url" --exit-code >"$dir/check.out" 2>&1 || rc=$?
  [ "$rc" = 0 ] || die "$d: the pulled schema differs from the database: $(head -5 "$dir/check.out" | tr '\n' ' ')"
  models=$(grep -c '^model ' "$dir/zmc/pulled.zmodel")

  log "$d: timing zmc db pull (best of $RUNS)"
  read -r zb zm < <(best_of "$RUNS" "" "$ZMC" db pull --print --schema "$dir/zmc/schema.zmodel")
  zrss=$(peak_rss_kb "" "$ZMC" db pull --print --schema "$dir/zmc/schema.zmodel")
  floor="n/a"
  if [ "$d" = postgresql ]; then
    read -r fb fm < <(best_of "$RUNS" "" "$PG_BIN/pg_dump" --schema-only -d "$url" -f /dev/null)
    floor="$(ms "$fb") ($(ms "$fm"))"
  fi
  if [ "$PEERS" = 1 ]; then
    printf 'datasource db {\n  provider = "%s"\n  url      = "%s"\n}\n' "$d" "$url" >"$dir/prisma/prisma/schema.prisma"
    log "$d: timing prisma db pull (best of $PEER_RUNS)"
    (cd "$dir/prisma" && run_checked "$dir/prisma.out" "prisma db pull ($d)" "${env[@]}" timeout -k 10 "$PEER_TIMEOUT" \
      "$PRISMA" db pull --print)
    pmodels=$(grep -c '^model ' "$dir/prisma.out" || true)
    read -r pb pm < <(cd "$dir/prisma" && best_of "$PEER_RUNS" "" "${env[@]}" timeout -k 10 "$PEER_TIMEOUT" \
      "$PRISMA" db pull --print)
    ROWS+=("| $d | $models / $pmodels | $(ms "$zb") ($(ms "$zm")) | $(mib "$zrss") | $(ms "$pb") ($(ms "$pm")) | **$(ratio "$pb" "$zb")x** | $floor |")
  else
    ROWS+=("| $d | $models | $(ms "$zb") ($(ms "$zm")) | $(mib "$zrss") | | | $floor |")
  fi
done

echo "## zmc db pull on a database of $MODELS models, beside Prisma's db pull"
echo
echo "Commit $REV, $(nproc) CPUs${PG_VERSION:+, PostgreSQL $PG_VERSION (fsync off)}. Wall clock, best (mean) of $RUNS (zmc, pg_dump) / $PEER_RUNS (Prisma) after 1 warm-up; \`db pull --print\`."
echo
echo "| dialect | models zmc / Prisma | zmc ms | zmc MiB | Prisma ms | Prisma / zmc | pg_dump -s ms |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
