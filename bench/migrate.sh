#!/usr/bin/env bash
# bench/migrate.sh — `zmc migrate dev` and `zmc migrate deploy` against
# `prisma migrate dev`/`deploy` (and `zen migrate dev` of ZenStack v3), on
# SQLite and on PostgreSQL.
#
#   bench/migrate.sh [--models 50] [--migrations 100] [--runs 10] [--peer-runs 3]
#                    [--seed 1] [--dialects "sqlite postgresql"] [--no-peers]
#                    [--no-zen] [--keep] [--no-install]
#
# dev     one model added to a migrated project: `zmc_gen_schema N SEED
#         --prisma-compatible` (SQLite, `url = "file:./dev.db"`) or `--provider
#         postgresql` (`url = env("DATABASE_URL")`), N = --models, migrated once by
#         each tool with its own `migrate dev` (init); then `model BenchExtra { id
#         Int @id @default(autoincrement())  note String? }` is appended and the
#         timed command is
#           zmc:     zmc migrate dev -n extra --zenstack 2 --schema schema.zmodel
#           Prisma:  prisma migrate dev --name extra --skip-generate --schema schema.prisma
#                    (schema.prisma: zmc's `prisma` backend output for the same zmodel)
#           ZenStack v3: zen migrate dev --name extra --schema schema.zmodel
#                    (the `--zenstack3` variant of the schema: same models, plus the
#                    policy plugin v3 needs; zen writes ~schema.prisma and runs Prisma 6)
#         Before every run (warm-up included; hyperfine --prepare), outside the
#         timing, the project goes back to its migrated state: the new migration
#         folder is deleted and the database restored (SQLite: a copy of dev.db made
#         after init; PostgreSQL: DROP DATABASE, then CREATE DATABASE ... TEMPLATE a
#         copy made after init, and one connection to it).
# deploy  --migrations small migrations onto an empty database: migration K adds
#         model MK (id, name, createdAt, an optional relation to M(K-1), an index);
#         its migration.sql is `zmc migrate diff --from-schema <K-1 models>
#         --to-schema <K models> --script`, in folders 20250101HHMMSS_mKKK, with
#         migration_lock.toml. zmc and Prisma deploy the same folder onto the same
#         database (SQLite: <folder>/dev.db; PostgreSQL: database bench_deploy),
#         emptied before every run outside the timing (file deleted / database
#         dropped and created again from template0, and one connection to it).
# Times are wall clock, best of --runs (zmc) / --peer-runs (Prisma, ZenStack) after
# one warm-up (Node start-up and connections included for the peers; the database
# work included for all). Ratio = peer best / zmc best; target: 50x (Prisma).
#
# Checks before the timing (one run of each timed command from its prepared state):
#   dev     the new migrations/<ts>_extra/migration.sql exists; `zmc migrate status`
#           and `prisma migrate status` both exit 0 on zmc's and on Prisma's project
#           (ZenStack's: zmc's status only); the extra migration.sql files of the
#           tools are compared (byte for byte).
#   deploy  after zmc's deploy and after Prisma's, on the same database: both
#           statuses exit 0, _prisma_migrations holds --migrations finished records,
#           and the catalogs dumped by the database's own tool are identical
#           (SQLite: `sqlite3 DB .schema`; PostgreSQL: `pg_dump --schema-only`).
# ZenStack v3 refuses the v2 schema of the other tools (`Could not resolve
# reference to Attribute named '@@allow'`: v3 needs `plugin policy`), hence the
# --zenstack3 variant for it; zmc reads that one at its default language level.
# A failed check is shown in bold in the checks table and explained under Notes;
# a failing timed command of zmc or Prisma stops the script; ZenStack v3 failing
# gives "n/a" and the reason in Notes.
#
# Prisma 6 runs through the wasm schema engine and a driver adapter with the
# prisma.config.ts templates of the peers install (../shared/reference/peers.md),
# copied into each project folder: SQLite file from SQLITE_URL, PostgreSQL from
# DATABASE_URL. PostgreSQL: a throw-away server from tests/support/pg.sh (fsync,
# synchronous_commit and full_page_writes off), stopped at exit; all tools use
# databases of the same server.
#
# Environment: BUILD_DIR (default <repo>/build-bench), PEERS_DIR (default
# $BUILD_DIR/peers), PEERS_SETUP, JOBS (build jobs, default 2), PEER_TIMEOUT
# (seconds per peer run, default 900).
# Installs, as bench/db_push.sh: the peers with ../shared/tools/peers-setup.sh (npm)
# when missing; as root and unless --no-install, the Debian packages hyperfine,
# time, sqlite3 and postgresql when missing.
# Not part of CI: several minutes with the peers (Prisma and ZenStack are most of it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRISMA=prisma6 ZEN3=zen3   # the peers wrappers, set below when used
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
PEERS_DIR="${PEERS_DIR:-$BUILD_DIR/peers}"
PEERS_SETUP="${PEERS_SETUP:-$ROOT/../shared/tools/peers-setup.sh}"
JOBS="${JOBS:-2}"
PEER_TIMEOUT="${PEER_TIMEOUT:-900}"

MODELS=50 MIGRATIONS=100 RUNS=10 PEER_RUNS=3 SEED=1 PEERS=1 ZEN=1 KEEP=0 INSTALL=1
DIALECTS="sqlite postgresql"

# shellcheck source=lib.sh
BENCH=migrate; source "$ROOT/bench/lib.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    --migrations) MIGRATIONS="$2"; SHIFTS=2 ;;
    --no-zen) ZEN=0; SHIFTS=1 ;;
    *) bench_option "$@" ;;
  esac
  shift "$SHIFTS"
done
bench_check_options MODELS MIGRATIONS RUNS PEER_RUNS
[ "$MIGRATIONS" -le 86399 ] || { echo "migrate.sh: at most 86399 migrations" >&2; exit 2; }
[ "$PEERS" = 1 ] || ZEN=0

# ---------------------------------------------------------------- tools
bench_timing_tools
case " $DIALECTS " in *" sqlite "*) command -v sqlite3 >/dev/null || apt_install sqlite3 || true ;; esac
HAVE_SQLITE3=0; command -v sqlite3 >/dev/null && HAVE_SQLITE3=1

# ---------------------------------------------------------------- build
log "building zmc (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DZM_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target zmc zmc_gen_schema prisma sql >/dev/null
ZMC="$BUILD_DIR/cli/zmc"
GEN="$BUILD_DIR/bench/zmc_gen_schema"

bench_workdir

if [ "$PEERS" = 1 ]; then
  if [ ! -x "$PEERS_DIR/bin/prisma6" ] || [ ! -f "$PEERS_DIR/templates/prisma.config.pg.ts" ] ||
     { [ "$ZEN" = 1 ] && [ ! -x "$PEERS_DIR/bin/zen3" ]; }; then
    [ -f "$PEERS_SETUP" ] || die "$PEERS_SETUP not found: cannot install the peers"
    command -v npm >/dev/null || die "npm not found: cannot install the peers"
    log "installing peers with $PEERS_SETUP into $PEERS_DIR (npm)"
    bash "$PEERS_SETUP" "$PEERS_DIR" >/dev/null
  fi
  PRISMA="$PEERS_DIR/bin/prisma6"
  ZEN3="$PEERS_DIR/bin/zen3"
fi

bench_rev

# ---------------------------------------------------------------- PostgreSQL
pg_sql() { # sql...: run statements on the maintenance database
  local args=() s
  for s in "$@"; do args+=(-c "$s"); done
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres \
    -c 'SET client_min_messages = warning' "${args[@]}"
}
# A script that drops database $1 and creates it again from template $2, then
# connects to it once: the first connection to a new database builds its
# relation cache file, which a database in use already has.
pg_reset_script() { # db template
  printf '%q -X -q -v ON_ERROR_STOP=1 -h %q -p %q -U postgres -d postgres -c %q -c %q -c %q\n' \
    "$PG_BIN/psql" "$PGHOST" "$PGPORT" 'SET client_min_messages = warning' \
    "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" "CREATE DATABASE \"$1\" TEMPLATE \"$2\""
  printf '%q -X -q -h %q -p %q -U postgres -d %q -c %q >/dev/null\n' \
    "$PG_BIN/psql" "$PGHOST" "$PGPORT" "$1" 'SELECT 1'
}

# ---------------------------------------------------------------- inputs
# The deploy chain's schema with K models M1..MK (awk: fast for large K).
chain_schema() { # k provider
  awk -v k="$1" -v p="$2" 'BEGIN {
    if (p == "sqlite") printf "datasource db {\n  provider = \"sqlite\"\n  url      = \"file:./dev.db\"\n}\n"
    else printf "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n"
    for (i = 1; i <= k; i++) {
      printf "\nmodel M%d {\n  id        Int      @id @default(autoincrement())\n  name      String\n  createdAt DateTime @default(now())\n", i
      if (i > 1) printf "  prevId    Int?\n  prev      M%d?     @relation(fields: [prevId], references: [id])\n", i - 1
      if (i < k) printf "  next      M%d[]\n", i + 1
      printf "\n  @@index([name])\n}\n"
    }
  }'
}
EXTRA=$'\nmodel BenchExtra {\n  id   Int     @id @default(autoincrement())\n  note String?\n}\n'

# The number of finished records in _prisma_migrations, or "?".
records() { # dialect sqlite-file|pg-url
  if [ "$1" = sqlite ]; then
    [ "$HAVE_SQLITE3" = 1 ] || { echo "?"; return; }
    sqlite3 "$2" 'SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL' 2>/dev/null || echo "?"
  else
    "$PG_BIN/psql" -X -At -d "$2" -c 'SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL' 2>/dev/null || echo "?"
  fi
}
catalog() { # dialect sqlite-file|pg-url out
  if [ "$1" = sqlite ]; then
    if [ "$HAVE_SQLITE3" = 1 ]; then sqlite3 "$2" .schema > "$3"; else : > "$3"; fi
  else
    "$PG_BIN/pg_dump" --schema-only --no-owner -d "$2" | grep -v '^--\|^\\\(un\)\{0,1\}restrict ' > "$3"
  fi
}
ok_or_bold() { if [ "$1" = 0 ]; then echo 0; else echo "**$1**"; fi; }

# ---------------------------------------------------------------- per dialect
declare -a ROWS=() VERDICTS=() TARGETS=() NOTES=()
PRISMA_VERSION="" ZEN_VERSION=""
if [ "$PEERS" = 1 ]; then
  PRISMA_VERSION=$(node -p "require('$PEERS_DIR/prisma6/node_modules/prisma/package.json').version" 2>/dev/null || echo 6)
  ZEN_VERSION=$(node -p "require('$PEERS_DIR/zenstack3/node_modules/@zenstackhq/cli/package.json').version" 2>/dev/null || echo 3)
fi
add_target() { # dialect what ratio
  TARGETS+=("$1 $2 ${3}x $( [ "$3" != n/a ] && [ "$3" -ge 50 ] && echo met || echo '**NOT met**')")
}

for d in $DIALECTS; do
  dir="$WORK/$d"; mkdir -p "$dir"
  [ "$d" = sqlite ] || pg_start
  if [ "$d" = sqlite ]; then genflags=(--prisma-compatible); zgenflags=(--zenstack3); cfg=prisma.config.sqlite.ts
  else genflags=(--provider postgresql); zgenflags=(--provider postgresql --zenstack3); cfg=prisma.config.pg.ts; fi
  tools="zmc"; [ "$PEERS" = 0 ] || tools="zmc prisma"; [ "$ZEN" = 0 ] || tools="$tools zen3"

  # ================================================================ migrate dev
  declare -A TCMD_OK=()
  dev_checks=""
  for t in $tools; do
    p="$dir/dev-$t"; mkdir -p "$p"
    if [ "$t" = zen3 ]; then
      "$GEN" "$MODELS" "$SEED" "${zgenflags[@]}" > "$p/schema.zmodel"
      zflags=()                 # the v3 schema: zmc's default language level
    else
      "$GEN" "$MODELS" "$SEED" "${genflags[@]}" > "$p/schema.zmodel"
      zflags=(--zenstack 2)
    fi
    [ "$PEERS" = 0 ] || cp "$PEERS_DIR/templates/$cfg" "$p/prisma.config.ts"
    # The database: SQLite <project>/dev.db (zmc: file:./dev.db next to the schema;
    # the peers: SQLITE_URL, relative to the project folder, their cwd).
    if [ "$d" = sqlite ]; then
      env_=(env "SQLITE_URL=file:./dev.db")
      printf 'rm -f %q/dev.db %q/dev.db-journal %q/dev.db-wal %q/dev.db-shm\n' "$p" "$p" "$p" "$p" > "$p/empty.sh"
      printf 'rm -f %q/dev.db-journal %q/dev.db-wal %q/dev.db-shm; cp %q/dev.db.init %q/dev.db\n' "$p" "$p" "$p" "$p" "$p" > "$p/restore.sh"
      dburl="$p/dev.db"
    else
      db="bench_dev_$t"; dburl="$ZM_PG_URL/$db"
      env_=(env "DATABASE_URL=$dburl")
      pg_reset_script "$db" template0 > "$p/empty.sh"
      pg_reset_script "$db" "${db}_tpl" > "$p/restore.sh"
    fi
    printf 'rm -rf %q/migrations/*_extra\nbash %q\n' "$p" "$p/restore.sh" > "$p/prepare.sh"
    zstatus=("${env_[@]}" "$ZMC" migrate status "${zflags[@]}" --schema "$p/schema.zmodel")
    pstatus=("${env_[@]}" "$PRISMA" migrate status --schema schema.prisma)

    # ---- the migrated project: init, then the extra model in the schema, the state saved
    log "$d: $t migrate dev -n init ($MODELS models)"
    bash "$p/empty.sh" >/dev/null
    rm -rf "$p/migrations"
    case "$t" in
      zmc)
        cmd_init=("${env_[@]}" "$ZMC" migrate dev -n init "${zflags[@]}" --schema "$p/schema.zmodel")
        cmd=("${env_[@]}" "$ZMC" migrate dev -n extra "${zflags[@]}" --schema "$p/schema.zmodel") ;;
      prisma)
        cmd_init=("${env_[@]}" "$PRISMA" migrate dev --name init --skip-generate --schema schema.prisma)
        cmd=("${env_[@]}" timeout -k 10 "$PEER_TIMEOUT" "$PRISMA" migrate dev --name extra --skip-generate --schema schema.prisma) ;;
      zen3)
        cmd_init=("${env_[@]}" "$ZEN3" migrate dev --name init --schema schema.zmodel --no-version-check)
        cmd=("${env_[@]}" timeout -k 10 "$PEER_TIMEOUT" "$ZEN3" migrate dev --name extra --schema schema.zmodel --no-version-check) ;;
    esac
    if [ "$t" != zen3 ]; then
      "$ZMC" build -q --zenstack 2 --schema "$p/schema.zmodel" --backend prisma --output "$p/schema.prisma" \
        >/dev/null 2>"$p/build.err" || { cat "$p/build.err" >&2; die "zmc build --backend prisma failed"; }
      (cd "$p" && run_checked "$p/init.out" "$t migrate dev -n init ($d)" "${cmd_init[@]}")
    elif ! (cd "$p" && run_to "$p/init.out" "${cmd_init[@]}"); then
      NOTES+=("$d: ZenStack v3 \`zen migrate dev --name init\` failed on \`zmc_gen_schema $MODELS $SEED ${zgenflags[*]}\`: $(tail_of "$p/init.out" 4)")
      TCMD_OK[$t]=0; dev_checks="${dev_checks:+$dev_checks; }$t: **failed** (Notes)"; continue
    fi
    printf '%s' "$EXTRA" >> "$p/schema.zmodel"
    if [ "$t" != zen3 ]; then
      "$ZMC" build -q --zenstack 2 --schema "$p/schema.zmodel" --backend prisma --output "$p/schema.prisma" \
        >/dev/null 2>"$p/build.err" || { cat "$p/build.err" >&2; die "zmc build --backend prisma failed"; }
    fi
    if [ "$d" = sqlite ]; then cp "$p/dev.db" "$p/dev.db.init"
    else pg_sql "DROP DATABASE IF EXISTS \"${db}_tpl\"" "CREATE DATABASE \"${db}_tpl\" TEMPLATE \"$db\""; fi

    # ---- one checked run of the timed command, then the statuses
    log "$d: checking $t migrate dev -n extra"
    bash "$p/prepare.sh" >/dev/null
    if [ "$t" = zen3 ]; then
      if ! (cd "$p" && run_to "$p/extra.out" "${cmd[@]}"); then
        NOTES+=("$d: ZenStack v3 \`zen migrate dev --name extra\` failed: $(tail_of "$p/extra.out" 4)")
        TCMD_OK[$t]=0; dev_checks="${dev_checks:+$dev_checks; }$t: **failed** (Notes)"; continue
      fi
    else
      (cd "$p" && run_checked "$p/extra.out" "$t migrate dev -n extra ($d)" "${cmd[@]}")
    fi
    TCMD_OK[$t]=1
    n_extra=$(find "$p/migrations" -mindepth 2 -maxdepth 2 -path '*_extra/migration.sql' | wc -l)
    zs=0; (cd "$p" && "${zstatus[@]}") >"$p/zstatus.out" 2>&1 || zs=$?
    c="$t: new folder $( [ "$n_extra" = 1 ] && echo ok || echo "**$n_extra found**"), zmc status $(ok_or_bold $zs)"
    [ "$n_extra" = 1 ] || NOTES+=("$d: after $t migrate dev -n extra, $n_extra folders *_extra/migration.sql")
    [ "$zs" = 0 ] || NOTES+=("$d: zmc migrate status on $t's dev project exit $zs: $(tail_of "$p/zstatus.out")")
    if [ "$t" != zen3 ] && [ "$PEERS" = 1 ]; then
      ps=0; (cd "$p" && run_to "$p/pstatus.out" "${pstatus[@]}") || ps=$?
      c="$c, Prisma status $(ok_or_bold $ps)"
      [ "$ps" = 0 ] || NOTES+=("$d: prisma migrate status on $t's dev project exit $ps: $(tail_of "$p/pstatus.out")")
    fi
    dev_checks="${dev_checks:+$dev_checks; }$c"
    case "$t" in zmc) cmd_zmc=("${cmd[@]}") ;; prisma) cmd_prisma=("${cmd[@]}") ;; zen3) cmd_zen3=("${cmd[@]}") ;; esac
  done
  # The extra migrations of the tools, compared with zmc's.
  zsql=$(find "$dir/dev-zmc/migrations" -path '*_extra/migration.sql' | head -1)
  for t in $tools; do
    if [ "$t" = zmc ] || [ "${TCMD_OK[$t]:-0}" != 1 ] || [ -z "$zsql" ]; then continue; fi
    tsql=$(find "$dir/dev-$t/migrations" -path '*_extra/migration.sql' | head -1)
    if [ -n "$tsql" ] && cmp -s "$zsql" "$tsql"; then dev_checks="$dev_checks; extra migration.sql zmc = $t"
    else
      dev_checks="$dev_checks; extra migration.sql zmc **≠** $t"
      NOTES+=("$d: extra migration.sql differs, zmc vs $t: $(diff "$zsql" "${tsql:-/dev/null}" | head -6 | tr '\n' ' ')")
    fi
  done
  VERDICTS+=("| $d | dev | $dev_checks |")

  # ---- timing
  log "$d: timing zmc migrate dev (best of $RUNS)"
  read -r zb zm < <(cd "$dir/dev-zmc" && best_of "$RUNS" "$dir/dev-zmc/prepare.sh" "${cmd_zmc[@]}")
  zrss=$(cd "$dir/dev-zmc" && peak_rss_kb "$dir/dev-zmc/prepare.sh" "${cmd_zmc[@]}")
  prow=""; zrow=""
  if [ "$PEERS" = 1 ]; then
    log "$d: timing prisma migrate dev (best of $PEER_RUNS)"
    read -r pb pm < <(cd "$dir/dev-prisma" && best_of "$PEER_RUNS" "$dir/dev-prisma/prepare.sh" "${cmd_prisma[@]}")
    prss=$(cd "$dir/dev-prisma" && peak_rss_kb "$dir/dev-prisma/prepare.sh" "${cmd_prisma[@]}")
    r=$(ratio "$pb" "$zb"); add_target "$d" "dev" "$r"
    prow=" $(ms "$pb") ($(ms "$pm")) | $(mib "$prss") | **${r}x** |"
  fi
  if [ "$ZEN" = 1 ]; then
    if [ "${TCMD_OK[zen3]:-0}" = 1 ]; then
      log "$d: timing zen migrate dev (best of $PEER_RUNS)"
      read -r eb em < <(cd "$dir/dev-zen3" && best_of "$PEER_RUNS" "$dir/dev-zen3/prepare.sh" "${cmd_zen3[@]}")
      zrow=" $(ms "$eb") ($(ms "$em")) | **$(ratio "$eb" "$zb")x** |"
    else
      zrow=" n/a | n/a |"
    fi
  fi
  ROWS+=("| $d | dev: $MODELS models + 1 | $(ms "$zb") ($(ms "$zm")) | $(mib "$zrss") |$prow$zrow")
  unset TCMD_OK

  # ================================================================ migrate deploy
  p="$dir/deploy"; g="$dir/deploy-gen"; mkdir -p "$p/migrations" "$g"
  log "$d: writing $MIGRATIONS migrations (zmc migrate diff)"
  chain_schema 0 "$d" > "$g/s0.zmodel"
  for ((k = 1; k <= MIGRATIONS; k++)); do
    chain_schema "$k" "$d" > "$g/s$k.zmodel"
    f="$p/migrations/$(printf '20250101%02d%02d%02d_m%03d' $((k / 3600)) $((k / 60 % 60)) $((k % 60)) "$k")"
    mkdir -p "$f"
    "$ZMC" migrate diff --from-schema "$g/s$((k - 1)).zmodel" --to-schema "$g/s$k.zmodel" --script -o "$f/migration.sql" \
      2>"$g/diff.err" || { cat "$g/diff.err" >&2; die "zmc migrate diff failed for migration $k ($d)"; }
    rm -f "$g/s$((k - 1)).zmodel"
  done
  mv "$g/s$MIGRATIONS.zmodel" "$p/schema.zmodel"; rm -rf "$g"
  printf '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "%s"\n' "$d" \
    > "$p/migrations/migration_lock.toml"
  "$ZMC" build -q --schema "$p/schema.zmodel" --backend prisma --output "$p/schema.prisma" \
    >/dev/null 2>"$p/build.err" || { cat "$p/build.err" >&2; die "zmc build --backend prisma failed (deploy schema)"; }
  if [ "$d" = sqlite ]; then
    env_=(env "SQLITE_URL=file:./dev.db"); dburl="$p/dev.db"
    printf 'rm -f %q/dev.db %q/dev.db-journal %q/dev.db-wal %q/dev.db-shm\n' "$p" "$p" "$p" "$p" > "$p/empty.sh"
  else
    dburl="$ZM_PG_URL/bench_deploy"; env_=(env "DATABASE_URL=$dburl")
    pg_reset_script bench_deploy template0 > "$p/empty.sh"
  fi
  [ "$PEERS" = 0 ] || cp "$PEERS_DIR/templates/$cfg" "$p/prisma.config.ts"
  zcmd=("${env_[@]}" "$ZMC" migrate deploy --schema "$p/schema.zmodel")
  pcmd=("${env_[@]}" timeout -k 10 "$PEER_TIMEOUT" "$PRISMA" migrate deploy --schema schema.prisma)
  zstatus=("${env_[@]}" "$ZMC" migrate status --schema "$p/schema.zmodel")
  pstatus=("${env_[@]}" "$PRISMA" migrate status --schema schema.prisma)

  dep_checks=""
  for t in zmc prisma; do
    [ "$t" = zmc ] || [ "$PEERS" = 1 ] || continue
    log "$d: checking $t migrate deploy"
    bash "$p/empty.sh" >/dev/null
    if [ "$t" = zmc ]; then (cd "$p" && run_checked "$p/$t.deploy.out" "zmc migrate deploy ($d)" "${zcmd[@]}")
    else (cd "$p" && run_checked "$p/$t.deploy.out" "prisma migrate deploy ($d)" "${pcmd[@]}"); fi
    zs=0; (cd "$p" && "${zstatus[@]}") >"$p/$t.zstatus.out" 2>&1 || zs=$?
    [ "$zs" = 0 ] || NOTES+=("$d: zmc migrate status after $t's deploy exit $zs: $(tail_of "$p/$t.zstatus.out")")
    c="after $t: zmc status $(ok_or_bold $zs)"
    if [ "$PEERS" = 1 ]; then
      ps=0; (cd "$p" && run_to "$p/$t.pstatus.out" "${pstatus[@]}") || ps=$?
      [ "$ps" = 0 ] || NOTES+=("$d: prisma migrate status after $t's deploy exit $ps: $(tail_of "$p/$t.pstatus.out")")
      c="$c, Prisma status $(ok_or_bold $ps)"
    fi
    n=$(records "$d" "$dburl")
    [ "$n" = "$MIGRATIONS" ] || NOTES+=("$d: after $t's deploy, _prisma_migrations holds $n finished records, not $MIGRATIONS")
    c="$c, records $( [ "$n" = "$MIGRATIONS" ] && echo "$n" || echo "**$n**")/$MIGRATIONS"
    catalog "$d" "$dburl" "$p/$t.catalog"
    dep_checks="${dep_checks:+$dep_checks; }$c"
  done
  if [ "$PEERS" = 1 ] && { [ "$d" = postgresql ] || [ "$HAVE_SQLITE3" = 1 ]; }; then
    tool=$( [ "$d" = sqlite ] && echo "sqlite3 .schema" || echo "pg_dump -s")
    if cmp -s "$p/zmc.catalog" "$p/prisma.catalog"; then
      dep_checks="$dep_checks; $tool identical ($(wc -l < "$p/zmc.catalog") lines)"
    else
      diff "$p/zmc.catalog" "$p/prisma.catalog" > "$p/catalog.diff" || true
      dep_checks="$dep_checks; $tool **differ** ($(grep -c '^[<>]' "$p/catalog.diff" || true) lines)"
      NOTES+=("$d: $tool after zmc's and Prisma's deploy differ: $(head -6 "$p/catalog.diff" | tr '\n' ' ')")
    fi
  fi
  VERDICTS+=("| $d | deploy | $dep_checks |")

  log "$d: timing zmc migrate deploy (best of $RUNS)"
  read -r zb zm < <(cd "$p" && best_of "$RUNS" "$p/empty.sh" "${zcmd[@]}")
  zrss=$(cd "$p" && peak_rss_kb "$p/empty.sh" "${zcmd[@]}")
  prow=""; zrow=""
  if [ "$PEERS" = 1 ]; then
    log "$d: timing prisma migrate deploy (best of $PEER_RUNS)"
    read -r pb pm < <(cd "$p" && best_of "$PEER_RUNS" "$p/empty.sh" "${pcmd[@]}")
    prss=$(cd "$p" && peak_rss_kb "$p/empty.sh" "${pcmd[@]}")
    r=$(ratio "$pb" "$zb"); add_target "$d" "deploy" "$r"
    prow=" $(ms "$pb") ($(ms "$pm")) | $(mib "$prss") | **${r}x** |"
  fi
  [ "$ZEN" = 0 ] || zrow=" — | — |"
  ROWS+=("| $d | deploy: $MIGRATIONS migrations | $(ms "$zb") ($(ms "$zm")) | $(mib "$zrss") |$prow$zrow")
done

# ---------------------------------------------------------------- report
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
peers_title=""
[ "$PEERS" = 0 ] || peers_title=" against \`prisma migrate dev/deploy\` (Prisma $PRISMA_VERSION, wasm engine)"
[ "$ZEN" = 0 ] || peers_title="$peers_title and \`zen migrate dev\` (ZenStack $ZEN_VERSION)"
echo "## migrate dev ($MODELS models + 1) and migrate deploy ($MIGRATIONS migrations): zmc$peers_title"
echo
echo "Commit $REV, seed $SEED, $(nproc) CPUs, load average at the end $load$( [ -z "$PG_VERSION" ] || echo ", PostgreSQL $PG_VERSION (fsync off)")."
echo "Wall clock; zmc best of $RUNS$( [ "$PEERS" = 0 ] || echo ", peers best of $PEER_RUNS"), each after 1 warm-up; before every run the project and its database are put back outside the timing (dev: migrated with init, extra folder deleted; deploy: empty database)."
echo
head="| dialect | command | zmc best (mean) ms | zmc RSS (MiB) |" rule="|---|---|---:|---:|"
[ "$PEERS" = 0 ] || { head="$head Prisma best (mean) ms | Prisma RSS (MiB) | Prisma / zmc |"; rule="$rule---:|---:|---:|"; }
[ "$ZEN" = 0 ] || { head="$head ZenStack v3 best (mean) ms | ZenStack / zmc |"; rule="$rule---:|---:|"; }
echo "$head"; echo "$rule"
printf '%s\n' "${ROWS[@]}"
echo
if [ "$PEERS" = 1 ]; then
  targets=$(printf '%s; ' "${TARGETS[@]}")
  echo "Target: zmc at least 50x faster than Prisma (best against best): ${targets%; }."
  echo
fi
echo "| dialect | command | checks |"
echo "|---|---|---|"
printf '%s\n' "${VERDICTS[@]}"
if [ "${#NOTES[@]}" -gt 0 ]; then
  echo; echo "Notes:"; printf -- '- %s\n' "${NOTES[@]}"
fi
