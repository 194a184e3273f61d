#!/usr/bin/env bash
# test_shadow.sh — what `migrate dev` may touch while it replays the history
# into a shadow database, on a PostgreSQL server the test starts (no server
# is a failure, never a skip), and migrate dev run concurrently (SQLite and
# PostgreSQL).
#
#   - A migration that names its schema (DELETE FROM public."Setting";
#     INSERT ..., as pg_dump or a DBA writes it) replayed on every migrate
#     dev: the live rows stay as the user left them, with a role that may
#     create databases (the replay runs in a temporary database) and with
#     one that may not (a scratch schema in a transaction rolled back).
#   - A shadow URL naming the live database is refused (migrate diff
#     --from-migrations, and the datasource's shadowDatabaseUrl).
#   - migrate dev interrupted mid-replay by SIGINT and SIGTERM drops its
#     shadow database and dies of the signal; one killed by SIGKILL leaves
#     it, and the next migrate dev drops it; in a transaction, a SIGKILL
#     leaves nothing at all.
#   - Four concurrent migrate dev on one schema change: one writes the
#     migration, the others find it under the lock ("Already in sync"),
#     not a missing migration and drift.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.shadow needs a PostgreSQL server and could not start one"
  exit 1
}

model='model Setting {\n  id    Int    @id\n  value String\n}\n'
project() { # DIR URL-EXPR [EXTRA-DATASOURCE-LINE]
  mkdir -p "$1"
  printf 'datasource db {\n  provider = "postgresql"\n  url      = %s\n%b}\n\n'"$model" "$2" "${3:-}" >"$1/schema.zmodel"
}
shadows() { psql -qAtX -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'zmc_shadow%'"; }
schemas() { psql -qAtX -d "$1" -c "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'zmc_shadow%'"; }

# ---- a history that writes to public."Setting" by name
seed_history() { # DIR DB: init by migrate dev, then the seed migration, applied
  local dir=$1 db=$2
  "$ZMC" migrate dev -n init --schema "$dir/schema.zmodel" >/dev/null 2>&1 || bad "$db: dev -n init"
  mkdir -p "$dir/migrations/29990101000000_seed"
  printf 'DELETE FROM public."Setting";\nINSERT INTO public."Setting" VALUES (1, '"'"'default'"'"');\n' \
    >"$dir/migrations/29990101000000_seed/migration.sql"
  "$ZMC" migrate deploy --schema "$dir/schema.zmodel" >/dev/null 2>&1 || bad "$db: deploy of the seed"
  psql -qAtX -d "$db" -c "UPDATE \"Setting\" SET value = 'live' WHERE id = 1; INSERT INTO \"Setting\" VALUES (2, 'user')"
}
rows() { psql -qAtX -d "$1" -c 'SELECT id, value FROM "Setting" ORDER BY id' | tr '\n' ' '; }

for role in postgres zmc_nocreatedb; do
  db=shadow_$role dir=$tmp/$role
  if [[ $role == postgres ]]; then
    psql -qX -c "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL="$ZM_PG_URL/$db"
  else
    psql -qX -c "CREATE ROLE $role LOGIN NOCREATEDB" -c "CREATE DATABASE $db OWNER $role" >/dev/null
    export DATABASE_URL="${ZM_PG_URL/\/\/*@/\/\/$role@}/$db"
  fi
  project "$dir" 'env("DATABASE_URL")'
  seed_history "$dir" "$db"
  for i in 1 2; do
    out=$("$ZMC" migrate dev -n again --schema "$dir/schema.zmodel" 2>&1)
    [[ $out == *"Already in sync"* ]] && ok || bad "$role: migrate dev $i: $out"
    [[ $(rows "$db") == "1|live 2|user " ]] && ok || bad "$role: migrate dev $i changed live rows: $(rows "$db")"
  done
  [[ $(shadows) == 0 && $(schemas "$db") == 0 ]] && ok || bad "$role: a shadow was left behind"
  out=$("$ZMC" migrate diff --from-migrations "$dir/migrations" --to-url "$DATABASE_URL" --exit-code \
    --shadow-database-url "$ZM_PG_URL/postgres" 2>&1)
  [[ $? == 0 ]] && ok || bad "$role: migrate diff --from-migrations with another shadow: $out"
  [[ $(rows "$db") == "1|live 2|user " ]] && ok || bad "$role: migrate diff changed live rows: $(rows "$db")"
done

# ---- a shadow URL naming the live database is refused
db=shadow_postgres dir=$tmp/postgres
export DATABASE_URL="$ZM_PG_URL/$db"
out=$("$ZMC" migrate diff --from-migrations "$dir/migrations" --to-url "$DATABASE_URL" \
  --shadow-database-url "${ZM_PG_URL/127.0.0.1/localhost}/$db" 2>&1)
[[ $? == 2 && $out == *"names the database being compared"* ]] && ok || bad "shadow URL = live (diff): $out"
project "$tmp/same" 'env("DATABASE_URL")' '  shadowDatabaseUrl = env("DATABASE_URL")\n'
cp -r "$dir/migrations" "$tmp/same/"
out=$("$ZMC" migrate dev --schema "$tmp/same/schema.zmodel" 2>&1)
[[ $? != 0 && $out == *"names the datasource's own database"* ]] && ok || bad "shadowDatabaseUrl = url (dev): $out"
[[ $(rows "$db") == "1|live 2|user " ]] && ok || bad "refused shadows changed live rows: $(rows "$db")"

# ---- interrupted mid-replay: a slow migration keeps the shadow busy
mkdir -p "$dir/migrations/29990101000001_slow"
printf 'SELECT pg_sleep(30);\n' >"$dir/migrations/29990101000001_slow/migration.sql"
psql -qAtX -d "$db" -c "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
  VALUES ('slow', '$(sha256sum "$dir/migrations/29990101000001_slow/migration.sql" | cut -d' ' -f1)',
          '29990101000001_slow', now(), now(), 1)"
wait_for_shadow() { # DB: until a shadow database (or, with DB, schema) exists; 20 s at most
  for _ in $(seq 200); do
    if [[ -n ${1:-} ]]; then [[ $(schemas "$1") != 0 ]] && return 0; else [[ $(shadows) != 0 ]] && return 0; fi
    sleep 0.1
  done
  return 1
}
for sig in INT TERM; do
  set -m   # job control: a background job would otherwise ignore SIGINT
  "$ZMC" migrate dev --schema "$dir/schema.zmodel" >"$tmp/out" 2>&1 &
  pid=$!
  set +m
  started=$SECONDS
  wait_for_shadow && ok || bad "SIG$sig: no shadow database appeared"
  sleep 0.3
  kill -$sig $pid
  wait $pid
  rc=$?
  [[ $rc == $((128 + $(kill -l $sig))) ]] && ok || bad "SIG$sig: exit status $rc: $(cat "$tmp/out")"
  [[ $(shadows) == 0 ]] && ok || bad "SIG$sig: the shadow database was left behind"
  ((SECONDS - started < 15)) && ok || bad "SIG$sig: zmc waited for the slow migration instead of stopping it"
done
"$ZMC" migrate dev --schema "$dir/schema.zmodel" >"$tmp/out" 2>&1 &
pid=$!
wait_for_shadow && ok || bad "SIGKILL: no shadow database appeared"
kill -KILL $pid
wait $pid 2>/dev/null
left=$(psql -qAtX -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'zmc_shadow%'")
[[ -n $left ]] && ok || bad "SIGKILL: no shadow database to sweep"
# the server would notice the lost client at the slow statement's end: now
psql -qAtX -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$left'" >/dev/null
# made two minutes older, as if left by an earlier run
if [[ $left =~ ^zmc_shadow_([0-9]+)_([0-9]+)_([0-9]+)$ ]]; then
  old="zmc_shadow_${BASH_REMATCH[1]}_$((BASH_REMATCH[2] - 120))_${BASH_REMATCH[3]}"
  for _ in $(seq 50); do # until the server has noticed the lost connection
    psql -qX -d postgres -c "ALTER DATABASE \"$left\" RENAME TO \"$old\"" >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
rm -r "$dir/migrations/29990101000001_slow"
psql -qAtX -d "$db" -c "DELETE FROM _prisma_migrations WHERE id = 'slow'"
out=$("$ZMC" migrate dev --schema "$dir/schema.zmodel" 2>&1)
[[ $out == *"Already in sync"* && $out == *"dropped $old"* ]] && ok || bad "SIGKILL: the next dev: $out"
[[ $(shadows) == 0 ]] && ok || bad "SIGKILL: the stale shadow database was not swept"

# a role that may not create databases: the shadow is a transaction, and a
# SIGKILL mid-replay leaves nothing once the server sees the connection go
role=zmc_nocreatedb db=shadow_$role dir=$tmp/$role
export DATABASE_URL="${ZM_PG_URL/\/\/*@/\/\/$role@}/$db"
mkdir -p "$dir/migrations/29990101000001_slow"
printf 'SELECT pg_sleep(30);\n' >"$dir/migrations/29990101000001_slow/migration.sql"
psql -qAtX -d "$db" -c "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
  VALUES ('slow', '$(sha256sum "$dir/migrations/29990101000001_slow/migration.sql" | cut -d' ' -f1)',
          '29990101000001_slow', now(), now(), 1)"
"$ZMC" migrate dev --schema "$dir/schema.zmodel" >"$tmp/out" 2>&1 &
pid=$!
sleep 1.5   # inside the transaction: its schema is not visible from outside
kill -KILL $pid
wait $pid 2>/dev/null
for _ in $(seq 50); do [[ $(schemas "$db") == 0 ]] && break; sleep 0.1; done
[[ $(schemas "$db") == 0 && $(shadows) == 0 ]] && ok || bad "SIGKILL in a transaction: a shadow was left"
[[ $(rows "$db") == "1|live 2|user " ]] && ok || bad "SIGKILL in a transaction: live rows changed: $(rows "$db")"

# ---- four concurrent migrate dev on one change (SQLite and PostgreSQL)
for dialect in sqlite postgresql; do
  dir=$tmp/concurrent-$dialect
  mkdir -p "$dir"
  if [[ $dialect == sqlite ]]; then url='"file:./dev.db"'; else
    psql -qX -c "CREATE DATABASE concurrent" >/dev/null
    export DATABASE_URL="$ZM_PG_URL/concurrent" url='env("DATABASE_URL")'
  fi
  printf 'datasource db {\n  provider = "%s"\n  url      = %s\n}\n\n'"$model" $dialect "$url" >"$dir/schema.zmodel"
  "$ZMC" migrate dev -n init --schema "$dir/schema.zmodel" >/dev/null 2>&1 || bad "$dialect concurrent: init"
  printf 'model Note {\n  id Int @id\n}\n' >>"$dir/schema.zmodel"
  pids=()
  for i in 1 2 3 4; do
    "$ZMC" migrate dev -n note --schema "$dir/schema.zmodel" >"$tmp/c$i" 2>&1 &
    pids+=($!)
  done
  failed=0
  for i in 1 2 3 4; do wait "${pids[$((i - 1))]}" || { failed=1; bad "$dialect concurrent dev $i: $(cat "$tmp/c$i")"; }; done
  ((failed == 0)) && ok
  n=$(find "$dir/migrations" -mindepth 1 -maxdepth 1 -type d -name '*_note' | wc -l)
  [[ $n == 1 ]] && ok || bad "$dialect concurrent: $n migrations named note"
  "$ZMC" migrate status --schema "$dir/schema.zmodel" >/dev/null 2>&1 && ok || bad "$dialect concurrent: not in sync"
done

# SQLite: a history that ATTACHes the live file. Replayed in the in-memory
# shadow (migrate diff holds no lock on the live file) it deleted the live rows.
sq=$tmp/attach
mkdir -p "$sq/migrations/20200101000000_init" "$sq/migrations/20200102000000_data"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\nmodel Setting {\n  id Int    @id\n  v  String\n}\n' >"$sq/schema.zmodel"
printf 'CREATE TABLE "Setting" ("id" INTEGER NOT NULL PRIMARY KEY, "v" TEXT NOT NULL);\n' >"$sq/migrations/20200101000000_init/migration.sql"
printf "ATTACH DATABASE '%s' AS live;\nDELETE FROM live.\"Setting\";\nDETACH DATABASE live;\n" "$sq/dev.db" \
  >"$sq/migrations/20200102000000_data/migration.sql"
sqlite3 "$sq/dev.db" 'CREATE TABLE "Setting" ("id" INTEGER NOT NULL PRIMARY KEY, "v" TEXT NOT NULL); INSERT INTO "Setting" VALUES (1, '"'live'"')'
if out=$("$ZMC" migrate diff --from-migrations "$sq/migrations" --to-schema "$sq/schema.zmodel" --script 2>&1); then
  bad "a history that attaches a database should not be replayed"
elif [[ $out == *"cannot be replayed in the shadow database"* ]]; then ok; else bad "ATTACH refusal: $out"; fi
if [[ $(sqlite3 "$sq/dev.db" 'SELECT v FROM "Setting"') == live ]]; then ok; else bad "the replay changed the live SQLite file"; fi

finish cli.shadow
