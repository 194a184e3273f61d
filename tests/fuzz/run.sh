#!/usr/bin/env bash
# run.sh — build the libFuzzer target with clang and fuzz the parser and
# formatter (docs/fuzzing.md). New inputs and crash files go to a scratch
# folder outside the repository; seeds and the shared corpus are only read.
#
#   tests/fuzz/run.sh [--shared] [SECONDS] [-- libFuzzer flags...]
#
# --shared also reads the .zmodel folders of ../shared/corpus (or
# $ZM_CORPUS_DIR). $ZM_FUZZ_WORK (default /tmp/zmc-fuzz) keeps the growing
# corpus between runs; $ZM_FUZZ_BUILD (default build-fuzz) is the build dir.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${ZM_FUZZ_BUILD:-$root/build-fuzz}
work=${ZM_FUZZ_WORK:-/tmp/zmc-fuzz}
shared=${ZM_CORPUS_DIR:-$root/../shared/corpus}
use_shared=0
secs=600
while [ $# -gt 0 ]; do
  case $1 in
    --shared) use_shared=1 ;;
    --) shift; break ;;
    *[!0-9]*|'') echo "usage: $0 [--shared] [SECONDS] [-- libFuzzer flags...]" >&2; exit 2 ;;
    *) secs=$1 ;;
  esac
  shift
done

CC=${CC:-clang} cmake -S "$root" -B "$build" -DZM_FUZZ=ON -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzz_parser -j2 >/dev/null

mkdir -p "$work/corpus" "$work/artifacts"
dirs=("$work/corpus" "$root/tests/fuzz/seeds")
if [ "$use_shared" = 1 ]; then
  for d in zenstack zenstack-v1 zenstack-v2 zenstack-v3 valid-inline invalid docs-snippets; do
    if [ -d "$shared/$d" ]; then dirs+=("$shared/$d"); fi
  done
fi
# UBSan reports only print by default; make them fail the run like ASan's.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# The first folder receives new inputs; the others are only read.
exec "$build/tests/fuzz/fuzz_parser" -dict="$root/tests/fuzz/zmodel.dict" \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=8192 \
  -artifact_prefix="$work/artifacts/" "$@" "${dirs[@]}"
