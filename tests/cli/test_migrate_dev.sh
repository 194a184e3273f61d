#!/usr/bin/env bash
# test_migrate_dev.sh — ZenStack's migration workflow with the zmc binary on
# a SQLite file and on a PostgreSQL server the test starts (no server is a
# failure, never a skip):
#
#   migrate dev through the 18 changes of tests/golden/diff/steps: each new
#   migration.sql is Prisma's SQL for that change (the goldens of
#   regen.sh), a row per migration in _prisma_migrations, status in sync, the
#   database read back is the model; destructive changes refused without
#   --accept-data-loss (nothing written, nothing changed); a second dev is
#   "Already in sync" with no new folder; --create-only writes and does not
#   apply; reset needs --force without a terminal; db push then dev is drift
#   (refused, names --force-reset), reset then dev goes on; an edited
#   migration is diagnosed; deploy onto a fresh database builds the same
#   catalog.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"
steps="$golden/diff/steps"

zm_pg_start || {
  echo "FAIL: cli.migrate_dev needs a PostgreSQL server and could not start one"
  exit 1
}

# schema N: step N's schema for the dialect, as the project's schema.zmodel.
schema() {
  if [[ $dialect == sqlite ]]; then cp "$steps/$1.zmodel" "$work/schema.zmodel"; else
    sed -e 's/provider = "sqlite"/provider = "postgresql"/' \
      -e 's|url      = "file:./dev.db"|url      = env("DATABASE_URL")|' "$steps/$1.zmodel" >"$work/schema.zmodel"
  fi
}
q() { if [[ $dialect == sqlite ]]; then sqlite3 "$work/dev.db" "$1"; else psql -qAtX -d "$db" -c "$1"; fi; }
catalog() { # the database's catalog (schema only)
  if [[ $dialect == sqlite ]]; then sqlite3 "$1" .schema | sort; else
    pg_dump --schema-only --no-owner -d "$1" | grep -v '^--\|^\\\(un\)\{0,1\}restrict \|^$'
  fi
}
zmc() { "$ZMC" migrate "$@" --schema "$work/schema.zmodel"; }
without_warnings() { # the file without a leading /* ... */ comment
  if [[ $(head -1 "$1") == "/*" ]]; then sed '1,/^\*\/$/d' "$1"; else cat "$1"; fi
}
folders() { find "$work/migrations" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l; }
newest() { find "$work/migrations" -mindepth 1 -maxdepth 1 -type d | sort | tail -1; }

for dialect in sqlite postgresql; do
  work="$tmp/$dialect" db=zmc_dev
  mkdir -p "$work"
  export DATABASE_URL="$ZM_PG_URL/$db"

  # ---- migrate dev through 18 changes
  same=0 refused=
  for z in "$steps"/*.zmodel; do
    n=$(basename "$z" .zmodel)
    schema $n
    before=$(folders)
    # Prisma's SQL for the change (its `migrate diff --script`, without the
    # line its CLI adds when printing); "empty" when there is none to make.
    if [[ $n == 00 ]] || grep -q '^-- This is an empty migration' "$steps/$dialect/$n.sql"; then change=; else change=1; fi
    out=$(zmc dev -n "step $n" 2>&1)
    rc=$?
    if [[ $rc == 1 && $out == *"would lose data"* ]]; then
      refused="$refused $n"
      if [[ $(folders) == "$before" ]]; then ok; else bad "$dialect step $n: a refused dev wrote a folder"; fi
      out=$(zmc dev -n "step $n" --accept-data-loss 2>&1); rc=$?
    elif [[ $rc == 1 && $n == 17 && $out == *"cannot be executed"* ]]; then
      ok   # a required column without a default on a table with rows
      q 'DELETE FROM "Like"; DELETE FROM "Post";' >/dev/null
      out=$(zmc dev -n "step $n" 2>&1); rc=$?
    fi
    if [[ $rc == 0 ]]; then ok; else bad "$dialect step $n: migrate dev failed (rc $rc): $out"; continue; fi
    first=0; [[ $n == 00 ]] && first=1
    made=$((before + first + ${change:-0}))
    if [[ $(folders) == "$made" ]]; then ok; else bad "$dialect step $n: $(folders) folders, expected $made"; fi
    f=$(newest)
    if [[ -z $change && $n != 00 ]]; then
      [[ $out == *"Already in sync"* ]] && same=$((same + 1)) || bad "$dialect step $n: no change, but: $out"
    elif [[ $(basename "$f") != *_step_$n ]]; then
      bad "$dialect step $n: folder name $(basename "$f")"
    elif [[ $n != 00 ]]; then
      # The file is Prisma's SQL; a destructive change has Prisma's warnings
      # comment first (migrate dev writes it, migrate diff does not).
      if [[ ${refused} == *" $n" ]]; then
        if head -2 "$f/migration.sql" | grep -q '^  Warnings:'; then ok; else bad "$dialect step $n: no warnings comment"; fi
      fi
      if cmp -s <(without_warnings "$f/migration.sql") <(head -c -1 "$steps/$dialect/$n.sql"); then
        same=$((same + 1))
      else
        echo "differs from Prisma's migration: $dialect step $n"
        diff "$f/migration.sql" "$steps/$dialect/$n.sql" | head -10
      fi
    fi
    rows=$(q 'SELECT count(*), count(finished_at), count(DISTINCT checksum) FROM _prisma_migrations')
    if [[ $rows == "$made|$made|$made" ]]; then ok; else bad "$dialect step $n: _prisma_migrations has $rows, expected $made"; fi
    if zmc status >/dev/null 2>&1; then ok; else bad "$dialect step $n: status not in sync"; fi
    if "$ZMC" migrate diff --from-schema-datasource "$work/schema.zmodel" --to-schema "$work/schema.zmodel" --exit-code >/dev/null 2>&1; then ok; else
      bad "$dialect step $n: the database is not the model after migrate dev"
    fi
    case $n in
      00) q "INSERT INTO \"User\" (email, name) VALUES ('keep@example.com', 'Keep')" >/dev/null ;;
      01) q "INSERT INTO \"Post\" (title, \"authorId\") VALUES ('first', 1)" >/dev/null ;;
      13) q "INSERT INTO \"Tag\" (label) VALUES ('news'); INSERT INTO \"Like\" (\"userId\", \"postId\") VALUES (1, 1)" >/dev/null ;;
    esac
    got=$(q 'SELECT email FROM "User" WHERE id = 1')
    if [[ $got == keep@example.com ]]; then ok; else bad "$dialect step $n: the first user is gone: '$got'"; fi
  done
  if [[ $same == 18 ]]; then ok; else bad "$dialect: $same of 18 migrations are Prisma's SQL (or, with no change, none)"; fi
  declare -A want=([sqlite]=" 11 12 14 15 16" [postgresql]=" 11 14 15 16")
  if [[ $refused == "${want[$dialect]}" ]]; then ok; else bad "$dialect: refused steps '$refused', expected '${want[$dialect]}'"; fi

  # ---- nothing to do; --create-only; --json
  k=$(folders)
  out=$(zmc dev -n nothing 2>&1)
  if [[ $out == *"Already in sync"* && $(folders) == "$k" ]]; then ok; else bad "$dialect: a second dev: $out"; fi
  printf '\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n' >>"$work/schema.zmodel"
  if zmc dev -n note --create-only >/dev/null 2>&1 && [[ $(folders) == $((k + 1)) ]] &&
    ! zmc status >/dev/null 2>&1; then ok; else bad "$dialect: --create-only"; fi
  out=$(zmc dev --json 2>&1)
  if [[ $? == 0 && $out == *'"applied": ['*'_note"'* && $out == *'"inSync": true'* && $(folders) == $((k + 1)) ]]; then ok; else
    bad "$dialect: dev applying a created migration: $out"
  fi

  # ---- reset needs --force without a terminal
  out=$(zmc reset 2>&1 </dev/null)
  if [[ $? == 1 && $out == *--force* && $(q 'SELECT count(*) FROM "User"') == 1 ]]; then ok; else bad "$dialect: reset without --force: $out"; fi
  if zmc reset --force >/dev/null 2>&1 && [[ $(q 'SELECT count(*) FROM "User"') == 0 &&
    $(q 'SELECT count(*) FROM _prisma_migrations') == $((k + 1)) ]] && zmc status >/dev/null 2>&1; then ok; else bad "$dialect: reset --force"; fi

  # ---- db push, then dev: drift; reset, then dev goes on
  printf '\nmodel Extra {\n  id Int @id\n}\n' >>"$work/schema.zmodel"
  "$ZMC" db push --schema "$work/schema.zmodel" >/dev/null 2>&1 || bad "$dialect: db push"
  out=$(zmc dev -n extra 2>&1 </dev/null)
  if [[ $? == 1 && $out == *"Drift detected"* && $out == *Extra* && $out == *--force-reset* && $(folders) == $((k + 1)) ]]; then ok; else
    bad "$dialect: drift not diagnosed: $out"
  fi
  if zmc reset --force >/dev/null 2>&1 && zmc dev -n extra >/dev/null 2>&1 && [[ $(folders) == $((k + 2)) ]] &&
    zmc status >/dev/null 2>&1; then ok; else bad "$dialect: reset then dev"; fi
  q "INSERT INTO \"Extra\" (id) VALUES (7)" >/dev/null
  out=$(zmc dev -n again --force-reset 2>&1)   # nothing to reset for: data stays
  if [[ $out == *"Already in sync"* && $(q 'SELECT count(*) FROM "Extra"') == 1 ]]; then ok; else bad "$dialect: --force-reset without a reason reset: $out"; fi

  # ---- an applied migration edited: diagnosed, nothing changed
  first=$(find "$work/migrations" -mindepth 1 -maxdepth 1 -type d | sort | head -1)
  cp "$first/migration.sql" "$tmp/keep.sql"
  echo '-- edited' >>"$first/migration.sql"
  out=$(zmc dev -n edited 2>&1 </dev/null)
  if [[ $? == 1 && $out == *"was modified after it was applied"* && $(q 'SELECT count(*) FROM "Extra"') == 1 ]]; then ok; else
    bad "$dialect: an edited migration: $out"
  fi
  cp "$tmp/keep.sql" "$first/migration.sql"

  # ---- deploy onto a fresh database: the same catalog
  if [[ $dialect == sqlite ]]; then
    fresh="$work/fresh.db"
    sed 's|file:./dev.db|file:./fresh.db|' "$work/schema.zmodel" >"$work/fresh.zmodel"
    devdb="$work/dev.db"
  else
    fresh=zmc_fresh devdb=$db
    cp "$work/schema.zmodel" "$work/fresh.zmodel"
    export DATABASE_URL="$ZM_PG_URL/$fresh"
  fi
  if "$ZMC" migrate deploy --schema "$work/fresh.zmodel" --migrations "$work/migrations" >/dev/null 2>&1 &&
    "$ZMC" migrate status --schema "$work/fresh.zmodel" --migrations "$work/migrations" >/dev/null 2>&1; then ok; else
    bad "$dialect: deploy onto a fresh database"
  fi
  if [[ "$(catalog "$fresh")" == "$(catalog "$devdb")" ]]; then ok; else
    bad "$dialect: deploy built another catalog: $(diff <(catalog "$fresh") <(catalog "$devdb") | head -10)"
  fi
done

# ---- PostgreSQL: a history that creates an extension (citext). In the live
# database the extension exists already, so a scratch schema could not see
# its types: the drift check replays such a history in a temporary database,
# dropped afterwards. A role that may not create one is told what to do.
# An extension installed beforehand is still created by the history.
dialect=postgresql work="$tmp/extension" db=zmc_extension
mkdir -p "$work"
export DATABASE_URL="$ZM_PG_URL/$db"
ext_schema() {
  printf 'generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["postgresqlExtensions"]\n}\n\n'
  printf 'datasource db {\n  provider   = "postgresql"\n  url        = env("DATABASE_URL")\n  extensions = [citext]\n}\n\n'
  printf 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique @db.Citext\n%b}\n' "$1"
}
ext_schema "" >"$work/schema.zmodel"
out=$(zmc dev -n init 2>&1) && ok || bad "extension: dev -n init: $out"
grep -q 'CREATE EXTENSION IF NOT EXISTS "citext"' "$work"/migrations/*_init/migration.sql && ok ||
  bad "extension: the init migration does not create citext"
ext_schema "  name  String?\n" >"$work/schema.zmodel"
out=$(zmc dev -n name 2>&1) && ok || bad "extension: dev -n name (replaying the citext history): $out"
[[ $(folders) == 2 ]] && ok || bad "extension: $(folders) migrations, expected 2"
out=$(zmc dev 2>&1) && [[ $out == *"Already in sync"* ]] && ok || bad "extension: a second dev: $out"
q "ALTER TABLE \"User\" ADD COLUMN extra INT"
out=$(zmc dev </dev/null 2>&1)
[[ $? == 1 && $out == *"Drift detected"*"extra"* ]] && ok || bad "extension: drift not detected: $out"
left=$(psql -qAtX -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'zmc_shadow%'")
[[ $left == 0 ]] && ok || bad "extension: $left shadow databases left behind"
# the extension installed beforehand (by a DBA, a hosting provider): the
# first migration still creates it, as Prisma's does, so the history also
# builds a fresh server; and its presence is not drift
work="$tmp/extension-pre" db=zmc_ext_pre
mkdir -p "$work"
export DATABASE_URL="$ZM_PG_URL/$db"
psql -qX -d postgres -c "CREATE DATABASE $db" >/dev/null && psql -qX -d "$db" -c "CREATE EXTENSION citext" >/dev/null
ext_schema "" >"$work/schema.zmodel"
out=$(zmc dev -n init 2>&1) && ok || bad "extension installed beforehand: dev -n init: $out"
grep -q 'CREATE EXTENSION IF NOT EXISTS "citext"' "$work"/migrations/*_init/migration.sql && ok ||
  bad "extension installed beforehand: the init migration does not create citext"
ext_schema "  name  String?\n" >"$work/schema.zmodel"
out=$(zmc dev -n name 2>&1) && ok || bad "extension installed beforehand: dev -n name: $out"
out=$(zmc dev 2>&1) && [[ $out == *"Already in sync"* ]] && ok || bad "extension installed beforehand: a second dev: $out"

# a role that may not create databases: the replay cannot see citext, and
# the message says why and what to do
psql -qX -d postgres -c "CREATE ROLE zmc_app LOGIN NOCREATEDB" -c "CREATE DATABASE zmc_ext_app OWNER zmc_app" >/dev/null
work="$tmp/extension-app" db=zmc_ext_app
mkdir -p "$work"
export DATABASE_URL="${ZM_PG_URL/\/\/*@/\/\/zmc_app@}/$db"
ext_schema "" >"$work/schema.zmodel"
out=$(zmc dev -n init 2>&1) && ok || bad "extension (no CREATEDB): dev -n init: $out"
ext_schema "  name  String?\n" >"$work/schema.zmodel"
out=$(zmc dev -n name 2>&1)
[[ $? != 0 && $out == *"may not create databases"*"CREATEDB"*"shadowDatabaseUrl"* ]] && ok ||
  bad "extension (no CREATEDB): expected the shadow database note: $out"

finish cli.migrate_dev
