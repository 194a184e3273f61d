#!/usr/bin/env bash
# test_db_execute.sh — `zmc db execute` on SQLite and on a PostgreSQL server
# the test starts (no server is a failure): a script from a file and from
# stdin, against --url and against the schema's datasource; a failing
# statement leaves nothing of the script (one transaction); CREATE INDEX
# CONCURRENTLY runs (outside a transaction); usage errors.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.db_execute needs a PostgreSQL server and could not start one"
  exit 1
}

for dialect in sqlite postgresql; do
  work="$tmp/$dialect"
  mkdir -p "$work"
  if [[ $dialect == sqlite ]]; then
    url="file:$work/dev.db"
    printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$work/schema.zmodel"
    sqlite3 "$work/dev.db" 'CREATE TABLE "T" ("x" INTEGER)'
    q() { sqlite3 "$work/dev.db" "$1"; }
  else
    url="$ZM_PG_URL/exe"
    psql -qAtX -c 'CREATE DATABASE exe' >/dev/null
    printf 'datasource db {\n  provider = "postgresql"\n  url      = "%s"\n}\n' "$url" >"$work/schema.zmodel"
    q() { psql -qAtX -d exe -c "$1"; }
    q 'CREATE TABLE "T" ("x" INTEGER)' >/dev/null
  fi
  x() { "$ZMC" db execute "$@" 2>&1; }

  printf 'INSERT INTO "T" VALUES (1);\nINSERT INTO "T" VALUES (2);\n' >"$work/ok.sql"
  out=$(x --file "$work/ok.sql" --schema "$work/schema.zmodel")
  [[ $? == 0 && $out == *"Script executed successfully."* && $(q 'SELECT count(*) FROM "T"') == 2 ]] && ok || bad "$dialect --file --schema: $out"
  out=$(echo 'INSERT INTO "T" VALUES (3);' | x --stdin --url "$url")
  [[ $? == 0 && $(q 'SELECT count(*) FROM "T"') == 3 ]] && ok || bad "$dialect --stdin --url: $out"

  printf 'INSERT INTO "T" VALUES (4);\nINSERT INTO "Nope" VALUES (5);\n' >"$work/bad.sql"
  out=$(x --file "$work/bad.sql" --url "$url")
  [[ $? == 1 && $out == *"Nope"* && $out == *"Nothing of the script was applied"* && $(q 'SELECT count(*) FROM "T"') == 3 ]] &&
    ok || bad "$dialect: a failing statement: $out"

  if [[ $dialect == postgresql ]]; then
    out=$(echo 'CREATE INDEX CONCURRENTLY "T_x_idx" ON "T"("x");' | x --stdin --url "$url")
    [[ $? == 0 && $(q "SELECT count(*) FROM pg_indexes WHERE indexname = 'T_x_idx'") == 1 ]] && ok || bad "CONCURRENTLY: $out"
  fi
done

out=$(x --stdin --file "$tmp/x.sql")
[[ $? == 2 ]] && ok || bad "--stdin and --file: $out"
out=$(x --file "$tmp/absent.sql" --url "file:$tmp/a.db")
[[ $? == 3 && $out == *"cannot read"* ]] && ok || bad "a missing script: $out"
out=$(x --file "$work/ok.sql" --url "$ZM_PG_URL/absent_db")
[[ $? == 3 ]] && ok || bad "a missing database: $out"

finish cli.db_execute
