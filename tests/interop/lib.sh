# lib.sh — what the interop tests share: the real Prisma 6 CLI, installed
# from the npm registry by ../shared/tools/peers-setup.sh into PEERS_DIR
# (once, shared by the build folders), and a PostgreSQL server of their own.
#
#   interop_setup NAME    installs the peers if needed, starts the server;
#                         sets PRISMA. Without node/npm or peers-setup.sh:
#                         a failure in CI (CI set), else a skip (exit 77).
#   interop_project D NAME  a project folder $p for dialect D ($dialect), its
#                         database ($dbname, empty), Prisma's config, the
#                         URLs both tools use, and $p/head: the datasource.
#   interop_fresh         the project's database emptied.
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
source "$here/../support/pg.sh"
root=$(cd "$here/../.." && pwd)
PEERS_SETUP="${PEERS_SETUP:-$root/../shared/tools/peers-setup.sh}"
PEERS_DIR="${PEERS_DIR:?set PEERS_DIR}"

interop_setup() {
  local name=$1
  unavailable() {
    if [[ -n ${CI:-} ]]; then echo "FAIL: $name: $*"; exit 1; fi
    echo "$name: skipped: $*"; exit 77
  }
  if [[ ! -x $PEERS_DIR/bin/prisma6 || ! -f $PEERS_DIR/templates/prisma.config.pg.ts ]]; then
    [[ -f $PEERS_SETUP ]] || unavailable "$PEERS_SETUP not found: cannot install the Prisma CLI"
    command -v npm >/dev/null || unavailable "npm not found: cannot install the Prisma CLI"
    echo "installing the peers with $PEERS_SETUP into $PEERS_DIR (npm registry)"
    bash "$PEERS_SETUP" "$PEERS_DIR" >"$tmp/peers-setup.log" 2>&1 || {
      tail -20 "$tmp/peers-setup.log"
      echo "FAIL: $name: peers-setup.sh failed"
      exit 1
    }
  fi
  PRISMA="$PEERS_DIR/bin/prisma6"
  zm_pg_start || {
    echo "FAIL: $name needs a PostgreSQL server and could not start one"
    exit 1
  }
}

interop_project() {
  dialect=$1 p="$tmp/$1-$2" dbname="$2"
  mkdir -p "$p"
  local ds
  if [[ $dialect == sqlite ]]; then
    ds='provider = "sqlite"\n  url      = "file:./dev.db"'
    export SQLITE_URL="file:$p/dev.db"
    cp "$PEERS_DIR/templates/prisma.config.sqlite.ts" "$p/prisma.config.ts"
  else
    ds='provider = "postgresql"\n  url      = env("DATABASE_URL")'
    export DATABASE_URL="$ZM_PG_URL/$dbname"
    cp "$PEERS_DIR/templates/prisma.config.pg.ts" "$p/prisma.config.ts"
  fi
  printf "datasource db {\n  $ds\n}\n\n" >"$p/head"
  interop_fresh
}

interop_fresh() {
  if [[ $dialect == sqlite ]]; then rm -f "$p/dev.db"; else
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS \"$dbname\" WITH (FORCE)" -c "CREATE DATABASE \"$dbname\"" >/dev/null 2>&1
  fi
}
