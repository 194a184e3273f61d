#!/usr/bin/env bash
# test_json.sh — the --json contract of migrate dev | deploy | status | reset
# | resolve: on every path, success or failure, stdout holds exactly one JSON
# document, its "ok" is true exactly when the exit status is 0, and its
# "exitCode" is the exit status. The paths: bad arguments, no schema, a
# schema with errors, a datasource URL that cannot be used, a database that
# cannot be reached, a shadow that cannot be reached (after the report has
# begun), a migration that fails, a history to reset, not in sync, and
# success. A PostgreSQL server the test starts serves the shadow case (no
# server is a failure, never a skip).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.json needs a PostgreSQL server and could not start one"
  exit 1
}
command -v jq >/dev/null || { echo "FAIL: cli.json needs jq (scripts/setup.sh --tests installs it)"; exit 1; }

# check WHAT COMMAND...: one JSON document on stdout, ok == (status == 0)
check() {
  local what=$1 out rc n ok code
  shift
  out=$("$@" 2>/dev/null </dev/null)
  rc=$?
  n=$(jq -n '[inputs] | length' <<<"$out" 2>/dev/null)
  if [[ $n != 1 ]]; then
    bad "$what: stdout is not one JSON document (exit $rc): $out"
    return
  fi
  ok=$(jq -r '.ok' <<<"$out") code=$(jq -r '.exitCode // empty' <<<"$out")
  if [[ ($rc == 0 && $ok == true) || ($rc != 0 && $ok == false) ]]; then ok; else bad "$what: exit $rc with ok $ok"; fi
  [[ $code == "$rc" ]] && ok || bad "$what: exitCode '$code', exit status $rc"
  if [[ $rc != 0 ]]; then
    [[ -n $(jq -r '.error.message // empty' <<<"$out") ]] && ok || bad "$what: a failure without error.message: $out"
  fi
}

w=$tmp/p
mkdir -p "$w"
sqlite_schema() { printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\nmodel A {\n  id Int @id\n%b}\n' "${1:-}" >"$w/schema.zmodel"; }
cmds=("dev" "deploy" "status" "reset --force" "resolve --applied 1_x")
zm() { "$ZMC" migrate "$@"; }

# ---- failures before the report begins
for c in "${cmds[@]}"; do
  check "$c: an unknown option" zm $c --json --bogus --schema "$w/schema.zmodel"
  check "$c: no schema" zm $c --json --schema "$w/missing.zmodel"
  printf 'model {\n' >"$w/bad.zmodel"
  check "$c: a schema with errors" zm $c --json --schema "$w/bad.zmodel"
  printf 'datasource db {\n  provider = "postgresql"\n  url      = env("ZMC_UNSET_URL")\n}\n' >"$w/nourl.zmodel"
  check "$c: an unset URL" zm $c --json --schema "$w/nourl.zmodel"
  printf 'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://u:secret@127.0.0.1:1/db"\n}\n' >"$w/down.zmodel"
  check "$c: a server that is down" zm $c --json --schema "$w/down.zmodel"
  out=$(zm $c --json --schema "$w/down.zmodel" 2>/dev/null)
  [[ $out != *secret* ]] && ok || bad "$c: the password in the JSON: $out"
done

# ---- SQLite: success, not in sync, a failing migration, a history to reset
sqlite_schema
check "dev: init" zm dev -n init --json --schema "$w/schema.zmodel"
check "dev: in sync" zm dev --json --schema "$w/schema.zmodel"
check "status: in sync" zm status --json --schema "$w/schema.zmodel"
mkdir -p "$w/migrations/29990101000000_broken"
echo 'CREATE TABLE oops (;' >"$w/migrations/29990101000000_broken/migration.sql"
check "status: pending" zm status --json --schema "$w/schema.zmodel"
check "deploy: a failing migration" zm deploy --json --schema "$w/schema.zmodel"
check "status: failed" zm status --json --schema "$w/schema.zmodel"
check "deploy: a failed migration unresolved (P3009)" zm deploy --json --schema "$w/schema.zmodel"
check "dev: a history to reset, no --force-reset" zm dev --json --schema "$w/schema.zmodel"
check "resolve: a migration that does not exist" zm resolve --json --applied nope --schema "$w/schema.zmodel"
check "resolve --rolled-back" zm resolve --json --rolled-back 29990101000000_broken --schema "$w/schema.zmodel"
rm -r "$w/migrations/29990101000000_broken"
check "reset without --force" zm reset --json --schema "$w/schema.zmodel"
check "reset --force" zm reset --force --json --schema "$w/schema.zmodel"
sqlite_schema '  name String\n'
check "dev: a change" zm dev -n name --json --schema "$w/schema.zmodel"

# ---- PostgreSQL: the shadow cannot be reached, after the report began
pw=$tmp/pg
mkdir -p "$pw"
printf 'datasource db {\n  provider          = "postgresql"\n  url               = env("DATABASE_URL")\n  shadowDatabaseUrl = "postgresql://u@127.0.0.1:1/shadow"\n}\n\nmodel A {\n  id Int @id\n}\n' >"$pw/schema.zmodel"
export DATABASE_URL="$ZM_PG_URL/jsondb"
check "dev (postgresql): init" zm dev -n init --json --schema "$pw/schema.zmodel"
check "dev (postgresql): the shadow is down" zm dev --json --schema "$pw/schema.zmodel"

finish cli.json
