#!/usr/bin/env bash
# test_migrate_deploy.sh — `zmc migrate deploy | status | resolve` on a SQLite
# file and on a PostgreSQL server the test starts (tests/support/pg.sh; no
# server is a failure, never a skip).
#
# Records: folders applied in name order, one finished `_prisma_migrations`
# row each with the file's SHA-256; status in sync, pending, failed,
# modified. Reliability: a migration that fails midway leaves the catalog
# and the data exactly as before and is recorded as failed, and deploy then
# refuses until it is resolved; an edited applied migration is refused
# (CRLF line endings are not an edit); 8 concurrent deploys apply every
# migration exactly once; `kill -9` at random moments never leaves half a
# migration, and the next deploy finishes the job. Also P3005 (a database
# with tables and no history) with its baseline, and P3019 (lock file).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.migrate_deploy needs a PostgreSQL server and could not start one"
  exit 1
}

# setup DIALECT NAME: a project folder $work with schema.zmodel whose
# datasource is a fresh database (SQLite file, or PostgreSQL database NAME).
setup() {
  dialect=$1 work="$tmp/$1-$2" db=$2
  mkdir -p "$work/migrations"
  if [[ $dialect == sqlite ]]; then
    printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$work/schema.zmodel"
  else
    printf 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n' >"$work/schema.zmodel"
    export DATABASE_URL="$ZM_PG_URL/$db"
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null
  fi
  printf 'model Placeholder {\n  id Int @id\n}\n' >>"$work/schema.zmodel"
}

# q SQL: run it on the project's database; rows as a|b.
q() {
  if [[ $dialect == sqlite ]]; then sqlite3 "$work/dev.db" "$1"; else psql -qAtX -d "$db" -c "$1"; fi
}

# catalog: the database's schema and its rows of Counter, for before/after.
catalog() {
  if [[ $dialect == sqlite ]]; then
    sqlite3 "$work/dev.db" .schema 'SELECT n FROM "Counter" ORDER BY n' 2>&1
  else
    pg_dump --schema-only --no-owner -d "$db" | grep -v '^--\|^\\\(un\)\{0,1\}restrict '
    psql -qAtX -d "$db" -c 'SELECT n FROM "Counter" ORDER BY n' 2>&1
  fi
}

# mig NAME SQL: write migrations/NAME/migration.sql.
mig() { mkdir -p "$work/migrations/$1" && printf '%s\n' "$2" >"$work/migrations/$1/migration.sql"; }

deploy() { "$ZMC" migrate deploy --schema "$work/schema.zmodel" "$@"; }
status() { "$ZMC" migrate status --schema "$work/schema.zmodel" "$@"; }
resolve() { "$ZMC" migrate resolve --schema "$work/schema.zmodel" "$@"; }

# SQL that differs per dialect.
autoid() { [[ $dialect == sqlite ]] && echo "INTEGER PRIMARY KEY AUTOINCREMENT" || echo "SERIAL PRIMARY KEY"; }

for dialect in sqlite postgresql; do
  # ---- records: deploy in order, rows, status
  setup $dialect records
  mig 20260101000000_init "CREATE TABLE \"User\" (\"id\" $(autoid), \"email\" TEXT NOT NULL);
CREATE TABLE \"Counter\" (\"n\" INTEGER NOT NULL);
INSERT INTO \"Counter\" VALUES (1);"
  mig 20260102000000_post "CREATE TABLE \"Post\" (\"id\" $(autoid), \"title\" TEXT);
INSERT INTO \"Counter\" VALUES (2);"
  out=$(deploy 2>&1)
  if [[ $? == 0 && $out == *"2 migrations found"* && $out == *"Applying migration \`20260101000000_init\`"* &&
    $out == *"All migrations have been successfully applied."* ]]; then ok; else bad "$dialect: first deploy: $out"; fi
  rows=$(q 'SELECT migration_name, checksum, applied_steps_count, finished_at IS NOT NULL, logs IS NULL, rolled_back_at IS NULL FROM _prisma_migrations ORDER BY started_at')
  t=$([[ $dialect == sqlite ]] && echo 1 || echo t)
  want="20260101000000_init|$(sha256sum <"$work/migrations/20260101000000_init/migration.sql" | cut -d' ' -f1)|1|$t|$t|$t
20260102000000_post|$(sha256sum <"$work/migrations/20260102000000_post/migration.sql" | cut -d' ' -f1)|1|$t|$t|$t"
  if [[ $rows == "$want" ]]; then ok; else bad "$dialect: _prisma_migrations rows: got '$rows', want '$want'"; fi
  if [[ $(q 'SELECT length(id) FROM _prisma_migrations LIMIT 1') == 36 ]]; then ok; else bad "$dialect: ids are not UUIDs"; fi
  if [[ $(q 'SELECT n FROM "Counter" ORDER BY n' | tr '\n' ' ') == "1 2 " ]]; then ok; else bad "$dialect: migrations' data"; fi
  if [[ $(tr -d '\n' <<<"$(status 2>&1)") == *"Database schema is up to date!"* ]]; then ok; else bad "$dialect: status after deploy"; fi
  if deploy 2>&1 | grep -q "No pending migrations to apply."; then ok; else bad "$dialect: a second deploy is not a no-op"; fi

  mig 20260103000000_tag "CREATE TABLE \"Tag\" (\"id\" $(autoid), \"label\" TEXT);
INSERT INTO \"Counter\" VALUES (3);"
  out=$(status 2>&1)
  if [[ $? == 1 && $out == *"have not been applied yet"*"20260103000000_tag"* ]]; then ok; else bad "$dialect: status with a pending migration: $out"; fi
  out=$(status --json 2>/dev/null)
  if [[ $out == *'"pending": ['*'"20260103000000_tag"'* && $out == *'"inSync": false'* ]]; then ok; else bad "$dialect: status --json: $out"; fi
  out=$(deploy --json 2>/dev/null)
  if [[ $? == 0 && $out == *'"applied": ['*'"20260103000000_tag"'* && $out == *'"ok": true'* ]]; then ok; else bad "$dialect: deploy --json: $out"; fi

  # ---- a migration that fails midway: nothing of it stays; recorded as failed
  mig 20260104000000_bad "CREATE TABLE \"Half\" (\"id\" INTEGER);
ALTER TABLE \"User\" ADD COLUMN \"age\" INTEGER;
INSERT INTO \"Counter\" VALUES (4);
INSERT INTO \"Missing\" VALUES (1);
CREATE TABLE \"Never\" (\"id\" INTEGER);"
  before=$(catalog)
  out=$(deploy 2>&1)
  if [[ $? == 1 && $out == *"20260104000000_bad"*"failed to apply"* && $out == *Missing* ]]; then ok; else bad "$dialect: failing deploy: $out"; fi
  # stdout and stderr on one pipe: the error comes after the progress it stops
  if [[ $out == *'Applying migration `20260104000000_bad`'*"error:"* ]]; then ok; else bad "$dialect: the error is printed before the progress lines: $out"; fi
  after=$(catalog)
  if [[ "$before" == "$after" ]]; then ok; else bad "$dialect: the failed migration left changes: $(diff <(echo "$before") <(echo "$after") | head -10)"; fi
  if [[ $(q "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20260104000000_bad' AND finished_at IS NULL AND rolled_back_at IS NULL AND logs LIKE '%Missing%'") == 1 ]]; then ok; else
    bad "$dialect: the failure is not recorded"
  fi
  out=$(status 2>&1)
  if [[ $? == 1 && $out == *"failed to apply"*"20260104000000_bad"* ]]; then ok; else bad "$dialect: status with a failed migration: $out"; fi
  out=$(deploy 2>&1)
  if [[ $? == 1 && $out == *P3009* ]]; then ok; else bad "$dialect: deploy with a failed migration is not refused: $out"; fi
  # resolve: fix the file, mark the attempt rolled back, deploy again
  out=$(resolve --rolled-back 20260103000000_tag 2>&1)
  if [[ $? == 1 && $out == *P3012* ]]; then ok; else bad "$dialect: resolve --rolled-back of an applied migration: $out"; fi
  mig 20260104000000_bad "CREATE TABLE \"Half\" (\"id\" INTEGER);
INSERT INTO \"Counter\" VALUES (4);"
  if resolve --rolled-back 20260104000000_bad >/dev/null 2>&1 && deploy >/dev/null 2>&1 &&
    [[ $(q 'SELECT n FROM "Counter" ORDER BY n' | tr '\n' ' ') == "1 2 3 4 " ]] && status >/dev/null 2>&1; then ok; else
    bad "$dialect: resolve --rolled-back then deploy"
  fi
  if [[ $(q "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20260104000000_bad'") == 2 ]]; then ok; else
    bad "$dialect: a retry is a new row"
  fi

  # ---- an applied migration edited since
  cp "$work/migrations/20260102000000_post/migration.sql" "$tmp/keep.sql"
  echo "-- an edit" >>"$work/migrations/20260102000000_post/migration.sql"
  out=$(deploy 2>&1)
  if [[ $? == 1 && $out == *"modified after they were applied"*"20260102000000_post"* ]]; then ok; else bad "$dialect: an edited migration is not refused: $out"; fi
  out=$(status 2>&1)
  if [[ $? == 1 && $out == *"modified after"*"20260102000000_post"* ]]; then ok; else bad "$dialect: status misses an edited migration: $out"; fi
  if deploy --allow-modified >/dev/null 2>&1; then ok; else bad "$dialect: --allow-modified"; fi
  sed 's/$/\r/' "$tmp/keep.sql" >"$work/migrations/20260102000000_post/migration.sql"   # CRLF checkout
  if status >/dev/null 2>&1; then ok; else bad "$dialect: CRLF line endings count as an edit"; fi
  cp "$tmp/keep.sql" "$work/migrations/20260102000000_post/migration.sql"

  # ---- resolve errors; the lock file's provider
  out=$(resolve --applied 20260101000000_init 2>&1)
  if [[ $? == 1 && $out == *P3008* ]]; then ok; else bad "$dialect: resolve --applied twice: $out"; fi
  out=$(resolve --applied 20990101000000_nope 2>&1)
  if [[ $? == 1 && $out == *P3017* ]]; then ok; else bad "$dialect: resolve of a missing folder: $out"; fi
  printf 'provider = "mysql"\n' >"$work/migrations/migration_lock.toml"
  out=$(deploy 2>&1)
  if [[ $? == 1 && $out == *P3019* ]]; then ok; else bad "$dialect: lock file provider mismatch: $out"; fi
  printf 'provider = "%s"\n' $dialect >"$work/migrations/migration_lock.toml"
  if deploy >/dev/null 2>&1; then ok; else bad "$dialect: matching lock file"; fi

  # ---- a database with tables but no history: P3005, then a baseline
  setup $dialect baseline
  mig 20260101000000_init "CREATE TABLE \"User\" (\"id\" INTEGER);"
  mig 20260102000000_next "CREATE TABLE \"Post\" (\"id\" INTEGER);"
  q 'CREATE TABLE "User" ("id" INTEGER)' >/dev/null
  out=$(deploy 2>&1)
  if [[ $? == 1 && $out == *P3005* ]]; then ok; else bad "$dialect: a non-empty database without history: $out"; fi
  out=$(status 2>&1)
  if [[ $? == 1 && $out == *"resolve --applied 20260101000000_init"* ]]; then ok; else bad "$dialect: status of an unmanaged database: $out"; fi
  if resolve --applied 20260101000000_init >/dev/null 2>&1 && deploy >/dev/null 2>&1 && status >/dev/null 2>&1; then ok; else
    bad "$dialect: baseline with resolve --applied"
  fi

  # ---- 8 concurrent deploys: every migration exactly once
  setup $dialect concurrent
  mig 20260101000000_init 'CREATE TABLE "Counter" ("n" INTEGER NOT NULL);'
  for i in $(seq 2 12); do mig "202601010000$(printf %02d $i)_m$i" "CREATE TABLE \"T$i\" (\"id\" INTEGER);
INSERT INTO \"Counter\" VALUES ($i);"; done
  [[ $dialect == sqlite ]] && : >"$work/dev.db"
  pids=()
  for p in $(seq 8); do deploy >"$tmp/c$p.out" 2>&1 & pids+=($!); done
  rcs=
  for pid in "${pids[@]}"; do wait "$pid"; rcs="$rcs$?"; done
  if [[ $rcs == 00000000 ]]; then ok; else bad "$dialect: concurrent deploys' exit statuses $rcs: $(cat "$tmp"/c*.out | grep -i error | head -5)"; fi
  if [[ $(q 'SELECT count(*), count(DISTINCT migration_name), count(finished_at) FROM _prisma_migrations') == "12|12|12" &&
    $(q 'SELECT count(*), count(DISTINCT n) FROM "Counter"') == "11|11" ]]; then ok; else
    bad "$dialect: concurrent deploys: rows $(q 'SELECT count(*), count(DISTINCT migration_name) FROM _prisma_migrations'), counter $(q 'SELECT count(*) FROM "Counter"')"
  fi

  # ---- kill -9 at random moments: never half a migration
  setup $dialect killed
  mig 20260101000000_init 'CREATE TABLE "Counter" ("n" INTEGER NOT NULL);'
  for i in $(seq 2 9); do
    if [[ $dialect == sqlite ]]; then
      slow="WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 60000) INSERT INTO \"T$i\" SELECT x FROM r;"
    else
      slow="INSERT INTO \"T$i\" SELECT x FROM generate_series(1, 20000) x; SELECT pg_sleep(0.02);"
    fi
    mig "202601010000$(printf %02d $i)_m$i" "CREATE TABLE \"T$i\" (\"id\" INTEGER);
$slow
CREATE INDEX \"T${i}_id_idx\" ON \"T$i\" (\"id\");
INSERT INTO \"Counter\" VALUES ($i);"
  done
  [[ $dialect == sqlite ]] && : >"$work/dev.db"
  halves=0
  for trial in $(seq 24); do
    "$ZMC" migrate deploy --schema "$work/schema.zmodel" >/dev/null 2>&1 &   # not the function: kill zmc itself
    pid=$!
    sleep "0.$(printf %03d $((RANDOM % 250)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if [[ $dialect == postgresql ]]; then   # the server finishes or rolls back what it was sent
      for _ in $(seq 100); do
        [[ $(q "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()") == 0 ]] && break
        sleep 0.05
      done
    fi
    # Each migration is all there with its row, or not there at all.
    for i in $(seq 2 9); do
      rec=$(q "SELECT count(*) FROM _prisma_migrations WHERE migration_name LIKE '%_m$i' AND finished_at IS NOT NULL" 2>/dev/null)
      cnt=$(q "SELECT count(*) FROM \"Counter\" WHERE n = $i" 2>/dev/null)
      if [[ $dialect == sqlite ]]; then
        tab=$(q "SELECT count(*) FROM sqlite_master WHERE name IN ('T$i', 'T${i}_id_idx')")
      else
        tab=$(q "SELECT count(*) FROM pg_class WHERE relname IN ('T$i', 'T${i}_id_idx')")
      fi
      [[ ${rec:-0}${cnt:-0}$tab == 000 || ${rec:-0}${cnt:-0}$tab == 112 ]] || halves=$((halves + 1))
    done
    if [[ $(q "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL" 2>/dev/null) > 0 ]]; then halves=$((halves + 1)); fi
    # start again from nothing now and then, so that early moments are hit too
    if ((trial % 6 == 0)); then
      if [[ $dialect == sqlite ]]; then : >"$work/dev.db"; else q 'SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public' >/dev/null; fi
    fi
  done
  if [[ $halves == 0 ]]; then ok; else bad "$dialect: kill -9 left $halves half-applied migrations or unfinished rows"; fi
  if deploy >/dev/null 2>&1 && status >/dev/null 2>&1 &&
    [[ $(q 'SELECT count(*) FROM "Counter"') == 8 ]]; then ok; else bad "$dialect: deploy after the kills did not finish the job"; fi

  # ---- a reader that goes away (| head, a closed terminal): the deploy still finishes
  setup "$dialect" zmc_deploy_pipe
  for i in $(seq 1 20); do mig "$(printf '20260301%06d_p%02d' "$i" "$i")" "CREATE TABLE \"P$i\" (\"id\" INTEGER);"; done
  deploy 2>&1 | true
  [[ $(q "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL") == 20 ]] && ok ||
    bad "$dialect: a deploy whose output pipe closed stopped at $(q "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL") of 20 migrations"

  # ---- Ctrl-C: the migration being applied finishes, the others stay pending, zmc dies of it
  setup "$dialect" zmc_deploy_int
  if [[ $dialect == sqlite ]]; then
    slow='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c;'
  else slow='SELECT pg_sleep(1.5);'; fi
  for i in 1 2 3; do mig "2026040100000${i}_s$i" "$slow
CREATE TABLE \"S$i\" (\"id\" INTEGER);"; done
  # started: the first migration runs (PostgreSQL: seen in pg_stat_activity, for --json that prints no progress)
  started() {
    if [[ $dialect == postgresql ]]; then
      [[ $(q "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(1.5)%' AND pid <> pg_backend_pid()") != 0 ]]
    else grep -q 'Applying migration `20260401000001_s1`' "$tmp/int.out"; fi
  }
  # interrupt N [ARGS]: deploy in the background, N SIGINTs once the first migration runs; its exit status
  interrupt() {
    set -m
    "$ZMC" migrate deploy --schema "$work/schema.zmodel" "${@:2}" >"$tmp/int.out" 2>&1 &
    local pid=$! k
    set +m
    for k in $(seq 1 1000); do started && break; sleep 0.02; done
    sleep 0.2
    for ((k = 0; k < $1; k++)); do kill -INT "$pid"; sleep 0.1; done
    wait "$pid"
  }
  interrupt 1
  rc=$?
  out=$(cat "$tmp/int.out")
  [[ $rc == 130 && $out == *"stopping after the migration being applied"* &&
    $out == *"interrupted: 1 of the 3 pending migrations was applied"* ]] && ok || bad "$dialect: Ctrl-C: exit $rc: $out"
  [[ $(q "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL") == 20260401000001_s1 &&
    $(q "SELECT count(*) FROM _prisma_migrations") == 1 ]] && ok || bad "$dialect: Ctrl-C: the first migration should be applied and recorded, alone"
  out=$(deploy 2>&1)
  [[ $? == 0 && $(q "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL") == 3 ]] && ok ||
    bad "$dialect: the deploy after Ctrl-C should apply the other two: $out"
  if [[ $dialect == postgresql ]]; then
    # twice: the migration running is cancelled, rolled back and not recorded
    setup "$dialect" zmc_deploy_int2
    for i in 1 2 3; do mig "2026040100000${i}_s$i" "$slow
CREATE TABLE \"S$i\" (\"id\" INTEGER);"; done
    interrupt 2
    rc=$?
    out=$(cat "$tmp/int.out")
    [[ $rc == 130 && $out == *'migration `20260401000001_s1` was interrupted and rolled back'* &&
      $(q "SELECT count(*) FROM _prisma_migrations") == 0 && $(q "SELECT to_regclass('\"S1\"') IS NULL") == t ]] && ok ||
      bad "$dialect: Ctrl-C twice: exit $rc: $out"
    out=$(deploy 2>&1)
    [[ $? == 0 && $(q "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL") == 3 ]] && ok ||
      bad "$dialect: the deploy after Ctrl-C twice should apply all three: $out"
    # --json: the report's exitCode is the one zmc dies with, and says it was interrupted
    setup "$dialect" zmc_deploy_int3
    for i in 1 2 3; do mig "2026040100000${i}_s$i" "$slow
CREATE TABLE \"S$i\" (\"id\" INTEGER);"; done
    interrupt 1 --json
    rc=$?
    out=$(cat "$tmp/int.out")
    [[ $rc == 130 && $out == *'"exitCode": 130'* && $out == *'"interrupted": "SIGINT"'* && $out == *'"applied": ['*'"20260401000001_s1"'* ]] && ok ||
      bad "$dialect: Ctrl-C with --json: exit $rc: $out"
  fi
done

finish cli.migrate_deploy
