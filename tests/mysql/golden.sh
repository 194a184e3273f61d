#!/usr/bin/env bash
# golden.sh — every tests/golden/sql/mysql/X.zmodel through `zmc build
# --backend sql` (the datasource says mysql) gives X.sql byte for byte, the
# last newline aside. The goldens are Prisma's DDL (see their README.md).
set -uo pipefail
source "$(dirname "$0")/lib.sh"

shopt -s nullglob
schemas=("$goldens"/*.zmodel)
[[ ${#schemas[@]} -ge 15 ]] || bad "only ${#schemas[@]} golden schemas in $goldens"
for zm in "${schemas[@]}"; do
  name=$(basename "$zm" .zmodel)
  want="$goldens/$name.sql"
  if [[ ! -f $want ]]; then
    bad "$name: no $name.sql"
    continue
  fi
  if ! zmc_ddl "$zm" "$tmp/$name.sql"; then
    bad "$name: zmc build failed"
    continue
  fi
  # identical, or one has a single extra final newline
  got="$tmp/$name.sql"
  if cmp -s "$got" "$want" || cmp -s <(cat "$got"; echo) "$want" || cmp -s "$got" <(cat "$want"; echo); then
    ok
  else
    bad "$name: zmc's DDL differs from the golden:"
    diff -u "$want" "$tmp/$name.sql" | head -40
  fi
done

finish mysql.golden
