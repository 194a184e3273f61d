#!/usr/bin/env bash
# migrate.sh — every migrate and db command on MySQL (MariaDB), end to end,
# on a throw-away server this test starts (no server is a failure):
#
#   migrate dev     creates the database, writes and applies the first
#                   migration; a second run is in sync; a change writes
#                   ALTER TABLE ... MODIFY and applies it; data loss and
#                   unexecutable changes are refused; drift is reported
#   migrate deploy  a fresh database gets every migration with its
#                   `_prisma_migrations` row (the table as Prisma's MySQL
#                   connector creates it); a migration failing at its second
#                   statement is recorded failed, with the statement, how
#                   far it got and the exact `migrate resolve` to run; 8
#                   concurrent deploys apply each migration once; --json
#   migrate reset / status / resolve / diff, db push (with data loss)
#   round trip      each golden schema of tests/golden/sql/mysql applied by
#                   migrate deploy reads back with no difference
#   shadow          a user that may not create databases gets an error that
#                   names shadowDatabaseUrl, and the live data is untouched; a
#                   shadow left by a zmc killed with SIGKILL is swept once stale
#   migrate down    round trips through tests/golden/diff/steps, with down.sql
#                   and with the way back computed: the same catalog
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/mariadb.sh"

if ! zm_mariadb_start; then
  bad "no MariaDB server could be started"
  finish mysql.migrate
  exit 1
fi

# q DB SQL: rows tab-separated, no header.
q() { zm_mariadb --batch --raw --skip-column-names -D "$1" -e "$2"; }

# project NAME: a project folder $work whose datasource is database NAME.
project() {
  work="$tmp/$1" db=$1
  mkdir -p "$work/zenstack"
  schema="$work/zenstack/schema.zmodel"
}

# model FILE: the datasource, then the models on stdin.
model() {
  { printf 'datasource db {\n  provider = "mysql"\n  url      = "%s/%s"\n}\n' "$ZM_MARIADB_URL" "$db"; cat; } >"$schema"
}

zmc_in() { (cd "$work" && "$ZMC" "$@"); }

# ---- migrate dev ------------------------------------------------------------------------

project app
model <<'EOF'
enum Role {
  USER
  ADMIN
}
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  role      Role     @default(USER)
  createdAt DateTime @default(now())
  score     Decimal  @default(1.5)
  active    Boolean  @default(true)
  posts     Post[]
}
model Post {
  id       Int    @id @default(autoincrement())
  title    String @db.VarChar(200)
  body     String @db.Text
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int
  tags     Tag[]
  @@index([title])
}
model Tag {
  id    String @id @default(cuid())
  name  String @unique
  posts Post[]
}
EOF
if out=$(zmc_in migrate dev -n init 2>&1) && [[ $out == *'Created the database `app`'* ]] &&
  q app "SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL" | grep -qx 1; then
  ok
else
  bad "migrate dev init: $out"
fi
init=$(ls "$work/zenstack/migrations" | grep _init)
if grep -q 'CREATE TABLE `User`' "$work/zenstack/migrations/$init/migration.sql" &&
  grep -qx 'provider = "mysql"' "$work/zenstack/migrations/migration_lock.toml"; then ok; else
  bad "init migration or lock file"
fi
# the checksum is the file's SHA-256
sum=$(sha256sum "$work/zenstack/migrations/$init/migration.sql" | cut -d' ' -f1)
if [[ $(q app "SELECT checksum FROM _prisma_migrations") == "$sum" ]]; then ok; else bad "checksum"; fi
# the record table as Prisma's MySQL connector creates it
cols=$(q app "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '-') FROM information_schema.COLUMNS
  WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = '_prisma_migrations' ORDER BY ORDINAL_POSITION" | tr '\t\n' ' |')
want='id varchar(36) NO -|checksum varchar(64) NO -|finished_at datetime(3) YES NULL|migration_name varchar(255) NO -|logs text YES NULL|rolled_back_at datetime(3) YES NULL|started_at datetime(3) NO current_timestamp(3)|applied_steps_count int(10) unsigned NO 0|'
if [[ $cols == "$want" ]]; then ok; else bad "_prisma_migrations columns: $cols"; fi
if [[ $(q app "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = '_prisma_migrations'") == utf8mb4_unicode_ci ]]; then
  ok
else
  bad "_prisma_migrations collation"
fi
if out=$(zmc_in migrate dev -n again 2>&1) && [[ $out == *"Already in sync"* ]]; then ok; else bad "second dev: $out"; fi
if [[ $(zmc_in migrate diff --from-url "$ZM_MARIADB_URL/app" --to-schema zenstack/schema.zmodel --script) == "-- This is an empty migration." ]]; then
  ok
else
  bad "diff live -> schema after dev"
fi

# a change on existing data: refused for the NULL, then for data loss, then applied
q app "INSERT INTO User (email) VALUES ('a@example.com')"
sed -i 's/name      String?/name      String   @default("anon")/; s/  active    Boolean  @default(true)/  bio       String?  @db.Text/;
  s/  USER$/  USER\n  GUEST/; s/email     String   @unique/email     String   @unique @db.VarChar(100)/' "$schema"
if out=$(zmc_in migrate dev -n change 2>&1); then bad "a required column over a NULL should be refused"; elif
  [[ $out == *'Made the column `name` on table `User` required, but there is 1 existing NULL value'* ]]; then ok; else
  bad "required over NULL message: $out"
fi
q app "UPDATE User SET name = 'x'"
if out=$(zmc_in migrate dev -n change 2>&1); then bad "dropping a column with data should be refused"; elif
  [[ $out == *'drop the column `active` on the `User` table, which still contains 1 non-null value'* ]]; then ok; else
  bad "data loss message: $out"
fi
if out=$(zmc_in migrate dev -n change --accept-data-loss 2>&1) && [[ $out == *"in sync"* ]]; then ok; else bad "change: $out"; fi
change=$(ls "$work/zenstack/migrations" | grep _change)
sql=$(cat "$work/zenstack/migrations/$change/migration.sql")
if [[ $sql == *'ALTER TABLE `User` DROP COLUMN `active`,'* && $sql == *'MODIFY `email` VARCHAR(100) NOT NULL'* &&
  $sql == *"MODIFY \`role\` ENUM('USER', 'GUEST', 'ADMIN') NOT NULL DEFAULT 'USER'"* ]]; then ok; else
  bad "change SQL: $sql"
fi
if [[ $(q app "SELECT email, name, role FROM User") == $'a@example.com\tx\tUSER' ]]; then ok; else bad "rows after change"; fi
if out=$(zmc_in migrate dev -n again 2>&1) && [[ $out == *"Already in sync"* ]]; then ok; else bad "dev after change: $out"; fi

# drift: a column added by hand
q app "ALTER TABLE User ADD COLUMN drift INT"
if out=$(zmc_in migrate dev -n drifted 2>&1); then bad "drift should stop migrate dev"; elif
  [[ $out == *'[+] Added column `drift`'* && $out == *'To reset the MySQL database "app"'* ]]; then ok; else
  bad "drift: $out"
fi
if [[ $(q app "SELECT COUNT(*) FROM User") == 1 ]]; then ok; else bad "drift check touched the data"; fi
q app "ALTER TABLE User DROP COLUMN drift"
if out=$(zmc_in migrate status 2>&1) && [[ $out == *"Database schema is up to date"* ]]; then ok; else bad "status: $out"; fi

# ---- migrate deploy -----------------------------------------------------------------------

migrations="$work/zenstack/migrations"
project fresh
cp -r "$migrations" "$work/zenstack/"
model < <(sed -n '/^enum/,$p' "$tmp/app/zenstack/schema.zmodel")
if out=$(zmc_in migrate deploy 2>&1) && [[ $out == *"All migrations have been successfully applied"* ]]; then ok; else
  bad "deploy: $out"
fi
if [[ $("$ZMC" migrate diff --from-url "$ZM_MARIADB_URL/app" --to-url "$ZM_MARIADB_URL/fresh" --script) == "-- This is an empty migration." ]]; then
  ok
else
  bad "deploy built another schema than dev"
fi
started=$(q fresh "SELECT COUNT(*) FROM _prisma_migrations WHERE started_at <= finished_at AND applied_steps_count = 1")
if [[ $started == 2 ]]; then ok; else bad "records: $started of 2 complete"; fi

# a migration that fails at its second statement: the first stays (MySQL
# commits DDL), the record says failed, the message says how far and what to run
bad_name=29990101000000_bad
mkdir -p "$work/zenstack/migrations/$bad_name"
printf 'CREATE TABLE `Kept` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));\nALTER TABLE `Missing` ADD COLUMN `y` INTEGER;\nCREATE TABLE `Never` (`id` INTEGER);\n' \
  >"$work/zenstack/migrations/$bad_name/migration.sql"
if out=$(zmc_in migrate deploy 2>&1); then bad "a failing migration should fail deploy"; else
  if [[ $out == *"failed to apply at statement 2 of 3 (P3018)"* && $out == *'ALTER TABLE `Missing` ADD COLUMN `y` INTEGER'* &&
    $out == *"Statement 1 of"*"was applied and cannot be rolled back"* &&
    $out == *"zmc migrate resolve --rolled-back $bad_name"* && $out == *"zmc migrate resolve --applied $bad_name"* ]]; then
    ok
  else
    bad "failure report: $out"
  fi
fi
if [[ $(q fresh "SHOW TABLES LIKE 'Kept'") == Kept && -z $(q fresh "SHOW TABLES LIKE 'Never'") ]]; then ok; else
  bad "what the failed migration left"
fi
logs=$(q fresh "SELECT logs FROM _prisma_migrations WHERE migration_name = '$bad_name' AND finished_at IS NULL")
if [[ $logs == *"Database error code: 1146"* && $logs == *"Failed at statement 2 of 3"* ]]; then ok; else bad "logs: $logs"; fi
if out=$(zmc_in migrate deploy --json 2>/dev/null); then bad "deploy over a failed migration"; else
  if [[ $(jq -r '.error.code' <<<"$out") == P3009 && $(jq -r '.failed[0]' <<<"$out") == "$bad_name" ]]; then ok; else
    bad "deploy --json over a failed migration: $out"
  fi
fi
q fresh "DROP TABLE Kept"
printf 'CREATE TABLE `Kept` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));\n' >"$work/zenstack/migrations/$bad_name/migration.sql"
if zmc_in migrate resolve --rolled-back "$bad_name" >/dev/null 2>&1 && out=$(zmc_in migrate deploy --json 2>&1) &&
  [[ $(jq -r '.applied[0]' <<<"$out") == "$bad_name" && $(jq -r '.ok' <<<"$out") == true ]]; then
  ok
else
  bad "resolve then deploy: $out"
fi
if out=$(zmc_in migrate status --json 2>/dev/null) && [[ $(jq -r '.ok' <<<"$out") == true ]]; then ok; else bad "status --json: $out"; fi

# migrate resolve --applied: a migration applied by hand
applied_name=29990102000000_by_hand
mkdir -p "$work/zenstack/migrations/$applied_name"
printf 'CREATE TABLE `ByHand` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));\n' >"$work/zenstack/migrations/$applied_name/migration.sql"
q fresh 'CREATE TABLE `ByHand` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`))'
if zmc_in migrate resolve --applied "$applied_name" >/dev/null 2>&1 && out=$(zmc_in migrate deploy 2>&1) &&
  [[ $out == *"No pending migrations"* ]]; then ok; else bad "resolve --applied: $out"; fi

# 8 concurrent deploys onto a database none of them finds: each migration once
cp -r "$work/zenstack/migrations" "$tmp/migs"
project conc
cp -r "$tmp/migs" "$work/zenstack/migrations"
model < <(sed -n '/^enum/,$p' "$tmp/app/zenstack/schema.zmodel")
pids=()
for i in 1 2 3 4 5 6 7 8; do
  (zmc_in migrate deploy >"$tmp/conc$i.log" 2>&1; echo $? >"$tmp/conc$i.rc") &
  pids+=($!)
done
wait "${pids[@]}"   # not the server, which runs in the background too
rcs=$(cat "$tmp"/conc*.rc | tr -d '\n')
counts=$(q conc "SELECT COUNT(*), COUNT(DISTINCT migration_name) FROM _prisma_migrations WHERE finished_at IS NOT NULL")
if [[ $rcs == 00000000 && $counts == $'4\t4' ]]; then ok; else
  bad "concurrent deploys: rcs=$rcs counts=$counts $(cat "$tmp"/conc*.log | grep -i error | head -3)"
fi

# ---- migrate reset ------------------------------------------------------------------------

q conc "INSERT INTO User (email, name) VALUES ('b@example.com', 'b')"
q conc "CREATE VIEW Emails AS SELECT email FROM User; CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN 2 * x;
  CREATE PROCEDURE noop() BEGIN END"
if out=$(zmc_in migrate reset --force 2>&1) && [[ $(q conc "SELECT COUNT(*) FROM User") == 0 ]] &&
  [[ $(q conc "SELECT COUNT(*) FROM _prisma_migrations") == 4 ]]; then ok; else bad "reset: $out"; fi
left=$(q conc "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'conc'")
left+=$(q conc "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'conc'")
if [[ $left == 00 ]]; then ok; else bad "reset left routines or views: $left"; fi

# ---- migrate diff ---------------------------------------------------------------------------

out=$("$ZMC" migrate diff --from-empty --to-schema "$tmp/app/zenstack/schema.zmodel" --script 2>&1)
if [[ $out == *'CREATE TABLE `User`'* && $out == *') DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;'* ]]; then ok; else
  bad "diff from empty: $out"
fi
q mysql "CREATE DATABASE shadowdb"
out=$("$ZMC" migrate diff --from-migrations "$tmp/app/zenstack/migrations" --to-schema "$tmp/app/zenstack/schema.zmodel" \
  --shadow-database-url "$ZM_MARIADB_URL/shadowdb" --script 2>&1)
if [[ $out == "-- This is an empty migration." ]]; then ok; else bad "diff from migrations: $out"; fi
if [[ -z $(q mysql "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'zmc\\_shadow\\_%'") ]]; then
  ok
else
  bad "a shadow database was left behind"
fi
out=$("$ZMC" migrate diff --from-url "$ZM_MARIADB_URL/conc" --to-url "$ZM_MARIADB_URL/fresh" --exit-code 2>&1)
if [[ $? == 0 ]]; then ok; else bad "diff --exit-code on equal sides: $out"; fi
out=$("$ZMC" migrate diff --from-url "$ZM_MARIADB_URL/conc" --to-schema "$tmp/app/zenstack/schema.zmodel" --exit-code 2>&1)
if [[ $? == 2 && $out == *"ByHand"* ]]; then ok; else bad "diff --exit-code on different sides: $out"; fi

# ---- db push ---------------------------------------------------------------------------------

project push
model < <(sed -n '/^enum/,$p' "$tmp/app/zenstack/schema.zmodel")
if out=$(zmc_in db push 2>&1) && [[ $out == *"in sync"* ]] && out=$(zmc_in db push 2>&1) &&
  [[ $out == *"already in sync"* ]]; then ok; else bad "db push: $out"; fi
q push "INSERT INTO Tag (id, name) VALUES ('t1', 'x')"
sed -i '/^model Tag/,/^}/d; s/  tags     Tag\[\]//' "$schema"
if out=$(zmc_in db push 2>&1); then bad "db push dropping a table with rows should be refused"; elif
  [[ $out == *'drop the `Tag` table, which is not empty (1 row)'* ]]; then ok; else bad "push refusal: $out"; fi
if out=$(zmc_in db push --accept-data-loss 2>&1) && [[ -z $(q push "SHOW TABLES LIKE 'Tag'") ]]; then ok; else
  bad "push with data loss: $out"
fi

# ---- round trip of every golden schema -------------------------------------------------------

n=0
for g in "$goldens"/*.zmodel; do
  name=$(basename "$g" .zmodel)
  grep -q '// apply: skip' "$g" && continue
  db="rt_$n" work="$tmp/rt_$n"
  n=$((n + 1))
  mkdir -p "$work"
  sed "s|url *= *\"[^\"]*\"|url = \"$ZM_MARIADB_URL/$db\"|; s|url *= *env([^)]*)|url = \"$ZM_MARIADB_URL/$db\"|" "$g" >"$work/schema.zmodel"
  if ! out=$("$ZMC" db push --schema "$work/schema.zmodel" --accept-data-loss 2>&1); then
    bad "round trip $name: db push: $out"
    continue
  fi
  diff=$("$ZMC" migrate diff --from-url "$ZM_MARIADB_URL/$db" --to-schema "$work/schema.zmodel" --script 2>&1)
  if [[ $diff == "-- This is an empty migration." ]]; then ok; else bad "round trip $name: $diff"; fi
done

# ---- hostile names and values (escape.zmodel) through migrate dev and deploy ------------------
# backticks, quotes, backslashes, semicolons, %, 4-byte UTF-8 in defaults (the
# catalog shows those as ?), 64-byte names: written, read back, in sync.
project hostile
sed "s|url      = \"[^\"]*\"|url      = \"$ZM_MARIADB_URL/hostile\"|" "$here/escape.zmodel" >"$schema"
if out=$(zmc_in migrate dev -n init 2>&1) && out=$(zmc_in migrate dev -n again 2>&1) && [[ $out == *"Already in sync"* ]]; then
  ok
else
  bad "hostile names: migrate dev is not in sync with itself: $out"
fi
q mysql "CREATE DATABASE hostile2"
sed -i "s|/hostile\"|/hostile2\"|" "$schema"
if out=$(zmc_in migrate deploy 2>&1) &&
  [[ $("$ZMC" migrate diff --from-url "$ZM_MARIADB_URL/hostile" --to-url "$ZM_MARIADB_URL/hostile2" --script) == "-- This is an empty migration." ]]; then
  ok
else
  bad "hostile names: deploy gave another database: $out"
fi

# A migration zmc refuses before running it (transaction control it cannot
# honour): nothing ran, and neither the record nor the message says otherwise.
project txctl
model <<'EOF'
model A {
  id Int @id
}
EOF
zmc_in migrate dev -n init >/dev/null 2>&1
mkdir -p "$work/zenstack/migrations/29990101000000_rb"
printf 'CREATE TABLE `B` (`id` INT);\nROLLBACK;\n' >"$work/zenstack/migrations/29990101000000_rb/migration.sql"
if out=$(zmc_in migrate deploy 2>&1); then bad "ROLLBACK in a migration should be refused"; elif
  [[ $out == *"nothing of it was run (P3018)"* && $out != *"statement 1 of 0"* && -z $(q txctl "SHOW TABLES LIKE 'B'") ]] &&
  [[ $(q txctl "SELECT logs FROM _prisma_migrations WHERE migration_name LIKE '%_rb'") != *"Failed at statement"* ]]; then
  ok
else
  bad "refused migration report: $out"
fi

# ---- an enum value removed: Prisma's warning, with the enum named table_column ---------------
project enums
model <<'EOF'
enum Level {
  LOW
  MID
  HIGH
}
model Job {
  id    Int   @id
  level Level @default(LOW)
}
EOF
zmc_in migrate dev -n init >/dev/null 2>&1
sed -i '/^  MID$/d' "$schema"
if out=$(zmc_in migrate dev -n drop_mid --create-only 2>&1) &&
  grep -q 'The values \[MID\] on the enum `Job_level` will be removed. If these variants are still used in the database, this will fail.' \
    "$work"/zenstack/migrations/*_drop_mid/migration.sql &&
  grep -q "MODIFY \`level\` ENUM('LOW', 'HIGH') NOT NULL DEFAULT 'LOW'" "$work"/zenstack/migrations/*_drop_mid/migration.sql; then
  ok
else
  bad "enum value removal: $out $(cat "$work"/zenstack/migrations/*_drop_mid/migration.sql 2>&1)"
fi

# ---- a history that names the live database: never replayed in the shadow ---------------------
# MySQL statements can reach another database of the server (db.table, USE);
# migrate dev's shadow replay of such a history would change the live rows.
for form in 'DELETE FROM qual.Setting' 'DELETE FROM `qual` . `Setting`' 'USE qual; DELETE FROM Setting'; do
  project qual
  rm -rf "$work/zenstack/migrations"
  q mysql "DROP DATABASE IF EXISTS qual"
  model <<'EOF'
model Setting {
  id Int    @id
  v  String
}
EOF
  zmc_in migrate dev -n init >/dev/null 2>&1
  mkdir -p "$work/zenstack/migrations/29990101000000_data"
  printf '%s;\n' "$form" >"$work/zenstack/migrations/29990101000000_data/migration.sql"
  zmc_in migrate deploy >/dev/null 2>&1      # applied to the live database, as deploy does
  q qual "INSERT INTO Setting VALUES (1, 'live')"
  if out=$(zmc_in migrate dev -n next 2>&1); then bad "a history naming the database should be refused: $form"; elif
    [[ $out == *"cannot be replayed in the shadow database"* && $out == *"shadowDatabaseUrl"* ]]; then ok; else
    bad "refusal message ($form): $out"
  fi
  if [[ $(q qual "SELECT v FROM Setting") == live ]]; then ok; else bad "the shadow replay changed the live rows: $form"; fi
done
if [[ -z $(q mysql "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'zmc\\_shadow\\_%'") ]]; then
  ok
else
  bad "a refused replay left its shadow database"
fi

# ---- a shadow database left by a zmc killed with SIGKILL -------------------------------------
# The killed zmc's shadow stays; the next one drops a stale shadow (over a
# minute old, no session in it) and keeps a young one, which may be in use.
project killed
model <<'EOF'
model Item {
  id Int @id
}
EOF
shadows() { q mysql "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'zmc\\_shadow\\_%'"; }
zmc_in migrate dev -n init >/dev/null 2>&1 || bad "killed: the first migrate dev failed"
slow="$work/zenstack/migrations/29990101000001_slow"
mkdir -p "$slow"
printf 'SELECT SLEEP(20);\n' >"$slow/migration.sql"
zmc_in migrate resolve --applied 29990101000001_slow >/dev/null 2>&1 || bad "killed: resolve --applied failed"
(cd "$work" && exec "$ZMC" migrate dev -n again) >"$tmp/killed.out" 2>&1 &
dev=$!
left=""
for _ in $(seq 100); do
  left=$(shadows)
  [[ -n $left ]] && break
  sleep 0.1
done
sleep 0.3
kill -KILL $dev
wait $dev 2>/dev/null
if [[ -n $left && $(shadows) == "$left" ]]; then ok; else bad "SIGKILL: no shadow database left to sweep ($left)"; fi
# the server would end the killed client's SLEEP in 20 s: now
for id in $(q mysql "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '$left'"); do
  q mysql "KILL $id" 2>/dev/null
done
old="zmc_shadow_1_$(($(date +%s) - 120))_0"
q mysql "CREATE DATABASE \`$old\`"
rm -r "$slow"
q killed "DELETE FROM _prisma_migrations WHERE migration_name = '29990101000001_slow'"
out=$(zmc_in migrate dev -n again 2>&1)
if [[ $out == *"Already in sync"* && $out == *"dropped $old"* ]]; then ok; else bad "SIGKILL: the next dev: $out"; fi
if [[ $(shadows) == "$left" ]]; then ok; else bad "SIGKILL: the sweep took more or less than the stale shadow: $(shadows)"; fi
q mysql "DROP DATABASE \`$left\`"

# ---- migrate down: round trips through the 18 steps of tests/golden/diff/steps ----------------------
# up, then down one at a time to nothing (each checked against the history
# replayed up to the migration that stays), then up: the same catalog; with
# migrate dev's down.sql files, then with the way back computed.
project downs
steps="$here/../golden/diff/steps"
dump() { mariadb-dump --defaults-file="$ZM_MARIADB_CNF" --no-data --skip-comments --skip-dump-date --compact downs 2>/dev/null; }
n=0
for z in "$steps"/*.zmodel; do
  sed -e 's|provider = "sqlite"|provider = "mysql"|' \
    -e "s|url      = \"file:./dev.db\"|url      = \"$ZM_MARIADB_URL/downs\"|" "$z" >"$schema"
  zmc_in migrate dev -n "s$n" --accept-data-loss --no-lint >/dev/null 2>&1 || bad "down: migrate dev at step $n"
  n=$((n + 1))
done
total=$(ls -d "$work"/zenstack/migrations/*/ | wc -l)
[[ $total -ge 18 && $(ls "$work"/zenstack/migrations/*/down.sql | wc -l) == "$total" ]] && ok || bad "down: $total migrations, not every one with its down.sql"
full=$(dump)
[[ $full == *"CREATE TABLE"* ]] && ok || bad "down: no catalog from mariadb-dump: $full"
for way in written computed; do
  [[ $way == computed ]] && rm "$work"/zenstack/migrations/*/down.sql
  left=$total failed=""
  while ((left > 0)); do
    out=$(zmc_in migrate down --accept-data-loss 2>&1) || { failed="$left: $out"; break; }
    left=$((left - 1))
    [[ $(q downs "SELECT count(*) FROM _prisma_migrations") == "$left" ]] || { failed="$left: records"; break; }
  done
  [[ -z $failed ]] && ok || bad "down $way: at $failed"
  zmc_in migrate deploy >/dev/null 2>&1 || bad "down $way: deploy after the downs"
  [[ $(dump) == "$full" ]] && ok || bad "down $way: the catalog differs after down and up: $(diff <(echo "$full") <(dump) | head -20)"
done

# the example project (examples/blog), migrated by migrate dev, down and up again
bw="$tmp/blog-mysql"
cp -r "$here/../../examples/blog" "$bw"
rm -rf "$bw/zenstack/dev.db" "$bw/zenstack/migrations"
sed -i 's|provider = "sqlite"|provider = "mysql"|' "$bw/zenstack/schema.zmodel"
export DATABASE_URL="$ZM_MARIADB_URL/blogmy"
(cd "$bw" && "$ZMC" migrate dev -n init --no-lint >/dev/null 2>&1) || bad "blog: migrate dev"
bdump() { mariadb-dump --defaults-file="$ZM_MARIADB_CNF" --no-data --skip-comments --skip-dump-date --compact blogmy 2>/dev/null; }
bfull=$(bdump)
out=$(cd "$bw" && "$ZMC" migrate down 2>&1)
[[ $? == 0 && $out == *"Reverted 1 migration"* ]] && ok || bad "blog: down: $out"
(cd "$bw" && "$ZMC" migrate deploy >/dev/null 2>&1) || bad "blog: deploy after down"
[[ $bfull == *"CREATE TABLE"* && $(bdump) == "$bfull" ]] && ok || bad "blog: the catalog differs after down and up"
unset DATABASE_URL

# ---- migrate lint on MySQL ----------------------------------------------------------------------
# the structural rules through a temporary database on the server, and a
# statement that can fail on the data after DDL MySQL has already committed
project lintmy
q mysql "CREATE DATABASE lintmy"
mkdir -p "$work/zenstack/migrations/1_init" "$work/zenstack/migrations/2_risky" "$work/zenstack/migrations/3_safe"
printf 'CREATE TABLE `User` (`id` INTEGER NOT NULL, `email` VARCHAR(191) NOT NULL, `legacy` TEXT NULL, PRIMARY KEY (`id`));\nCREATE TABLE `Post` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));\n' >"$work/zenstack/migrations/1_init/migration.sql"
printf 'ALTER TABLE `User` DROP COLUMN `legacy`;\nALTER TABLE `User` ADD COLUMN `age` INTEGER NOT NULL;\nDROP TABLE `Post`;\n' >"$work/zenstack/migrations/2_risky/migration.sql"
printf 'ALTER TABLE `User` ADD COLUMN `score` INTEGER NOT NULL DEFAULT 0;\n' >"$work/zenstack/migrations/3_safe/migration.sql"
printf 'datasource db {\n  provider = "mysql"\n  url      = "%s/lintmy"\n}\n' "$ZM_MARIADB_URL" >"$schema"
json=$(zmc_in migrate lint --json 2>&1)
found=$(jq -r '[.findings[] | "\(.migration):\(.code)@\(.line)"] | join(" ")' <<<"$json" 2>/dev/null)
if [[ $found == "2_risky:ZM102@1 2_risky:ZM201@2 2_risky:ZM308@2 2_risky:ZM101@3" ]]; then ok; else bad "mysql lint: $json"; fi
if [[ $(jq -r '.findings[2].message' <<<"$json" 2>/dev/null) == "may fail on the data after 1 statement MySQL has already committed" ]]; then ok; else
  bad "mysql lint: ZM308's message: $json"
fi
if [[ -z $(q mysql "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'zmc\\_shadow\\_%'") &&
      -z $(q lintmy "SHOW TABLES") ]]; then ok; else bad "mysql lint left a shadow or changed the database"; fi

# a name MySQL refuses (over 64 bytes): read before the replay, which stops there
long=User_email_and_a_very_long_description_of_what_this_index_is_for_idx
mkdir -p "$work/zenstack/migrations/4_long"
printf 'CREATE INDEX `%s` ON `User`(`email`);\n' "$long" >"$work/zenstack/migrations/4_long/migration.sql"
out=$(zmc_in migrate lint --latest 1 2>&1)
if [[ $? == 1 && $out == *"4_long/migration.sql:1: error ZM502 identifier-too-long: names \`$long\`, 68 bytes: MySQL refuses names over 64 bytes"* &&
      $out == *"P3006"* ]]; then ok; else bad "mysql lint: a long name: $out"; fi
rm -r "$work/zenstack/migrations/4_long"
# its safe form: 64 bytes exactly
mkdir -p "$work/zenstack/migrations/4_long"
printf 'CREATE INDEX `%s` ON `User`(`email`);\n' "$(printf 'i%.0s' $(seq 64))" >"$work/zenstack/migrations/4_long/migration.sql"
out=$(zmc_in migrate lint --latest 1 2>&1)
if [[ $? == 0 && $out != *ZM502* ]]; then ok; else bad "mysql lint: a 64-byte name: $out"; fi
rm -r "$work/zenstack/migrations/4_long"

# the other structural rules on MySQL, each after a statement MySQL has committed
mkdir -p "$work/zenstack/migrations/5_account" "$work/zenstack/migrations/6_tighten"
printf 'CREATE TABLE `Account` (`id` INTEGER NOT NULL, `role` ENUM('"'"'A'"'"', '"'"'B'"'"') NOT NULL, `note` TEXT NULL, `code` VARCHAR(40) NULL, PRIMARY KEY (`id`));\n' >"$work/zenstack/migrations/5_account/migration.sql"
printf 'ALTER TABLE `Account` MODIFY `role` ENUM('"'"'A'"'"') NOT NULL;\nALTER TABLE `Account` MODIFY `note` TEXT NOT NULL;\nALTER TABLE `Account` MODIFY `code` VARCHAR(10) NULL;\nCREATE UNIQUE INDEX `Account_code_key` ON `Account`(`code`);\nALTER TABLE `Account` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `role`);\n' >"$work/zenstack/migrations/6_tighten/migration.sql"
json=$(zmc_in migrate lint --json 6_tighten 2>&1)
found=$(jq -r '[.findings[] | "\(.code)@\(.line)"] | join(" ")' <<<"$json" 2>/dev/null)
if [[ $found == "ZM103@1 ZM202@2 ZM308@2 ZM205@3 ZM308@3 ZM204@4 ZM308@4 ZM206@5" ]]; then ok; else
  bad "mysql lint: enum, NOT NULL, narrowing, unique, primary key: $json"
fi


# ---- db execute: statement by statement, as MySQL commits DDL ---------------------------------------
q mysql "CREATE DATABASE exemy"
printf 'CREATE TABLE `E` (`x` INT);\nINSERT INTO `Nope` VALUES (1);\n' >"$tmp/exe.sql"
out=$("$ZMC" db execute --file "$tmp/exe.sql" --url "$ZM_MARIADB_URL/exemy" 2>&1)
if [[ $? == 1 && $out == *"stopped at statement 2 of 2; the 1 before it stay applied"* && $(q exemy "SHOW TABLES") == E ]]; then ok; else
  bad "mysql db execute: $out"
fi
out=$(printf 'INSERT INTO `E` VALUES (7);\n' | "$ZMC" db execute --stdin --url "$ZM_MARIADB_URL/exemy" 2>&1)
if [[ $? == 0 && $(q exemy 'SELECT x FROM `E`') == 7 ]]; then ok; else bad "mysql db execute --stdin: $out"; fi

# ---- two branches merged out of order: reported, rebased when they commute ------------------------
project rebasemy
q mysql "CREATE DATABASE rebasemy"
model <<'EOF'
EOF
m() { mkdir -p "$work/zenstack/migrations/$1" && printf '%s\n' "$2" >"$work/zenstack/migrations/$1/migration.sql"; }
m 20260101000000_base 'CREATE TABLE `User` (`id` INTEGER NOT NULL, `email` VARCHAR(191) NOT NULL, PRIMARY KEY (`id`));
CREATE TABLE `Post` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));'
m 20260103000000_main 'ALTER TABLE `User` ADD COLUMN `name` VARCHAR(191) NULL;'
zmc_in migrate deploy >/dev/null 2>&1 || bad "rebase: deploy of main"
m 20260102000000_feature 'ALTER TABLE `Post` ADD COLUMN `title` VARCHAR(191) NULL;'
out=$(zmc_in migrate status 2>&1)
if [[ $out == *"older than \`20260103000000_main\`"*"- 20260102000000_feature"* ]]; then ok; else bad "mysql out of order: $out"; fi
out=$(zmc_in migrate rebase 20260102000000_feature 2>&1)
if [[ $? == 0 && $out == *"Moved \`20260102000000_feature\`"* ]] && zmc_in migrate deploy >/dev/null 2>&1 &&
  [[ $(zmc_in migrate status 2>&1) == *"Database schema is up to date"* ]]; then ok; else bad "mysql rebase: $out"; fi
m 20260104000000_feature2 'ALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;'
m 20260105000000_main2 'ALTER TABLE `User` MODIFY `nick` VARCHAR(40) NULL;'
zmc_in migrate resolve --applied 20260105000000_main2 >/dev/null 2>&1
out=$(zmc_in migrate rebase 20260104000000_feature2 2>&1)
if [[ $? == 1 && $out == *"both change column \`User\`.\`nick\`"* ]]; then ok; else bad "mysql rebase conflict: $out"; fi

# ---- a migration folder whose name holds a quote and a backslash ------------------------------------
# (MySQL reads \ in a string literal as an escape: the record must keep the name as the folder has it)
project oddnames
q mysql "CREATE DATABASE oddnames"
model <<'EOF'
EOF
odd="1_it's\\x"
mkdir -p "$work/zenstack/migrations/$odd"
printf 'CREATE TABLE `T` (`x` INT);\n' >"$work/zenstack/migrations/$odd/migration.sql"
zmc_in migrate deploy >/dev/null 2>&1 || bad "odd name: deploy"
if [[ $(q oddnames "SELECT migration_name FROM _prisma_migrations") == "$odd" &&
      $(zmc_in migrate status 2>&1) == *"Database schema is up to date"* ]]; then ok; else
  bad "odd name: recorded as $(q oddnames "SELECT migration_name FROM _prisma_migrations")"
fi
out=$(zmc_in migrate down 2>&1)
if [[ $? == 0 && $(q oddnames "SELECT count(*) FROM _prisma_migrations") == 0 ]]; then ok; else bad "odd name: down: $out"; fi

# ---- a user that may not create databases ---------------------------------------------------

q mysql "CREATE USER 'app'@'%' IDENTIFIED BY 'pw'; GRANT ALL ON appuser.* TO 'app'@'%'; CREATE DATABASE appuser"
project appuser
model <<'EOF'
model Note {
  id Int @id
}
EOF
sed -i "s|root@|app:pw@|" "$schema"
q appuser 'CREATE TABLE `Keep` (`id` INT); INSERT INTO `Keep` VALUES (7)'
mkdir -p "$work/zenstack/migrations/20200101000000_init"
printf 'CREATE TABLE `Note` (`id` INTEGER NOT NULL, PRIMARY KEY (`id`));\n' >"$work/zenstack/migrations/20200101000000_init/migration.sql"
if out=$(zmc_in migrate dev -n next 2>&1); then bad "a shadow without CREATE should fail"; elif
  [[ $out == *"shadowDatabaseUrl"* && $out == *"P3014"* ]]; then ok; else bad "no-CREATE shadow: $out"; fi
if [[ $(q appuser 'SELECT id FROM `Keep`') == 7 ]]; then ok; else bad "the live data changed"; fi

finish mysql.migrate
