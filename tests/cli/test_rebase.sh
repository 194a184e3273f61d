#!/usr/bin/env bash
# test_rebase.sh — two branches' migrations merged out of order, on SQLite
# and on a PostgreSQL server the test starts (no server is a failure):
# status, deploy and dev say which migration arrived out of order; `migrate
# rebase` moves it after the newest when the two touch different objects
# (content kept, deploy then applies it, status is up to date), and refuses,
# naming the object both change, when they do not.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.rebase needs a PostgreSQL server and could not start one"
  exit 1
}

for dialect in sqlite postgresql; do
  work="$tmp/$dialect"
  mkdir -p "$work"
  if [[ $dialect == sqlite ]]; then
    url='"file:./dev.db"'
  else
    export DATABASE_URL="$ZM_PG_URL/rebase"
    url='env("DATABASE_URL")'
  fi
  printf 'datasource db {\n  provider = "%s"\n  url      = %s\n}\n' "$dialect" "$url" >"$work/schema.zmodel"
  mk() { mkdir -p "$work/migrations/$1" && printf '%s\n' "$2" >"$work/migrations/$1/migration.sql"; }
  zmc() { "$ZMC" migrate "$@" --schema "$work/schema.zmodel" 2>&1; }

  mk 20260101000000_base $'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT);\nCREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT);'
  mk 20260103000000_main_name 'ALTER TABLE "User" ADD COLUMN "name" TEXT;'
  zmc deploy >/dev/null || bad "$dialect: deploy of the main branch"
  # the other branch's migration, older, merged after main's was deployed
  mk 20260102000000_feature_body 'ALTER TABLE "Post" ADD COLUMN "body" TEXT;'

  out=$(zmc status)
  [[ $? == 1 && $out == *"This pending migration is older than \`20260103000000_main_name\`, the newest applied one: it arrived out of order"*"- 20260102000000_feature_body"*"zmc migrate rebase NAME"* ]] &&
    ok || bad "$dialect status: $out"
  json=$("$ZMC" migrate status --schema "$work/schema.zmodel" --json 2>/dev/null)
  [[ $(jq -r '.outOfOrder | join(" ")' <<<"$json" 2>/dev/null) == 20260102000000_feature_body ]] && ok || bad "$dialect status --json: $json"

  # they touch different tables: moved after the newest, content kept
  before=$(cat "$work/migrations/20260102000000_feature_body/migration.sql")
  out=$(zmc rebase 20260102000000_feature_body)
  [[ $? == 0 && $out == *"Moved \`20260102000000_feature_body\` to \`"*"_feature_body\`, after \`20260103000000_main_name\`"* ]] &&
    ok || bad "$dialect rebase: $out"
  moved=$(ls "$work/migrations" | grep _feature_body)
  [[ $moved > 20260103000000_main_name && ! -e $work/migrations/20260102000000_feature_body &&
     $(cat "$work/migrations/$moved/migration.sql") == "$before" ]] && ok || bad "$dialect rebase: the folder is $moved"
  out=$(zmc deploy)
  [[ $? == 0 && $out != *"out of order"* && $(zmc status) == *"Database schema is up to date"* ]] && ok || bad "$dialect deploy after rebase: $out"
  out=$(zmc rebase 20260101000000_base)
  [[ $? == 1 && $out == *"recorded in the database already"* ]] && ok || bad "$dialect: rebase of an applied migration: $out"

  # they change the same index: refused, the index named, nothing moved
  mk 20260105000000_main_email 'DROP INDEX IF EXISTS "User_email_idx";
CREATE UNIQUE INDEX "User_email_idx" ON "User"("email");'
  zmc deploy >/dev/null || bad "$dialect: deploy of main's index"
  mk 20260104000000_feature_email 'CREATE INDEX "User_email_idx" ON "User"("email");'
  out=$(zmc deploy)
  [[ $out == *"older than \`$moved\`"*"- 20260104000000_feature_email"*"It is applied after"* ]] && ok || bad "$dialect deploy says nothing: $out"
  "$ZMC" migrate resolve --rolled-back 20260104000000_feature_email --schema "$work/schema.zmodel" >/dev/null 2>&1
  q() { if [[ $dialect == sqlite ]]; then sqlite3 "$work/dev.db" "$1"; else psql -qAtX -d rebase -c "$1"; fi; }
  q "DELETE FROM _prisma_migrations WHERE migration_name = '20260104000000_feature_email'" >/dev/null
  out=$(zmc rebase 20260104000000_feature_email)
  [[ $? == 1 && $out == *"does not commute"*"\`20260104000000_feature_email\` and \`20260105000000_main_email\` both change index \`User_email_idx\` of \`User\`"*"Nothing was moved"* ]] &&
    ok || bad "$dialect conflict: $out"
  [[ -d $work/migrations/20260104000000_feature_email ]] && ok || bad "$dialect conflict: the folder moved"
  # the newest, pending: nothing to move
  mk 20990101000000_last 'SELECT 1;'
  [[ $(zmc rebase 20990101000000_last) == *"is the newest already: nothing to move"* ]] && ok || bad "$dialect: rebase of the newest"
done

# under the migration lock, as deploy: a deploy running at the same moment
# cannot apply the migration while it is being moved
work="$tmp/postgresql"
export DATABASE_URL="$ZM_PG_URL/rebase"
mkdir -p "$work/migrations/20260106000000_locked"
printf 'CREATE TABLE "Locked" ("id" INTEGER);\n' >"$work/migrations/20260106000000_locked/migration.sql"
rm -rf "$work/migrations/20990101000000_last"
mkdir -p "$work/migrations/20990101000000_newest"
printf 'SELECT 1;\n' >"$work/migrations/20990101000000_newest/migration.sql"
psql -qAtX -d rebase -c 'SELECT pg_advisory_lock(72707369), pg_sleep(3)' >/dev/null &
holder=$!
sleep 0.5
start=$(date +%s%N)
out=$("$ZMC" migrate rebase 20260106000000_locked --schema "$work/schema.zmodel" 2>&1)
waited=$((($(date +%s%N) - start) / 1000000))
wait $holder
[[ $waited -ge 1500 && $out == *"Moved"* ]] && ok || bad "rebase did not wait for the migration lock (${waited} ms): $out"

finish cli.rebase
