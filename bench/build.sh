#!/usr/bin/env bash
# bench/build.sh — `zmc build` (the prisma backend) against `zenstack generate`
# (ZenStack v2's Prisma generator) on the same synthetic schema.
#
#   bench/build.sh [--models 500] [--runs 10] [--peer-runs 3] [--seed 1] [--no-peers]
#
# Both tools get the schema from bench/gen_schema.c (PostgreSQL: Prisma, which
# zenstack runs, rejects @db.VarChar on SQLite) plus this plugin block,
# so each writes an unformatted schema.prisma next to it:
#
#   plugin prisma { provider = '@core/prisma'  output = './schema.prisma'  generateClient = false }
#
# zenstack runs as `zenstack generate --no-default-plugins --offline
# --no-version-check` (see ../shared/reference/peers.md), installed from the
# npm registry with ../shared/tools/peers-setup.sh into $PEERS_DIR. Timing is
# hyperfine's best run when hyperfine is there, else a date +%s%N loop; the
# outputs of the two tools are compared and the difference is reported.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
PEERS_DIR="${PEERS_DIR:-$BUILD_DIR/peers}"
PEERS_SETUP="${PEERS_SETUP:-$ROOT/../shared/tools/peers-setup.sh}"
MODELS=500 RUNS=10 PEER_RUNS=3 SEED=1 PEERS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    --peer-runs) PEER_RUNS="$2"; shift ;;
    --seed) SEED="$2"; shift ;;
    --no-peers) PEERS=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j 2 --target zmc zmc_gen_schema prisma >/dev/null
ZMC="$BUILD_DIR/cli/zmc"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zmc-build-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/zmc" "$WORK/zenstack"
for d in zmc zenstack; do
  "$BUILD_DIR/bench/zmc_gen_schema" "$MODELS" "$SEED" --provider postgresql > "$WORK/$d/schema.zmodel"
  printf "\nplugin prisma {\n  provider = '@core/prisma'\n  output = './schema.prisma'\n  generateClient = false\n}\n" \
    >> "$WORK/$d/schema.zmodel"
done
bytes=$(stat -c %s "$WORK/zmc/schema.zmodel")

# Best and mean wall time in ns over $1 runs of the rest, run in folder $2.
time_runs() {
  local runs="$1" dir="$2"; shift 2
  local best=0 sum=0 t0 t1 t i
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N); (cd "$dir" && "$@" >/dev/null 2>&1); t1=$(date +%s%N)
    t=$((t1 - t0)); sum=$((sum + t))
    if [ "$best" = 0 ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best $((sum / runs))"
}
ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }

REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "## zmc build vs zenstack generate, $MODELS models ($(awk -v b="$bytes" 'BEGIN { printf "%.1f KB", b / 1e3 }')), commit $REV"
echo
echo "| tool | best (ms) | mean (ms) | runs |"
echo "|---|---:|---:|---:|"
(cd "$WORK/zmc" && "$ZMC" build -q --zenstack 2) || { echo "build.sh: zmc build failed" >&2; exit 1; }
read -r zb zm < <(time_runs "$RUNS" "$WORK/zmc" "$ZMC" build -q --zenstack 2)
echo "| \`zmc build --zenstack 2\` (prisma backend) | $(ms "$zb") | $(ms "$zm") | $RUNS |"
[ "$PEERS" = 1 ] || exit 0

if [ ! -x "$PEERS_DIR/bin/zenstack2" ]; then
  command -v npm >/dev/null || { echo "build.sh: npm not found: cannot install the peers" >&2; exit 1; }
  bash "$PEERS_SETUP" "$PEERS_DIR" >/dev/null
fi
ZS=("$PEERS_DIR/bin/zenstack2" generate --schema schema.zmodel --no-default-plugins --offline --no-version-check)
(cd "$WORK/zenstack" && "${ZS[@]}" >"$WORK/zs.log" 2>&1) || { echo "build.sh: zenstack generate failed:" >&2; tail -5 "$WORK/zs.log" >&2; exit 1; }
read -r pb pm < <(time_runs "$PEER_RUNS" "$WORK/zenstack" "${ZS[@]}")
echo "| \`zenstack generate\` 2.22.3 (\`--no-default-plugins\`) | $(ms "$pb") | $(ms "$pm") | $PEER_RUNS |"
echo
awk -v a="$pb" -v b="$zb" 'BEGIN { r = a / b; printf "zmc build is %.0fx faster (best against best; target: at least 100x: %s).\n", r, (r >= 100 ? "met" : "NOT met") }'
if cmp -s "$WORK/zmc/schema.prisma" "$WORK/zenstack/schema.prisma"; then
  echo "The two schema.prisma files are byte-identical."
else
  echo "The two schema.prisma files differ: $(diff "$WORK/zmc/schema.prisma" "$WORK/zenstack/schema.prisma" | grep -c '^[<>]') lines."
fi
