#!/usr/bin/env bash
# escaping.sh — sql.escaping: names and string values that need quoting
# (escaping.zmodel) go through `zmc build --backend sql`, are applied to a
# real SQLite database and a real PostgreSQL server (tests/support/pg.sh),
# and come back out of the catalog exactly as intended: the table, column,
# index, constraint and enum names, and the default values of a row inserted
# with DEFAULT VALUES. Compared as hex bytes, so a stray quote, a lost
# backslash, a cut or re-encoded character or an injected statement shows.
# A PostgreSQL server that cannot be started fails the test.
set -uo pipefail
source "$(dirname "$0")/../cli/lib.sh"
source "$here/../support/pg.sh"
schema="$here/escaping.zmodel"

# ---- what the schema means, written out in bash --------------------------

T=$'ta"ble \'q\'; --'
CHILD='child ☃'
L=$(printf 'ü%.0s' {1..31})x                 # 63 bytes
LC=$(printf 'ö%.0s' {1..31})y                # 63 bytes
CUT=$(printf 'ü%.0s' {1..29})                # L cut to 58 bytes on a character boundary
ENUM=$'mo"od \'type\''
HAPPY=$'ha"p\'py; --' SAD='ünïcødé 😀' BACK='back\slash'
# column name → the default value a row gets
declare -A DEFAULTS=(
  ['col "dq"']='say "hi"'
  [$'col \'sq\'']="it's"
  ['col\bs']='back\slash \n'
  ['col; DROP TABLE x; --']=$'x\'); DROP TABLE "Quoted"; --'
  ['ünïcødé 😀']='ünïcødé 😀 ✓'
  [nl]=$'line1\nline2\ttab'
  ['mo"od']=$HAPPY
  [mood2]=$BACK
  ['tail\']='ends\'
  [empty]=''
  [quote]="'"
)
T_COLUMNS=('i"d' "${!DEFAULTS[@]}")

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
unhex() { printf '%b' "$(sed 's/../\\x&/g')"; }
# A quoted identifier for the test's own queries.
qi() { printf '"%s"' "${1//\"/\"\"}"; }

# same WHAT GOT_HEX_LINES WANT...: the same set of strings.
same() {
  local what=$1 got want s
  got=$(tr 'A-F' 'a-f' <<<"$2" | sed '/^$/d' | sort)
  shift 2
  want=$(for s in "$@"; do hex "$s"; echo; done | sort)
  if [[ $got == "$want" ]]; then ok; else
    bad "$what: got [$(while read -r h; do printf '%s|' "$(unhex <<<"$h")"; done <<<"$got")]," \
      "want [$(printf '%s|' "$@")]"
  fi
}

# ---- SQLite ----------------------------------------------------------------

sed 's/provider = "postgresql"/provider = "sqlite"/' "$schema" >"$tmp/sqlite.zmodel"
if ! "$ZMC" build --schema "$tmp/sqlite.zmodel" --backend sql --output "$tmp/sqlite.sql" >"$tmp/out" 2>&1; then
  bad "zmc build (sqlite): $(cat "$tmp/out")"
fi
db=$tmp/test.db
if ! sqlite3 -bail "$db" <"$tmp/sqlite.sql" >"$tmp/out" 2>&1; then bad "sqlite3 rejects zmc's DDL: $(cat "$tmp/out")"; fi
lite() { sqlite3 -bail "$db" "$1"; }
name() { printf "CAST(X'%s' AS TEXT)" "$(hex "$1")"; }

same "sqlite tables" "$(lite "SELECT hex(name) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")" \
  "$T" "$CHILD" "$L"
same "sqlite columns of $T" "$(lite "SELECT hex(name) FROM pragma_table_info($(name "$T"))")" "${T_COLUMNS[@]}"
same "sqlite columns of $CHILD" "$(lite "SELECT hex(name) FROM pragma_table_info($(name "$CHILD"))")" id 'parent "id"'
same "sqlite columns of $L" "$(lite "SELECT hex(name) FROM pragma_table_info($(name "$L"))")" id c "$LC" refId
same "sqlite indexes" "$(lite "SELECT hex(name) FROM sqlite_master WHERE type = 'index'")" \
  'ix "dq" '"'sq'; --" 'uq ünï 😀' "${L}_c_key" "${L}_refId_idx"
same "sqlite foreign keys" \
  "$(lite "SELECT hex(\"table\" || ' ' || \"from\" || ' ' || \"to\") FROM pragma_foreign_key_list($(name "$CHILD"))
           UNION ALL SELECT hex(\"table\" || ' ' || \"from\" || ' ' || \"to\") FROM pragma_foreign_key_list($(name "$L"))")" \
  "$T parent \"id\" i\"d" "$CHILD refId id"
# SQLite keeps a foreign key's name only in the table's SQL.
for pair in "$CHILD|fk 'p' \"q\"; --" "$L|${L}_refId_fkey"; do
  table=${pair%%|*} fk=${pair#*|}
  if [[ $(lite "SELECT instr(sql, $(name "CONSTRAINT $(qi "$fk") FOREIGN KEY")) > 0 FROM sqlite_master
                WHERE name = $(name "$table")") == 1 ]]; then ok; else bad "sqlite: no constraint $fk on $table"; fi
done
lite "INSERT INTO $(qi "$T") DEFAULT VALUES" >/dev/null
lite "INSERT INTO $(qi "$CHILD") ($(qi 'parent "id"')) VALUES (1)" >/dev/null
lite "INSERT INTO $(qi "$L") (c, refId) VALUES (1, 1)" >/dev/null
for col in "${!DEFAULTS[@]}"; do
  same "sqlite default of $col" "$(lite "SELECT hex($(qi "$col")) FROM $(qi "$T")")" "${DEFAULTS[$col]}"
done
same "sqlite default of $LC" "$(lite "SELECT hex($(qi "$LC")) FROM $(qi "$L")")" 7

# ---- PostgreSQL --------------------------------------------------------------

if ! zm_pg_start; then
  bad "sql.escaping needs a PostgreSQL server and none could be started"
  finish sql.escaping
  exit 1
fi
if ! "$ZMC" build --schema "$schema" --backend sql --output "$tmp/pg.sql" >"$tmp/out" 2>&1; then
  bad "zmc build (postgresql): $(cat "$tmp/out")"
fi
psql -X -q -c 'CREATE DATABASE escaping' >/dev/null
export PGDATABASE=escaping
# Only the CreateSchema step's notice is expected: a truncated identifier
# would be reported as a NOTICE as well.
if ! psql -X -q -v ON_ERROR_STOP=1 -f "$tmp/pg.sql" >"$tmp/out" 2>&1; then
  bad "PostgreSQL rejects zmc's DDL: $(cat "$tmp/out")"
elif grep -v 'schema "public" already exists, skipping' "$tmp/out" | grep -q .; then
  bad "PostgreSQL says: $(cat "$tmp/out")"
else ok; fi
pg() { psql -X -At -v ON_ERROR_STOP=1 -c "$1"; }
h() { printf "encode(convert_to((%s)::text, 'UTF8'), 'hex')" "$1"; }
rel() { printf "(SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = %s)" \
  "convert_from('\\x$(hex "$1")'::bytea, 'UTF8')"; }
pub="'public'::regnamespace"

same "postgresql tables" "$(pg "SELECT $(h relname) FROM pg_class WHERE relnamespace = $pub AND relkind = 'r'")" \
  "$T" "$CHILD" "$L"
cols() { pg "SELECT $(h attname) FROM pg_attribute WHERE attrelid = $(rel "$1") AND attnum > 0 AND NOT attisdropped"; }
same "postgresql columns of $T" "$(cols "$T")" "${T_COLUMNS[@]}"
same "postgresql columns of $CHILD" "$(cols "$CHILD")" id 'parent "id"'
same "postgresql columns of $L" "$(cols "$L")" id c "$LC" refId
same "postgresql indexes" "$(pg "SELECT $(h relname) FROM pg_class WHERE relnamespace = $pub AND relkind = 'i'")" \
  "${T}_pkey" 'ix "dq" '"'sq'; --" 'uq ünï 😀' "${CHILD}_pkey" "${CUT}_pkey" "${CUT}_key" "${CUT}_idx"
same "postgresql constraints" "$(pg "SELECT $(h conname) FROM pg_constraint WHERE connamespace = $pub")" \
  "${T}_pkey" "${CHILD}_pkey" "${CUT}_pkey" "fk 'p' \"q\"; --" "${CUT}_fkey"
same "postgresql enum types" "$(pg "SELECT $(h typname) FROM pg_type WHERE typnamespace = $pub AND typtype = 'e'")" "$ENUM"
same "postgresql enum labels in order" \
  "$(pg "SELECT $(h "string_agg(enumlabel::text, '|' ORDER BY enumsortorder)") FROM pg_enum")" "$HAPPY|$SAD|$BACK"
pg "INSERT INTO $(qi "$T") DEFAULT VALUES" >/dev/null
pg "INSERT INTO $(qi "$CHILD") ($(qi 'parent "id"')) VALUES (1)" >/dev/null
pg "INSERT INTO $(qi "$L") (c, \"refId\") VALUES (1, 1)" >/dev/null
for col in "${!DEFAULTS[@]}"; do
  same "postgresql default of $col" "$(pg "SELECT $(h "$(qi "$col")") FROM $(qi "$T")")" "${DEFAULTS[$col]}"
done
same "postgresql default of $LC" "$(pg "SELECT $(h "$(qi "$LC")") FROM $(qi "$L")")" 7

finish sql.escaping
