#!/usr/bin/env bash
# The CLI's main paths under valgrind: no invalid access, no leak of any kind.
# Each case runs zmc with its expected exit status; valgrind's own finding
# turns into exit status 99.
set -uo pipefail
: "${VALGRIND:=valgrind}"
source "$(dirname "$0")/lib.sh"

vg() {
  local want=$1
  shift
  "$VALGRIND" -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
    --errors-for-leak-kinds=all --num-callers=40 --suppressions="$here/../support/valgrind.supp" \
    "$ZMC" "$@" >"$tmp/out" 2>&1
  local got=$?
  if [[ $got == "$want" ]]; then ok; else
    bad "zmc $* exited $got under valgrind, want $want"
    sed 's/^/    /' "$tmp/out" | head -40
  fi
}

vg 0 check --schema "$example/zenstack/schema.zmodel"
vg 0 format --check --schema "$example/zenstack/schema.zmodel"
vg 1 check --schema "$golden/check/syntax_errors.zmodel"
vg 1 check --schema "$golden/check/lexical.zmodel"
vg 1 check --schema "$golden/check/missing_import.zmodel"
vg 0 format --stdout --schema "$golden/format/comments.zmodel"
cp "$golden/format/mixed.zmodel" "$tmp/m.zmodel"
vg 0 format --schema "$tmp/m.zmodel"
vg 3 check --schema "$tmp/absent.zmodel"
vg 0 ir --schema "$golden/ir/polymorphism.zmodel"
vg 0 ir --zenstack 2 --schema "$golden/ir/inheritance.zmodel" -o "$tmp/ir.json"
vg 1 ir --schema "$golden/check/syntax_errors.zmodel"
vg 2 frobnicate

# The database commands on SQLite: diff two schemas, push into a new file,
# refuse data loss, read the database back, replay a migrations folder.
steps="$golden/diff/steps"
vg 0 migrate diff --from-schema "$steps/12.zmodel" --to-schema "$steps/13.zmodel" --script
vg 0 migrate diff --from-empty --to-schema "$steps/13.zmodel" --provider postgresql --script
cp "$steps/01.zmodel" "$tmp/a.zmodel"
cp "$steps/00.zmodel" "$tmp/b.zmodel"
vg 0 db push --schema "$tmp/a.zmodel"
sqlite3 "$tmp/dev.db" "INSERT INTO \"User\" (email) VALUES ('v@example.com'); INSERT INTO \"Post\" (title, \"authorId\") VALUES ('p', 1)"
vg 1 db push --schema "$tmp/b.zmodel"
vg 0 db push --schema "$tmp/b.zmodel" --accept-data-loss
vg 1 migrate diff --from-url "file:$tmp/dev.db" --to-schema "$tmp/b.zmodel" --exit-code --rename User.nope=x
vg 0 migrate diff --from-url "file:$tmp/dev.db" --to-schema "$tmp/b.zmodel" --exit-code
# db pull: into a file with only the datasource, then a re-pull (the merge)
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$tmp/pulled.zmodel"
vg 0 db pull --schema "$tmp/pulled.zmodel"
sqlite3 "$tmp/dev.db" 'ALTER TABLE "User" ADD COLUMN "extra" TEXT'
vg 0 db pull --schema "$tmp/pulled.zmodel"
vg 0 db pull --schema "$tmp/b.zmodel" --print
mkdir -p "$tmp/migrations/1_init"
cp "$steps/sqlite/01.sql" "$tmp/migrations/1_init/migration.sql"
vg 2 migrate diff --from-migrations "$tmp/migrations" --to-schema "$tmp/b.zmodel" --provider sqlite --exit-code

# The migration commands on SQLite: dev (create, in sync, refused loss,
# --create-only, drift), deploy onto a fresh database, a failing migration,
# status, resolve, reset, --json.
mkdir -p "$tmp/mig"
cp "$steps/00.zmodel" "$tmp/mig/schema.zmodel"
mz() { vg "$1" migrate "${@:2}" --schema "$tmp/mig/schema.zmodel"; }
mz 0 dev -n init
mz 0 dev
cp "$steps/01.zmodel" "$tmp/mig/schema.zmodel"
mz 0 dev -n posts --json
sqlite3 "$tmp/mig/dev.db" "INSERT INTO \"User\" (email) VALUES ('v@example.com')"
cp "$steps/00.zmodel" "$tmp/mig/schema.zmodel"
mz 0 dev -n drop_posts --create-only
mz 1 status
mz 0 deploy
mz 0 status --json
sqlite3 "$tmp/mig/dev.db" 'CREATE TABLE "Drift" (id INTEGER)'
mz 1 dev -n drifted
mz 0 reset --force
mkdir -p "$tmp/mig/migrations/29990101000000_bad"
echo 'CREATE TABLE "Half" (id INTEGER); INSERT INTO "Missing" VALUES (1);' >"$tmp/mig/migrations/29990101000000_bad/migration.sql"
mz 1 deploy
mz 1 deploy --json
mz 0 resolve --rolled-back 29990101000000_bad
mz 1 resolve --applied 29990101000000_nope
rm -rf "$tmp/mig/migrations/29990101000000_bad"
sed 's|file:./dev.db|file:./fresh.db|' "$tmp/mig/schema.zmodel" >"$tmp/mig/fresh.zmodel"
vg 0 migrate deploy --schema "$tmp/mig/fresh.zmodel"

# lint (findings, --json, github), down (written and computed), rebase (moved, refused)
mz 1 lint
mz 1 lint --json --latest 2
mz 2 lint --format github nosuch
mz 2 lint --pending --latest 1
mz 0 lint --pending
mz 0 down
rm -f "$tmp"/mig/migrations/*/down.sql
mz 0 down --count 2 --accept-data-loss
mz 0 deploy
mkdir -p "$tmp/mig/migrations/20000101000000_old"
echo 'CREATE TABLE "Old" (id INTEGER);' >"$tmp/mig/migrations/20000101000000_old/migration.sql"
mz 1 status
mz 0 rebase 20000101000000_old
mkdir -p "$tmp/mig/migrations/20000101000000_clash"
echo 'CREATE TABLE "Old" (id INTEGER);' >"$tmp/mig/migrations/20000101000000_clash/migration.sql"
mz 1 rebase 20000101000000_clash

finish valgrind
