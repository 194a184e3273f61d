#!/usr/bin/env bash
# test_db_push.sh — `zmc db push` through the 18 schema changes of
# tests/golden/diff/steps, on a SQLite file and on a PostgreSQL server the
# test starts (tests/support/pg.sh; no server is a failure, never a skip).
#
# After every push the database, read back, diffs empty against the model
# (`migrate diff --from-schema-datasource --exit-code`); a row written at
# the start survives every change; a push that would lose data is refused
# without --accept-data-loss and leaves the database as it was; a required
# column added to a table with rows cannot be pushed until the rows go.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"
steps="$golden/diff/steps"

zm_pg_start || {
  echo "FAIL: cli.db_push needs a PostgreSQL server and could not start one"
  exit 1
}

# sql DIALECT STATEMENT: run it on the test database, print rows as a|b.
sql() {
  if [[ $1 == sqlite ]]; then sqlite3 "$work/dev.db" "$2"; else psql -qAt -d zmc_push -c "$2"; fi
}

# The steps pushed with data loss accepted, and the one blocked by data.
declare -A want_refused=([sqlite]="11 12 14 15 16" [postgresql]="11 14 15 16")

for d in sqlite postgresql; do
  work="$tmp/$d"
  mkdir -p "$work"
  for z in "$steps"/*.zmodel; do
    if [[ $d == sqlite ]]; then cp "$z" "$work/"; else
      sed -e 's/provider = "sqlite"/provider = "postgresql"/' \
        -e 's|url      = "file:./dev.db"|url      = env("DATABASE_URL")|' "$z" >"$work/$(basename "$z")"
    fi
  done
  export DATABASE_URL="$ZM_PG_URL/zmc_push"
  refused=
  for z in "$work"/*.zmodel; do
    n=$(basename "$z" .zmodel)
    if "$ZMC" db push --schema "$z" >"$tmp/out" 2>&1; then :; else
      rc=$?
      if [[ $rc == 1 ]] && grep -q "would lose data" "$tmp/out"; then
        refused="$refused $n"
        # Refused means untouched: the database still matches the step before.
        if "$ZMC" migrate diff --from-schema-datasource "$z" --to-schema "$prev" --exit-code >/dev/null 2>&1; then ok; else
          bad "$d step $n: a refused push changed the database"
        fi
        "$ZMC" db push --schema "$z" --accept-data-loss >"$tmp/out" 2>&1 || bad "$d step $n with --accept-data-loss: $(cat "$tmp/out")"
      elif [[ $rc == 1 && $n == 17 ]] && grep -q "cannot be executed" "$tmp/out" && grep -q "slug" "$tmp/out"; then
        ok   # a required column without a default on a table with rows
        sql $d 'DELETE FROM "Like"; DELETE FROM "Post";' >/dev/null
        "$ZMC" db push --schema "$z" >"$tmp/out" 2>&1 || bad "$d step 17 after emptying Post: $(cat "$tmp/out")"
      else
        bad "$d step $n: db push failed (rc $rc): $(cat "$tmp/out")"
      fi
    fi
    # In sync: the database read back is the model.
    if "$ZMC" migrate diff --from-schema-datasource "$z" --to-schema "$z" --exit-code >"$tmp/diff" 2>&1; then ok; else
      bad "$d step $n: the database differs from the model after db push: $(cat "$tmp/diff")"
    fi
    # Data: a user from the start, posts and likes once their tables exist.
    case $n in
      00) sql $d "INSERT INTO \"User\" (email, name) VALUES ('keep@example.com', 'Keep')" ;;
      01) sql $d "INSERT INTO \"Post\" (title, \"authorId\") VALUES ('first', 1)" ;;
      13) sql $d "INSERT INTO \"Tag\" (label) VALUES ('news'); INSERT INTO \"Like\" (\"userId\", \"postId\") VALUES (1, 1)" ;;
    esac
    got=$(sql $d "SELECT email, name FROM \"User\" WHERE id = 1")
    if [[ $got == "keep@example.com|Keep" ]]; then ok; else bad "$d step $n: the first user changed: '$got'"; fi
    prev=$z
  done
  if [[ "$refused" == " ${want_refused[$d]}" ]]; then ok; else
    bad "$d: refused steps were '$refused', expected ' ${want_refused[$d]}'"
  fi
  # A push with nothing to do says so.
  if "$ZMC" db push --schema "$prev" 2>&1 | grep -q "already in sync"; then ok; else bad "$d: a second push is not a no-op"; fi
done

# --force-reset empties the database first.
export DATABASE_URL="$ZM_PG_URL/zmc_push"
if "$ZMC" db push --schema "$tmp/postgresql/18.zmodel" --force-reset >/dev/null 2>&1 &&
  [[ $(psql -qAt -d zmc_push -c 'SELECT count(*) FROM "User"') == 0 ]]; then ok; else bad "--force-reset"; fi

# A database that does not exist yet is created (PostgreSQL), as are the
# folders of a SQLite file.
export DATABASE_URL="$ZM_PG_URL/zmc_fresh"
if "$ZMC" db push --schema "$tmp/postgresql/05.zmodel" 2>&1 | grep -q "Created the database"; then ok; else bad "database creation"; fi
sed 's|file:./dev.db|file:./nested/dir/app.db|' "$steps/03.zmodel" >"$tmp/nested.zmodel"
if "$ZMC" db push --schema "$tmp/nested.zmodel" >/dev/null 2>&1 && [[ -f $tmp/nested/dir/app.db ]]; then ok; else
  bad "SQLite file in new folders"
fi

# Renames keep data: a hint renames the column; a field renamed in the
# model with @map to its old column changes nothing.
for d in sqlite postgresql; do
  work="$tmp/rename-$d"
  mkdir -p "$work"
  export DATABASE_URL="$ZM_PG_URL/zmc_rename"
  cp "$tmp/$d/02.zmodel" "$work/a.zmodel"
  sed 's/  age   Int?/  years Int?/' "$work/a.zmodel" >"$work/b.zmodel"
  sed 's/  age   Int?/  yearsOld Int? @map("age")/' "$work/a.zmodel" >"$work/c.zmodel"
  "$ZMC" db push --schema "$work/a.zmodel" >/dev/null 2>&1 || bad "$d rename: first push"
  if [[ $d == sqlite ]]; then q() { sqlite3 "$work/dev.db" "$1"; }; else q() { psql -qAt -d zmc_rename -c "$1"; }; fi
  q "INSERT INTO \"User\" (email, age) VALUES ('r@example.com', 42)"
  if "$ZMC" db push --schema "$work/c.zmodel" 2>&1 | grep -q "already in sync"; then ok; else bad "$d: @map to the old column is no change"; fi
  out=$("$ZMC" db push --schema "$work/b.zmodel" 2>&1)
  if [[ $? == 1 && $out == *"would lose data"* ]]; then ok; else bad "$d: a rename without a hint drops data silently: $out"; fi
  if "$ZMC" db push --schema "$work/b.zmodel" --rename User.age=years >/dev/null 2>&1 &&
    [[ $(q 'SELECT years FROM "User"') == 42 ]]; then ok; else bad "$d: --rename User.age=years kept no data"; fi
done

finish cli.db_push
