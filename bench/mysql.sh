#!/usr/bin/env bash
# bench/mysql.sh — zmc's migrate dev, migrate deploy and db push on MySQL
# (a throw-away MariaDB server, tests/support/mariadb.sh), each beside the
# server's own floor: the same SQL through the `mariadb` client.
#
#   bench/mysql.sh [--models 50] [--migrations 100] [--runs 10] [--seed 1] [--keep] [--no-install]
#
# dev     `zmc_gen_schema N SEED --prisma-compatible` with provider mysql, migrated
#         once (`migrate dev -n init`); then one model is appended and the timed
#         command is `zmc migrate dev -n extra`. Before every run the extra
#         migration's folder, table and record are removed. Floor: its
#         migration.sql through `mariadb` (the DDL alone: no shadow, no records).
# deploy  --migrations small migrations (model MK, a relation to M(K-1), an index;
#         each migration.sql written by `zmc migrate diff --from-schema
#         --to-schema --script`) onto an empty database, dropped and created
#         before every run. Floor: the migrations concatenated through `mariadb`.
# push    `zmc db push` of the N-model schema onto an empty database. Floor: the
#         same DDL (`zmc migrate diff --from-empty --to-schema --script`)
#         through `mariadb`.
# Times are wall clock, best of --runs after one warm-up. Prisma 6's wasm
# schema engine cannot run MySQL here (with @prisma/adapter-mariadb it stops
# with `RuntimeError: unreachable`), so there is no peer column: Prisma's
# MySQL behaviour is taken from its source (sql-schema-connector).
# Not part of CI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
JOBS="${JOBS:-2}"
PEER_TIMEOUT=900
MODELS=50 MIGRATIONS=100 RUNS=10 PEER_RUNS=1 SEED=1 PEERS=0 KEEP=0 INSTALL=1 DIALECTS=mysql

# shellcheck source=lib.sh
BENCH=mysql; source "$ROOT/bench/lib.sh"
while [ $# -gt 0 ]; do
  case "$1" in
    --migrations) MIGRATIONS="$2"; SHIFTS=2 ;;
    *) bench_option "$@" ;;
  esac
  shift "$SHIFTS"
done
DIALECTS=sqlite bench_check_options MODELS MIGRATIONS RUNS
bench_timing_tools

log "building zmc (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" >/dev/null
ZMC="$BUILD_DIR/cli/zmc"
GEN="$BUILD_DIR/bench/zmc_gen_schema"
bench_workdir
bench_rev

# shellcheck source=../tests/support/mariadb.sh
source "$ROOT/tests/support/mariadb.sh"
zm_mariadb_start || die "no MariaDB server could be started"
VERSION=$(zm_mariadb -N -e 'SELECT VERSION()')
my() { zm_mariadb -N -e "$1"; }
# A script recreating database $1 empty.
empty_db() { printf 'mariadb --defaults-file=%q -e %q\n' "$ZM_MARIADB_CNF" "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\`"; }

mysql_schema() { # N: the generated schema with a MySQL datasource
  "$GEN" "$1" "$SEED" --prisma-compatible |
    sed 's|provider = "sqlite"|provider = "mysql"|; s|url      = "file:./dev.db"|url      = env("DATABASE_URL")|'
}

# ---------------------------------------------------------------- dev
d="$WORK/dev"; mkdir -p "$d"
mysql_schema "$MODELS" > "$d/schema.zmodel"
export DATABASE_URL="$ZM_MARIADB_URL/bench_dev"
log "dev: migrate dev -n init ($MODELS models)"
"$ZMC" migrate dev -n init --zenstack 2 --schema "$d/schema.zmodel" >/dev/null
printf '\nmodel BenchExtra {\n  id   Int     @id @default(autoincrement())\n  note String?\n}\n' >> "$d/schema.zmodel"
cat > "$d/prepare.sh" <<EOF
rm -rf $(printf %q "$d")/migrations/*_extra
mariadb --defaults-file=$(printf %q "$ZM_MARIADB_CNF") bench_dev -e "DROP TABLE IF EXISTS BenchExtra; DELETE FROM _prisma_migrations WHERE migration_name LIKE '%\\_extra'"
EOF
bash "$d/prepare.sh"
"$ZMC" migrate dev -n extra --zenstack 2 --schema "$d/schema.zmodel" >/dev/null
extra=$(ls "$d"/migrations/*_extra/migration.sql)
cp "$extra" "$d/extra.sql"
[ "$("$ZMC" migrate status --zenstack 2 --schema "$d/schema.zmodel" >/dev/null 2>&1; echo $?)" = 0 ] || die "dev: status after extra"
log "dev: timing"
read -r dev_best _ < <(best_of "$RUNS" "$d/prepare.sh" "$ZMC" migrate dev -n extra --zenstack 2 --schema "$d/schema.zmodel")
printf 'mariadb --defaults-file=%q bench_dev -e %q\n' "$ZM_MARIADB_CNF" "DROP TABLE IF EXISTS BenchExtra" > "$d/floor_prepare.sh"
read -r dev_floor _ < <(best_of "$RUNS" "$d/floor_prepare.sh" bash -c "mariadb --defaults-file='$ZM_MARIADB_CNF' bench_dev < '$d/extra.sql'")

# ---------------------------------------------------------------- deploy
p="$WORK/deploy"; mkdir -p "$p/migrations"
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
log "deploy: writing $MIGRATIONS migrations"
chain 0 > "$p/prev.zmodel"
for ((k = 1; k <= MIGRATIONS; k++)); do
  chain "$k" > "$p/next.zmodel"
  # the relation's back side makes M(k-1) change too: the chain's diff is one step each
  name=$(printf '20250101%06d_m%03d' "$k" "$k")
  mkdir -p "$p/migrations/$name"
  "$ZMC" migrate diff --zenstack 2 --from-schema "$p/prev.zmodel" --to-schema "$p/next.zmodel" --script \
    > "$p/migrations/$name/migration.sql"
  mv "$p/next.zmodel" "$p/prev.zmodel"
done
printf '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "mysql"\n' \
  > "$p/migrations/migration_lock.toml"
cp "$p/prev.zmodel" "$p/schema.zmodel"
export DATABASE_URL="$ZM_MARIADB_URL/bench_deploy"
empty_db bench_deploy > "$p/prepare.sh"
bash "$p/prepare.sh"
"$ZMC" migrate deploy --zenstack 2 --schema "$p/schema.zmodel" >/dev/null
records=$(my "SELECT COUNT(*) FROM bench_deploy._prisma_migrations WHERE finished_at IS NOT NULL")
[ "$records" = "$MIGRATIONS" ] || die "deploy: $records records, want $MIGRATIONS"
log "deploy: timing"
read -r deploy_best _ < <(best_of "$RUNS" "$p/prepare.sh" "$ZMC" migrate deploy --zenstack 2 --schema "$p/schema.zmodel")
cat "$p"/migrations/*/migration.sql > "$p/all.sql"
read -r deploy_floor _ < <(best_of "$RUNS" "$p/prepare.sh" bash -c "mariadb --defaults-file='$ZM_MARIADB_CNF' bench_deploy < '$p/all.sql'")

# ---------------------------------------------------------------- db push
u="$WORK/push"; mkdir -p "$u"
mysql_schema "$MODELS" > "$u/schema.zmodel"
export DATABASE_URL="$ZM_MARIADB_URL/bench_push"
empty_db bench_push > "$u/prepare.sh"
bash "$u/prepare.sh"
"$ZMC" db push --zenstack 2 --schema "$u/schema.zmodel" >/dev/null
[ "$("$ZMC" migrate diff --zenstack 2 --from-url "$DATABASE_URL" --to-schema "$u/schema.zmodel" --script)" = \
  "-- This is an empty migration." ] || die "push: the database differs from the schema after db push"
log "push: timing"
read -r push_best _ < <(best_of "$RUNS" "$u/prepare.sh" "$ZMC" db push --zenstack 2 --schema "$u/schema.zmodel")
"$ZMC" migrate diff --zenstack 2 --from-empty --to-schema "$u/schema.zmodel" --script > "$u/ddl.sql"
read -r push_floor _ < <(best_of "$RUNS" "$u/prepare.sh" bash -c "mariadb --defaults-file='$ZM_MARIADB_CNF' bench_push < '$u/ddl.sql'")

# ---------------------------------------------------------------- report
x() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "MariaDB $VERSION, $MODELS models, $MIGRATIONS migrations, best of $RUNS (rev $REV)"
echo
echo "| command | zmc | floor (\`mariadb\`, same SQL) | zmc / floor |"
echo "|---|---|---|---|"
echo "| migrate dev (one model added) | $(ms "$dev_best") ms | $(ms "$dev_floor") ms | $(x "$dev_best" "$dev_floor") |"
echo "| migrate deploy ($MIGRATIONS migrations) | $(ms "$deploy_best") ms | $(ms "$deploy_floor") ms | $(x "$deploy_best" "$deploy_floor") |"
echo "| db push ($MODELS models) | $(ms "$push_best") ms | $(ms "$push_floor") ms | $(x "$push_best" "$push_floor") |"
