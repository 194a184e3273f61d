#!/usr/bin/env bash
# selftest.sh — catalog.selftest: catalog_test must notice a difference.
# A one-schema corpus is made from escaping.zmodel with zmc's own DDL as the
# "Prisma" golden; each mutation below changes that golden in one way the
# catalogs show (a default, an enum's order, a foreign key action, a unique
# index, a nullable column, a type, a name) and catalog_test must fail; a
# change of layout only must pass. Needs no shared corpus; starts its own
# PostgreSQL server (tests/support/pg.sh).
set -uo pipefail
: "${CATALOG_TEST:?set CATALOG_TEST to the catalog_test binary}"
source "$(dirname "$0")/../cli/lib.sh"
source "$here/../support/pg.sh"

corpus=$tmp/corpus
mkdir -p "$corpus/valid-inline" "$corpus/expected-sql/sqlite/valid-inline" "$corpus/expected-sql/postgresql/valid-inline"
cp "$here/escaping.zmodel" "$corpus/valid-inline/esc.zmodel"
{
  printf 'dialect\tdir\tname\tzmodel\tsource\torig_provider\tprovider_rewritten\turl\tstatus\terror\n'
  for d in sqlite postgresql; do
    printf '%s\tvalid-inline\tesc\tvalid-inline/esc.zmodel\tv3\tpostgresql\tno\tkept\tok\t\n' "$d"
  done
} >"$corpus/expected-sql/index.tsv"
sed 's/provider = "postgresql"/provider = "sqlite"/' "$here/escaping.zmodel" >"$tmp/sqlite.zmodel"
"$ZMC" build --schema "$tmp/sqlite.zmodel" --backend sql --output "$tmp/sqlite.sql" >/dev/null 2>&1 || bad "zmc build sqlite"
"$ZMC" build --schema "$here/escaping.zmodel" --backend sql --output "$tmp/postgresql.sql" >/dev/null 2>&1 ||
  bad "zmc build postgresql"

if ! zm_pg_start; then
  bad "catalog.selftest needs a PostgreSQL server and none could be started"
  finish catalog.selftest
  exit 1
fi

# expect DIALECT pass|fail SED-EXPRESSION: the golden mutated, the verdict.
expect() {
  local dialect=$1 want=$2 expr=$3 golden=$corpus/expected-sql/$1/valid-inline/esc.sql out
  sed "$expr" "$tmp/$dialect.sql" >"$golden"
  if cmp -s "$golden" "$tmp/$dialect.sql" && [[ -n $expr ]]; then
    bad "$dialect: mutation '$expr' changes nothing"
    return
  fi
  # pg_dump's comparison too where all must be equal.
  if out=$("$CATALOG_TEST" "$dialect" --corpus "$corpus" --jobs 1 --pg-dump $([[ $want == pass ]] && echo 1 || echo 0) 2>&1)
  then got=pass; else got=fail; fi
  if [[ $got == "$want" ]]; then ok; else bad "$dialect '$expr': expected $want, got $got: $out"; fi
}

for d in sqlite postgresql; do
  expect $d pass ''
  expect $d pass 's/^    "/        "/; s/, "/,   "/g'
  expect $d fail "s/DEFAULT 'say \"hi\"'/DEFAULT 'say \"ho\"'/"
  expect $d fail 's/ON DELETE RESTRICT ON UPDATE CASCADE/ON DELETE CASCADE ON UPDATE CASCADE/'
  expect $d fail 's/CREATE UNIQUE INDEX "uq/CREATE INDEX "uq/'
  expect $d fail 's/"c" INTEGER NOT NULL,/"c" INTEGER,/'
  expect $d fail 's/"nl" TEXT NOT NULL/"nl" VARCHAR(20) NOT NULL/'
  expect $d fail 's/CREATE INDEX "ix ""dq""/CREATE INDEX "ix ""dQ""/'
done
expect sqlite fail 's/ AUTOINCREMENT,$/,/'
expect sqlite fail 's/REFERENCES "child ☃" ("id")/REFERENCES "child ☃" ("id") DEFERRABLE INITIALLY DEFERRED/'
expect postgresql fail "s/AS ENUM ('ha\"p''py; --', 'ünïcødé 😀'/AS ENUM ('ünïcødé 😀', 'ha\"p''py; --'/"
expect postgresql fail 's/"id" SERIAL NOT NULL,/"id" INTEGER NOT NULL,/'
expect postgresql fail 's/CONSTRAINT "child ☃_pkey"/CONSTRAINT "child_pkey"/'

finish catalog.selftest
