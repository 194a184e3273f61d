#!/usr/bin/env bash
# End-to-end tests of `zmc check` and `zmc format`, run through the binary.
#
# Golden cases: tests/golden/check/NAME.zmodel is checked from its own folder
# (with the options in NAME.args, if any) and must print exactly NAME.expected
# (output, then "exit: N");
# tests/golden/format/NAME.zmodel must format to exactly NAME.expected.
# ZM_BLESS=1 rewrites the expected files from the current output.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

# run WANT_STATUS CMD...: output in $tmp/out, status checked.
run() {
  local want=$1
  shift
  "$@" >"$tmp/out" 2>&1
  local got=$?
  if [[ $got == "$want" ]]; then ok; else
    bad "$* exited $got, want $want"
    sed 's/^/    /' "$tmp/out" | head -20
  fi
}

contains() {
  if grep -qF -- "$1" "$tmp/out"; then ok; else
    bad "output lacks '$1'"
    sed 's/^/    /' "$tmp/out" | head -20
  fi
}

# --- golden: check -----------------------------------------------------------
for f in "$golden"/check/*.zmodel; do
  name=$(basename "$f" .zmodel)
  args=()
  if [[ -f "$golden/check/$name.args" ]]; then read -ra args <"$golden/check/$name.args"; fi
  actual=$(cd "$golden/check" && "$ZMC" check "${args[@]}" --schema "$name.zmodel" 2>&1; echo "exit: $?")
  if [[ -n "${ZM_BLESS:-}" ]]; then printf '%s\n' "$actual" >"$golden/check/$name.expected"; fi
  if [[ "$actual" == "$(cat "$golden/check/$name.expected")" ]]; then ok; else
    bad "golden check $name"
    diff -u "$golden/check/$name.expected" <(printf '%s\n' "$actual") | head -30
  fi
done

# --- golden: format ----------------------------------------------------------
for f in "$golden"/format/*.zmodel; do
  name=$(basename "$f" .zmodel)
  actual=$("$ZMC" format --stdout --schema "$f" 2>&1)
  if [[ -n "${ZM_BLESS:-}" ]]; then printf '%s\n' "$actual" >"$golden/format/$name.expected"; fi
  if [[ "$actual" == "$(cat "$golden/format/$name.expected")" ]]; then ok; else
    bad "golden format $name"
    diff -u "$golden/format/$name.expected" <(printf '%s\n' "$actual") | head -30
  fi
  # Formatting the expected output changes nothing.
  run 0 "$ZMC" format --check --schema "$golden/format/$name.expected"
done

# --- the command line ----------------------------------------------------------
run 0 "$ZMC" --version
contains "zmc 0."
run 0 "$ZMC" --help
contains "usage: zmc <command>"
run 0 "$ZMC" check --help
contains "usage: zmc check"
run 0 "$ZMC" format -h
contains "usage: zmc format"
run 2 "$ZMC"
run 2 "$ZMC" frobnicate
contains "unknown command 'frobnicate'"
run 2 "$ZMC" check --bogus
run 2 "$ZMC" check --schema
contains "option '--schema' needs a value"
run 3 "$ZMC" check --schema "$tmp/nope.zmodel"
contains "cannot read schema file"

# Schema discovery: zenstack/schema.zmodel, then ./schema.zmodel.
mkdir -p "$tmp/empty" "$tmp/p1/zenstack" "$tmp/p2"
(cd "$tmp/empty" && run 2 "$ZMC" check)
contains "no schema found"
printf 'model A {\n  id Int @id\n}\n' >"$tmp/p1/zenstack/schema.zmodel"
(cd "$tmp/p1" && run 0 "$ZMC" check)
contains "zenstack/schema.zmodel: ok"
printf 'model B {\n  id Int @id\n}\n' >"$tmp/p2/schema.zmodel"
(cd "$tmp/p2" && run 0 "$ZMC" check)
contains "schema.zmodel: ok"

# The example project checks and is formatted.
(cd "$example" && run 0 "$ZMC" check)
(cd "$example" && run 0 "$ZMC" format --check)

# format rewrites a file in place, then --check passes; --check alone never writes.
printf 'model A { id Int @id\n  name String }\n' >"$tmp/u.zmodel"
cp "$tmp/u.zmodel" "$tmp/u.orig"
run 1 "$ZMC" format --check --schema "$tmp/u.zmodel"
contains "not formatted"
if cmp -s "$tmp/u.zmodel" "$tmp/u.orig"; then ok; else bad "format --check changed the file"; fi
run 0 "$ZMC" format --schema "$tmp/u.zmodel"
contains "formatted $tmp/u.zmodel"
if [[ "$(cat "$tmp/u.zmodel")" == $'model A {\n  id   Int    @id\n  name String\n}' ]]; then ok; else
  bad "format wrote unexpected text"
  cat "$tmp/u.zmodel"
fi
run 0 "$ZMC" format --check --schema "$tmp/u.zmodel"

# A file with syntax errors is reported and left alone.
printf 'model A {\n  id Int @id(\n}\n' >"$tmp/e.zmodel"
cp "$tmp/e.zmodel" "$tmp/e.orig"
run 1 "$ZMC" format --schema "$tmp/e.zmodel"
contains "e.zmodel:3:1: error:"
if cmp -s "$tmp/e.zmodel" "$tmp/e.orig"; then ok; else bad "format changed a file with errors"; fi

finish cli.check_format
