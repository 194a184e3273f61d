#!/usr/bin/env bash
# bench/lint.sh — `zmc migrate lint` on a 100-migration history, beside
# squawk (npm squawk-cli) on the same PostgreSQL files.
#
#   bench/lint.sh [--migrations 100] [--runs 10] [--dialects "sqlite postgresql"]
#                 [--keep] [--no-install]
#
# The history is bench/migrate.sh's deploy chain: migration K adds model MK
# with an index and a foreign key to M(K-1) (`zmc migrate diff` between the
# schemas with K-1 and K models). Timed, best of --runs after one warm-up:
#   zmc lint      zmc migrate lint (every migration: the history replayed once
#                 in the shadow, each migration diffed against the one before,
#                 and on PostgreSQL each statement parsed)
#   zmc --latest  zmc migrate lint --latest 1 (a CI job linting the new one;
#                 the history is still replayed, to know what exists)
#   squawk        squawk on the same migration.sql files (PostgreSQL only: it
#                 parses each statement, no database, no history)
# PostgreSQL: a throw-away server (tests/support/pg.sh); zmc's shadow is a
# temporary database on it. squawk is installed from the npm registry into
# $BUILD_DIR/squawk. Not part of CI.
#
# Environment: BUILD_DIR (default <repo>/build-bench), JOBS (default 2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
JOBS="${JOBS:-2}"
MIGRATIONS=100 RUNS=10 KEEP=0 INSTALL=1 PEER_TIMEOUT=900
MODELS=1 PEER_RUNS=1 SEED=1 PEERS=1
DIALECTS="sqlite postgresql"
SQUAWK_VERSION=2.66.0

# shellcheck source=lib.sh
BENCH=lint; source "$ROOT/bench/lib.sh"
while [ $# -gt 0 ]; do
  case "$1" in
    --migrations) MIGRATIONS="$2"; SHIFTS=2 ;;
    *) bench_option "$@" ;;
  esac
  shift "$SHIFTS"
done
bench_check_options MIGRATIONS RUNS
bench_timing_tools

log "building zmc (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target zmc prisma sql >/dev/null
ZMC="$BUILD_DIR/cli/zmc"
bench_workdir
bench_rev

SQUAWK="$BUILD_DIR/squawk/node_modules/.bin/squawk"
case " $DIALECTS " in *" postgresql "*)
  if [ ! -x "$SQUAWK" ]; then
    command -v npm >/dev/null || die "npm not found: cannot install squawk"
    log "installing squawk-cli@$SQUAWK_VERSION into $BUILD_DIR/squawk (npm)"
    mkdir -p "$BUILD_DIR/squawk"
    (cd "$BUILD_DIR/squawk" && npm install --no-audit --no-fund --save-exact "squawk-cli@$SQUAWK_VERSION" >/dev/null 2>&1) ||
      die "npm could not install squawk-cli"
  fi ;;
esac

chain_schema() { # k provider
  awk -v k="$1" -v p="$2" 'BEGIN {
    if (p == "sqlite") printf "datasource db {\n  provider = \"sqlite\"\n  url      = \"file:./dev.db\"\n}\n"
    else printf "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n"
    for (i = 1; i <= k; i++) {
      printf "\nmodel M%d {\n  id        Int      @id @default(autoincrement())\n  name      String\n  createdAt DateTime @default(now())\n", i
      if (i > 1) printf "  prevId    Int?\n  prev      M%d?     @relation(fields: [prevId], references: [id])\n", i - 1
      if (i < k) printf "  next      M%d[]\n", i + 1
      printf "\n  @@index([name])\n}\n"
    }
  }'
}

ROWS=()
for d in $DIALECTS; do
  p="$WORK/$d"; g="$WORK/$d-gen"; mkdir -p "$p/migrations" "$g"
  if [ "$d" = postgresql ]; then
    pg_start
    export DATABASE_URL="$ZM_PG_URL/bench_lint"
    "$PG_BIN/psql" -X -q -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -c 'CREATE DATABASE bench_lint'
  fi
  log "$d: writing $MIGRATIONS migrations (zmc migrate diff)"
  chain_schema 0 "$d" >"$g/s0.zmodel"
  for ((k = 1; k <= MIGRATIONS; k++)); do
    chain_schema "$k" "$d" >"$g/s$k.zmodel"
    f="$p/migrations/$(printf '20250101%02d%02d%02d_m%03d' $((k / 3600)) $((k / 60 % 60)) $((k % 60)) "$k")"
    mkdir -p "$f"
    "$ZMC" migrate diff --from-schema "$g/s$((k - 1)).zmodel" --to-schema "$g/s$k.zmodel" --script -o "$f/migration.sql" \
      2>"$g/diff.err" || { cat "$g/diff.err" >&2; die "zmc migrate diff failed for migration $k ($d)"; }
  done
  cp "$g/s$MIGRATIONS.zmodel" "$p/schema.zmodel"
  rm -rf "$g"
  cd "$p"
  "$ZMC" migrate lint --json >"$p/lint.json" 2>"$p/lint.err" || true
  found=$(jq -r '"\(.migrations) migrations, \(.errors) errors, \(.warnings) warnings"' "$p/lint.json" 2>/dev/null ||
    echo "failed: $(tail -1 "$p/lint.err")")
  log "$d: zmc migrate lint: $found"
  read -r best mean < <(best_of "$RUNS" "" "$ZMC" migrate lint)
  read -r lbest lmean < <(best_of "$RUNS" "" "$ZMC" migrate lint --latest 1)
  row="| $d | $MIGRATIONS | $(ms "$best") ($(ms "$mean")) | $(ms "$lbest") ($(ms "$lmean")) |"
  if [ "$d" = postgresql ]; then
    files=("$p"/migrations/*/migration.sql)
    sq=$("$SQUAWK" --reporter json "${files[@]}" 2>/dev/null | jq 'length' 2>/dev/null) || true
    log "$d: squawk: $sq findings (every rule, style included)"
    # squawk exits 1 when it finds something: a wrapper (one /bin/sh more) keeps the timing going
    printf '#!/bin/sh\n%q "$@" >/dev/null 2>&1\nexit 0\n' "$SQUAWK" >"$WORK/squawk.sh"
    read -r sbest smean < <(best_of "$RUNS" "" sh "$WORK/squawk.sh" "${files[@]}")
    row="$row $(ms "$sbest") ($(ms "$smean")) |"
  else
    row="$row n/a (PostgreSQL only) |"
  fi
  ROWS+=("$row")
  cd "$ROOT"
done

echo "## zmc migrate lint on $MIGRATIONS migrations, beside squawk $SQUAWK_VERSION"
echo
echo "Commit $REV, $(nproc) CPUs${PG_VERSION:+, PostgreSQL $PG_VERSION (fsync off)}. Wall clock, best (mean) of $RUNS after 1 warm-up."
echo
echo "| dialect | migrations | zmc migrate lint ms | zmc lint --latest 1 ms | squawk ms |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
