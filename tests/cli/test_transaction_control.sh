#!/usr/bin/env bash
# test_transaction_control.sh — migrations that say BEGIN, COMMIT, ROLLBACK,
# SAVEPOINT or RELEASE themselves, deployed on SQLite and on a PostgreSQL
# server the test starts (no server is a failure, never a skip).
#
# zmc runs each migration in a transaction with its record. A BEGIN; ...
# COMMIT; block runs inside that transaction (Prisma writes one around an
# enum's redefinition): a failure after the block still undoes the block.
# Any other transaction control is refused before anything of the migration
# runs, the migrations before it stay applied, and the messages and
# _prisma_migrations say exactly that.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.transaction_control needs a PostgreSQL server and could not start one"
  exit 1
}

# migration NAME SQL: a migration folder in $work/migrations.
migration() { mkdir -p "$work/migrations/$1" && printf '%s\n' "$2" >"$work/migrations/$1/migration.sql"; }

for dialect in sqlite postgresql; do
  work="$tmp/$dialect"
  mkdir -p "$work"
  if [[ $dialect == sqlite ]]; then
    printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$work/schema.zmodel"
    q() { sqlite3 "$work/dev.db" "$1"; }
    has() { [[ $(q "SELECT count(*) FROM sqlite_master WHERE name = '$1'") == 1 ]]; }
    reset_db() { rm -f "$work/dev.db"; }
  else
    printf 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n' >"$work/schema.zmodel"
    export DATABASE_URL="$ZM_PG_URL/txc"
    psql -qAtX -c 'CREATE DATABASE txc' >/dev/null
    q() { psql -qAtX -d txc -c "$1"; }
    has() { [[ $(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '$1'") == 1 ]]; }
    reset_db() { q 'DROP SCHEMA public CASCADE; CREATE SCHEMA public' >/dev/null 2>&1; }
  fi
  deploy() { "$ZMC" migrate deploy --schema "$work/schema.zmodel" 2>&1; }
  rows() { q "SELECT migration_name || ':' || (finished_at IS NOT NULL) || ':' || coalesce(CAST(rolled_back_at AS TEXT), '-') FROM _prisma_migrations ORDER BY migration_name" | tr '\n' ' '; }
  t=true f=false
  [[ $dialect == sqlite ]] && t=1 f=0

  # ---- a ROLLBACK midway in the second of two migrations: the first stays
  # applied, nothing of the second runs, one row each, a true message
  reset_db
  rm -rf "$work/migrations"
  migration 1_first 'CREATE TABLE one (x INT);'
  migration 2_second $'CREATE TABLE two (x INT);\nROLLBACK;\nCREATE TABLE three (x INT);'
  out=$(deploy)
  rc=$?
  [[ $rc == 1 ]] && ok || bad "$dialect rollback: deploy exited $rc: $out"
  [[ $out == *"controls transactions itself"*"line 2"*"ROLLBACK"* && $out == *"Nothing of this migration was run"* ]] &&
    ok || bad "$dialect rollback: the message: $out"
  has one && ok || bad "$dialect rollback: the first migration was undone"
  ! has two && ! has three && ok || bad "$dialect rollback: part of the second migration stayed"
  [[ $(rows) == "1_first:$t:- 2_second:$f:- " ]] && ok || bad "$dialect rollback: _prisma_migrations: $(rows)"

  # ---- SAVEPOINT / RELEASE (the name zmc's own savepoint has) refused too
  reset_db
  rm -rf "$work/migrations"
  migration 1_sp $'SAVEPOINT s;\nCREATE TABLE four (x INT);\nRELEASE zm_migration;'
  out=$(deploy)
  [[ $? == 1 && $out == *"controls transactions itself"*"SAVEPOINT s"* ]] && ! has four && ok ||
    bad "$dialect savepoint: $out"

  # ---- BEGIN; ... COMMIT; then a failure: the block is undone with the rest
  reset_db
  rm -rf "$work/migrations"
  migration 1_block $'CREATE TABLE five (x INT);\nBEGIN;\nCREATE TABLE six (x INT);\nCOMMIT;\nINSERT INTO five VALUES (1);\nINSERT INTO nowhere VALUES (1);'
  out=$(deploy)
  [[ $? == 1 && $out == *nowhere* ]] && ok || bad "$dialect block+failure: deploy: $out"
  ! has five && ! has six && ok || bad "$dialect block+failure: the block's table stayed after the migration failed"
  [[ $(rows) == "1_block:$f:- " ]] && ok || bad "$dialect block+failure: _prisma_migrations: $(rows)"

  # ---- BEGIN; ... COMMIT; that succeeds: applied with its record
  reset_db
  rm -rf "$work/migrations"
  migration 1_block $'BEGIN;\nCREATE TABLE seven (x INT);\nCOMMIT;\nCREATE TABLE eight (x INT);'
  out=$(deploy)
  [[ $? == 0 ]] && has seven && has eight && [[ $(rows) == "1_block:$t:- " ]] && ok || bad "$dialect block: $out $(rows)"

  # ---- a BEGIN never committed, a COMMIT never begun
  for script in $'BEGIN;\nCREATE TABLE nine (x INT);' $'CREATE TABLE nine (x INT);\nCOMMIT;'; do
    reset_db
    rm -rf "$work/migrations"
    migration 1_half "$script"
    out=$(deploy)
    [[ $? == 1 && $out == *"controls transactions itself"* ]] && ! has nine && ok || bad "$dialect half ($script): $out"
  done
done

finish cli.transaction_control
