#!/usr/bin/env bash
# test_db_pull.sh — `zmc db pull` on SQLite and on a PostgreSQL server the
# test starts (no server is a failure):
#   - round trip: every schema of the end-to-end tests (the golden diff
#     steps, pull/everything.zmodel, pull/postgresql.zmodel) and the example
#     project deployed into an empty database (migrate deploy), pulled into a
#     file holding only the datasource, and `migrate diff` from the pulled
#     schema to the database says there is no difference;
#   - the exact text pulled from a database written by hand (names that are
#     no identifiers, ambiguous and self relations, a join table, a table
#     without a key, an unsupported type) against a golden file;
#   - re-pull: a schema with policies, validation, @map, comments and an
#     abstract model keeps all of it; a column added in the database is the
#     only change in the file; a second pull changes nothing; a dropped
#     column and a new table follow the database; polymorphic models
#     (@@delegate) keep their `extends` and get no relation fields;
#   - --print, --force, an empty database, a missing one, usage errors.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.db_pull needs a PostgreSQL server and could not start one"
  exit 1
}

# with_datasource FILE PROVIDER URL: FILE's datasource block replaced.
with_datasource() {
  python3 - "$1" "$2" "$3" <<'EOF'
import re, sys
path, provider, url = sys.argv[1:]
text = open(path).read()
block = 'datasource db {\n  provider = "%s"\n  url      = "%s"\n}' % (provider, url)
text = re.sub(r'datasource\s+\w+\s*\{[^}]*\}', lambda m: block, text, count=1)
open(path, 'w').write(text)
EOF
}

n_db=0
# fresh_db DIALECT: a new empty database; sets $url (absolute).
fresh_db() {
  n_db=$((n_db + 1))
  if [[ $1 == sqlite ]]; then
    url="file:$tmp/db$n_db.db"
  else
    psql -qAtX -c "CREATE DATABASE pull$n_db" >/dev/null
    url="$ZM_PG_URL/pull$n_db"
  fi
}

# roundtrip DIALECT DIR LABEL: DIR/schema.zmodel (its datasource set to a
# fresh database) deployed, pulled into DIR/pulled/schema.zmodel, diffed.
roundtrip() {
  local dialect=$1 dir=$2 label=$3 out
  fresh_db "$dialect"
  with_datasource "$dir/schema.zmodel" "$dialect" "$url"
  if [[ ! -d $dir/migrations ]]; then
    mkdir -p "$dir/migrations/20240101000000_init"
    out=$("$ZMC" migrate diff --from-empty --to-schema "$dir/schema.zmodel" --script \
      -o "$dir/migrations/20240101000000_init/migration.sql" 2>&1) || {
      bad "$label ($dialect): migrate diff --from-empty: $out"
      return
    }
  fi
  out=$("$ZMC" migrate deploy --schema "$dir/schema.zmodel" 2>&1) || {
    bad "$label ($dialect): migrate deploy: $out"
    return
  }
  mkdir -p "$dir/pulled"
  printf 'datasource db {\n  provider = "%s"\n  url      = "%s"\n}\n' "$dialect" "$url" >"$dir/pulled/schema.zmodel"
  out=$("$ZMC" db pull --schema "$dir/pulled/schema.zmodel" 2>&1) || {
    bad "$label ($dialect): db pull: $out"
    return
  }
  out=$("$ZMC" migrate diff --from-schema "$dir/pulled/schema.zmodel" \
    --to-schema-datasource "$dir/pulled/schema.zmodel" --exit-code 2>&1)
  if [[ $? == 0 ]]; then ok; else
    bad "$label ($dialect): the pulled schema differs from the database:"
    echo "$out" | head -20
    sed -n 1,200p "$dir/pulled/schema.zmodel" | head -60
  fi
}

# ---- round trips ----------------------------------------------------------------------------

for dialect in sqlite postgresql; do
  for step in "$golden"/diff/steps/*.zmodel; do
    d="$tmp/rt-$dialect-$(basename "$step" .zmodel)"
    mkdir -p "$d" && cp "$step" "$d/schema.zmodel"
    roundtrip "$dialect" "$d" "step $(basename "$step")"
  done
  d="$tmp/rt-$dialect-everything"
  mkdir -p "$d" && cp "$here/pull/everything.zmodel" "$d/schema.zmodel"
  roundtrip "$dialect" "$d" everything.zmodel
  # pulled into the schema that made the database: nothing changes (many-to-many
  # fields, compound keys, an explicit onDelete: SetNull, a date-time literal
  # written with Z, a primary key name SQLite does not keep); a new column and
  # a column on a table of a many-to-many relation are the only changes
  "$ZMC" format --schema "$d/schema.zmodel" >/dev/null
  cp "$d/schema.zmodel" "$d/before.zmodel"
  out=$("$ZMC" db pull --schema "$d/schema.zmodel" 2>&1) || bad "everything.zmodel ($dialect): re-pull: $out"
  cmp -s "$d/before.zmodel" "$d/schema.zmodel" && ok ||
    bad "everything.zmodel ($dialect): a pull into the schema changed it: $(diff "$d/before.zmodel" "$d/schema.zmodel")"
  if [[ $dialect == sqlite ]]; then sqlite3 "${url#file:}" 'ALTER TABLE "Post" ADD COLUMN "views" INTEGER NOT NULL DEFAULT 0'
  else psql -qAtX -d "$url" -c 'ALTER TABLE "Post" ADD COLUMN "views" INTEGER NOT NULL DEFAULT 0' >/dev/null; fi
  "$ZMC" db pull --schema "$d/schema.zmodel" >/dev/null 2>&1
  changes=$(diff "$d/before.zmodel" "$d/schema.zmodel" | grep '^[<>]')
  [[ $changes == '>   views    Int    @default(0)' ]] && ok ||
    bad "everything.zmodel ($dialect): a new column should be the only change, got: $changes"
  # the example project: on SQLite with its own migrations
  d="$tmp/rt-$dialect-example"
  cp -r "$example/zenstack" "$d"
  [[ $dialect == sqlite ]] || rm -rf "$d/migrations"
  roundtrip "$dialect" "$d" "the example project"
done
d="$tmp/rt-postgresql-native"
mkdir -p "$d" && cp "$here/pull/postgresql.zmodel" "$d/schema.zmodel"
roundtrip postgresql "$d" postgresql.zmodel
# what the PostgreSQL schema pulls into: native types, lists, enums, methods
p="$d/pulled/schema.zmodel"
for want in 'small  *Int  *@default(autoincrement()) @db.SmallInt' 'v  *String  *@db.VarChar(80)' \
  'u  *String  *@default(dbgenerated("gen_random_uuid()")) @db.Uuid' 'tags  *String\[\]  *@default(\["a", "b c"\])' \
  'states  *Status\[\]  *@default(\[draft\])' 'search  *Unsupported("tsvector")?' 'dec  *Decimal?  *@db.Decimal(10, 2)' \
  'ts  *DateTime  *@default(now()) @db.Timestamptz(6)' '@@index(\[v\], type: Hash)' \
  '@@index(\[jb(ops: raw("jsonb_path_ops"))\], type: Gin)' 'bin  *Bytes?  *@default("aGVsbG8=")' \
  '@@index(\[v(ops: raw("text_pattern_ops"))\], map: "native_v_pattern")' 'enum Status {' \
  'quotes  *String\[\]  *@default(\["it'"'"'s", "a\\"b", "c\\\\d"\])' 'flags  *Boolean\[\]  *@default(\[true, false\])' \
  'reals  *Float\[\]  *@default(\[1.5, -2\])' 'none  *Int\[\]  *@default(\[\])' \
  'days  *DateTime\[\]  *@default(\["2024-01-02T03:04:05+00:00"\])'; do
  grep -q -- "$want" "$p" && ok || bad "postgresql.zmodel pulled: no line matching '$want'"
done

# ---- a sample database nobody here wrote: PostgreSQL's pgbench, pulled, pushed ------------------

# `pgbench -i --foreign-keys` (PostgreSQL's own benchmark schema: four tables,
# keys between them, one without a primary key) pulled, the pull pushed into
# an empty database: pg_dump --schema-only of the two is the same, but for
# what the pull says in a comment it cannot describe (the tables' fillfactor)
w="$tmp/pgbench"
mkdir -p "$w"
psql -qAtX -c 'CREATE DATABASE pgbench_src' -c 'CREATE DATABASE pgbench_dst' >/dev/null
pgbench -i -s 1 --foreign-keys -q "$ZM_PG_URL/pgbench_src" >/dev/null 2>&1 || bad "pgbench -i failed"
printf 'datasource db {\n  provider = "postgresql"\n  url      = "%s"\n}\n' "$ZM_PG_URL/pgbench_src" >"$w/schema.zmodel"
out=$("$ZMC" db pull --schema "$w/schema.zmodel" 2>&1)
[[ $? == 0 && $out == *"Introspected 4 models"* ]] && ok || bad "pgbench: db pull: $out"
grep -q '^  pgbench_branches pgbench_branches? @relation(fields: \[bid\], references: \[bid\], onDelete: NoAction, onUpdate: NoAction)' "$w/schema.zmodel" &&
  grep -q '^/// This table has storage parameters "fillfactor=100"' "$w/schema.zmodel" && grep -q '^  @@ignore' "$w/schema.zmodel" &&
  ok || bad "pgbench: the pulled schema: $(cat "$w/schema.zmodel")"
sed "s|/pgbench_src\"|/pgbench_dst\"|" "$w/schema.zmodel" >"$w/dst.zmodel"
out=$("$ZMC" db push --schema "$w/dst.zmodel" 2>&1) || bad "pgbench: db push: $out"
catalog() { pg_dump --schema-only --no-owner -d "$ZM_PG_URL/$1" | grep -v '^--\|^\\\(un\)\{0,1\}restrict ' |
  sed -e '/^WITH (fillfactor=.*);$/d' -e 's/^)$/);/' | sed -e ':a;N;$!ba;s/)\n;/);/g'; }
[[ $(catalog pgbench_src | grep -c '^CREATE TABLE') == 4 && $(catalog pgbench_src | grep -c 'FOREIGN KEY') == 5 ]] && ok ||
  bad "pgbench: pg_dump shows no four tables and five keys: $(catalog pgbench_src | head -20)"
diff <(catalog pgbench_src) <(catalog pgbench_dst) >"$w/catalog.diff" && ok ||
  bad "pgbench: the catalogs differ: $(head -20 "$w/catalog.diff")"

# ---- the exact text pulled from a hand-written database ------------------------------------------

w="$tmp/hand"
mkdir -p "$w"
sqlite3 "$w/dev.db" <"$here/pull/hand.sql"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$w/schema.zmodel"
out=$("$ZMC" db pull --schema "$w/schema.zmodel" 2>&1)
[[ $? == 0 && $out == *"Introspected 6 models"* ]] && ok || bad "hand.sql: $out"
diff -u "$here/pull/hand.expected" "$w/schema.zmodel" && ok || bad "hand.sql: the pulled schema differs from pull/hand.expected"
"$ZMC" check --schema "$w/schema.zmodel" >/dev/null 2>&1 && ok || bad "hand.sql: the pulled schema does not check"

# names ZModel's grammar does not take, or that sanitize alike
w="$tmp/names"
mkdir -p "$w"
sqlite3 "$w/dev.db" 'CREATE TABLE "String" ("id" INTEGER PRIMARY KEY, "this" INTEGER, "null" TEXT, "naïve" TEXT, "a b" TEXT, "a_b" TEXT);
  CREATE TABLE "123" ("id" INTEGER PRIMARY KEY); CREATE TABLE "x y" ("id" INTEGER PRIMARY KEY); CREATE TABLE "x_y" ("id" INTEGER PRIMARY KEY)'
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$w/schema.zmodel"
out=$("$ZMC" db pull --schema "$w/schema.zmodel" 2>&1)
rc=$?
s=$(cat "$w/schema.zmodel")
[[ $rc == 0 && $s == *'model RenamedString {'* && $s == *'@@map("String")'* && $s == *'this_ '*'@map("this")'* &&
  $s == *'na_ve '*'@map("naïve")'* && $s == *'a_b_2 '*'@map("a_b")'* && $s == *'model x_y_2 {'* && $s == *'model model_'* ]] &&
  ok || bad "hostile names: $out $s"
"$ZMC" check --schema "$w/schema.zmodel" >/dev/null 2>&1 && ok || bad "hostile names: the pulled schema does not check"

# names with comment and string syntax in them (*/ -- ; " \ and a line
# break): in @map, map:, and the comments on a view and a trigger
w="$tmp/syntax"
mkdir -p "$w"
sqlite3 "$w/dev.db" "CREATE TABLE \"a*/b\" (\"id\" INTEGER NOT NULL PRIMARY KEY, \"x--y\" TEXT, \"semi;colon\" TEXT,
  \"q\"\"uote\" TEXT, \"back\\slash\" TEXT, \"new
line\" TEXT DEFAULT 'a\\b\"c
d');
  CREATE UNIQUE INDEX \"idx \"\"q\"\" */\" ON \"a*/b\"(\"x--y\");
  CREATE VIEW \"v
model Evil {\" AS SELECT 1;
  CREATE TRIGGER \"t\"\"x
y\" AFTER INSERT ON \"a*/b\" BEGIN SELECT 1; END;"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$w/schema.zmodel"
out=$("$ZMC" db pull --schema "$w/schema.zmodel" 2>&1)
rc=$?
s=$(cat "$w/schema.zmodel")
[[ $rc == 0 && $s == *'@@map("a*/b")'* && $s == *'@unique(map: "idx \"q\" */")'* && $s == *'@map("q\"uote")'* &&
  $s == *'@map("back\\slash")'* && $s == *'@map("new\nline")'* && $s == *'view "v model Evil {", which'* ]] &&
  ! grep -q '^model Evil' "$w/schema.zmodel" && ok ||
  bad "names with comment and string syntax: $out $s"
"$ZMC" check --schema "$w/schema.zmodel" >/dev/null 2>&1 && ok || bad "names with comment and string syntax: the pull does not check"
# the same names through zmc: pushed, pulled, no difference
cat >"$w/made.zmodel" <<'EOF'
datasource db {
  provider = "sqlite"
  url      = "file:./made.db"
}

model A {
  id  Int    @id @map("i*/d")
  x   String @unique(map: "u \"q\" -- ;") @default("a\\b\"c\nd") @map("x--y")
  y   String @map("back\\slash")

  @@index([y], map: "ix\nline")
  @@map("a*/b;")
}
EOF
out=$("$ZMC" db push --schema "$w/made.zmodel" 2>&1) || bad "names through zmc: db push: $out"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./made.db"\n}\n' >"$w/pulled.zmodel"
out=$("$ZMC" db pull --schema "$w/pulled.zmodel" 2>&1) || bad "names through zmc: db pull: $out"
out=$("$ZMC" migrate diff --from-schema "$w/pulled.zmodel" --to-schema-datasource "$w/pulled.zmodel" --exit-code 2>&1)
[[ $? == 0 ]] && ok || bad "names through zmc: the pull differs from the database: $out $(cat "$w/pulled.zmodel")"

# ---- re-pull keeps the user's work -----------------------------------------------------------------

for dialect in sqlite postgresql; do
  w="$tmp/repull-$dialect"
  mkdir -p "$w"
  cp "$here/pull/repull.zmodel" "$w/schema.zmodel"
  cp "$here/pull/extra.zmodel" "$w/extra.zmodel"
  fresh_db "$dialect"
  with_datasource "$w/schema.zmodel" "$dialect" "$url"
  "$ZMC" format --schema "$w/schema.zmodel" >/dev/null
  out=$("$ZMC" db push --schema "$w/schema.zmodel" --zenstack 2 2>&1) || bad "repull ($dialect): db push: $out"
  cp "$w/schema.zmodel" "$w/before.zmodel"
  out=$("$ZMC" db pull --schema "$w/schema.zmodel" --zenstack 2 2>&1)
  [[ $? == 0 ]] && cmp -s "$w/before.zmodel" "$w/schema.zmodel" && ok ||
    bad "repull ($dialect): a pull of the database the schema made changed the file: $out $(diff "$w/before.zmodel" "$w/schema.zmodel")"
  if [[ $dialect == sqlite ]]; then
    q() { sqlite3 "${url#file:}" "$1"; }
  else
    q() { psql -qAtX -d "$url" -c "$1" >/dev/null; }
  fi
  q 'ALTER TABLE "Post" ADD COLUMN "views" INTEGER NOT NULL DEFAULT 0'
  out=$("$ZMC" db pull --schema "$w/schema.zmodel" --zenstack 2 2>&1) || bad "repull ($dialect): $out"
  changes=$(diff "$w/before.zmodel" "$w/schema.zmodel" | grep '^[<>]')
  [[ $changes == '>   views     Int     @default(0)' ]] && ok ||
    bad "repull ($dialect): a new column should be the only change, got: $changes"
  cp "$w/schema.zmodel" "$w/with-views.zmodel"
  "$ZMC" db pull --schema "$w/schema.zmodel" --zenstack 2 >/dev/null 2>&1
  cmp -s "$w/with-views.zmodel" "$w/schema.zmodel" && ok || bad "repull ($dialect): a second pull changed the file"
  # a dropped column, a new table with a key to an existing one
  q 'ALTER TABLE "users" DROP COLUMN "nickname"'
  q 'CREATE TABLE "Comment" ("id" INTEGER NOT NULL PRIMARY KEY, "postId" INTEGER NOT NULL REFERENCES "Post"("id"))'
  out=$("$ZMC" db pull --schema "$w/schema.zmodel" --zenstack 2 2>&1) || bad "repull ($dialect): $out"
  s=$(cat "$w/schema.zmodel")
  [[ $s != *nickname* ]] && ok || bad "repull ($dialect): the dropped column is still there"
  [[ $s == *"model Comment {"* && $s == *"Comment   Comment[]"* ]] && ok || bad "repull ($dialect): no model Comment and back relation: $s"
  # (the Post block is realigned: Comment[] is its longest type now)
  for kept in "// The blog's data model." "/// A person who writes." "@email // checked on create" "@length(1, 50)" \
    "@default(uuid()) @omit" "@@allow('all', auth() == this)" "@@deny('delete', true)" '@map("post_title")' \
    '@@map("users")' "abstract model Base {" "model User extends Base {" 'import "./extra"'; do
    [[ $s == *"$kept"* ]] && ok || bad "repull ($dialect): '$kept' was lost"
  done
  "$ZMC" check --schema "$w/schema.zmodel" --zenstack 2 >/dev/null 2>&1 && ok || bad "repull ($dialect): the result does not check"
  "$ZMC" format --check --schema "$w/schema.zmodel" >/dev/null 2>&1 && ok || bad "repull ($dialect): the result is not formatted"
done

# ---- re-pull of polymorphic models (@@delegate) ------------------------------------------------------

w="$tmp/delegate"
mkdir -p "$w"
cp "$here/pull/delegate.zmodel" "$w/schema.zmodel"
"$ZMC" format --schema "$w/schema.zmodel" >/dev/null
out=$("$ZMC" db push --schema "$w/schema.zmodel" 2>&1) || bad "delegate: db push: $out"
cp "$w/schema.zmodel" "$w/before.zmodel"
"$ZMC" db pull --schema "$w/schema.zmodel" >/dev/null 2>&1
cmp -s "$w/before.zmodel" "$w/schema.zmodel" && ok ||
  bad "delegate: a pull changed the file (the delegate links are no relation fields): $(diff "$w/before.zmodel" "$w/schema.zmodel")"
sqlite3 "$w/dev.db" 'ALTER TABLE "Video" ADD COLUMN "fps" INTEGER'
"$ZMC" db pull --schema "$w/schema.zmodel" >/dev/null 2>&1
changes=$(diff "$w/before.zmodel" "$w/schema.zmodel" | grep '^[<>]')
[[ $changes == '>   fps      Int?' ]] && ok || bad "delegate: a new column should be the only change, got: $changes"

# ---- options and errors -------------------------------------------------------------------------------

w="$tmp/opts"
mkdir -p "$w"
sqlite3 "$w/dev.db" 'CREATE TABLE "A" ("id" INTEGER NOT NULL PRIMARY KEY)'
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\nmodel Old {\n  id Int @id\n}\n' >"$w/schema.zmodel"
cp "$w/schema.zmodel" "$w/orig.zmodel"
out=$("$ZMC" db pull --schema "$w/schema.zmodel" --print 2>&1)
[[ $? == 0 && $out == *"model A {"* && $out != *"model Old"* ]] && cmp -s "$w/orig.zmodel" "$w/schema.zmodel" && ok ||
  bad "--print: $out"
out=$("$ZMC" db pull --schema "$w/schema.zmodel" --force 2>&1)
[[ $? == 0 && $(cat "$w/schema.zmodel") == *"model A {"* && $(cat "$w/schema.zmodel") != *"model Old"* ]] && ok ||
  bad "--force: $out"
sqlite3 "$w/empty.db" 'PRAGMA user_version = 1'
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./empty.db"\n}\n' >"$w/empty.zmodel"
out=$("$ZMC" db pull --schema "$w/empty.zmodel" 2>&1)
[[ $? == 1 && $out == *"empty"* ]] && ok || bad "an empty database: $out"
printf 'datasource db {\n  provider = "postgresql"\n  url      = "%s"\n}\n' "$ZM_PG_URL/no_such_db" >"$w/missing.zmodel"
out=$("$ZMC" db pull --schema "$w/missing.zmodel" 2>&1)
[[ $? == 3 ]] && ok || bad "a missing database: $out"
out=$("$ZMC" db pull --schema "$w/schema.zmodel" --bogus 2>&1)
[[ $? == 2 && $out == *"--bogus"* ]] && ok || bad "an unknown option: $out"
out=$("$ZMC" db pull --help 2>&1)
[[ $? == 0 && $out == *"usage: zmc db pull"* ]] && ok || bad "--help: $out"

finish cli.db_pull
