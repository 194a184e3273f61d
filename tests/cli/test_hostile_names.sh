#!/usr/bin/env bash
# test_hostile_names.sh — names nobody on the team would write, through every
# statement `migrate dev` generates, on SQLite and on a PostgreSQL server the
# test starts (no server is a failure, never a skip).
#
# Every table, column, enum, enum value, index, unique and foreign key is
# named with the bytes that end or open comments and statements: "*/", "/*",
# "--", ";", both quotes, a backslash, a newline, and the text
# DROP TABLE "Victim". Three migrations create them, then change them the
# ways that write warnings naming them (drop, cast, make required, add
# unique, remove an enum value, drop a table), each applied with
# --accept-data-loss. After each: the table Victim and its row are still
# there, the database holds exactly the tables the model says, and the
# warnings comment is one comment. Then the history is deployed onto a fresh
# database, which must come out the same. A name holding NUL is refused by
# the checker (a C string would cut it short).
#
# MySQL's DDL gets the same kind of names in tests/mysql/escape.sh;
# `zmc build --backend sql`'s in tests/catalog/escaping.sh.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.hostile_names needs a PostgreSQL server and could not start one"
  exit 1
}

# The hostile part of every name, as ZModel writes it and as it is.
H='*/ DROP TABLE \"Victim\"; -- /* \u0027\\\n'
HB=$'*/ DROP TABLE "Victim"; -- /* \'\\\n'

# schema STEP: the model at that step.
schema() {
  local provider=$1 url=$2 step=$3
  printf 'datasource db {\n  provider = "%s"\n  url      = %s\n}\n\n' "$provider" "$url"
  printf 'model Victim {\n  id Int @id\n}\n\n'
  if ((step < 3)); then
    printf 'enum Mood {\n  A @map("a%s")\n' "$H"
    ((step < 2)) && printf '  B @map("b%s")\n' "$H"
    printf '  @@map("e%s")\n}\n\n' "$H"
  fi
  printf 'model T {\n  id Int @id @map("id%s")\n' "$H"
  if ((step < 2)); then
    printf '  a  String @map("a%s")\n  b  Int @map("b%s")\n  c  String? @map("c%s")\n' "$H" "$H" "$H"
  else
    printf '  b  String @map("b%s")\n  c  String @unique(map: "u%s") @map("c%s")\n' "$H" "$H" "$H"
  fi
  ((step < 3)) && printf '  m  Mood @default(A) @map("m%s")\n' "$H"
  ((step < 3)) && printf '  ks K[]\n'
  if ((step < 2)); then printf '  @@index([b], map: "i%s")\n' "$H"; else printf '  @@index([b], map: "j%s")\n' "$H"; fi
  printf '  @@map("t%s")\n}\n' "$H"
  if ((step < 3)); then
    printf '\nmodel K {\n  id  Int @id @map("id%s")\n  tId Int @map("k%s")\n' "$H" "$H"
    printf '  t   T @relation(fields: [tId], references: [id], map: "f%s")\n  @@map("k%s")\n}\n' "$H" "$H"
  fi
}

for dialect in sqlite postgresql; do
  work="$tmp/$dialect"
  mkdir -p "$work"
  if [[ $dialect == sqlite ]]; then
    provider=sqlite url='"file:./dev.db"' fresh_url='"file:./fresh.db"'
    q() { sqlite3 "$work/${2:-dev}.db" "$1"; }
    tables() { q "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY 1" "${1:-dev}" | od -c; }
    catalog() { sqlite3 "$work/$1.db" .schema | od -c; }
  else
    provider=postgresql url='env("DATABASE_URL")' fresh_url='env("FRESH_URL")'
    export DATABASE_URL="$ZM_PG_URL/hostile" FRESH_URL="$ZM_PG_URL/hostile_fresh"
    q() { psql -qAtX -d "${2:-hostile}" -c "$1"; }
    tables() {
      q "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY convert_to(tablename, 'UTF8')" \
        "hostile${1:+_$1}" | od -c
    }
    catalog() {
      local d=hostile
      [[ $1 == fresh ]] && d=hostile_fresh
      pg_dump --schema-only --no-owner -d "$d" | grep -v '^--\|^\\\(un\)\{0,1\}restrict \|^$' | od -c
    }
  fi

  # ---- a NUL in a name is refused
  schema $provider "$url" 1 >"$work/schema.zmodel"
  sed -i 's/@map("a\*/@map("a\\u0000*/' "$work/schema.zmodel"
  out=$("$ZMC" check --schema "$work/schema.zmodel" 2>&1)
  [[ $? == 1 && $out == *"may not contain the NUL character"* ]] && ok || bad "$dialect: a NUL in a name: $out"

  for step in 1 2 3; do
    schema $provider "$url" $step >"$work/schema.zmodel"
    out=$("$ZMC" migrate dev -n "step $step" --accept-data-loss --schema "$work/schema.zmodel" 2>&1)
    [[ $? == 0 ]] && ok || bad "$dialect step $step: migrate dev: $out"
    ((step == 1)) && q 'INSERT INTO "Victim" (id) VALUES (7)'
    [[ $(q 'SELECT count(*) FROM "Victim"') == 1 ]] && ok || bad "$dialect step $step: Victim lost its row, or the table"
    # exactly the tables of the model, with their names whole
    want=("_prisma_migrations" "Victim" "t$HB")
    ((step < 3)) && want+=("k$HB")
    got=$(tables)
    expect=$(printf '%s\0' "${want[@]}" | LC_ALL=C sort -z | tr '\0' '\n' | od -c)
    [[ $got == "$expect" ]] && ok || bad "$dialect step $step: the tables are not the model's:"$'\n'"$got"$'\n'"want"$'\n'"$expect"
    f=$(find "$work/migrations" -mindepth 1 -maxdepth 1 -type d -name "*_step_$step" | head -1)
    # the warnings comment closes once, at its own end: no name ended or opened one
    if ((step > 1)); then
      # the first "*/" of the file is the line that closes the warnings
      first_close=$(grep -n -m1 -F '*/' "$f/migration.sql" | cut -d: -f2-)
      if head -1 "$f/migration.sql" | grep -qx '/\*' && [[ $first_close == '*/' ]] &&
        ! sed -n '2,/^\*\/$/p' "$f/migration.sql" | grep -qF '/*'; then ok; else
        bad "$dialect step $step: the warnings comment is not one comment:"$'\n'"$(head -20 "$f/migration.sql")"
      fi
    fi
    "$ZMC" migrate status --schema "$work/schema.zmodel" >/dev/null 2>&1 && ok || bad "$dialect step $step: not in sync"
  done
  out=$("$ZMC" migrate dev -n again --schema "$work/schema.zmodel" 2>&1)
  [[ $out == *"Already in sync"* ]] && ok || bad "$dialect: a second dev: $out"

  # ---- the history onto a fresh database: the same catalog, Victim untouched
  schema $provider "$fresh_url" 3 >"$work/fresh.zmodel"
  out=$("$ZMC" migrate deploy --schema "$work/fresh.zmodel" --migrations "$work/migrations" 2>&1)
  [[ $? == 0 ]] && ok || bad "$dialect: deploy onto a fresh database: $out"
  [[ "$(catalog fresh)" == "$(catalog dev)" ]] && ok || bad "$dialect: deploy built another catalog"
done

# ---- PostgreSQL keeps 63 bytes of a name: a 70-byte table and column are
# written cut, as the database keeps them, so a second migrate dev finds
# nothing to do (it used to drop and add the column every time)
work="$tmp/long"
mkdir -p "$work"
export DATABASE_URL="$ZM_PG_URL/hostile_long"
long=$(printf 'l%.0s' {1..70})
printf 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n' >"$work/schema.zmodel"
printf 'model T {\n  id Int @id\n  %s Int @unique\n  @@map("t%s")\n}\n' "$long" "$long" >>"$work/schema.zmodel"
out=$("$ZMC" migrate dev -n init --schema "$work/schema.zmodel" 2>&1)
[[ $? == 0 ]] && ok || bad "long names: migrate dev: $out"
cut=$(printf 'l%.0s' {1..63})
[[ $(psql -qAtX -d hostile_long -c "SELECT column_name FROM information_schema.columns WHERE column_name LIKE 'lll%'") == "$cut" ]] &&
  ok || bad "long names: the column is not the 63-byte name PostgreSQL keeps"
out=$("$ZMC" migrate dev -n again --schema "$work/schema.zmodel" 2>&1)
[[ $out == *"Already in sync"* ]] && ok || bad "long names: a second dev changed something: $out"
"$ZMC" migrate diff --from-schema-datasource "$work/schema.zmodel" --to-schema "$work/schema.zmodel" --exit-code \
  >/dev/null 2>&1 && ok || bad "long names: the database read back differs from the model"

finish cli.hostile_names
