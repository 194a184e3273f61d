#!/usr/bin/env bash
# galera.sh — `zmc migrate deploy` on a 3-node MariaDB Galera cluster this
# test starts (tests/support/galera.sh; no cluster is a failure):
#
#   exactly once   8 concurrent deploys spread over the three nodes, 20
#                  pending migrations: every migration applied once, every
#                  node's catalog and _prisma_migrations the same, every
#                  process exits 0 or with a clean lock message; RUNS rounds
#                  in a row (default 10), each on a new database; the deploy
#                  report says for each migration how long its DDL held the
#                  cluster under Total Order Isolation.
#   lock holders   a deploy on node 2 waiting for one running on node 1 times
#                  out with a message naming the holder and its node; a
#                  holder killed with SIGKILL is taken over by the next
#                  deploy on its node as soon as its connection is gone;
#                  Ctrl-C lets the migration running finish and releases
#                  the lock.
#   certification  a migration of 300 single-row UPDATEs deployed on node 1
#                  while node 2 updates the same row 4000 times: the
#                  statements that lose certification are run again, the
#                  deploy succeeds, and the row counts each update once.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/lib.sh"
source "$here/../support/galera.sh"

RUNS=${RUNS:-10}
MIGRATIONS=${MIGRATIONS:-20}
DEPLOYERS=${DEPLOYERS:-8}

if ! zm_galera_start 3; then
  bad "no Galera cluster could be started"
  finish cluster.galera
  exit 1
fi

# node i: SQL on node i, tab-separated, no header.
node() { mariadb --defaults-file="${ZM_GALERA_CNF[$1]}" --batch --raw --skip-column-names "${@:2}"; }

# The migrations: migration K adds model MK with an index and a key to M(K-1),
# written by zmc migrate diff between the schemas with K-1 and K models.
chain_schema() { # k url
  awk -v k="$1" -v url="$2" 'BEGIN {
    printf "datasource db {\n  provider = \"mysql\"\n  url      = \"%s\"\n}\n", url
    for (i = 1; i <= k; i++) {
      printf "\nmodel M%d {\n  id   Int    @id @default(autoincrement())\n  name String\n", i
      if (i > 1) printf "  prevId Int?\n  prev   M%d? @relation(fields: [prevId], references: [id])\n", i - 1
      if (i < k) printf "  next   M%d[]\n", i + 1
      printf "\n  @@index([name])\n}\n"
    }
  }'
}
gen="$tmp/gen"
mkdir -p "$gen/migrations"
chain_schema 0 "mysql://x@127.0.0.1/x" >"$gen/s0.zmodel"
for ((k = 1; k <= MIGRATIONS; k++)); do
  chain_schema "$k" "mysql://x@127.0.0.1/x" >"$gen/s$k.zmodel"
  f="$gen/migrations/$(printf '20250101000%03d_m%03d' "$k" "$k")"
  mkdir -p "$f"
  "$ZMC" migrate diff --from-schema "$gen/s$((k - 1)).zmodel" --to-schema "$gen/s$k.zmodel" --script \
    -o "$f/migration.sql" >/dev/null 2>&1 || bad "migrate diff for migration $k"
done

catalog() { # node db
  mariadb-dump --defaults-file="${ZM_GALERA_CNF[$1]}" --no-data --skip-comments --skip-dump-date --compact "$2" 2>/dev/null |
    sed 's/ AUTO_INCREMENT=[0-9]*//'
}

for run in $(seq 1 "$RUNS"); do
  db="deploy$run"
  # one project per deployer, its datasource on node (d % 3) + 1
  for d in $(seq 1 "$DEPLOYERS"); do
    p="$tmp/run$run/d$d"
    mkdir -p "$p"
    cp -r "$gen/migrations" "$p/migrations"
    n=$(((d % 3) + 1))
    chain_schema "$MIGRATIONS" "${ZM_GALERA_URL[$n]}/$db" >"$p/schema.zmodel"
  done
  pids=()
  for d in $(seq 1 "$DEPLOYERS"); do
    p="$tmp/run$run/d$d"
    ("$ZMC" migrate deploy --schema "$p/schema.zmodel" >"$p/out" 2>&1; echo $? >"$p/rc") &
    pids+=($!)
  done
  wait "${pids[@]}"
  problems=""
  for d in $(seq 1 "$DEPLOYERS"); do
    p="$tmp/run$run/d$d"
    rc=$(cat "$p/rc")
    if [[ $rc != 0 ]] && ! grep -q "lock" "$p/out"; then problems+=" deployer $d exited $rc: $(grep -i error "$p/out" | head -2 | tr '\n' ' ')"; fi
  done
  rows=$(node 1 -D "$db" -e "SELECT COUNT(*), COUNT(DISTINCT migration_name), SUM(finished_at IS NOT NULL), SUM(applied_steps_count) FROM _prisma_migrations" 2>&1)
  [[ $rows == "$MIGRATIONS	$MIGRATIONS	$MIGRATIONS	$MIGRATIONS" ]] || problems+=" _prisma_migrations: $rows (want $MIGRATIONS of each)"
  c1=$(catalog 1 "$db")
  # the models' tables, _prisma_migrations and the lock's table, released
  [[ $(grep -c '^CREATE TABLE' <<<"$c1") == $((MIGRATIONS + 2)) ]] || problems+=" node 1 has $(grep -c '^CREATE TABLE' <<<"$c1") tables"
  held=$(node 2 -D "$db" -e "SELECT COUNT(*) FROM _zmc_migration_lock" 2>&1)
  [[ $held == 0 ]] || problems+=" the cluster lock is still held: $held"
  for n in 2 3; do
    [[ $(catalog "$n" "$db") == "$c1" ]] || problems+=" node $n's catalog differs from node 1's"
    [[ $(node "$n" -D "$db" -e "SET SESSION wsrep_sync_wait = 1; SELECT id, checksum, migration_name, applied_steps_count FROM _prisma_migrations ORDER BY migration_name") == \
       $(node 1 -D "$db" -e "SELECT id, checksum, migration_name, applied_steps_count FROM _prisma_migrations ORDER BY migration_name") ]] ||
      problems+=" node $n's _prisma_migrations differs from node 1's"
  done
  toi=$(cat "$tmp/run$run"/d*/out | grep -c '^  Galera: .* under Total Order Isolation, holding the cluster')
  [[ $toi == "$MIGRATIONS" ]] || problems+=" $toi Total Order Isolation lines in the deploy reports (want $MIGRATIONS)"
  rcs=$(cat "$tmp/run$run"/d*/rc | tr -d "\n")
  echo "run $run: exit statuses $rcs"
  if [[ -z $problems ]]; then ok; else bad "run $run:$problems"; fi
done

# ---- lock holders: waiting for one on another node, taking over from a dead one
p="$tmp/hold"
mkdir -p "$p/migrations/20240101000000_slow"
printf 'SELECT SLEEP(4);\nCREATE TABLE `T` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));\n' \
  >"$p/migrations/20240101000000_slow/migration.sql"
for n in 1 2; do
  printf 'datasource db {\n  provider = "mysql"\n  url      = "%s/hold"\n}\n' "${ZM_GALERA_URL[$n]}" >"$p/node$n.zmodel"
done
held() { node 1 -e "SELECT COUNT(*) FROM hold._zmc_migration_lock" 2>/dev/null; }
set -m
"$ZMC" migrate deploy --schema "$p/node1.zmodel" >"$p/first.out" 2>&1 &
first=$!
set +m
for i in $(seq 1 100); do [[ $(held) == 1 ]] && break; sleep 0.05; done
out=$("$ZMC" migrate deploy --schema "$p/node2.zmodel" --lock-timeout 1 2>&1)
[[ $? != 0 && $out == *"cluster-wide migration lock"* && $out == *"on node node1"* ]] && ok ||
  bad "a deploy on node 2 while node 1 holds the lock: $out"
kill -9 "$first" 2>/dev/null
wait "$first" 2>/dev/null
[[ $(held) == 1 ]] && ok || bad "the killed holder's row should still be there"
out=$("$ZMC" migrate deploy --schema "$p/node1.zmodel" --lock-timeout 20 2>&1)
# the lock is taken over; the migration the killed deploy started is failed (P3009) or applied
[[ $out != *"Timed out"* && ( $out == *"P3009"* || $out == *"failed"* || $out == *"applied"* ) ]] && ok ||
  bad "a deploy on the dead holder's node: $out"
[[ $(held) == 0 ]] && ok || bad "the lock row is still held after the takeover"

# ---- Ctrl-C: the migration running finishes, the cluster lock is released, zmc dies of it
p="$tmp/int"
for i in 1 2; do
  mkdir -p "$p/migrations/2024010100000${i}_s$i"
  printf 'SELECT SLEEP(1.5);\nCREATE TABLE `S%s` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));\n' "$i" \
    >"$p/migrations/2024010100000${i}_s$i/migration.sql"
done
printf 'datasource db {\n  provider = "mysql"\n  url      = "%s/int"\n}\n' "${ZM_GALERA_URL[1]}" >"$p/schema.zmodel"
set -m
"$ZMC" migrate deploy --schema "$p/schema.zmodel" >"$p/out" 2>&1 &
pid=$!
set +m
for i in $(seq 1 1000); do grep -q 'Applying migration `20240101000001_s1`' "$p/out" && break; sleep 0.02; done
sleep 0.3
kill -INT "$pid"
wait "$pid"
rc=$?
[[ $rc == 130 && $(node 1 -e "SELECT COUNT(*) FROM int._zmc_migration_lock") == 0 &&
  $(node 2 -e "SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM int._prisma_migrations WHERE finished_at IS NOT NULL") == 1 ]] && ok ||
  bad "Ctrl-C during a Galera deploy: exit $rc, lock rows $(node 1 -e "SELECT COUNT(*) FROM int._zmc_migration_lock"): $(cat "$p/out")"

# ---- certification: statements that lose it to another node's writes run again
# (CERT_RUNS rounds, default 1, each on a database of its own)
for cr in $(seq 1 "${CERT_RUNS:-1}"); do
  p="$tmp/cert$cr"
  db="cert$cr"
  mkdir -p "$p/migrations/20240101000000_init" "$tmp/bump$cr"
  printf 'datasource db {\n  provider = "mysql"\n  url      = "%s/%s"\n}\nmodel Counter {\n  id Int @id\n  v  Int\n}\n' \
    "${ZM_GALERA_URL[1]}" "$db" >"$p/schema.zmodel"
  printf 'CREATE TABLE `Counter` (`id` INTEGER NOT NULL, `v` INTEGER NOT NULL, PRIMARY KEY (`id`));\nINSERT INTO `Counter` VALUES (1, 0);\n' \
    >"$p/migrations/20240101000000_init/migration.sql"
  out=$("$ZMC" migrate deploy --schema "$p/schema.zmodel" 2>&1) || bad "certification: the first migration: $out"
  for i in $(seq 1 300); do echo 'UPDATE `Counter` SET `v` = `v` + 1 WHERE `id` = 1;'; done >"$tmp/bump$cr/migration.sql"
  mv "$tmp/bump$cr" "$p/migrations/20240101000001_bump"
  (for i in $(seq 1 4000); do echo "UPDATE $db.Counter SET v = v + 1000 WHERE id = 1;"; done |
    node 2 --force 2>&1 | grep -c ERROR >"$tmp/hammer.errors") &
  hammer=$!
  sleep 0.3
  out=$("$ZMC" migrate deploy --schema "$p/schema.zmodel" 2>&1)
  rc=$?
  wait "$hammer"
  lost=$(cat "$tmp/hammer.errors")
  v=$(node 3 -e "SET SESSION wsrep_sync_wait = 1; SELECT v FROM $db.Counter")
  echo "certification: $(grep -o 'Galera: .*' <<<"$out" | head -1); the other node's writer lost $lost of 4000"
  [[ $rc == 0 && $v == $((300 + (4000 - lost) * 1000)) ]] && ok ||
    bad "certification: deploy exit $rc, v=$v (want $((300 + (4000 - lost) * 1000))): $out"
done

finish cluster.galera
