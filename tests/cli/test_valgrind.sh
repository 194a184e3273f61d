#!/usr/bin/env bash
# The CLI's main paths under valgrind: no invalid access, no leak of any kind.
# Each case runs zmc with its expected exit status; valgrind's own finding
# turns into exit status 99.
set -uo pipefail
: "${VALGRIND:=valgrind}"
source "$(dirname "$0")/lib.sh"

vg() {
  local want=$1
  shift
  "$VALGRIND" -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
    --errors-for-leak-kinds=all "$ZMC" "$@" >"$tmp/out" 2>&1
  local got=$?
  if [[ $got == "$want" ]]; then ok; else
    bad "zmc $* exited $got under valgrind, want $want"
    sed 's/^/    /' "$tmp/out" | head -40
  fi
}

vg 0 check --schema "$example/zenstack/schema.zmodel"
vg 0 format --check --schema "$example/zenstack/schema.zmodel"
vg 1 check --schema "$golden/check/syntax_errors.zmodel"
vg 1 check --schema "$golden/check/lexical.zmodel"
vg 1 check --schema "$golden/check/missing_import.zmodel"
vg 0 format --stdout --schema "$golden/format/comments.zmodel"
cp "$golden/format/mixed.zmodel" "$tmp/m.zmodel"
vg 0 format --schema "$tmp/m.zmodel"
vg 3 check --schema "$tmp/absent.zmodel"
vg 0 ir --schema "$golden/ir/polymorphism.zmodel"
vg 0 ir --zenstack 2 --schema "$golden/ir/inheritance.zmodel" -o "$tmp/ir.json"
vg 1 ir --schema "$golden/check/syntax_errors.zmodel"
vg 2 frobnicate

finish valgrind
