#!/usr/bin/env bash
# test_prisma_cases.sh — schemas from the corners of Prisma's own migration
# tests, each once DDL a database refused, DDL unlike Prisma's, or a valid
# Prisma schema zmc rejected. Applied by migrate dev on SQLite and on a
# PostgreSQL server the test starts (no server is a failure, never a skip);
# each must apply, and a second migrate dev must find nothing to do.
#
#   - every operator class of the standard library that PostgreSQL has, on a
#     BRIN index (int4_minmax_ops, timestamptz_bloom_ops, ...) or on GIN,
#     GiST and SP-GiST ones;
#   - SQLite: BigInt @id @default(autoincrement()) (no AUTOINCREMENT, which
#     SQLite refuses on BIGINT); a relation to a view (no foreign key);
#     a model named sqlite_* (refused by zmc check, with the reason);
#   - the provider alias "postgres", native types named after the
#     datasource (@mydb.VarChar), `fields: authorId` without brackets,
#     string defaults of Decimal, Decimal[] and DateTime[]; date-time
#     defaults with an offset, which a TIMESTAMP column drops and a
#     TIMESTAMPTZ one turns into UTC (they were altered by every dev);
#   - an implicit many-to-many join table whose name is over 63 bytes.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.prisma_cases needs a PostgreSQL server and could not start one"
  exit 1
}

# dev WHAT DIR: migrate dev applies the schema, a second one is in sync
dev() {
  local out
  out=$("$ZMC" migrate dev -n init --schema "$2/schema.zmodel" 2>&1)
  [[ $? == 0 ]] && ok || bad "$1: migrate dev: $out"
  out=$("$ZMC" migrate dev -n again --schema "$2/schema.zmodel" 2>&1)
  [[ $out == *"Already in sync"* ]] && ok || bad "$1: a second migrate dev: $out"
}
pg_project() { # DIR DB: a folder whose schema's datasource is database DB
  mkdir -p "$1"
  printf 'datasource db {\n  provider = "postgresql"\n  url      = "%s"\n}\n\n' "$ZM_PG_URL/$2" >"$1/schema.zmodel"
}

# ---- operator classes (PostgreSQL)
type_of() {
  case $1 in
    Bit*) echo 'String @db.Bit(1)' ;; VarBit*) echo 'String @db.VarBit' ;; Bpchar*) echo 'String @db.Char(1)' ;;
    Bytea*) echo 'Bytes' ;; Date*) echo 'DateTime @db.Date' ;; Float4*) echo 'Float @db.Real' ;; Float8*) echo 'Float' ;;
    Inet*) echo 'String @db.Inet' ;; Int2*) echo 'Int @db.SmallInt' ;; Int4*) echo 'Int' ;; Int8*) echo 'BigInt' ;;
    Numeric*) echo 'Decimal' ;; Oid*) echo 'Int @db.Oid' ;; Text*) echo 'String' ;;
    TimestampTz*) echo 'DateTime @db.Timestamptz' ;; Timestamp*) echo 'DateTime @db.Timestamp' ;;
    TimeTz*) echo 'DateTime @db.Timetz' ;; Time*) echo 'DateTime @db.Time' ;; Uuid*) echo 'String @db.Uuid' ;;
  esac
}
stdlib="$here/../../frontend/stdlib.zmodel"
# the BRIN classes of the standard library's IndexOperatorClass (PostgreSQL
# has no text_minmax_multi_ops, and Prisma refuses it too)
mapfile -t brin < <(sed -n '/^enum IndexOperatorClass/,/^}/p' "$stdlib" | awk '{print $1}' |
  grep -E 'MinMax|Bloom|Inclusion' | grep -vx 'TextMinMaxMultiOps')
((${#brin[@]} >= 50)) && ok || bad "only ${#brin[@]} BRIN operator classes found in $stdlib"
w=$tmp/ops
pg_project "$w" ops
{
  printf 'model T {\n  id Int @id\n'
  for i in "${!brin[@]}"; do printf '  c%d %s\n' "$i" "$(type_of "${brin[$i]}")"; done
  printf '  arr Int[]\n  doc Json\n  doc2 Json\n  ip String @db.Inet\n  txt String\n'
  for i in "${!brin[@]}"; do printf '  @@index([c%d(ops: %s)], type: Brin, map: "brin%d")\n' "$i" "${brin[$i]}" "$i"; done
  printf '  @@index([arr(ops: ArrayOps)], type: Gin)\n  @@index([doc(ops: JsonbOps)], type: Gin)\n'
  printf '  @@index([doc2(ops: JsonbPathOps)], type: Gin)\n  @@index([ip(ops: InetOps)], type: Gist)\n'
  printf '  @@index([txt(ops: TextOps)], type: SpGist)\n}\n'
} >>"$w/schema.zmodel"
dev "operator classes" "$w"
n=$(psql -qAtX -d ops -c "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_opclass o ON o.oid = i.indclass[0] WHERE c.relname LIKE 'brin%' AND o.opcname LIKE '%\_ops'")
[[ $n == "${#brin[@]}" ]] && ok || bad "operator classes: $n of ${#brin[@]} BRIN indexes in the catalog"
# the classes by name, as PostgreSQL spells them
opclass_of() { # ENUM-VALUE: the class of its index in the catalog
  local i
  for i in "${!brin[@]}"; do [[ ${brin[$i]} == "$1" ]] && break; done
  psql -qAtX -d ops -c "SELECT o.opcname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_opclass o ON o.oid = i.indclass[0] WHERE c.relname = 'brin$i'"
}
for pair in Int4MinMaxOps:int4_minmax_ops TimestampTzBloomOps:timestamptz_bloom_ops \
  TimeTzMinMaxMultiOps:timetz_minmax_multi_ops VarBitMinMaxOps:varbit_minmax_ops InetInclusionOps:inet_inclusion_ops; do
  got=$(opclass_of "${pair%%:*}")
  [[ $got == "${pair#*:}" ]] && ok || bad "operator classes: ${pair%%:*} is $got, not ${pair#*:}"
done

# ---- SQLite: BigInt autoincrement, a relation to a view, sqlite_ names
w=$tmp/sqlite
mkdir -p "$w"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\n' >"$w/schema.zmodel"
printf 'model T {\n  id BigInt @id @default(autoincrement())\n  v V[]\n}\n\n' >>"$w/schema.zmodel"
printf 'view V {\n  id  Int @unique\n  tId BigInt\n  t   T @relation(fields: [tId], references: [id])\n  us  U[]\n}\n\n' >>"$w/schema.zmodel"
printf 'model U {\n  id  Int @id\n  vId Int\n  v   V @relation(fields: [vId], references: [id])\n}\n' >>"$w/schema.zmodel"
dev "sqlite" "$w"
[[ $(sqlite3 "$w/dev.db" "SELECT sql FROM sqlite_master WHERE name = 'T'") == *'"id" BIGINT NOT NULL PRIMARY KEY'$'\n'')' ]] &&
  ok || bad "sqlite: T's key: $(sqlite3 "$w/dev.db" "SELECT sql FROM sqlite_master WHERE name = 'T'")"
[[ $(sqlite3 "$w/dev.db" "SELECT count(*) FROM pragma_foreign_key_list('U')") == 0 ]] && ok ||
  bad "sqlite: a foreign key to the view V"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\nmodel sqlite_stats {\n  id Int @id\n}\n' >"$tmp/reserved.zmodel"
out=$("$ZMC" check --schema "$tmp/reserved.zmodel" 2>&1)
[[ $? == 1 && $out == *"keeps the names that start with \`sqlite_\`"* ]] && ok || bad "sqlite_ names: $out"

# ---- valid Prisma schemas zmc rejected
w=$tmp/prisma
mkdir -p "$w"
cat >"$w/schema.zmodel" <<EOF
datasource mydb {
  provider = "postgres"
  url      = "$ZM_PG_URL/prisma_forms"
}

model User {
  id    Int        @id
  name  String     @mydb.VarChar(20)
  d     Decimal    @default("1.50")
  dl    Decimal[]  @default(["1.5", "-2", "3."])
  tl    DateTime[] @default(["2020-01-01T00:00:00Z", "2021-02-03T04:05:06.789+02:00"])
  t     DateTime   @default("2021-02-03T04:05:06.780+02:00")
  tz    DateTime   @default("2021-02-03T04:05:06.789-05:30") @mydb.Timestamptz
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: authorId, references: id)
}
EOF
dev "prisma forms" "$w"
q() { psql -qAtX -d prisma_forms -c "$1"; }
[[ $(q "SELECT data_type || character_maximum_length FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'name'") == "character varying20" ]] &&
  ok || bad "prisma forms: @mydb.VarChar(20) is not varchar(20)"
[[ $(q "SELECT column_default FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'd'") == "1.50" ]] &&
  ok || bad "prisma forms: the Decimal default: $(q "SELECT column_default FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'd'")"
[[ $(q "SELECT count(*) FROM information_schema.table_constraints WHERE constraint_type = 'FOREIGN KEY' AND constraint_name = 'Post_authorId_fkey'") == 1 ]] &&
  ok || bad "prisma forms: the foreign key of fields: authorId"

# ---- an implicit many-to-many join table named over 63 bytes
w=$tmp/m2m
pg_project "$w" m2m
A=$(printf 'A%.0s' {1..40}) B=$(printf 'B%.0s' {1..40})
printf 'model %s {\n  id Int @id\n  bs %s[]\n}\n\nmodel %s {\n  id Int @id\n  as %s[]\n}\n' "$A" "$B" "$B" "$A" >>"$w/schema.zmodel"
dev "m2m" "$w"
join="_${A}To$(printf 'B%.0s' {1..22})"
[[ $(psql -qAtX -d m2m -c "SELECT count(*) FROM pg_tables WHERE tablename = '$join'") == 1 ]] && ok ||
  bad "m2m: no join table $join"

finish cli.prisma_cases
