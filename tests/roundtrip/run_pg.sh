#!/usr/bin/env bash
# run_pg.sh — the PostgreSQL round-trips: start a throw-away PostgreSQL server
# (tests/support/pg.sh) and run roundtrip_test against it, over the corpus
# (CORPUS=...; skipped, exit 77, before any server starts when the corpus is
# absent) or over hand-written schemas (SCHEMAS="a.zmodel b.zmodel"). A
# server that does not start fails the test. Extra arguments go to
# roundtrip_test (--floor, --only, --verbose).
set -uo pipefail
: "${ROUNDTRIP_TEST:?set ROUNDTRIP_TEST to the roundtrip_test binary}"
if [[ -z ${SCHEMAS:-} ]]; then
  : "${CORPUS:?set CORPUS to the corpus folder, or SCHEMAS to schema files}"
  if [[ ! -f $CORPUS/expected-sql/index.tsv ]]; then
    echo "corpus not found at $CORPUS/expected-sql/index.tsv: skipped"
    exit 77
  fi
fi
source "$(dirname "$0")/../support/pg.sh"
if ! zm_pg_start; then
  echo "FAIL: the PostgreSQL round-trip needs a PostgreSQL server and none could be started"
  exit 1
fi
if [[ -n ${SCHEMAS:-} ]]; then
  rc=0
  for schema in $SCHEMAS; do
    "$ROUNDTRIP_TEST" postgresql --schema "$schema" --url "$ZM_PG_URL/postgres" "$@" || rc=1
  done
  exit $rc
fi
"$ROUNDTRIP_TEST" postgresql --corpus "$CORPUS" --url "$ZM_PG_URL/postgres" "$@"
