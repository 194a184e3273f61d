#!/usr/bin/env bash
# valgrind.sh — the CLI's main paths on MySQL under valgrind, on a MariaDB
# server this test starts: migrate dev (creating the database, then in sync,
# with its shadow database), migrate deploy, migrate status and db push. No
# invalid access and no leak of any kind (libmariadb's global state is freed
# when the driver module ends, at exit).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/mariadb.sh"
: "${VALGRIND:?set VALGRIND to valgrind}"

if ! zm_mariadb_start; then
  bad "no MariaDB server could be started"
  finish mysql.valgrind
  exit 1
fi

vg() { # want-status command...
  local want=$1 rc
  shift
  "$VALGRIND" -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
    --num-callers=40 --suppressions="$here/../support/valgrind.supp" "$ZMC" "$@" >"$tmp/out" 2>&1
  rc=$?
  if [[ $rc == "$want" ]]; then ok; else
    bad "zmc $* exited $rc under valgrind, want $want"
    sed 's/^/    /' "$tmp/out" | head -60
  fi
}

mkdir -p "$tmp/p"
cat >"$tmp/p/schema.zmodel" <<EOF2
datasource db {
  provider = "mysql"
  url      = "$ZM_MARIADB_URL/vg"
}
enum Role {
  USER
  ADMIN
}
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  role  Role   @default(USER)
  posts Post[]
}
model Post {
  id       Int    @id @default(autoincrement())
  title    String @db.VarChar(200)
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int
}
EOF2
vg 0 migrate dev -n init --schema "$tmp/p/schema.zmodel"
printf 'model Tag {\n  id Int @id\n}\n' >>"$tmp/p/schema.zmodel"
vg 0 migrate dev -n tag --schema "$tmp/p/schema.zmodel"
vg 0 migrate status --schema "$tmp/p/schema.zmodel"
sed "s|/vg\"|/vg2\"|" "$tmp/p/schema.zmodel" >"$tmp/p/deploy.zmodel"
vg 0 migrate deploy --schema "$tmp/p/deploy.zmodel" --migrations "$tmp/p/migrations"
sed "s|/vg\"|/vg3\"|" "$tmp/p/schema.zmodel" >"$tmp/p/push.zmodel"
vg 0 db push --schema "$tmp/p/push.zmodel"
vg 0 migrate diff --from-url "$ZM_MARIADB_URL/vg" --to-url "$ZM_MARIADB_URL/vg2" --exit-code

finish mysql.valgrind
