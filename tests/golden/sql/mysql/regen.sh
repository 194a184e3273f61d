#!/usr/bin/env bash
# regen.sh [NAME...] — regenerate the MySQL goldens X.sql from X.zmodel with
# Prisma: zmc writes the Prisma schema (`zmc build --backend prisma`), then
#   prisma migrate diff --from-empty --to-schema-datamodel X.prisma --script
# writes the DDL. Not run by CI. A golden is replaced only when Prisma ran
# cleanly for it; the exit status is 1 if any did not.
#
# Which Prisma:
#   PRISMA=<prisma CLI>  one with a native schema engine (no database needed);
#   else PEERS (default ../shared's peers-setup.sh folder, /tmp/peers) bin/prisma6:
#        Prisma 6 with the wasm schema engine, `engine: 'js'` and
#        @prisma/adapter-mariadb (installed into PEERS/prisma6 if missing), on a
#        throw-away MariaDB server (tests/support/mariadb.sh; with an adapter
#        even --from-empty opens the database).
# As of Prisma 6.19.3 (and @prisma/schema-engine-wasm up to 8.1.0) the wasm
# schema engine is built without the MySQL connector: the second route ends
# in `RuntimeError: unreachable` and nothing is replaced. The goldens in this
# folder were therefore written by hand from Prisma's MySQL renderer (see
# README.md); this script is for a machine that can run Prisma's native engine.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
ZMC=${ZMC:-$root/build/cli/zmc}
[[ -x $ZMC ]] || { echo "regen.sh: no zmc at $ZMC (set ZMC)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ -n ${PRISMA:-} ]]; then
  prisma=("$PRISMA")
else
  PEERS=${PEERS:-/tmp/peers}
  prisma=("$PEERS/bin/prisma6")
  [[ -x ${prisma[0]} ]] || { echo "regen.sh: run ../shared/tools/peers-setup.sh $PEERS first (or set PRISMA)" >&2; exit 2; }
  version=$(node -p "require('$PEERS/prisma6/node_modules/prisma/package.json').version")
  if [[ ! -d $PEERS/prisma6/node_modules/@prisma/adapter-mariadb ]]; then
    (cd "$PEERS/prisma6" && npm install --no-audit --no-fund --save-exact "@prisma/adapter-mariadb@$version") >&2 || exit 2
  fi
  source "$root/tests/support/mariadb.sh"
  zm_mariadb_start || exit 2
  zm_mariadb -e 'CREATE DATABASE prisma_regen' || exit 2
  export DATABASE_URL=$ZM_MARIADB_URL/prisma_regen
  cat >"$tmp/prisma.config.ts" <<TS
import { defineConfig } from '$PEERS/prisma6/node_modules/prisma/config'
import { PrismaMariaDb } from '$PEERS/prisma6/node_modules/@prisma/adapter-mariadb'
const u = new URL(process.env.DATABASE_URL ?? '')
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaMariaDb({ host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username),
      database: u.pathname.slice(1), connectionLimit: 1 })
  },
})
TS
  prisma+=(--config "$tmp/prisma.config.ts")
fi

names=("$@")
if [[ ${#names[@]} == 0 ]]; then
  for zm in "$here"/*.zmodel; do names+=("$(basename "$zm" .zmodel)"); done
fi
failed=0
for name in "${names[@]}"; do
  if ! "$ZMC" build --schema "$here/$name.zmodel" --backend prisma --output "$tmp/$name.prisma" >"$tmp/log" 2>&1; then
    echo "$name: zmc build --backend prisma failed:"; cat "$tmp/log"; failed=1; continue
  fi
  if "${prisma[@]}" migrate diff --from-empty --to-schema-datamodel "$tmp/$name.prisma" --script \
    >"$tmp/$name.sql" 2>"$tmp/log" && [[ -s $tmp/$name.sql ]]; then
    cp "$tmp/$name.sql" "$here/$name.sql"
    echo "$name: regenerated"
  else
    echo "$name: Prisma failed, $name.sql kept:"; tail -20 "$tmp/log"; failed=1
  fi
done
exit $failed
