#!/usr/bin/env bash
# test_run_example.sh — the README's first command, scripts/run-example.sh, on
# a copy of the repository's tracked files in a temporary folder: it builds
# only `--target zmc prisma`, so this fails when zmc's target stops building a
# module the commands load by name (it did: the SQL backend, `sql`, which the
# migration engine loads through the host).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
src=$(cd "$here/../.." && pwd)
copy=$tmp/repo
mkdir -p "$copy"
(cd "$src" && git ls-files -z | xargs -0 cp --parents -t "$copy") || { echo "FAIL: cannot copy the repository"; exit 1; }
out=$(bash "$copy/scripts/run-example.sh" 2>&1)
rc=$?
[[ $rc == 0 ]] && ok || bad "scripts/run-example.sh exited $rc: $(tail -15 <<<"$out")"
[[ $out == *"No pending migrations to apply."* && $out != *"error:"* ]] && ok || bad "scripts/run-example.sh: $(tail -15 <<<"$out")"
finish cli.run_example
