#!/usr/bin/env bash
# bench/db_push.sh — `zmc db push` against `prisma db push --skip-generate`:
# the --models schema pushed into an empty database, then a no-op push on the
# result, on SQLite and on PostgreSQL.
#
#   bench/db_push.sh [--models 500] [--runs 10] [--peer-runs 3] [--seed 1]
#                    [--dialects "sqlite postgresql"] [--no-peers] [--keep]
#                    [--no-install]
#
# Inputs, as bench/sql.sh: `zmc_gen_schema N SEED --prisma-compatible` (SQLite:
# `url = "file:./dev.db"`) and `--provider postgresql` (`url = env("DATABASE_URL")`);
# Prisma 6 (wasm schema engine + driver adapter, ../shared/reference/peers.md)
# gets the schema.prisma zmc's `prisma` backend writes for the same schema, and
# the prisma.config.ts template of the peers install.
#
# For each dialect and each tool:
#   empty   the push into an empty database: before every run (warm-up included)
#           the database is reset outside the timing (hyperfine --prepare):
#           SQLite: the file is deleted (both tools create it); PostgreSQL: the
#           database is dropped and created again, empty (template0), so both
#           tools find an existing empty database.
#   no-op   the push again on the pushed database (nothing to do).
# Times are wall clock, best of --runs (zmc) / --peer-runs (Prisma) after one
# warm-up (Node start-up and the connection included for Prisma; the database
# work included for both). Ratio = Prisma best / zmc best; target: 50x.
#
# Equivalence (unless --no-peers), on one push of each tool into its own empty
# database before the timing:
#   - both pushes and both no-op pushes succeed, and the no-ops say "already in sync";
#   - `zmc migrate diff --from-url <zmc's db> --to-url <Prisma's db> --exit-code` is 0;
#   - the catalogs dumped by the database's own tool are identical
#     (SQLite: `sqlite3 DB .schema`; PostgreSQL: `pg_dump --schema-only`);
#   - Prisma's no-op push pointed at zmc's database says "already in sync"
#     (Prisma agrees that zmc's database matches the schema).
# Without peers, only zmc's own checks: the no-op says "already in sync" and
# `zmc migrate diff --from-url <db> --to-schema schema.zmodel --exit-code` is 0.
#
# PostgreSQL: a throw-away server from tests/support/pg.sh (initdb on a free
# loopback port, as a non-root user when run as root; fsync, synchronous_commit
# and full_page_writes off), stopped at exit. Both tools use databases of the
# same server.
#
# Environment: BUILD_DIR (default <repo>/build-bench), PEERS_DIR (default
# $BUILD_DIR/peers), PEERS_SETUP, JOBS (build jobs, default 2), PEER_TIMEOUT
# (seconds per Prisma run, default 900).
# Installs, as bench/sql.sh: the peers with ../shared/tools/peers-setup.sh (npm)
# when missing; as root and unless --no-install, the Debian packages hyperfine,
# time, sqlite3 and postgresql when missing.
# Not part of CI: about two minutes with the peers installed (Prisma is most of it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
PEERS_DIR="${PEERS_DIR:-$BUILD_DIR/peers}"
PEERS_SETUP="${PEERS_SETUP:-$ROOT/../shared/tools/peers-setup.sh}"
JOBS="${JOBS:-2}"
PEER_TIMEOUT="${PEER_TIMEOUT:-900}"

MODELS=500 RUNS=10 PEER_RUNS=3 SEED=1 PEERS=1 KEEP=0 INSTALL=1
DIALECTS="sqlite postgresql"

# shellcheck source=lib.sh
BENCH=db_push; source "$ROOT/bench/lib.sh"

while [ $# -gt 0 ]; do
  bench_option "$@"
  shift "$SHIFTS"
done
bench_check_options

# ---------------------------------------------------------------- tools
bench_timing_tools
case " $DIALECTS " in *" sqlite "*) command -v sqlite3 >/dev/null || apt_install sqlite3 || true ;; esac

# ---------------------------------------------------------------- build
log "building zmc (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target zmc zmc_gen_schema prisma sql >/dev/null
ZMC="$BUILD_DIR/cli/zmc"
GEN="$BUILD_DIR/bench/zmc_gen_schema"

bench_workdir

if [ "$PEERS" = 1 ]; then
  if [ ! -x "$PEERS_DIR/bin/prisma6" ] || [ ! -f "$PEERS_DIR/templates/prisma.config.pg.ts" ]; then
    [ -f "$PEERS_SETUP" ] || die "$PEERS_SETUP not found: cannot install the peers"
    command -v npm >/dev/null || die "npm not found: cannot install the peers"
    log "installing peers with $PEERS_SETUP into $PEERS_DIR (npm)"
    bash "$PEERS_SETUP" "$PEERS_DIR" >/dev/null
  fi
  PRISMA="$PEERS_DIR/bin/prisma6"
fi

bench_rev

# ---------------------------------------------------------------- per dialect
declare -a ROWS=() VERDICTS=() VERD2=() NOTES=()
PRISMA_VERSION=""
[ "$PEERS" = 0 ] || PRISMA_VERSION=$(node -p "require('$PEERS_DIR/prisma6/node_modules/prisma/package.json').version" 2>/dev/null || echo 6)

for d in $DIALECTS; do
  dir="$WORK/$d"; zdir="$dir/zmc"; pdir="$dir/prisma"
  mkdir -p "$zdir" "$pdir/prisma"
  if [ "$d" = sqlite ]; then
    "$GEN" "$MODELS" "$SEED" --prisma-compatible > "$zdir/schema.zmodel"
  else
    "$GEN" "$MODELS" "$SEED" --provider postgresql > "$zdir/schema.zmodel"
  fi
  "$ZMC" build -q --zenstack 2 --schema "$zdir/schema.zmodel" --backend prisma --output "$pdir/schema.prisma" \
    >/dev/null 2>"$dir/build.err" || { cat "$dir/build.err" >&2; die "zmc build --backend prisma failed"; }

  # The databases, their URLs for zmc migrate diff, and the reset scripts (--prepare).
  if [ "$d" = sqlite ]; then
    zdb="$zdir/dev.db"; pdb="$pdir/prisma/dev.db"        # schema: file:./dev.db; template: file:./prisma/dev.db
    zurl="file:$zdb"; purl="file:$pdb"
    printf 'rm -f %q %q-journal %q-wal %q-shm\n' "$zdb" "$zdb" "$zdb" "$zdb" > "$dir/reset-zmc.sh"
    printf 'rm -f %q %q-journal %q-wal %q-shm\n' "$pdb" "$pdb" "$pdb" "$pdb" > "$dir/reset-prisma.sh"
    zenv=() penv=(env "SQLITE_URL=file:./prisma/dev.db")
    pz_env=(env "SQLITE_URL=$zurl")                      # Prisma pointed at zmc's database
    [ "$PEERS" = 0 ] || cp "$PEERS_DIR/templates/prisma.config.sqlite.ts" "$pdir/prisma.config.ts"
  else
    pg_start
    zurl="$ZM_PG_URL/bench_zmc"; purl="$ZM_PG_URL/bench_prisma"
    for who in zmc prisma; do
      cat > "$dir/reset-$who.sh" <<EOF
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres \\
  -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS "bench_$who" WITH (FORCE)' -c 'CREATE DATABASE "bench_$who" TEMPLATE template0'
EOF
    done
    zenv=(env "DATABASE_URL=$zurl") penv=(env "DATABASE_URL=$purl") pz_env=(env "DATABASE_URL=$zurl")
    [ "$PEERS" = 0 ] || cp "$PEERS_DIR/templates/prisma.config.pg.ts" "$pdir/prisma.config.ts"
  fi
  zcmd=("${zenv[@]}" "$ZMC" db push --zenstack 2 --schema "$zdir/schema.zmodel")
  pcmd=("${penv[@]}" timeout -k 10 "$PEER_TIMEOUT" "${PRISMA:-prisma}" db push --skip-generate)  # run only with the peers

  # ---- correctness: one push and one no-op push of each, then compare
  log "$d: checking zmc db push"
  bash "$dir/reset-zmc.sh" >/dev/null
  run_checked "$dir/zmc.push.out" "zmc db push ($d, empty)" "${zcmd[@]}"
  run_checked "$dir/zmc.noop.out" "zmc db push ($d, no-op)" "${zcmd[@]}"
  grep -q 'already in sync' "$dir/zmc.noop.out" ||
    { NOTES+=("$d: zmc's second push was not a no-op: $(grep -v '^Datasource' "$dir/zmc.noop.out" | head -3 | tr '\n' ' ')"); }
  self=0; "$ZMC" migrate diff --zenstack 2 --from-url "$zurl" --to-schema "$zdir/schema.zmodel" --exit-code \
    >"$dir/zmc.self.out" 2>&1 || self=$?
  checks="zmc no-op $( grep -q 'already in sync' "$dir/zmc.noop.out" && echo ok || echo '**not a no-op**'); zmc diff db→schema exit $self"

  if [ "$PEERS" = 1 ]; then
    log "$d: checking prisma db push"
    bash "$dir/reset-prisma.sh" >/dev/null
    (cd "$pdir" && run_checked "$dir/prisma.push.out" "prisma db push ($d, empty)" "${pcmd[@]}")
    (cd "$pdir" && run_checked "$dir/prisma.noop.out" "prisma db push ($d, no-op)" "${pcmd[@]}")
    grep -q 'already in sync' "$dir/prisma.noop.out" ||
      NOTES+=("$d: Prisma's second push was not a no-op: $(grep -iv 'warning\|^$' "$dir/prisma.noop.out" | tail -3 | tr '\n' ' ')")
    xdiff=0; "$ZMC" migrate diff --from-url "$zurl" --to-url "$purl" --exit-code >"$dir/cross.out" 2>&1 || xdiff=$?
    [ "$xdiff" = 0 ] || { "$ZMC" migrate diff --from-url "$zurl" --to-url "$purl" --script >"$dir/cross.sql" 2>&1 || true
                          NOTES+=("$d: zmc migrate diff zmc-db → Prisma-db exit $xdiff; first lines: $(head -8 "$dir/cross.sql" | tr '\n' ' ')"); }
    if [ "$d" = sqlite ]; then
      sqlite3 "$zdb" .schema > "$dir/zmc.catalog" && sqlite3 "$pdb" .schema > "$dir/prisma.catalog"
      tool="sqlite3 .schema"
    else
      "$PG_BIN/pg_dump" --schema-only --no-owner -d "$zurl" | grep -v '^--\|^\\\(un\)\{0,1\}restrict ' > "$dir/zmc.catalog"
      "$PG_BIN/pg_dump" --schema-only --no-owner -d "$purl" | grep -v '^--\|^\\\(un\)\{0,1\}restrict ' > "$dir/prisma.catalog"
      tool="pg_dump -s"
    fi
    if cmp -s "$dir/zmc.catalog" "$dir/prisma.catalog"; then
      dump="identical ($(wc -l < "$dir/zmc.catalog") lines)"
    else
      dump="**differ** ($(diff "$dir/zmc.catalog" "$dir/prisma.catalog" | grep -c '^[<>]' || true) lines)"
      diff "$dir/zmc.catalog" "$dir/prisma.catalog" > "$dir/catalog.diff" || true
      NOTES+=("$d: $tool differs: $(head -6 "$dir/catalog.diff" | tr '\n' ' ')")
    fi
    pz=ok
    if ! (cd "$pdir" && run_checked "$dir/prisma-on-zmc.out" "prisma db push on zmc's database ($d)" \
          "${pz_env[@]}" timeout -k 10 "$PEER_TIMEOUT" "$PRISMA" db push --skip-generate); then pz=failed
    elif ! grep -q 'already in sync' "$dir/prisma-on-zmc.out"; then
      pz="**changes**"; NOTES+=("$d: Prisma's push on zmc's database was not a no-op: $(grep -iv 'warning\|^$' "$dir/prisma-on-zmc.out" | tail -3 | tr '\n' ' ')")
    fi
    checks="$checks; Prisma no-op $(grep -q 'already in sync' "$dir/prisma.noop.out" && echo ok || echo '**not a no-op**'); zmc diff zmc-db→Prisma-db exit $xdiff; $tool $dump; Prisma push on zmc's db: $( [ "$pz" = ok ] && echo in sync || echo "$pz")"
  fi
  VERDICTS+=("| $d | $checks |")

  # ---- timing
  log "$d: timing zmc (best of $RUNS)"
  read -r zeb zem < <(best_of "$RUNS" "$dir/reset-zmc.sh" "${zcmd[@]}")
  zrss=$(peak_rss_kb "$dir/reset-zmc.sh" "${zcmd[@]}")
  read -r znb znm < <(best_of "$RUNS" "" "${zcmd[@]}")
  if [ "$PEERS" = 1 ]; then
    log "$d: timing Prisma (best of $PEER_RUNS)"
    read -r peb pem < <(cd "$pdir" && best_of "$PEER_RUNS" "$dir/reset-prisma.sh" "${pcmd[@]}")
    prss=$(cd "$pdir" && peak_rss_kb "$dir/reset-prisma.sh" "${pcmd[@]}")
    read -r pnb pnm < <(cd "$pdir" && best_of "$PEER_RUNS" "" "${pcmd[@]}")
    re=$(ratio "$peb" "$zeb"); rn=$(ratio "$pnb" "$znb")
    ROWS+=("| $d | empty → pushed | $(ms "$zeb") ($(ms "$zem")) | $(mib "$zrss") | $(ms "$peb") ($(ms "$pem")) | $(mib "$prss") | **${re}x** |")
    ROWS+=("| $d | no-op | $(ms "$znb") ($(ms "$znm")) | | $(ms "$pnb") ($(ms "$pnm")) | | **${rn}x** |")
    for r in "empty:$re" "no-op:$rn"; do
      VERD2+=("$d ${r%%:*} ${r#*:}x $( [ "${r#*:}" != n/a ] && [ "${r#*:}" -ge 50 ] && echo met || echo 'NOT met')")
    done
  else
    ROWS+=("| $d | empty → pushed | $(ms "$zeb") ($(ms "$zem")) | $(mib "$zrss") | | | |")
    ROWS+=("| $d | no-op | $(ms "$znb") ($(ms "$znm")) | | | | |")
  fi
done

# ---------------------------------------------------------------- report
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
echo "## db push, $MODELS models: zmc$( [ "$PEERS" = 0 ] || echo " against \`prisma db push --skip-generate\` (Prisma $PRISMA_VERSION, wasm engine)")"
echo
echo "Commit $REV, seed $SEED, $(nproc) CPUs, load average at the end $load$( [ -z "$PG_VERSION" ] || echo ", PostgreSQL $PG_VERSION (fsync off)")."
echo "Wall clock; zmc best of $RUNS, Prisma best of $PEER_RUNS, each after 1 warm-up; *empty*: the database reset before every run, outside the timing."
echo
echo "| dialect | push | zmc best (mean) ms | zmc RSS (MiB) | Prisma best (mean) ms | Prisma RSS (MiB) | ratio |"
echo "|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
if [ "$PEERS" = 1 ]; then
  verdicts=$(printf '%s; ' "${VERD2[@]}")
  echo "Target: zmc at least 50x faster than Prisma (best against best): ${verdicts%; }."
  echo
fi
echo "| dialect | equivalence checks |"
echo "|---|---|"
printf '%s\n' "${VERDICTS[@]}"
if [ "${#NOTES[@]}" -gt 0 ]; then
  echo; echo "Notes:"; printf -- '- %s\n' "${NOTES[@]}"
fi
