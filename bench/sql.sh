#!/usr/bin/env bash
# bench/sql.sh — `zmc build --backend sql` (the DDL that creates the database)
# on big schemas, and against `prisma migrate diff --from-empty` on the same schema.
#
#   bench/sql.sh [--models 10000] [--peer-models 500] [--runs 10] [--peer-runs 3]
#                [--seed 1] [--dialects "sqlite postgresql"] [--no-peers] [--keep]
#                [--no-install]
#
# 1. DDL generation: for each dialect, generates the --models schema with
#    bench/gen_schema.c (sqlite: `--prisma-compatible`, which leaves out the
#    @db.VarChar Prisma rejects on SQLite; postgresql: `--provider postgresql`),
#    and times `zmc build --zenstack 2 --backend sql` on it, best of --runs after
#    one warm-up. Reports the time, the DDL written (MB/s = DDL bytes / best
#    time), the input, peak RSS (/usr/bin/time -v) and, for scale, `zmc check`
#    alone on the same schema.
# 2. Against Prisma (unless --no-peers): on the --peer-models schema, zmc's
#    `prisma` backend writes schema.prisma and `sql` writes schema.sql; Prisma 6
#    gets that schema.prisma:
#        prisma6 migrate diff --from-empty --to-schema-datamodel schema.prisma --script
#    (wasm schema engine + driver adapter, see ../shared/reference/peers.md; with
#    an adapter even --from-empty opens the database: SQLite a throwaway file,
#    PostgreSQL a throwaway server this script starts with initdb/pg_ctl on a
#    free loopback port, as user `nobody` when run as root, and stops at exit).
#    Reports both times (best of --runs / --peer-runs after a warm-up run, whose
#    output is the one compared), the ratio (target: at least 100x) and whether
#    the two DDL scripts are byte-identical (else the size of the diff).
#
# Environment: BUILD_DIR (default <repo>/build-bench), PEERS_DIR (default
# $BUILD_DIR/peers), PEERS_SETUP, PG_BIN (PostgreSQL's bin dir; default: found
# under /usr/lib/postgresql), JOBS (build jobs, default 2), PEER_TIMEOUT
# (seconds per Prisma run, default 900).
#
# Installs, as build.sh and run.sh do: the peers with ../shared/tools/peers-setup.sh
# (npm only) into PEERS_DIR when missing; as root and unless --no-install, the
# Debian packages hyperfine, time and (for the PostgreSQL comparison)
# postgresql. Without hyperfine, timing is a bash loop over `date +%s%N`.
# Not part of CI: about a minute and a half with the peers installed (Prisma is most of it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
PEERS_DIR="${PEERS_DIR:-$BUILD_DIR/peers}"
PEERS_SETUP="${PEERS_SETUP:-$ROOT/../shared/tools/peers-setup.sh}"
JOBS="${JOBS:-2}"
PEER_TIMEOUT="${PEER_TIMEOUT:-900}"

MODELS=10000 PEER_MODELS=500 RUNS=10 PEER_RUNS=3 SEED=1 PEERS=1 KEEP=0 INSTALL=1
DIALECTS="sqlite postgresql"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS="$2"; shift ;;
    --peer-models) PEER_MODELS="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    --peer-runs) PEER_RUNS="$2"; shift ;;
    --seed) SEED="$2"; shift ;;
    --dialects) DIALECTS="$2"; shift ;;
    --no-peers) PEERS=0 ;;
    --keep) KEEP=1 ;;
    --no-install) INSTALL=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "sql.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for d in $DIALECTS; do
  case "$d" in sqlite|postgresql) ;; *) echo "sql.sh: unknown dialect '$d' (sqlite, postgresql)" >&2; exit 2 ;; esac
done

log() { echo ">> $*" >&2; }

# ---------------------------------------------------------------- tools
# Only Debian packages, only as root, only when allowed.
apt_install() { # package
  [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  log "apt-get install -y $1"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >/dev/null 2>&1; }
}
command -v hyperfine >/dev/null || apt_install hyperfine || true
[ -x /usr/bin/time ] || apt_install time || true
HAVE_HYPERFINE=0; command -v hyperfine >/dev/null && HAVE_HYPERFINE=1
HAVE_TIME=0; [ -x /usr/bin/time ] && HAVE_TIME=1
[ "$HAVE_HYPERFINE" = 1 ] || log "hyperfine not available: timing with a bash loop (date +%s%N)"
[ "$HAVE_TIME" = 1 ] || log "/usr/bin/time not available: no peak RSS"

# ---------------------------------------------------------------- build
log "building zmc (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target zmc zmc_gen_schema prisma sql >/dev/null
ZMC="$BUILD_DIR/cli/zmc"
GEN="$BUILD_DIR/bench/zmc_gen_schema"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zmc-sql-bench.XXXXXX")"
PG_DIR="" PG_CTL=""
cleanup() {
  if [ -n "$PG_CTL" ]; then as_pg_user "$PG_CTL" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  [ -z "$PG_DIR" ] || rm -rf "$PG_DIR"
  if [ "$KEEP" = 1 ]; then log "files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- measuring
once_ns() { # cmd...: wall time of one run in ns
  local t0 t1
  t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
  echo $((t1 - t0))
}

# Best-of-RUNS wall time in ns after one warm-up run, in the current folder; prints "best mean".
best_of() { # runs cmd...
  local runs="$1"; shift
  if [ "$HAVE_HYPERFINE" = 1 ]; then
    local csv="$WORK/hyperfine.csv"
    rm -f "$csv"
    hyperfine -N --warmup 1 --runs "$runs" --style none --export-csv "$csv" -- "$(printf '%q ' "$@")" >/dev/null 2>&1 || true
    # columns: command,mean,stddev,median,user,system,min,max (seconds)
    [ -s "$csv" ] && awk -F, 'NR == 2 { printf "%.0f %.0f\n", $7 * 1e9, $2 * 1e9 }' "$csv" && return 0
    log "hyperfine failed on: $*"; echo "0 0"
  else
    local best=0 sum=0 t i
    once_ns "$@" >/dev/null
    for ((i = 0; i < runs; i++)); do
      t=$(once_ns "$@"); sum=$((sum + t))
      if [ "$best" = 0 ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    echo "$best $((sum / runs))"
  fi
}

peak_rss_kb() { # cmd...: peak RSS in KiB of one run, or n/a
  if [ "$HAVE_TIME" = 1 ]; then
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
  else
    echo n/a
  fi
}

ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }
mib() { awk -v kb="$1" 'BEGIN { if (kb == "n/a") print kb; else printf "%.1f", kb / 1024 }'; }
size_h() { awk -v b="$1" 'BEGIN { if (b >= 1e6) printf "%.2f MB", b / 1e6; else printf "%.1f KB", b / 1e3 }'; }
mbs() { awk -v b="$1" -v ns="$2" 'BEGIN { if (ns > 0) printf "%.1f", b / (ns / 1e9) / 1e6; else print "n/a" }'; }

# The schema for a dialect and size: a ZModel (v2) whose Prisma schema Prisma accepts.
gen() { # n dialect out
  if [ "$2" = sqlite ]; then "$GEN" "$1" "$SEED" --prisma-compatible > "$3"
  else "$GEN" "$1" "$SEED" --provider postgresql > "$3"; fi
}

# zmc build with one backend; fails loudly (a benchmark of the error path is worthless).
zmc_build() { # schema backend output
  if ! "$ZMC" build -q --zenstack 2 --schema "$1" --backend "$2" --output "$3" >/dev/null 2>"$WORK/build.err"; then
    echo "sql.sh: zmc build --backend $2 failed on $1:" >&2
    head -20 "$WORK/build.err" >&2
    exit 1
  fi
}

REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no -- frontend runtime cli include backends 2>/dev/null)" ]; then
  REV="$REV + uncommitted changes in frontend/runtime/cli/include/backends"
fi

# ---------------------------------------------------------------- 1. DDL generation
echo "## zmc build --backend sql, $MODELS models (Release build, best of $RUNS after 1 warm-up; MB = 10^6 bytes)"
echo
echo "Commit $REV, seed $SEED. *DDL MB/s* is the DDL written divided by the best time; *check* is \`zmc check\` alone on the same schema."
echo
echo "| dialect | input | DDL written | best (ms) | mean (ms) | DDL MB/s | input MB/s | peak RSS (MiB) | check best (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for d in $DIALECTS; do
  dir="$WORK/big-$d"; mkdir -p "$dir"
  gen "$MODELS" "$d" "$dir/schema.zmodel"
  zmc_build "$dir/schema.zmodel" sql "$dir/schema.sql"
  in_bytes=$(stat -c %s "$dir/schema.zmodel"); out_bytes=$(stat -c %s "$dir/schema.sql")
  read -r best mean < <(best_of "$RUNS" "$ZMC" build -q --zenstack 2 --schema "$dir/schema.zmodel" --backend sql --output "$dir/schema.sql")
  rss=$(peak_rss_kb "$ZMC" build -q --zenstack 2 --schema "$dir/schema.zmodel" --backend sql --output "$dir/schema.sql")
  read -r cbest _ < <(best_of "$RUNS" "$ZMC" check -q --zenstack 2 --schema "$dir/schema.zmodel")
  echo "| $d | $(size_h "$in_bytes") | $(size_h "$out_bytes") | $(ms "$best") | $(ms "$mean") | **$(mbs "$out_bytes" "$best")** | $(mbs "$in_bytes" "$best") | $(mib "$rss") | $(ms "$cbest") |"
done
echo
[ "$PEERS" = 1 ] || exit 0

# ---------------------------------------------------------------- 2. against Prisma
if [ ! -x "$PEERS_DIR/bin/prisma6" ] || [ ! -f "$PEERS_DIR/templates/prisma.config.pg.ts" ]; then
  [ -f "$PEERS_SETUP" ] || { echo "sql.sh: $PEERS_SETUP not found: cannot install the peers" >&2; exit 1; }
  command -v npm >/dev/null || { echo "sql.sh: npm not found: cannot install the peers" >&2; exit 1; }
  log "installing peers with $PEERS_SETUP into $PEERS_DIR (npm)"
  bash "$PEERS_SETUP" "$PEERS_DIR" >/dev/null
fi
PRISMA="$PEERS_DIR/bin/prisma6"

# PostgreSQL refuses to run as root: use `nobody` then.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  else
    local p
    for _ in $(seq 50); do
      p=$((20000 + RANDOM % 30000))
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    return 1
  fi
}

# The newest /usr/lib/postgresql/<version>/bin, or nothing.
pg_bin_dir() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && best="$d"; done
  echo "$best"
}

# A throwaway PostgreSQL server on a free loopback port; sets DATABASE_URL.
start_pg() {
  local bin="${PG_BIN:-}"
  if [ -z "$bin" ]; then
    bin=$(pg_bin_dir)
    if [ -z "$bin" ] && apt_install postgresql; then bin=$(pg_bin_dir); fi
  fi
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "sql.sh: PostgreSQL not found (set PG_BIN, or install the postgresql package)" >&2; exit 1
  fi
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/zmc-sql-bench-pg.XXXXXX")"
  [ "$(id -u)" != 0 ] || chown nobody "$PG_DIR"
  as_pg_user "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 ||
    { echo "sql.sh: initdb failed:" >&2; tail -5 "$WORK/initdb.log" >&2; exit 1; }
  local port
  for _ in 1 2 3; do
    port=$(free_port)
    if as_pg_user "$bin/pg_ctl" -D "$PG_DIR/data" -o "-h 127.0.0.1 -p $port -k $PG_DIR" -l "$PG_DIR/log" -w start >/dev/null 2>&1; then
      PG_CTL="$bin/pg_ctl"
      export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres"
      log "PostgreSQL $("$bin/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$port ($PG_DIR)"
      return 0
    fi
  done
  echo "sql.sh: pg_ctl start failed:" >&2; tail -5 "$PG_DIR/log" >&2; exit 1
}

# One Prisma run in folder $1, stdout to $2; exits on failure.
prisma_diff() { # dir out
  if ! (cd "$1" && timeout -k 10 "$PEER_TIMEOUT" "$PRISMA" migrate diff --from-empty --to-schema-datamodel schema.prisma --script \
        >"$2" 2>"$WORK/prisma.err"); then
    echo "sql.sh: prisma migrate diff failed in $1:" >&2
    sed 's/\x1b\[[0-9;]*m//g' "$WORK/prisma.err" | grep -v '^\s*$' | head -10 >&2
    exit 1
  fi
}

PRISMA_VERSION=$(node -p "require('$PEERS_DIR/prisma6/node_modules/prisma/package.json').version" 2>/dev/null || echo 6)
echo "## Against \`prisma migrate diff --from-empty --script\` (Prisma $PRISMA_VERSION, wasm engine), $PEER_MODELS models"
echo
echo "zmc: best of $RUNS after 1 warm-up; Prisma: best of $PEER_RUNS after 1 warm-up (wall clock, Node start-up and the database connection included). Prisma gets the schema.prisma zmc's \`prisma\` backend writes for the same schema."
echo
echo "| dialect | input (zmodel / prisma) | DDL | zmc best (mean) ms | zmc RSS (MiB) | Prisma best (mean) ms | Prisma RSS (MiB) | ratio | outputs |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
declare -a VERDICTS=()
for d in $DIALECTS; do
  dir="$WORK/peer-$d"; run="$dir/prisma"; mkdir -p "$run/prisma"
  gen "$PEER_MODELS" "$d" "$dir/schema.zmodel"
  zmc_build "$dir/schema.zmodel" sql "$dir/schema.sql"
  zmc_build "$dir/schema.zmodel" prisma "$run/schema.prisma"
  if [ "$d" = sqlite ]; then
    cp "$PEERS_DIR/templates/prisma.config.sqlite.ts" "$run/prisma.config.ts"   # DB: ./prisma/dev.db
  else
    [ -n "$PG_CTL" ] || start_pg
    cp "$PEERS_DIR/templates/prisma.config.pg.ts" "$run/prisma.config.ts"
  fi
  read -r zb zm < <(best_of "$RUNS" "$ZMC" build -q --zenstack 2 --schema "$dir/schema.zmodel" --backend sql --output "$dir/schema.sql")
  zrss=$(peak_rss_kb "$ZMC" build -q --zenstack 2 --schema "$dir/schema.zmodel" --backend sql --output "$dir/schema.sql")
  prisma_diff "$run" "$dir/prisma.sql"                      # warm-up; its output is compared
  read -r pb pm < <(cd "$run" && best_of "$PEER_RUNS" timeout -k 10 "$PEER_TIMEOUT" "$PRISMA" \
    migrate diff --from-empty --to-schema-datamodel schema.prisma --script)
  prss=$(cd "$run" && peak_rss_kb "$PRISMA" migrate diff --from-empty --to-schema-datamodel schema.prisma --script)
  zin=$(stat -c %s "$dir/schema.zmodel"); pin=$(stat -c %s "$run/schema.prisma"); out=$(stat -c %s "$dir/schema.sql")
  ratio=$(awk -v a="$pb" -v b="$zb" 'BEGIN { printf "%.0f", a / b }')
  if cmp -s "$dir/schema.sql" "$dir/prisma.sql"; then
    same="byte-identical"
  else
    lines=$(diff "$dir/schema.sql" "$dir/prisma.sql" | grep -c '^[<>]' || true)
    same="**differ**: $lines diff lines ($(stat -c %s "$dir/prisma.sql") bytes from Prisma)"
    diff "$dir/schema.sql" "$dir/prisma.sql" > "$WORK/$d.diff" || true
  fi
  echo "| $d | $(size_h "$zin") / $(size_h "$pin") | $(size_h "$out") | $(ms "$zb") ($(ms "$zm")) | $(mib "$zrss") | $(ms "$pb") ($(ms "$pm")) | $(mib "$prss") | **${ratio}x** | $same |"
  VERDICTS+=("$d: ${ratio}x $( [ "$ratio" -ge 100 ] && echo met || echo 'NOT met')")
done
echo
verdicts=$(printf '%s; ' "${VERDICTS[@]}")
echo "Target: zmc at least 100x faster than Prisma (best against best): ${verdicts%; }."
for d in $DIALECTS; do
  [ ! -s "$WORK/$d.diff" ] || { echo; echo "First lines of the $d diff (< zmc, > Prisma):"; echo; echo '```'; head -20 "$WORK/$d.diff"; echo '```'; }
done
