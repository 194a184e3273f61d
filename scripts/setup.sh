#!/usr/bin/env bash
# Installs the Debian packages zmc needs, when they are missing.
#   scripts/setup.sh          what building zmc needs
#   scripts/setup.sh --tests  plus what the test suite needs
# Uses apt-get (through sudo when not root); installs nothing that is present.
set -euo pipefail

packages=(cmake make gcc libc6-dev flex bison pkg-config libjansson-dev libltdl-dev
  libsqlite3-dev libpq-dev libmariadb-dev libpg-query-dev libssl-dev)
if [[ "${1:-}" == "--tests" ]]; then
  # Criterion, valgrind and jq; SQLite, a PostgreSQL and a MariaDB server for the
  # tests that apply DDL to real databases (the suite starts its own servers);
  # MariaDB's test data for the sample databases db pull reads (world, DBT-3);
  # Galera (the wsrep provider) and rsync (its state transfer) for the cluster tests.
  packages+=(libcriterion-dev valgrind sqlite3 postgresql mariadb-server mariadb-client jq dpkg-dev file
    mariadb-test-data galera-4 rsync)
  # npm installs the peers the comparisons run (squawk, the Prisma CLI); a
  # machine with Node.js from elsewhere (NodeSource) already has it
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=()
if [[ "$(id -u)" != 0 ]]; then
  sudo=(sudo)
fi
echo "setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
