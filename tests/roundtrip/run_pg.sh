#!/usr/bin/env bash
# run_pg.sh — roundtrip.postgresql: start a throw-away PostgreSQL server
# (tests/support/pg.sh) and run roundtrip_test against it. Without the corpus
# the test is skipped (77) before any server starts; a server that does not
# start fails it. Extra arguments go to roundtrip_test (--only, --verbose).
set -uo pipefail
: "${ROUNDTRIP_TEST:?set ROUNDTRIP_TEST to the roundtrip_test binary}" "${CORPUS:?set CORPUS to the corpus folder}"
if [[ ! -f $CORPUS/expected-sql/index.tsv ]]; then
  echo "corpus not found at $CORPUS/expected-sql/index.tsv: skipped"
  exit 77
fi
source "$(dirname "$0")/../support/pg.sh"
if ! zm_pg_start; then
  echo "FAIL: roundtrip.postgresql needs a PostgreSQL server and none could be started"
  exit 1
fi
"$ROUNDTRIP_TEST" postgresql --corpus "$CORPUS" --url "$ZM_PG_URL/postgres" "$@"
