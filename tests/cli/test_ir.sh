#!/usr/bin/env bash
# test_ir.sh — `zmc ir`: the model IR as JSON.
#
# Golden cases: tests/golden/ir/NAME.zmodel (with options in NAME.args) must
# print exactly NAME.json. ZM_BLESS=1 rewrites the expected files from the
# current output; review the diff before committing it.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

for schema in "$golden"/ir/*.zmodel; do
  name=$(basename "$schema" .zmodel)
  args=()
  if [[ -f "$golden/ir/$name.args" ]]; then read -ra args <"$golden/ir/$name.args"; fi
  # stdout is the IR; warnings (a v3 generator block) go to stderr
  if ! actual=$(cd "$golden/ir" && "$ZMC" ir "${args[@]}" --schema "$name.zmodel" 2>"$tmp/stderr"); then
    bad "ir $name: zmc ir failed: $actual $(cat "$tmp/stderr")"
    continue
  fi
  if [[ -n "${ZM_BLESS:-}" ]]; then printf '%s\n' "$actual" >"$golden/ir/$name.json"; fi
  if [[ "$actual" == "$(cat "$golden/ir/$name.json")" ]]; then ok; else
    bad "ir $name: output differs from $name.json"
    diff -u "$golden/ir/$name.json" <(printf '%s\n' "$actual") | head -40
  fi
done

# -o writes the same JSON to a file, atomically.
(cd "$golden/ir" && "$ZMC" ir --schema relations.zmodel -o "$tmp/ir.json")
if cmp -s "$tmp/ir.json" "$golden/ir/relations.json"; then ok; else bad "ir -o: file differs"; fi
if ls "$tmp" | grep -q zmc; then bad "ir -o: a temporary file was left behind"; else ok; fi

# A schema with errors prints diagnostics, no JSON, and exits 1.
printf 'model A {\n  id Int @id\n  b  Nope\n}\n' >"$tmp/bad.zmodel"
out=$("$ZMC" ir --schema "$tmp/bad.zmodel" 2>"$tmp/err"); rc=$?
if [[ $rc == 1 && -z "$out" ]] && grep -q "bad.zmodel:3:" "$tmp/err"; then ok; else
  bad "ir on a bad schema: exit $rc, stdout '$out', stderr $(cat "$tmp/err")"
fi

# Usage errors exit 2.
"$ZMC" ir --frobnicate >/dev/null 2>&1; rc=$?
if [[ $rc == 2 ]]; then ok; else bad "ir --frobnicate: exit $rc, want 2"; fi

finish "cli.ir"
