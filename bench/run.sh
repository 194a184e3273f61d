#!/usr/bin/env bash
# bench/run.sh — how fast is `zmc check` on big schemas, and does it scale linearly?
#
# Builds zmc in Release mode in its own build dir, generates synthetic schemas
# (bench/gen_schema.c) for each size, and prints a Markdown table: file size,
# best-of-RUNS wall time of `zmc check -q`, throughput, peak RSS; then the
# time ratio between the two largest sizes (linear growth: about the size ratio).
#
#   bench/run.sh [--with-peers] [--sizes "100 1000 10000"] [--runs 5] [--seed 1]
#                [--peer-sizes "100 1000 10000"] [--peer-runs 3] [--keep] [--no-install]
#
# Environment: BUILD_DIR (default <repo>/build-bench), PEERS_DIR (default
# $BUILD_DIR/peers), JOBS (parallel build jobs, default 2), PEER_TIMEOUT
# (seconds per peer run, default 900).
#
# Timing uses hyperfine when present (as root, the script installs the Debian
# package unless --no-install), else a bash loop over `date +%s%N`. Peak RSS
# comes from /usr/bin/time -v (Debian package `time`, installed the same way).
#
# --with-peers also times the peer tools on the same generated schemas:
# `prisma validate` (Prisma 6, on the Prisma subset from `zmc_gen_schema --prisma`),
# `zenstack check` (ZenStack 2) and `zen check` (ZenStack 3, with the policy plugin
# block from `--zenstack3`). It installs them with /work/shared/tools/peers-setup.sh
# (npm only) into PEERS_DIR; without the flag nothing is downloaded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
PEERS_DIR="${PEERS_DIR:-$BUILD_DIR/peers}"
PEERS_SETUP="${PEERS_SETUP:-$ROOT/../shared/tools/peers-setup.sh}"
JOBS="${JOBS:-2}"
PEER_TIMEOUT="${PEER_TIMEOUT:-900}"

SIZES="100 1000 10000"
PEER_SIZES=""
RUNS=5
PEER_RUNS=3
SEED=1
WITH_PEERS=0
KEEP=0
INSTALL=1

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --with-peers) WITH_PEERS=1 ;;
    --sizes) SIZES="$2"; shift ;;
    --peer-sizes) PEER_SIZES="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    --peer-runs) PEER_RUNS="$2"; shift ;;
    --seed) SEED="$2"; shift ;;
    --keep) KEEP=1 ;;
    --no-install) INSTALL=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
PEER_SIZES="${PEER_SIZES:-$SIZES}"

log() { echo ">> $*" >&2; }

# ---------------------------------------------------------------- tools
# Only Debian packages, only as root, only when allowed: the benchmark must not
# fetch anything else behind the user's back.
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
cmake --build "$BUILD_DIR" -j "$JOBS" --target zmc zmc_gen_schema >/dev/null
ZMC="$BUILD_DIR/cli/zmc"
GEN="$BUILD_DIR/bench/zmc_gen_schema"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zmc-bench.XXXXXX")"
if [ "$KEEP" = 1 ]; then log "schemas kept in $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

# ---------------------------------------------------------------- measuring
# Wall time of one run in ns (any exit status is the caller's business).
once_ns() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo $((t1 - t0))
}

# Best-of-RUNS wall time in ns, after one warm-up run; prints "best mean".
best_of() { # runs cmd...
  local runs="$1"; shift
  if [ "$HAVE_HYPERFINE" = 1 ]; then
    local csv="$WORK/hyperfine.csv"
    hyperfine -N --warmup 1 --runs "$runs" --style none --export-csv "$csv" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
    # columns: command,mean,stddev,median,user,system,min,max (seconds)
    awk -F, 'NR == 2 { printf "%.0f %.0f\n", $7 * 1e9, $2 * 1e9 }' "$csv"
  else
    local best=0 sum=0 t i
    once_ns "$@" >/dev/null
    for ((i = 0; i < runs; i++)); do
      t=$(once_ns "$@")
      sum=$((sum + t))
      if [ "$best" = 0 ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    echo "$best $((sum / runs))"
  fi
}

# Peak RSS in KiB of one run, or "n/a".
peak_rss_kb() {
  if [ "$HAVE_TIME" = 1 ]; then
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
  else
    echo n/a
  fi
}

ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }
mb() { awk -v kb="$1" 'BEGIN { if (kb == "n/a") print kb; else printf "%.1f", kb / 1024 }'; }
size_h() { awk -v b="$1" 'BEGIN { if (b >= 1e6) printf "%.2f MB", b / 1e6; else printf "%.1f KB", b / 1e3 }'; }

# ---------------------------------------------------------------- zmc
declare -A BYTES BEST
TARGET_MBS=50
# The tree moves under the benchmark: say which code was measured.
REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain -- frontend runtime cli include 2>/dev/null)" ]; then
  REV="$REV + uncommitted changes in frontend/runtime/cli"
fi
# Two stages: the front end alone (`--syntax-only`: read, scan, parse, build
# the tree, follow imports) and the whole check (plus the standard library,
# linking, name resolution and every semantic check).
STAGES="syntax full"
stage_args() { if [ "$1" = syntax ]; then echo "check -q --syntax-only"; else echo "check -q"; fi; }

echo "## zmc check (Release build, best of $RUNS runs after 1 warm-up; MB = 10^6 bytes)"
echo
echo "Commit $REV, seed $SEED. *front end* is \`zmc check --syntax-only\`, *full* is \`zmc check\`."
echo
echo "| models | file size | lines | stage | best (ms) | mean (ms) | throughput (MB/s) | peak RSS (MiB) |"
echo "|---:|---:|---:|---|---:|---:|---:|---:|"
for n in $SIZES; do
  f="$WORK/schema-$n.zmodel"
  "$GEN" "$n" "$SEED" > "$f"
  # A benchmark of a failing check would measure the error path: insist on success.
  if ! "$ZMC" check -q --schema "$f" >/dev/null 2>"$WORK/check.err"; then
    echo "run.sh: zmc check failed on the generated $n-model schema:" >&2
    head -20 "$WORK/check.err" >&2
    exit 1
  fi
  bytes=$(stat -c %s "$f")
  lines=$(wc -l < "$f")
  for stage in $STAGES; do
    read -ra args <<<"$(stage_args "$stage")"
    read -r best mean < <(best_of "$RUNS" "$ZMC" "${args[@]}" --schema "$f")
    rss=$(peak_rss_kb "$ZMC" "${args[@]}" --schema "$f")
    BYTES[$n]=$bytes; BEST[$n,$stage]=$best
    mbs=$(awk -v b="$bytes" -v ns="$best" 'BEGIN { printf "%.1f", b / (ns / 1e9) / 1e6 }')
    label=$([ "$stage" = syntax ] && echo "front end" || echo "full")
    echo "| $n | $(size_h "$bytes") | $lines | $label | $(ms "$best") | $(ms "$mean") | $mbs | $(mb "$rss") |"
  done
done
echo

# Linear growth: compare the two largest sizes (10000 vs 1000 by default).
mapfile -t sorted < <(tr ' ' '\n' <<<"$SIZES" | grep . | sort -n)
if [ "${#sorted[@]}" -ge 2 ]; then
  big=${sorted[-1]} small=${sorted[-2]}
  for stage in $STAGES; do
    awk -v n1="$small" -v n2="$big" -v t1="${BEST[$small,$stage]}" -v t2="${BEST[$big,$stage]}" \
        -v b1="${BYTES[$small]}" -v b2="${BYTES[$big]}" -v target="$TARGET_MBS" -v stage="$stage" 'BEGIN {
      tr = t2 / t1; sr = b2 / b1; mbs = b2 / (t2 / 1e9) / 1e6
      name = stage == "syntax" ? "front end" : "full check"
      printf "%s: time ratio %d/%d models %.2fx (size ratio %.2fx; time per byte grows %.2fx); ", name, n2, n1, tr, sr, tr / sr
      # Linear within 25%: per-byte cost at the big size at most 1.25x the small one.
      printf "linear: %s; %.1f MB/s at %d models", (tr / sr <= 1.25 ? "met" : "NOT met"), mbs, n2
      if (stage == "syntax") printf " (target >= %d MB/s: %s)", target, (mbs >= target ? "met" : "NOT met")
      printf ".\n\n"
    }'
  done
fi

# ---------------------------------------------------------------- peers
if [ "$WITH_PEERS" = 0 ]; then
  if [ -x "$PEERS_DIR/bin/prisma6" ]; then
    echo "Peers are installed in $PEERS_DIR; pass --with-peers to time them."
  else
    echo "Peers (Prisma, ZenStack) not timed: pass --with-peers to install them with npm and time them."
  fi
  exit 0
fi

if [ ! -x "$PEERS_DIR/bin/prisma6" ] || [ ! -x "$PEERS_DIR/bin/zenstack2" ] || [ ! -x "$PEERS_DIR/bin/zen3" ]; then
  [ -f "$PEERS_SETUP" ] || { echo "run.sh: $PEERS_SETUP not found: cannot install peers" >&2; exit 1; }
  command -v npm >/dev/null || { echo "run.sh: npm not found: cannot install peers" >&2; exit 1; }
  log "installing peers with $PEERS_SETUP into $PEERS_DIR (npm)"
  bash "$PEERS_SETUP" "$PEERS_DIR" >/dev/null
fi

# One peer run: prints "wall_ns rss_kb rc"; a run over PEER_TIMEOUT is killed (rc 124).
# timeout runs inside /usr/bin/time so that it kills the tool itself, not time(1)
# (which would leave the tool running as an orphan).
peer_once() { # dir cmd...
  local dir="$1" t0 t1 rc=0 rss=n/a; shift
  rm -f "$WORK/peer.rss"
  t0=$(date +%s%N)
  if [ "$HAVE_TIME" = 1 ]; then
    (cd "$dir" && /usr/bin/time -f '%M' -o "$WORK/peer.rss" timeout -k 10 "$PEER_TIMEOUT" "$@" >"$WORK/peer.out" 2>&1) || rc=$?
    rss=$(tail -n 1 "$WORK/peer.rss" 2>/dev/null || true)
  else
    (cd "$dir" && timeout -k 10 "$PEER_TIMEOUT" "$@" >"$WORK/peer.out" 2>&1) || rc=$?
  fi
  t1=$(date +%s%N)
  echo "$((t1 - t0)) ${rss:-n/a} $rc"
}

# Best of PEER_RUNS (fewer when one run already takes over 60 s: the numbers are
# then dominated by the work, not by noise).
peer_row() { # label n file dir cmd...
  local label="$1" n="$2" file="$3" dir="$4"; shift 4
  local best=0 rss=n/a rc=0 i wall r code
  for ((i = 0; i < PEER_RUNS; i++)); do
    read -r wall r code < <(peer_once "$dir" "$@")
    if [ "$code" != 0 ]; then rc=$code; break; fi
    if [ "$best" = 0 ] || [ "$wall" -lt "$best" ]; then best=$wall; fi
    rss=$r
    [ "$wall" -gt 60000000000 ] && break
  done
  local bytes; bytes=$(stat -c %s "$file")
  if [ "$rc" != 0 ]; then
    local why="exit $rc"; [ "$rc" = 124 ] && why="timeout after ${PEER_TIMEOUT}s"
    echo "| $label | $n | $(size_h "$bytes") | failed: $why | | | |"
    { sed 's/\x1b\[[0-9;]*m//g' "$WORK/peer.out" | grep -v '^\s*$' | head -3 | sed 's/^/    /' >&2; } || true
    return 0
  fi
  local zmc_ns="${BEST[$n,full]:-}" vs=""
  [ -n "$zmc_ns" ] && vs=$(awk -v a="$best" -v b="$zmc_ns" 'BEGIN { printf "%.0fx", a / b }')
  echo "| $label | $n | $(size_h "$bytes") | $(ms "$best") | $(awk -v b="$bytes" -v ns="$best" 'BEGIN { printf "%.2f", b / (ns / 1e9) / 1e6 }') | $(mb "$rss") | $vs |"
}

PEER_WORK="$WORK/peers"
mkdir -p "$PEER_WORK/zs3"
# zen resolves `provider = "@zenstackhq/plugin-policy"` through ./node_modules.
ln -sfn "$PEERS_DIR/zenstack3/node_modules" "$PEER_WORK/zs3/node_modules"
echo "## Peers (best of up to $PEER_RUNS runs, wall clock incl. Node start-up; timeout ${PEER_TIMEOUT}s)"
echo
echo "| tool | models | input size | best (ms) | throughput (MB/s) | peak RSS (MiB) | vs zmc |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for n in $PEER_SIZES; do
  z="$WORK/schema-$n.zmodel"
  [ -f "$z" ] || "$GEN" "$n" "$SEED" > "$z"
  "$GEN" "$n" "$SEED" --prisma > "$PEER_WORK/schema-$n.prisma"
  "$GEN" "$n" "$SEED" --zenstack3 > "$PEER_WORK/zs3/schema-$n.zmodel"
  log "peers on $n models"
  peer_row "prisma validate (6.19.3)" "$n" "$PEER_WORK/schema-$n.prisma" "$PEER_WORK" \
    "$PEERS_DIR/bin/prisma6" validate --schema "schema-$n.prisma"
  peer_row "zenstack check (2.22.3)" "$n" "$z" "$PEER_WORK" \
    "$PEERS_DIR/bin/zenstack2" check --schema "$z"
  peer_row "zen check (3.9.4)" "$n" "$PEER_WORK/zs3/schema-$n.zmodel" "$PEER_WORK/zs3" \
    "$PEERS_DIR/bin/zen3" check --schema "schema-$n.zmodel" --no-version-check
done
echo
echo "Peer inputs: the Prisma subset (--prisma: no policies, no validation attributes, no @db on SQLite)"
echo "and the v3 variant (--zenstack3: plus the policy plugin block, no @db on SQLite) of the same models."
