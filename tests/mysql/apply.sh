#!/usr/bin/env bash
# apply.sh — Prisma's DDL (the goldens) and zmc's for the same schema, each
# applied to a fresh database of a throw-away MariaDB server, leave the same
# catalog: SHOW CREATE TABLE of every table and the information_schema rows
# of columns, indexes, keys and foreign keys, compared after taking the
# database name out. A golden whose schema says `// apply: skip` is not
# applied (its zmodel says why). A server that cannot start is a failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/mariadb.sh"

if ! zm_mariadb_start; then
  bad "no MariaDB server could be started"
  finish mysql.apply
  exit 1
fi

# dump DB: the database's catalog as text, independent of the database name.
dump() {
  local db=$1 tables
  tables=$(zm_mariadb --batch --raw --skip-column-names -e \
    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME") || return 1
  {
    cat <<SQL
      SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME;
      SELECT TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE,
             IFNULL(COLUMN_DEFAULT, '<none>'), EXTRA, IFNULL(CHARACTER_SET_NAME, ''), IFNULL(COLLATION_NAME, '')
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME, ORDINAL_POSITION;
      SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, IFNULL(SUB_PART, ''),
             IFNULL(COLLATION, ''), INDEX_TYPE
        FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX;
      SELECT TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME,
             IFNULL(REFERENCED_TABLE_NAME, ''), IFNULL(REFERENCED_COLUMN_NAME, '')
        FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = '$db'
        ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION;
      SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE
        FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '$db'
        ORDER BY TABLE_NAME, CONSTRAINT_NAME;
SQL
    # one client for every SHOW CREATE TABLE (backticks in a name doubled)
    [[ -n $tables ]] && while IFS= read -r t; do
      printf 'SHOW CREATE TABLE `%s`;\n' "${t//\`/\`\`}"
    done <<<"$tables"
  } | zm_mariadb --batch --raw --skip-column-names "$db" | sed "s/$db/<db>/g"
  [[ ${PIPESTATUS[1]} == 0 ]]
}

# apply DB FILE: a fresh database DB with FILE's statements run in it.
apply() {
  zm_mariadb -e "CREATE DATABASE \`$1\`" && zm_mariadb "$1" <"$2" >"$tmp/apply.log" 2>&1 || {
    cat "$tmp/apply.log"
    return 1
  }
}

shopt -s nullglob
applied=0
for zm in "$goldens"/*.zmodel; do
  name=$(basename "$zm" .zmodel)
  if grep -q '^// apply: skip' "$zm"; then
    echo "not applied: $name ($(grep -m1 -B2 '^// apply: skip' "$zm" | head -1 | sed 's|^// ||'))"
    continue
  fi
  if ! zmc_ddl "$zm" "$tmp/$name.zmc.sql"; then
    bad "$name: zmc build failed"
    continue
  fi
  if ! apply "prisma_$name" "$goldens/$name.sql"; then
    bad "$name: Prisma's DDL does not apply"
    continue
  fi
  if ! apply "zmc_$name" "$tmp/$name.zmc.sql"; then
    bad "$name: zmc's DDL does not apply"
    continue
  fi
  dump "prisma_$name" >"$tmp/$name.prisma.cat" && dump "zmc_$name" >"$tmp/$name.zmc.cat" || {
    bad "$name: could not read the catalogs"
    continue
  }
  if [[ $name != empty && ! -s $tmp/$name.prisma.cat ]]; then
    bad "$name: the golden created nothing"
  elif cmp -s "$tmp/$name.prisma.cat" "$tmp/$name.zmc.cat"; then
    ok
    applied=$((applied + 1))
  else
    bad "$name: the catalogs differ (- Prisma's, + zmc's):"
    diff -u "$tmp/$name.prisma.cat" "$tmp/$name.zmc.cat" | head -40
  fi
done
[[ $applied -ge 15 ]] || bad "only $applied goldens applied"

finish mysql.apply
