#!/usr/bin/env bash
# test_prisma_backend.sh — migrations through the Prisma backend: zmc turns
# the ZModel into a Prisma schema and runs the real Prisma 6 CLI on it (the
# peers, see lib.sh), on SQLite and on a PostgreSQL server the test starts.
#
#   workflow   the schema's `plugin migrate { provider = "migrate"
#              backend = "prisma" }`: migrate dev -n init, a second migrate
#              dev, migrate status, migrate deploy onto a fresh database,
#              migrate reset --force, db push. Each checks Prisma ran (its
#              banner), the folders, the _prisma_migrations rows, the
#              catalog, and that no temporary ~schema.*.prisma is left.
#   switching  one project, three migrations, the backend alternating
#              (--backend prisma, native, --backend prisma): the end is in
#              sync for zmc's own `migrate status`, for `prisma migrate
#              status`, and for a fresh database deployed natively.
#   errors     an option Prisma cannot honour (exit 2), no Prisma CLI (exit
#              3, the install hint, no temporary file), an unknown backend.
#
# Environment: ZMC, PEERS_DIR, PEERS_SETUP (see lib.sh).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
interop_setup interop.prisma_backend
export ZMC_PRISMA=$PRISMA

# project DIALECT NAME [BLOCK]: a folder $p with Prisma's config and
# schema.zmodel (model v1; BLOCK "plugin" adds the engine's plugin block),
# and an empty database.
project() {
  interop_project "$1" "$2"
  [[ ${3:-} == plugin ]] && printf 'plugin migrate {\n  provider = "migrate"\n  backend  = "prisma"\n}\n\n' >>"$p/head"
  cat "$p/head" - >"$p/v1.zmodel" <<'EOF'
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  authorId Int

  @@index([authorId])
}
EOF
  sed -e 's/^model Post {/model Tag {\n  id    Int    @id @default(autoincrement())\n  label String @unique\n}\n\nmodel Post {/' \
    "$p/v1.zmodel" >"$p/v2.zmodel"
  sed -e 's/  name  String?/  name  String?\n  bio   String  @default("")/' "$p/v2.zmodel" >"$p/v3.zmodel"
  use v1
}

use() { cp "$p/$1.zmodel" "$p/schema.zmodel"; }


# zmc ARGS: run from the project folder (Prisma reads ./prisma.config.ts).
zmc() { (cd "$p" && "$ZMC" "$@"); }

# check WHAT CMD...: must succeed; output in $out. Afterwards no temporary
# Prisma schema may be left beside the ZModel.
check() {
  local what=$1; shift
  if out=$("$@" 2>&1); then ok; else bad "$dialect: $what failed: $(tail -15 <<<"$out")"; fi
  leftover
}
leftover() {
  local left
  left=$(find "$p" -maxdepth 1 -name '~schema*.prisma')
  if [[ -z $left ]]; then ok; else bad "$dialect: temporary schema left: $left"; rm -f "$p"/~schema*.prisma; fi
}
# through_prisma WHAT: $out shows that Prisma ran on the temporary schema.
through_prisma() {
  if [[ $out == *"Prisma schema loaded from ~schema."*".prisma"* ]]; then ok; else
    bad "$dialect: $1 did not run through Prisma: $(head -5 <<<"$out")"
  fi
}

# sql QUERY: one value from the project's database.
sql() {
  if [[ $dialect == sqlite ]]; then sqlite3 "$p/dev.db" "$1"; else psql -qXAt -d "$DATABASE_URL" -c "$1"; fi
}
tables() {
  if [[ $dialect == sqlite ]]; then
    sql "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)"
  else
    sql "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"
  fi
}
columns() {  # columns TABLE
  if [[ $dialect == sqlite ]]; then sql "SELECT group_concat(name, ' ') FROM pragma_table_info('$1')"; else
    sql "SELECT string_agg(column_name, ' ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '$1'"
  fi
}
expect_eq() {  # expect_eq WHAT GOT WANT
  if [[ $2 == "$3" ]]; then ok; else bad "$dialect: $1: got '$2', want '$3'"; fi
}
applied() { sql "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"; }
folders() { find "$p/migrations" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | sed 's/^[0-9]*_//' | tr '\n' ' '; }

for dialect in sqlite postgresql; do
  # ---- the ZenStack workflow, the backend chosen in the schema
  project $dialect workflow plugin
  check "migrate dev -n init" zmc migrate dev -n init
  through_prisma "migrate dev -n init"
  expect_eq "folders after init" "$(folders)" "init "
  expect_eq "tables after init" "$(tables)" "Post User _prisma_migrations"
  [[ -f $p/migrations/migration_lock.toml ]] && ok || bad "$dialect: no migration_lock.toml"

  use v2
  check "migrate dev -n tags" zmc migrate dev -n tags
  through_prisma "migrate dev -n tags"
  expect_eq "folders after tags" "$(folders)" "init tags "
  expect_eq "tables after tags" "$(tables)" "Post Tag User _prisma_migrations"
  expect_eq "applied rows after tags" "$(applied)" 2

  check "migrate status" zmc migrate status
  through_prisma "migrate status"
  [[ $out == *"Database schema is up to date"* ]] && ok || bad "$dialect: migrate status: $out"
  check "migrate status (native)" zmc migrate status --backend sql
  [[ $out == *"Database schema is up to date"* && $out != *"Prisma schema loaded"* ]] && ok ||
    bad "$dialect: native migrate status: $out"

  interop_fresh
  check "migrate deploy onto a fresh database" zmc migrate deploy
  through_prisma "migrate deploy"
  expect_eq "tables after deploy" "$(tables)" "Post Tag User _prisma_migrations"
  expect_eq "applied rows after deploy" "$(applied)" 2

  sql "INSERT INTO \"User\" (email) VALUES ('a@b.c')" >/dev/null
  check "migrate reset --force" zmc migrate reset --force
  through_prisma "migrate reset"
  expect_eq "users after reset" "$(sql 'SELECT count(*) FROM "User"')" 0
  expect_eq "applied rows after reset" "$(applied)" 2

  # db push: the next model version, without a migration
  use v3
  check "db push" zmc db push
  through_prisma "db push"
  expect_eq "User columns after db push" "$(columns User)" "id email name bio"
  expect_eq "folders after db push" "$(folders)" "init tags "

  # ---- errors
  use v2
  out=$(zmc migrate dev --json 2>&1); rc=$?
  expect_eq "migrate dev --json through Prisma: exit" $rc 2
  [[ $out == *"--json"*"not available with the Prisma backend"* ]] && ok || bad "$dialect: --json: $out"
  out=$(cd "$p" && env -u ZMC_PRISMA PATH=/usr/bin:/bin "$ZMC" migrate status 2>&1); rc=$?
  expect_eq "no Prisma CLI: exit" $rc 3
  [[ $out == *"npm install --save-dev prisma"* ]] && ok || bad "$dialect: no Prisma CLI: $out"
  leftover
  out=$(zmc migrate status --backend nope 2>&1); rc=$?
  expect_eq "unknown backend: exit" $rc 2
  [[ $out == *"unknown backend 'nope'"* ]] && ok || bad "$dialect: unknown backend: $out"

  # ---- switching: three migrations, the backend alternating
  project $dialect switching
  check "migrate dev -n one --backend prisma" zmc migrate dev -n one --backend prisma
  through_prisma "migrate dev -n one --backend prisma"
  use v2
  check "migrate dev -n two (native)" zmc migrate dev -n two
  [[ $out != *"Prisma schema loaded"* ]] && ok || bad "$dialect: migrate dev -n two ran Prisma"
  use v3
  check "migrate dev -n three --backend prisma" zmc migrate dev -n three --backend prisma
  through_prisma "migrate dev -n three --backend prisma"
  expect_eq "folders after switching" "$(folders)" "one two three "
  expect_eq "applied rows after switching" "$(applied)" 3
  check "zmc migrate status (native) after switching" zmc migrate status
  [[ $out == *"Database schema is up to date"* ]] && ok || bad "$dialect: native status: $out"
  check "prisma migrate status after switching" zmc migrate status --backend prisma
  through_prisma "migrate status --backend prisma"
  [[ $out == *"Database schema is up to date"* ]] && ok || bad "$dialect: prisma status: $out"
  # and Prisma's own CLI, on the Prisma schema `zmc build` writes
  "$ZMC" build -q --backend prisma --schema "$p/schema.zmodel" --output "$p/schema.prisma" >/dev/null 2>&1 ||
    bad "$dialect: zmc build --backend prisma"
  check "prisma migrate status (Prisma's CLI) after switching" \
    bash -c 'cd "$1" && "$2" migrate status --schema "$1/schema.prisma"' _ "$p" "$PRISMA"
  [[ $out == *"3 migrations found"*"Database schema is up to date"* ]] && ok ||
    bad "$dialect: prisma migrate status (Prisma's CLI): $out"
  check "zmc migrate dev (native) finds nothing to do" zmc migrate dev
  [[ $out == *"Already in sync"* ]] && ok || bad "$dialect: native dev after switching: $out"
  interop_fresh
  check "migrate deploy (native) of the mixed history" zmc migrate deploy
  check "prisma migrate status after the native deploy" zmc migrate status --backend prisma
  through_prisma "migrate status --backend prisma (fresh)"
  [[ $out == *"Database schema is up to date"* ]] && ok || bad "$dialect: prisma status after deploy: $out"
  expect_eq "User columns after the native deploy" "$(columns User)" "id email name bio"
done

finish interop.prisma_backend
