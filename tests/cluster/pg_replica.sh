#!/usr/bin/env bash
# pg_replica.sh — zmc against a PostgreSQL primary with one streaming
# replica (pg_basebackup -R), both started by the test (tests/support/pg.sh;
# no server is a failure):
#
#   - `migrate status`, `migrate diff --from-url` and `db pull` against the replica
#     work, write nothing and take no lock (a session holding the migration
#     lock there does not make them wait);
#   - `migrate deploy`, `db push` and `migrate resolve` against the replica
#     are refused before anything is done, with a message that says why;
#   - `migrate deploy --wait-replicas` on the primary returns when the
#     replica has replayed the migrations (the tables are there on it at
#     once), and with replay paused it times out, exit 1, listing how far
#     behind the replica is; the migration stays applied on the primary.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start && zm_pg_start_replica || {
  echo "FAIL: cluster.pg_replica needs a PostgreSQL primary and replica and could not start them"
  exit 1
}
primary() { psql -qAtX -d "$ZM_PG_URL/$1" -c "$2"; }
replica() { psql -qAtX -d "$ZM_PG_REPLICA_URL/$1" -c "$2"; }

# the project on the primary, and the same folder seen through the replica
w="$tmp/app"
mkdir -p "$w/zenstack"
model() { # URL FILE
  cat >"$2" <<EOF
datasource db {
  provider = "postgresql"
  url      = "$1"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
$(cat)
}
EOF
}
echo "" | model "$ZM_PG_URL/app" "$w/zenstack/schema.zmodel"
out=$(cd "$w" && "$ZMC" migrate dev -n init 2>&1) || bad "migrate dev on the primary: $out"
out=$(cd "$w" && "$ZMC" migrate deploy --wait-replicas 2>&1)
[[ $? == 0 && $out == *"Replicas: 1 of 1 replayed the migrations"* ]] && ok || bad "deploy --wait-replicas, nothing pending: $out"
echo "" | model "$ZM_PG_REPLICA_URL/app" "$w/zenstack/replica.zmodel"

# read-only commands on the replica, while a session there holds the
# migration lock (advisory lock 72707369): they must not wait for it
psql -qAtX -d "$ZM_PG_REPLICA_URL/app" -c 'SELECT pg_advisory_lock(72707369)' -c 'SELECT pg_sleep(30)' >/dev/null 2>&1 &
holder=$!
sleep 1
start=$(date +%s)
out=$("$ZMC" migrate status --schema "$w/zenstack/replica.zmodel" 2>&1)
[[ $? == 0 && $out == *"Database schema is up to date"* ]] && ok || bad "status on the replica: $out"
out=$("$ZMC" migrate diff --from-url "$ZM_PG_REPLICA_URL/app" --to-schema "$w/zenstack/schema.zmodel" --exit-code 2>&1)
[[ $? == 0 ]] && ok || bad "diff --from-url the replica: $out"
out=$("$ZMC" migrate status --schema "$w/zenstack/replica.zmodel" --json 2>&1)
[[ $? == 0 && $(jq -r .inSync <<<"$out") == true ]] && ok || bad "status --json on the replica: $out"
out=$("$ZMC" db pull --schema "$w/zenstack/replica.zmodel" --print 2>&1)
[[ $? == 0 && $out == *"model User {"* ]] && ok || bad "db pull --print from the replica: $out"
(($(date +%s) - start < 10)) && ok || bad "the read-only commands waited for the migration lock"
kill "$holder" 2>/dev/null

# commands that write, on the replica: refused before anything
for cmd in "migrate deploy" "db push" "migrate resolve --applied x"; do
  # shellcheck disable=SC2086
  out=$("$ZMC" $cmd --schema "$w/zenstack/replica.zmodel" 2>&1)
  [[ $? == 1 && $out == *"takes no writes"* && $out == *"primary"* ]] && ok || bad "$cmd on the replica: $out"
done

# a second migration, deployed on the primary, waited for on the replica
printf '  name  String?\n' | model "$ZM_PG_URL/app" "$w/zenstack/schema.zmodel"
out=$(cd "$w" && "$ZMC" migrate dev -n add_name --create-only 2>&1) || bad "migrate dev --create-only: $out"
out=$(cd "$w" && "$ZMC" migrate deploy --wait-replicas --replica-timeout 30 2>&1)
[[ $? == 0 && $out == *"Replicas: 1 of 1 replayed the migrations"* ]] && ok || bad "deploy --wait-replicas: $out"
[[ $(replica app "SELECT count(*) FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'name'") == 1 ]] &&
  ok || bad "the replica has no column name right after deploy --wait-replicas returned"

# replay paused on the replica: the wait times out, saying how far behind
replica app 'SELECT pg_wal_replay_pause()' >/dev/null
printf '  name  String?\n  age   Int?\n' | model "$ZM_PG_URL/app" "$w/zenstack/schema.zmodel"
out=$(cd "$w" && "$ZMC" migrate dev -n add_age --create-only 2>&1) || bad "migrate dev --create-only: $out"
out=$(cd "$w" && "$ZMC" migrate deploy --wait-replicas --replica-timeout 1 2>&1)
[[ $? == 1 && $out == *"timed out"* && $out == *"bytes behind"* ]] && ok || bad "deploy --wait-replicas, replay paused: $out"
[[ $(primary app "SELECT count(*) FROM _prisma_migrations WHERE migration_name LIKE '%add_age' AND finished_at IS NOT NULL") == 1 ]] &&
  ok || bad "the migration is not applied on the primary"
replica app 'SELECT pg_wal_replay_resume()' >/dev/null

# a dialect that cannot tell (SQLite): an error, the migrations applied
s="$tmp/lite"
mkdir -p "$s/zenstack"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\nmodel A {\n  id Int @id\n}\n' >"$s/zenstack/schema.zmodel"
(cd "$s" && "$ZMC" migrate dev -n init >/dev/null 2>&1)
out=$(cd "$s" && "$ZMC" migrate deploy --wait-replicas 2>&1)
[[ $? == 1 && $out == *"cannot tell"* ]] && ok || bad "--wait-replicas on SQLite: $out"

finish cluster.pg_replica
