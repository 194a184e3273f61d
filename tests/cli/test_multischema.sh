#!/usr/bin/env bash
# test_multischema.sh — a PostgreSQL datasource with `schemas = [...]`
# (tests/roundtrip/multischema.zmodel: tables and enums in three
# namespaces) through the commands that read a live database, on a server
# the test starts (no server is a failure). Every read covers the
# datasource's namespaces, not only the connection's schema:
#
#   migrate dev    a second run finds nothing to do; a model added in a
#                  namespace other than public is one CREATE TABLE; a
#                  column added by hand in one is drift
#   migrate diff   --from-url, --from-schema-datasource and --from-migrations
#                  against the schema are empty
#   migrate reset  empties every namespace of the list (and db push
#                  --force-reset too), then the history applies again
#   deploy         tables in a listed namespace and no history: P3005
#   db push        a second push is already in sync
#   db pull        pulls every namespace; a re-pull leaves the schema as
#                  it was; a column added in one is the only change
#   shadow         a role that may not create databases cannot replay a
#                  multiSchema history in a scratch schema: a clear error
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.multischema needs a PostgreSQL server and could not start one"
  exit 1
}
q() { psql -qAtX -d "$1" -c "$2"; }

proj="$tmp/proj"
mkdir -p "$proj/zenstack"
cp "$here/../roundtrip/multischema.zmodel" "$proj/zenstack/schema.zmodel"
psql -qX -c "CREATE DATABASE ms_dev" -c "CREATE DATABASE ms_push" >/dev/null
export DATABASE_URL="$ZM_PG_URL/ms_dev"
cd "$proj" || exit 1

# ---- migrate dev ----------------------------------------------------------------------------------
out=$("$ZMC" migrate dev -n init 2>&1) || bad "migrate dev -n init: $out"
tables=$(q ms_dev "SELECT string_agg(schemaname || '.' || tablename, ' ' ORDER BY (schemaname || '.' || tablename) COLLATE \"C\") FROM pg_tables WHERE schemaname IN ('public', 'auth', 'billing') AND tablename <> '_prisma_migrations'")
[[ $tables == 'auth.Account auth._AccountToGroup billing.Invoice public.Group' ]] && ok ||
  bad "the first migration should create the tables in their namespaces: $tables"
out=$("$ZMC" migrate dev -n again 2>&1)
[[ $? == 0 && $out == *"Already in sync"* && $(ls zenstack/migrations | grep -c _again) == 0 ]] && ok ||
  bad "a second migrate dev should find nothing to do: $out"
out=$("$ZMC" migrate status 2>&1)
[[ $? == 0 && $out == *"up to date"* ]] && ok || bad "migrate status: $out"

cat >>zenstack/schema.zmodel <<'EOF'

model Coupon {
  id   Int    @id
  code String @unique

  @@schema("billing")
}
EOF
out=$("$ZMC" migrate dev -n coupon 2>&1) || bad "migrate dev -n coupon: $out"
m=$(cat zenstack/migrations/*_coupon/migration.sql 2>/dev/null)
[[ $m == *'CREATE TABLE "billing"."Coupon"'* && $m != *'"Account"'* && $m != *'CREATE TYPE'* ]] && ok ||
  bad "the coupon migration should create billing.Coupon and nothing else: $m"
out=$("$ZMC" migrate dev -n again 2>&1)
[[ $? == 0 && $out == *"Already in sync"* ]] && ok || bad "migrate dev after coupon: $out"

# ---- migrate diff ----------------------------------------------------------------------------------
for from in "--from-url $DATABASE_URL" "--from-schema-datasource zenstack/schema.zmodel" \
  "--from-migrations zenstack/migrations --shadow-database-url $ZM_PG_URL/postgres"; do
  # shellcheck disable=SC2086
  out=$("$ZMC" migrate diff $from --to-schema zenstack/schema.zmodel --exit-code 2>&1)
  [[ $? == 0 ]] && ok || bad "migrate diff ${from%% *} --to-schema: $out"
done

# ---- db pull -------------------------------------------------------------------------------------
"$ZMC" format --schema zenstack/schema.zmodel >/dev/null
cp zenstack/schema.zmodel "$tmp/before.zmodel"
out=$("$ZMC" db pull 2>&1)
[[ $? == 0 && $out == *"Introspected 4 models and 1 enum"* ]] && ok || bad "db pull: $out"
cmp -s "$tmp/before.zmodel" zenstack/schema.zmodel && ok ||
  bad "a re-pull changed the schema: $(diff "$tmp/before.zmodel" zenstack/schema.zmodel)"
pulled=$("$ZMC" db pull --print --force 2>&1)
for want in 'model Coupon {' '@@schema("billing")' '@@schema("auth")' 'enum Plan {' \
  'Account *Account *@relation(fields: \[accountId\], references: \[id\])'; do
  grep -q -- "$want" <<<"$pulled" && ok || bad "db pull --force: no line matching '$want': $pulled"
done

# ---- drift in a namespace other than the connection's ----------------------------------------------
q ms_dev 'ALTER TABLE auth."Account" ADD COLUMN "nickname" TEXT' >/dev/null
out=$("$ZMC" migrate diff --from-url "$DATABASE_URL" --to-schema zenstack/schema.zmodel --exit-code 2>&1)
[[ $? == 2 && $out == *nickname* ]] && ok || bad "a column added in auth should be a difference: $out"
out=$("$ZMC" migrate dev -n drifted --create-only 2>&1 </dev/null)
[[ $? != 0 && $out == *rift* && $out == *nickname* ]] && ok || bad "migrate dev should report the drift: $out"
"$ZMC" db pull >/dev/null 2>&1
changes=$(diff "$tmp/before.zmodel" zenstack/schema.zmodel | grep '^[<>]')
[[ $changes == '>   nickname String?' ]] && ok || bad "a pull should add the column only, got: $changes"
cp "$tmp/before.zmodel" zenstack/schema.zmodel

# ---- migrate reset: every namespace of the list, not only the connection's ----------------------------
q ms_dev "INSERT INTO auth.\"Account\" (id, email) VALUES ('a1', 'a@x')" >/dev/null
out=$("$ZMC" migrate reset --force 2>&1)
[[ $? == 0 ]] && ok || bad "migrate reset: $out"
[[ $(q ms_dev 'SELECT count(*) FROM auth."Account"') == 0 &&
  $(q ms_dev "SELECT count(*) FROM information_schema.columns WHERE column_name = 'nickname'") == 0 ]] && ok ||
  bad "migrate reset left auth.Account's row or the hand-added column"
out=$("$ZMC" migrate dev -n again 2>&1)
[[ $? == 0 && $out == *"Already in sync"* ]] && ok || bad "migrate dev after the reset: $out"

# ---- P3005: tables in a listed namespace and no history: not an empty database ---------------------
psql -qX -c "CREATE DATABASE ms_p3005" >/dev/null
q "$ZM_PG_URL/ms_p3005" 'CREATE SCHEMA auth; CREATE TABLE auth."Legacy" ("id" INTEGER PRIMARY KEY)' >/dev/null
out=$(DATABASE_URL="$ZM_PG_URL/ms_p3005" "$ZMC" migrate deploy 2>&1)
[[ $? != 0 && $out == *P3005* && $(q "$ZM_PG_URL/ms_p3005" "SELECT to_regclass('_prisma_migrations') IS NULL") == t ]] && ok ||
  bad "a database with tables in auth only and no history should be refused (P3005): $out"

# ---- db push ----------------------------------------------------------------------------------------
export DATABASE_URL="$ZM_PG_URL/ms_push"
out=$("$ZMC" db push 2>&1) || bad "db push: $out"
out=$("$ZMC" db push 2>&1)
[[ $? == 0 && $out == *"already in sync"* ]] && ok || bad "a second db push should be in sync: $out"
q ms_push "INSERT INTO auth.\"Account\" (id, email) VALUES ('a1', 'a@x')" >/dev/null
out=$("$ZMC" db push --force-reset 2>&1)
[[ $? == 0 && $(q ms_push 'SELECT count(*) FROM auth."Account"') == 0 ]] && ok ||
  bad "db push --force-reset should empty auth.Account too: $out"

# ---- a listed namespace no model uses yet: read, pulled, reset all the same --------------------------
psql -qX -c "CREATE DATABASE ms_extra" >/dev/null
mkdir -p "$tmp/extra"
cat >"$tmp/extra/schema.zmodel" <<EOF
datasource db {
  provider = "postgresql"
  url      = "$ZM_PG_URL/ms_extra"
  schemas  = ["public", "extra"]
}

model A {
  id Int @id

  @@schema("public")
}
EOF
"$ZMC" db push --schema "$tmp/extra/schema.zmodel" >/dev/null 2>&1 || bad "db push of the extra project"
q ms_extra 'CREATE SCHEMA extra; CREATE TABLE extra."T" ("id" INTEGER PRIMARY KEY, "aId" INTEGER REFERENCES public."A" ("id"))'
out=$("$ZMC" migrate diff --from-url "$ZM_PG_URL/ms_extra" --to-schema "$tmp/extra/schema.zmodel" --script 2>&1)
[[ $out == *'DROP TABLE "extra"."T"'* ]] && ok || bad "a table in a listed namespace no model uses should be read: $out"
pulled=$("$ZMC" db pull --schema "$tmp/extra/schema.zmodel" --print 2>&1)
[[ $pulled == *'model T {'*'@@schema("extra")'* ]] && ok || bad "db pull should pull extra.T: $pulled"
"$ZMC" db push --schema "$tmp/extra/schema.zmodel" --force-reset >/dev/null 2>&1
[[ $(q ms_extra "SELECT count(*) FROM pg_tables WHERE schemaname = 'extra'") == 0 ]] && ok ||
  bad "db push --force-reset should empty the listed namespace extra"

# ---- shadow: a role that may not create databases ----------------------------------------------
psql -qX -c "CREATE ROLE ms_nocreatedb LOGIN NOCREATEDB" -c "CREATE DATABASE ms_role OWNER ms_nocreatedb" >/dev/null
export DATABASE_URL="${ZM_PG_URL/postgres@/ms_nocreatedb@}/ms_role"
out=$("$ZMC" migrate dev -n init 2>&1)
[[ $? != 0 && $out == *"multiSchema history"* && $out == *CREATEDB* ]] && ok ||
  bad "a role without CREATEDB should be told why a multiSchema history cannot be replayed: $out"
[[ $(q "$ZM_PG_URL/ms_role" "SELECT count(*) FROM pg_tables WHERE schemaname IN ('auth', 'billing')") == 0 ]] && ok ||
  bad "the refused replay left tables behind"

finish cli.multischema
