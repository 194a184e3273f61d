#!/usr/bin/env bash
# bench/galera.sh — `zmc migrate deploy` of --migrations (default 100) small
# migrations on a 3-node MariaDB Galera cluster, beside a single MariaDB
# server, and beside each one's floor: the same SQL through the `mariadb`
# client.
#
#   bench/galera.sh [--migrations 100] [--runs 5] [--keep] [--no-install]
#
# The migrations are bench/mysql.sh's deploy chain (migration K adds model MK
# with an index and a key to M(K-1), written by `zmc migrate diff`). Before
# every run (outside the timing) the database is dropped and created empty.
# The cluster (tests/support/galera.sh: 3 nodes on loopback ports, rsync SST)
# and the single server (tests/support/mariadb.sh) run on this machine, both
# without fsync; zmc deploys through node 1. On the cluster zmc also takes the
# cluster-wide lock (a row of _zmc_migration_lock, certified by every node)
# and reads with wsrep_sync_wait; every DDL statement runs under Total Order
# Isolation on all three nodes, in the client's run too.
# Times are wall clock, best (mean) of --runs after one warm-up.
# Not part of CI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
JOBS="${JOBS:-2}"
MIGRATIONS=100 RUNS=5 KEEP=0 INSTALL=1 MODELS=1 PEER_RUNS=1 SEED=1 PEERS=0 DIALECTS=mysql

# shellcheck source=lib.sh
BENCH=galera; source "$ROOT/bench/lib.sh"
while [ $# -gt 0 ]; do
  case "$1" in
    --migrations) MIGRATIONS="$2"; SHIFTS=2 ;;
    *) bench_option "$@" ;;
  esac
  shift "$SHIFTS"
done
DIALECTS=sqlite bench_check_options MIGRATIONS RUNS
bench_timing_tools

log "building zmc (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target zmc sql migrate dialect_mysql db_mysql >/dev/null
ZMC="$BUILD_DIR/cli/zmc"
bench_workdir
bench_rev

# shellcheck source=../tests/support/galera.sh
source "$ROOT/tests/support/galera.sh"
log "starting a 3-node Galera cluster"
zm_galera_start 3 || die "no Galera cluster could be formed (install galera-4 and rsync)"
GALERA_CNF=${ZM_GALERA_CNF[1]} GALERA_URL=${ZM_GALERA_URL[1]}
log "starting a single MariaDB server"
zm_mariadb_start || die "no MariaDB server could be started"
VERSION=$(zm_mariadb -N -e 'SELECT VERSION()')

chain() { # k
  awk -v k="$1" 'BEGIN {
    printf "datasource db {\n  provider = \"mysql\"\n  url      = env(\"DATABASE_URL\")\n}\n"
    for (i = 1; i <= k; i++) {
      printf "\nmodel M%d {\n  id        Int      @id @default(autoincrement())\n  name      String\n  createdAt DateTime @default(now())\n", i
      if (i > 1) printf "  prevId    Int?\n  prev      M%d?     @relation(fields: [prevId], references: [id])\n", i - 1
      if (i < k) printf "  next      M%d[]\n", i + 1
      printf "\n  @@index([name])\n}\n"
    }
  }'
}
p="$WORK/deploy"; mkdir -p "$p/migrations"
log "writing $MIGRATIONS migrations"
chain 0 > "$p/prev.zmodel"
for ((k = 1; k <= MIGRATIONS; k++)); do
  chain "$k" > "$p/next.zmodel"
  name=$(printf '20250101%06d_m%03d' "$k" "$k")
  mkdir -p "$p/migrations/$name"
  "$ZMC" migrate diff --zenstack 2 --from-schema "$p/prev.zmodel" --to-schema "$p/next.zmodel" --script \
    > "$p/migrations/$name/migration.sql"
  mv "$p/next.zmodel" "$p/prev.zmodel"
done
cp "$p/prev.zmodel" "$p/schema.zmodel"
cat "$p"/migrations/*/migration.sql > "$p/all.sql"

declare -a ROWS=()
for target in single galera; do
  if [ "$target" = single ]; then cnf=$ZM_MARIADB_CNF url=$ZM_MARIADB_URL; else cnf=$GALERA_CNF url=$GALERA_URL; fi
  printf 'mariadb --defaults-file=%q -e %q\n' "$cnf" 'DROP DATABASE IF EXISTS `bench_deploy`; CREATE DATABASE `bench_deploy`' \
    > "$p/prepare-$target.sh"
  export DATABASE_URL="$url/bench_deploy"
  bash "$p/prepare-$target.sh"
  "$ZMC" migrate deploy --zenstack 2 --schema "$p/schema.zmodel" > "$p/deploy-$target.out"
  records=$(mariadb --defaults-file="$cnf" -N -e "SELECT COUNT(*) FROM bench_deploy._prisma_migrations WHERE finished_at IS NOT NULL")
  [ "$records" = "$MIGRATIONS" ] || die "$target: $records records, want $MIGRATIONS"
  toi=$(grep -c 'under Total Order Isolation' "$p/deploy-$target.out" || true)
  log "$target: timing zmc migrate deploy (best of $RUNS)"
  read -r zb zm < <(best_of "$RUNS" "$p/prepare-$target.sh" "$ZMC" migrate deploy --zenstack 2 --schema "$p/schema.zmodel")
  log "$target: timing the floor (best of $RUNS)"
  read -r fb fm < <(best_of "$RUNS" "$p/prepare-$target.sh" bash -c "mariadb --defaults-file='$cnf' bench_deploy < '$p/all.sql'")
  ROWS+=("$target|$zb|$zm|$fb|$fm|$toi")
done

IFS='|' read -r _ sz szm sf sfm _ <<<"${ROWS[0]}"
IFS='|' read -r _ gz gzm gf gfm gtoi <<<"${ROWS[1]}"
x() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo "## zmc migrate deploy of $MIGRATIONS migrations: a 3-node Galera cluster, a single server"
echo
echo "Commit $REV, $(nproc) CPUs, MariaDB $VERSION (galera-4; every node on this machine, no fsync). Wall clock, best (mean) of $RUNS after 1 warm-up; each run on an empty database."
echo
echo "| target | zmc migrate deploy | floor (\`mariadb\` < the migrations) | zmc / floor |"
echo "|---|---:|---:|---:|"
echo "| single MariaDB server | $(ms "$sz") ms ($(ms "$szm")) | $(ms "$sf") ms ($(ms "$sfm")) | **$(x "$sz" "$sf")** |"
echo "| 3-node Galera cluster (node 1) | $(ms "$gz") ms ($(ms "$gzm")) | $(ms "$gf") ms ($(ms "$gfm")) | **$(x "$gz" "$gf")** |"
echo
echo "Galera / single server: zmc $(x "$gz" "$sz")x, floor $(x "$gf" "$sf")x. The deploy report on the cluster has $gtoi Total Order Isolation lines (one per migration)."
