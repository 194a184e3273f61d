#!/usr/bin/env bash
# escape.sh — escape.zmodel through `zmc build --backend sql` into a real
# MariaDB server: every table, column, index and foreign key name with
# backticks, quotes, backslashes, semicolons or unicode, the names cut at 64
# bytes on a UTF-8 boundary, and every string default and enum value, read
# back (as hex, so nothing is lost in the client) exactly as the schema says.
# A server that cannot start is a failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/mariadb.sh"

if ! zm_mariadb_start; then
  bad "no MariaDB server could be started"
  finish mysql.escape
  exit 1
fi

hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | tr a-f A-F; }
q() { zm_mariadb --batch --raw --skip-column-names esc -e "$1"; }

# expect WHAT SQL VALUE...: SQL (one HEX(...) per row) returns exactly the VALUEs, in order.
expect() {
  local what=$1 sql=$2 got want=""
  shift 2
  for v in "$@"; do want+=$(hex "$v")$'\n'; done
  if ! got=$(q "$sql" 2>&1); then
    bad "$what: $got"
    return
  fi
  if [[ "$got"$'\n' == "$want" ]]; then ok; else
    bad "$what: got"
    printf '  %s\n' $got
    echo "  want"
    printf '  %s\n' $want
  fi
}

if ! zmc_ddl "$here/escape.zmodel" "$tmp/escape.sql"; then
  bad "zmc build failed"
  finish mysql.escape
  exit 1
fi
zm_mariadb -e 'CREATE DATABASE esc' || bad "CREATE DATABASE"
if ! out=$(zm_mariadb --show-warnings esc <"$tmp/escape.sql" 2>&1); then
  bad "zmc's DDL does not apply: $out"
  finish mysql.escape
  exit 1
fi
[[ -z $out ]] && ok || bad "the DDL gave warnings: $out"

W='we`ird' C='child;table'
L='t2345678901234567890123456789012345678901234567890123456789ä'
I="information_schema"

# (sorted by their bytes, as hex: independent of the catalog's collation)
expect "table names" "SELECT HEX(TABLE_NAME) FROM $I.TABLES WHERE TABLE_SCHEMA = 'esc' ORDER BY HEX(TABLE_NAME)" \
  "$C" "$L" "$W"
expect "column names" "SELECT HEX(COLUMN_NAME) FROM $I.COLUMNS WHERE TABLE_SCHEMA = 'esc' AND TABLE_NAME = 'we\`ird'
  ORDER BY ORDINAL_POSITION" \
  'i`d' "col'quote" 'col"dq' 'back\slash' 'semi;colon' 'ünï✓' 'tick`name' pct empty mood \
  c234567890123456789012345678901234567890123456789012345678901234
expect "64-byte column name" "SELECT HEX(CAST(LENGTH(COLUMN_NAME) AS CHAR)) FROM $I.COLUMNS WHERE TABLE_SCHEMA = 'esc'
  AND COLUMN_NAME LIKE 'c2345%'" 64
# (the foreign key's index is the one MariaDB adds, named after the constraint)
expect "index names" "SELECT HEX(INDEX_NAME) FROM $I.STATISTICS WHERE TABLE_SCHEMA = 'esc'
  GROUP BY TABLE_NAME, INDEX_NAME ORDER BY HEX(TABLE_NAME), HEX(INDEX_NAME)" \
  PRIMARY 'child;table_parent`id_fkey' PRIMARY 't2345678901234567890123456789012345678901234567890123456789_key' \
  PRIMARY "we\`ird_col'quote_col\"dq_key" 'we`ird_tick`name_back\slash_idx'
expect "index columns" "SELECT HEX(COLUMN_NAME) FROM $I.STATISTICS WHERE TABLE_SCHEMA = 'esc' AND TABLE_NAME = 'we\`ird'
  ORDER BY HEX(INDEX_NAME), SEQ_IN_INDEX" 'i`d' "col'quote" 'col"dq' 'tick`name' 'back\slash'
expect "foreign key" "SELECT HEX(CONCAT_WS('|', CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE))
  FROM $I.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'esc'" \
  'child;table_parent`id_fkey|child;table|we`ird|RESTRICT|CASCADE'
expect "foreign key columns" "SELECT HEX(CONCAT_WS('|', COLUMN_NAME, REFERENCED_COLUMN_NAME)) FROM $I.KEY_COLUMN_USAGE
  WHERE TABLE_SCHEMA = 'esc' AND REFERENCED_TABLE_NAME IS NOT NULL" 'parent`id|i`d'

# The defaults, as stored: a row of defaults only, then the enum's other values by index.
q 'INSERT INTO `we``ird` () VALUES (); INSERT INTO `we``ird` (mood, `col'"'"'quote`) VALUES (2, '"'"'a'"'"'), (3, '"'"'b'"'"');
   INSERT INTO `t2345678901234567890123456789012345678901234567890123456789ä` (`ïd`) VALUES (1)' ||
  bad "inserting rows of defaults"
expect "string defaults" 'SELECT HEX(x) FROM (
    SELECT 1 AS k, `col'"'"'quote` AS x FROM `we``ird` WHERE `i``d` = 1 UNION ALL
    SELECT 2, `col"dq` FROM `we``ird` WHERE `i``d` = 1 UNION ALL
    SELECT 3, `back\slash` FROM `we``ird` WHERE `i``d` = 1 UNION ALL
    SELECT 4, `semi;colon` FROM `we``ird` WHERE `i``d` = 1 UNION ALL
    SELECT 5, `ünï✓` FROM `we``ird` WHERE `i``d` = 1 UNION ALL
    SELECT 6, `tick``name` FROM `we``ird` WHERE `i``d` = 1 UNION ALL
    SELECT 7, pct FROM `we``ird` WHERE `i``d` = 1 UNION ALL
    SELECT 8, `c234567890123456789012345678901234567890123456789012345678901234` FROM `we``ird` WHERE `i``d` = 1 UNION ALL
    SELECT 9, `größenmaßstäbe_äöü_mit_umlauten_und_noch_viel_mehr_text` FROM
      `t2345678901234567890123456789012345678901234567890123456789ä`) v ORDER BY k' \
  "it's" 'say "hi"' 'C:\path\n\' "x'); DROP TABLE t; --" 'ünïcødé ✓ 日本 🎉' '`tick``' '100% _x_ \%' 7 ok
expect "empty default" 'SELECT HEX(CONCAT("[", empty, "]")) FROM `we``ird` WHERE `i``d` = 1' '[]'
expect "enum values" 'SELECT HEX(mood) FROM `we``ird` ORDER BY `i``d`' "it's ok" 'back\slash' '`tick`; --'

finish mysql.escape
