#!/usr/bin/env bash
# test_defaults.sh — defaults that once went missing or came out wrong, made
# by migrate dev on SQLite and on a PostgreSQL server the test starts (no
# server is a failure, never a skip): Bytes and Bytes[] (base64 in the
# schema; PostgreSQL '\\x..' bytes, SQLite the hex digits as Prisma renders them) and strings with
# \uXXXX escapes (decoded, surrogate pairs joined). A row inserted with the
# defaults holds the right bytes, and a second migrate dev finds nothing to
# do (the database's default reads back as the model's).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.defaults needs a PostgreSQL server and could not start one"
  exit 1
}

for dialect in sqlite postgresql; do
  work="$tmp/$dialect"
  mkdir -p "$work"
  if [[ $dialect == sqlite ]]; then
    url='"file:./dev.db"' list=
    q() { sqlite3 "$work/dev.db" "$1"; }
  else
    url='env("DATABASE_URL")' list='  bl Bytes[] @default(["aGVsbG8=", "AQI="])\n'
    export DATABASE_URL="$ZM_PG_URL/defaults"
    q() { psql -qAtX -d defaults -c "$1"; }
  fi
  printf 'datasource db {\n  provider = "%s"\n  url      = %s\n}\n\nmodel T {\n  id Int @id\n' $dialect "$url" >"$work/schema.zmodel"
  printf '  b  Bytes @default("aGVsbG8=")\n  e  Bytes @default("")\n%b' "$list" >>"$work/schema.zmodel"
  printf '  u  String @default("caf\\u00e9 \\uD83D\\uDE00")\n}\n' >>"$work/schema.zmodel"
  out=$("$ZMC" migrate dev -n init --schema "$work/schema.zmodel" 2>&1)
  [[ $? == 0 ]] && ok || bad "$dialect: migrate dev: $out"
  q 'INSERT INTO "T" (id) VALUES (1)' >/dev/null
  if [[ $dialect == sqlite ]]; then
    # Prisma's SQLite default for Bytes is the hex digits as a string
    want="68656c6c6f||café 😀" got=$(q 'SELECT b, e, u FROM "T"')
  else
    want="68656c6c6f||café 😀" got=$(q "SELECT encode(b, 'hex'), encode(e, 'hex'), u FROM \"T\"")
  fi
  [[ $got == "$want" ]] && ok || bad "$dialect: the row's defaults: $got, want $want"
  if [[ $dialect == postgresql ]]; then
    [[ $(q "SELECT encode(bl[1], 'hex') || ',' || encode(bl[2], 'hex') FROM \"T\"") == "68656c6c6f,0102" ]] && ok ||
      bad "$dialect: the list default: $(q 'SELECT bl FROM "T"')"
  fi
  out=$("$ZMC" migrate dev -n again --schema "$work/schema.zmodel" 2>&1)
  [[ $out == *"Already in sync"* ]] && ok || bad "$dialect: a second dev: $out"
done

finish cli.defaults
