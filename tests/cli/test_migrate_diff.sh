#!/usr/bin/env bash
# test_migrate_diff.sh — `zmc migrate diff` end to end.
#
# 1. Prisma's own SQL for an 18-step sequence of schema changes
#    (tests/golden/diff/steps, made by its regen.sh with prisma 6): zmc's
#    `--from-schema A --to-schema B --script` for each consecutive pair,
#    byte for byte, SQLite and PostgreSQL. The issue asks 90 %; every
#    difference is printed.
# 2. The same SQL replayed: the migrations of the whole sequence, as
#    folders, diff empty against the last schema (--from-migrations: SQLite
#    in memory; PostgreSQL in a temporary schema of a server the test starts).
# 3. --exit-code, the summary, and the errors (usage, an unreachable
#    server named with its password masked).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
steps="$golden/diff/steps"

total=0
same=0
for d in sqlite postgresql; do
  prev=
  for z in "$steps"/*.zmodel; do
    n=$(basename "$z" .zmodel)
    if [[ -n $prev ]]; then
      total=$((total + 1))
      if "$ZMC" migrate diff --from-schema "$prev" --to-schema "$z" --provider "$d" --script >"$tmp/out.sql" 2>"$tmp/err"; then
        if cmp -s "$tmp/out.sql" "$steps/$d/$n.sql"; then
          same=$((same + 1))
        else
          echo "differs from Prisma: $d step $n"
          diff "$tmp/out.sql" "$steps/$d/$n.sql" | head -20
        fi
      else
        bad "migrate diff $d step $n failed: $(cat "$tmp/err")"
      fi
    fi
    prev=$z
  done
done
echo "migrate diff: $same of $total steps byte-identical to Prisma's"
if ((same * 10 >= total * 9)); then ok; else bad "fewer than 90% of the steps identical"; fi

# The whole sequence as a migrations folder replays to the last schema.
mig="$tmp/migrations"
prev=
for z in "$steps"/*.zmodel; do
  n=$(basename "$z" .zmodel)
  mkdir -p "$mig/2026010100000${n}_step"
  if [[ -z $prev ]]; then
    "$ZMC" migrate diff --from-empty --to-schema "$z" --script -o "$mig/2026010100000${n}_step/migration.sql"
  else
    cp "$steps/sqlite/$n.sql" "$mig/2026010100000${n}_step/migration.sql"
  fi
  prev=$z
done
last=$(ls "$steps"/*.zmodel | tail -1)
out=$("$ZMC" migrate diff --from-migrations "$mig" --to-schema "$last" --script --exit-code 2>&1)
rc=$?
if [[ $rc == 0 && $out == "-- This is an empty migration."* ]]; then ok; else bad "replayed migrations differ from the last schema (rc $rc): $out"; fi

# The same on PostgreSQL, replayed in a temporary schema of a shadow
# database (a server this test starts), which is dropped afterwards.
source "$here/../support/pg.sh"
if zm_pg_start; then
  pgmig="$tmp/pg-migrations"
  for z in "$steps"/*.zmodel; do
    n=$(basename "$z" .zmodel)
    mkdir -p "$pgmig/2026010100000${n}_step"
    if [[ $n == 00 ]]; then
      "$ZMC" migrate diff --from-empty --to-schema "$z" --provider postgresql --script -o "$pgmig/2026010100000${n}_step/migration.sql"
    else
      cp "$steps/postgresql/$n.sql" "$pgmig/2026010100000${n}_step/migration.sql"
    fi
  done
  out=$("$ZMC" migrate diff --from-migrations "$pgmig" --to-schema "$last" --provider postgresql \
    --shadow-database-url "$ZM_PG_URL/postgres" --script --exit-code 2>&1)
  rc=$?
  if [[ $rc == 0 && $out == "-- This is an empty migration."* ]]; then ok; else bad "PostgreSQL replay (rc $rc): $out"; fi
  left=$(psql -qAt -c "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'zmc_shadow%'")
  if [[ $left == 0 ]]; then ok; else bad "the shadow schema was left behind"; fi
  "$ZMC" migrate diff --from-migrations "$pgmig" --to-schema "$last" --provider postgresql >/dev/null 2>&1
  if [[ $? == 2 ]]; then ok; else bad "PostgreSQL migrations without a shadow database must be a usage error"; fi
else
  bad "cli.migrate_diff needs a PostgreSQL server and could not start one"
fi

# --exit-code: 2 when different, 0 when not; the summary names the changes.
"$ZMC" migrate diff --from-schema "$steps/00.zmodel" --to-schema "$steps/01.zmodel" --exit-code >"$tmp/sum" 2>&1
rc=$?
if [[ $rc == 2 ]] && grep -q '\[+\] Added tables' "$tmp/sum" && grep -q '  - Post' "$tmp/sum"; then ok; else
  bad "summary / exit code 2 (rc $rc): $(cat "$tmp/sum")"
fi
out=$("$ZMC" migrate diff --from-schema "$steps/05.zmodel" --to-schema "$steps/05.zmodel" --exit-code 2>&1)
rc=$?
if [[ $rc == 0 && $out == "No difference detected." ]]; then ok; else bad "no difference (rc $rc): $out"; fi

# Usage errors: a side missing, both sides without a dialect.
"$ZMC" migrate diff --from-empty >/dev/null 2>&1
if [[ $? == 2 ]]; then ok; else bad "a missing --to-* is a usage error"; fi
out=$("$ZMC" migrate diff --from-empty --to-empty 2>&1)
if [[ $? == 2 && $out == *"--provider"* ]]; then ok; else bad "two empty sides need --provider: $out"; fi

# An unreachable server: exit 3, host:port named, the password never shown.
out=$("$ZMC" migrate diff --from-url "postgresql://bob:s3cret@127.0.0.1:1/db" --to-schema "$steps/01.zmodel" 2>&1)
rc=$?
if [[ $rc == 3 && $out == *"127.0.0.1:1"* && $out != *s3cret* ]]; then ok; else bad "unreachable server (rc $rc): $out"; fi

finish cli.migrate_diff
