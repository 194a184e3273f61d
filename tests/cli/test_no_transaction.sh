#!/usr/bin/env bash
# test_no_transaction.sh — migrations holding what PostgreSQL refuses inside
# a transaction block, on a server the test starts (no server is a failure):
#
#   CREATE INDEX CONCURRENTLY   deploys outside a transaction, statement by
#                               statement (PostgreSQL's parser finds it, not a
#                               regular expression: the word in a comment or
#                               a string changes nothing); migrate dev replays
#                               it in its shadow database and is in sync
#   a failure midway            a unique index built concurrently on
#                               duplicate values: the statement before it
#                               stays, the record says failed with how far it
#                               got, the message explains the INVALID index
#                               left behind and the exact `migrate resolve`;
#                               fixed and resolved, the next deploy applies it
#   ADD VALUE, then used        an enum value added and used in the same
#                               migration (55P04 in one transaction) deploys
#   no CREATEDB                 migrate dev, whose shadow is then a rolled-back
#                               transaction, says which statement cannot be
#                               replayed there and what to do
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.no_transaction needs a PostgreSQL server and could not start one"
  exit 1
}

work="$tmp/project"
mkdir -p "$work"
export DATABASE_URL="$ZM_PG_URL/notx"
psql -qAtX -c 'CREATE DATABASE notx' >/dev/null
q() { psql -qAtX -d notx -c "$1"; }
migration() { mkdir -p "$work/migrations/$1" && printf '%s\n' "$2" >"$work/migrations/$1/migration.sql"; }
deploy() { "$ZMC" migrate deploy --schema "$work/schema.zmodel" "$@" 2>&1; }
rows() { q "SELECT migration_name || ':' || (finished_at IS NOT NULL) || ':' || applied_steps_count FROM _prisma_migrations ORDER BY migration_name" | tr '\n' ' '; }

cat >"$work/schema.zmodel" <<'EOF'
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model Item {
  id Int @id
  x  Int
  @@index([x])
}
EOF

# ---- CREATE INDEX CONCURRENTLY on a table with rows ------------------------------------------
migration 1_items $'CREATE TABLE "Item" ("id" INTEGER NOT NULL, "x" INTEGER NOT NULL, CONSTRAINT "Item_pkey" PRIMARY KEY ("id"));\nINSERT INTO "Item" VALUES (1, 10), (2, 10), (3, 30);'
migration 2_index $'-- built without blocking writes\nCREATE INDEX CONCURRENTLY "Item_x_idx" ON "Item"("x");'
out=$(deploy)
rc=$?
[[ $rc == 0 ]] && ok || bad "concurrently: deploy exited $rc: $out"
[[ $out == *'Applying migration `2_index` outside a transaction (line 2: CREATE INDEX CONCURRENTLY cannot run inside a transaction block)'* ]] &&
  ok || bad "concurrently: the report does not say why it ran outside a transaction: $out"
[[ $out != *'`1_items` outside'* ]] && ok || bad "concurrently: a plain migration ran outside a transaction: $out"
[[ $(q "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"Item_x_idx\"'::regclass") == t ]] &&
  ok || bad "concurrently: the index is missing or invalid"
[[ $(rows) == "1_items:true:1 2_index:true:1 " ]] && ok || bad "concurrently: _prisma_migrations: $(rows)"

# the words alone change nothing: a comment and a string that say CONCURRENTLY
migration 3_words $'-- CREATE INDEX CONCURRENTLY would be refused here\nCOMMENT ON TABLE "Item" IS \'CREATE INDEX CONCURRENTLY\';'
out=$(deploy)
[[ $? == 0 && $out == *'Applying migration `3_words`'* && $out != *'`3_words` outside'* ]] &&
  ok || bad "words: a migration that only mentions CONCURRENTLY ran outside a transaction: $out"

# migrate dev replays the history, CONCURRENTLY included, in its shadow database
out=$("$ZMC" migrate dev --schema "$work/schema.zmodel" 2>&1)
[[ $? == 0 && $out == *"Already in sync"* ]] && ok || bad "dev: the shadow replay of CONCURRENTLY: $out"

# ---- a failure midway: a unique index on duplicate values -----------------------------------
migration 4_unique $'CREATE TABLE "Audit" ("id" INTEGER);\nCREATE UNIQUE INDEX CONCURRENTLY "Item_x_key" ON "Item"("x");'
out=$(deploy)
rc=$?
[[ $rc == 1 ]] && ok || bad "midway: deploy exited $rc: $out"
[[ $out == *'migration `4_unique` failed to apply at statement 2 of 2 (P3018). It runs outside a transaction (line 2: CREATE UNIQUE INDEX CONCURRENTLY cannot run inside a transaction block), so its first statement stays applied'* ]] &&
  ok || bad "midway: the message: $out"
[[ $out == *"marked INVALID"*"DROP INDEX CONCURRENTLY"* ]] && ok || bad "midway: no word of the INVALID index: $out"
[[ $out == *"zmc migrate resolve --rolled-back 4_unique"* && $out == *"zmc migrate resolve --applied 4_unique"* ]] &&
  ok || bad "midway: the resolve commands: $out"
[[ $(q "SELECT count(*) FROM pg_tables WHERE tablename = 'Audit'") == 1 ]] && ok || bad "midway: the first statement was undone"
[[ $(q "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"Item_x_key\"'::regclass") == f ]] &&
  ok || bad "midway: PostgreSQL left no INVALID index (the test's premise)"
[[ $(rows) == "1_items:true:1 2_index:true:1 3_words:true:1 4_unique:false:0 " ]] && ok || bad "midway: _prisma_migrations: $(rows)"
logs=$(q "SELECT logs FROM _prisma_migrations WHERE migration_name = '4_unique'")
[[ $logs == *"Failed at statement 2 of 2"*"It runs outside a transaction"*"marked INVALID"* && $logs == *"23505"* ]] &&
  ok || bad "midway: the record's logs: $logs"
json=$(deploy --json)
[[ $(jq -r '.error.code' <<<"$json" 2>/dev/null) == P3009 &&
  $(jq -r '.error.message' <<<"$json" 2>/dev/null) == *"Failed at statement 2 of 2"*"marked INVALID"* ]] &&
  ok || bad "midway: --json of the next deploy: $json"

# fixed as the message says: undone by hand, resolved, made valid, deployed
q 'DROP INDEX CONCURRENTLY "Item_x_key"' >/dev/null
q 'DROP TABLE "Audit"' >/dev/null
"$ZMC" migrate resolve --rolled-back 4_unique --schema "$work/schema.zmodel" >/dev/null 2>&1 || bad "midway: resolve failed"
q "UPDATE \"Item\" SET x = 20 WHERE id = 2" >/dev/null
out=$(deploy)
[[ $? == 0 && $(q "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"Item_x_key\"'::regclass") == t ]] &&
  ok || bad "midway: the fixed migration did not deploy: $out"

# ---- an enum value added and used in one migration -------------------------------------------
migration 5_role $'CREATE TYPE "Role" AS ENUM (\'USER\');\nALTER TABLE "Item" ADD COLUMN "role" "Role" NOT NULL DEFAULT \'USER\';'
migration 6_admin $'ALTER TYPE "Role" ADD VALUE \'ADMIN\';\nUPDATE "Item" SET "role" = \'ADMIN\' WHERE "id" = 1;'
out=$(deploy)
[[ $? == 0 && $out == *'`6_admin` outside a transaction (line 1: ALTER TYPE ... ADD VALUE adds an enum value that a later statement uses'* ]] &&
  ok || bad "enum: deploy: $out"
[[ $(q 'SELECT "role" FROM "Item" WHERE "id" = 1') == ADMIN ]] && ok || bad "enum: the value was not used"
[[ $out != *'`5_role` outside'* ]] && ok || bad "enum: the plain migration ran outside a transaction"

# ---- migrate down and db execute run such a script the same way ---------------------------------
down="$tmp/down"
mkdir -p "$down/migrations/1_t" "$down/migrations/2_i"
psql -qAtX -c 'CREATE DATABASE notx_down' >/dev/null
printf 'datasource db {\n  provider = "postgresql"\n  url      = "%s/notx_down"\n}\n' "$ZM_PG_URL" >"$down/schema.zmodel"
printf 'CREATE TABLE "T" ("x" INTEGER);\n' >"$down/migrations/1_t/migration.sql"
printf 'CREATE INDEX CONCURRENTLY "T_x_idx" ON "T"("x");\n' >"$down/migrations/2_i/migration.sql"
printf 'DROP INDEX CONCURRENTLY "T_x_idx";\n' >"$down/migrations/2_i/down.sql"
dq() { psql -qAtX -d notx_down -c "$1"; }
"$ZMC" migrate deploy --schema "$down/schema.zmodel" >/dev/null 2>&1 || bad "down: deploy"
out=$("$ZMC" migrate down --schema "$down/schema.zmodel" 2>&1)
[[ $? == 0 && $out == *"Reverted 1 migration"* && $(dq "SELECT count(*) FROM pg_indexes WHERE indexname = 'T_x_idx'") == 0 ]] &&
  ok || bad "down.sql with DROP INDEX CONCURRENTLY: $out"
out=$(printf 'CREATE INDEX CONCURRENTLY "T_x_idx" ON "T"("x");\n' | "$ZMC" db execute --stdin --schema "$down/schema.zmodel" 2>&1)
[[ $? == 0 && $(dq "SELECT count(*) FROM pg_indexes WHERE indexname = 'T_x_idx'") == 1 ]] && ok || bad "db execute CONCURRENTLY: $out"

# ---- a role that may not create databases: the shadow is a transaction --------------------------
role=zmc_notx_nocreatedb
psql -qX -c "CREATE ROLE $role LOGIN NOCREATEDB" -c "CREATE DATABASE notx_role OWNER $role" >/dev/null
mkdir -p "$tmp/role"
cp -r "$work/migrations" "$work/schema.zmodel" "$tmp/role/"
rm -rf "$tmp/role/migrations/4_unique" "$tmp/role/migrations/5_role" "$tmp/role/migrations/6_admin"
export DATABASE_URL="${ZM_PG_URL/\/\/*@/\/\/$role@}/notx_role"
"$ZMC" migrate deploy --schema "$tmp/role/schema.zmodel" >/dev/null 2>&1 || bad "no CREATEDB: deploy failed"
out=$("$ZMC" migrate dev --schema "$tmp/role/schema.zmodel" 2>&1)
rc=$?
[[ $rc == 1 && $out == *'migration `2_index` cannot be replayed in the shadow'"'"'s transaction: line 2: CREATE INDEX CONCURRENTLY cannot run inside a transaction block'* &&
  $out == *"CREATEDB"*"shadowDatabaseUrl"* ]] && ok || bad "no CREATEDB: exit $rc: $out"

finish cli.no_transaction
