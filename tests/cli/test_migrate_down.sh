#!/usr/bin/env bash
# test_migrate_down.sh — `zmc migrate down` round trips on SQLite and on a
# PostgreSQL server the test starts (no server is a failure):
#
#   down.sql        migrate dev writes one beside each migration of the 18
#                   changes of tests/golden/diff/steps; migration.sql's
#                   checksum is unchanged by it
#   round trip      down one at a time to nothing (each checked by zmc against
#                   the history replayed up to the migration that stays), then
#                   deploy: the catalog is the one before, byte for byte
#   computed        the same with every down.sql removed (Prisma's folders):
#                   the way back computed from the history
#   --count, --to   several at once; the record rows go with them
#   data loss       a revert that drops a table holding rows is refused and
#                   changes nothing; --accept-data-loss reverts it
#   edited down.sql that does not undo its migration: the revert is reported
#                   as drift, with the SQL that would make it equal
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.migrate_down needs a PostgreSQL server and could not start one"
  exit 1
}
steps="$golden/diff/steps"

for dialect in sqlite postgresql; do
  work="$tmp/$dialect"
  mkdir -p "$work"
  if [[ $dialect == sqlite ]]; then
    schema() { cp "$steps/$1.zmodel" "$work/schema.zmodel"; }
    catalog() { sqlite3 "$work/dev.db" .schema | sort; }
    q() { sqlite3 "$work/dev.db" "$1"; }
  else
    export DATABASE_URL="$ZM_PG_URL/down"
    schema() {
      sed -e 's|provider = "sqlite"|provider = "postgresql"|' \
        -e 's|url      = "file:./dev.db"|url      = env("DATABASE_URL")|' "$steps/$1.zmodel" >"$work/schema.zmodel"
    }
    catalog() { pg_dump --schema-only --no-owner -d down | grep -v '^--\|^\\\(un\)\{0,1\}restrict ' ; }
    q() { psql -qAtX -d down -c "$1"; }
  fi
  zmc() { "$ZMC" migrate "$@" --schema "$work/schema.zmodel" 2>&1; }
  applied() { q "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"; }

  # the history, one migration per step, each with its down.sql
  n=0
  for z in "$steps"/*.zmodel; do
    schema "$(basename "$z" .zmodel)"
    zmc dev -n "s$n" --accept-data-loss --no-lint >/dev/null || bad "$dialect: migrate dev at step $n"
    n=$((n + 1))
  done
  total=$(ls -d "$work"/migrations/*/ | wc -l)
  downs=$(ls "$work"/migrations/*/down.sql 2>/dev/null | wc -l)
  [[ $total -ge 18 && $downs == "$total" ]] && ok || bad "$dialect: $downs down.sql for $total migrations"
  [[ $(zmc status) == *"Database schema is up to date"* ]] && ok || bad "$dialect: status after dev: $(zmc status)"
  full=$(catalog)

  for way in written computed; do
    [[ $way == computed ]] && rm "$work"/migrations/*/down.sql
    left=$total bad_step=""
    while ((left > 0)); do
      # (an enum value removed always asks, as in migrate dev: the database is empty here)
      out=$(zmc down --accept-data-loss)
      if [[ $? != 0 || $out != *"Reverted 1 migration"* ]]; then bad_step="$left: $out"; break; fi
      [[ $way == computed && $out != *"its down computed from the history"* ]] && { bad_step="$left: not computed: $out"; break; }
      left=$((left - 1))
      [[ $(applied) == "$left" ]] || { bad_step="$left: $(applied) records left"; break; }
    done
    [[ -z $bad_step ]] && ok || bad "$dialect $way: down at $bad_step"
    [[ $(zmc down) == *"No migration to revert."* ]] && ok || bad "$dialect $way: a down with nothing applied"
    zmc deploy >/dev/null || bad "$dialect $way: deploy after the downs"
    [[ $(catalog) == "$full" ]] && ok || bad "$dialect $way: the catalog after down and up differs: $(diff <(echo "$full") <(catalog) | head -20)"
  done

  # several at once; --to keeps the named one
  out=$(zmc down --count 3 --accept-data-loss)
  [[ $? == 0 && $out == *"Reverted 3 migrations"* && $(applied) == $((total - 3)) ]] && ok || bad "$dialect --count 3: $out"
  keep=$(ls "$work/migrations" | grep -v toml | sed -n 2p)
  out=$(zmc down --to "$keep" --accept-data-loss)
  [[ $? == 0 && $(applied) == 2 && $(q "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '$keep'") == 1 ]] &&
    ok || bad "$dialect --to $keep: $(applied) applied: $out"
  out=$(zmc down --to nosuch)
  [[ $? == 1 && $out == *"\`nosuch\` is not an applied migration"* ]] && ok || bad "$dialect --to nosuch: $out"
  zmc deploy >/dev/null || bad "$dialect: deploy again"

  # data loss: the last migration's table holds a row (a project of its own)
  work="$tmp/$dialect-loss"
  mkdir -p "$work"
  if [[ $dialect == sqlite ]]; then
    url='"file:./dev.db"'
    q() { sqlite3 "$work/dev.db" "$1"; }
  else
    export DATABASE_URL="$ZM_PG_URL/down_loss"
    url='env("DATABASE_URL")'
    q() { psql -qAtX -d down_loss -c "$1"; }
  fi
  printf 'datasource db {\n  provider = "%s"\n  url      = %s\n}\nmodel Keep {\n  id Int @id\n}\n' "$dialect" "$url" \
    >"$work/schema.zmodel"
  zmc dev -n keep --no-lint >/dev/null || bad "$dialect: dev keep"
  printf 'model Note {\n  id Int @id\n}\n' >>"$work/schema.zmodel"
  zmc dev -n note --no-lint >/dev/null || bad "$dialect: dev note"
  q 'INSERT INTO "Note" VALUES (1)' >/dev/null
  out=$(zmc down)
  [[ $? == 1 && $out == *"reverting"*"would lose data"*"Note"*"--accept-data-loss"* && $(q 'SELECT count(*) FROM "Note"') == 1 &&
     $(applied) == 2 ]] && ok || bad "$dialect data loss: $out"
  out=$(zmc down --accept-data-loss)
  [[ $? == 0 && $(applied) == 1 ]] && ok || bad "$dialect --accept-data-loss: $out"

  # a down.sql that does not undo its migration: drift, named
  zmc deploy >/dev/null
  note=$(ls -d "$work"/migrations/*_note)
  printf -- '-- forgets to drop the table\nSELECT 1;\n' >"$note/down.sql"
  out=$(zmc down)
  [[ $? == 1 && $out == *"differs from the migrations replayed up to"*"Note"* ]] && ok || bad "$dialect drift: $out"
done

# ---- the example project (examples/blog) ----------------------------------------------------------
# SQLite: its own two migrations, which have no down.sql (computed). PostgreSQL:
# its schema migrated by migrate dev (with down.sql), then the same round trip.
for dialect in sqlite postgresql; do
  work="$tmp/blog-$dialect"
  cp -r "$example" "$work"
  rm -f "$work/zenstack/dev.db"
  if [[ $dialect == postgresql ]]; then
    export DATABASE_URL="$ZM_PG_URL/blog"
    rm -rf "$work/zenstack/migrations"
    sed -i 's|provider = "sqlite"|provider = "postgresql"|' "$work/zenstack/schema.zmodel"
    (cd "$work" && "$ZMC" migrate dev -n init --no-lint >/dev/null 2>&1) || bad "blog $dialect: migrate dev"
    catalog() { pg_dump --schema-only --no-owner -d blog | grep -v '^--\|^\\\(un\)\{0,1\}restrict '; }
  else
    export DATABASE_URL="file:./dev.db"
    (cd "$work" && "$ZMC" migrate deploy >/dev/null 2>&1) || bad "blog $dialect: deploy"
    catalog() { sqlite3 "$work/zenstack/dev.db" .schema | sort; }
  fi
  full=$(catalog)
  n=$(ls -d "$work"/zenstack/migrations/*/ | wc -l)
  out=$(cd "$work" && "$ZMC" migrate down --count "$n" 2>&1)
  [[ $? == 0 && $out == *"Reverted $n migration"* ]] && ok || bad "blog $dialect: down: $out"
  (cd "$work" && "$ZMC" migrate deploy >/dev/null 2>&1) || bad "blog $dialect: deploy after down"
  [[ -n $full && $(catalog) == "$full" ]] && ok || bad "blog $dialect: the catalog differs after down and up"
done

finish cli.migrate_down
