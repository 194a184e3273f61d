# lib.sh — what the MySQL test scripts share: paths, a scratch folder removed
# on exit, pass/fail counting, the closing "N passed, N failed" line, and
# zmc's DDL for a schema.
: "${ZMC:?set ZMC to the zmc binary}"

here=$(cd "$(dirname "$0")" && pwd)
goldens="$here/../golden/sql/mysql"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
  echo "FAIL: $*"
  fail=$((fail + 1))
}

# finish NAME: print the summary; the status is 0 only if nothing failed.
finish() {
  echo "$1: $pass passed, $fail failed"
  [[ $fail == 0 ]]
}

# zmc_ddl SCHEMA OUT: `zmc build --backend sql` (dialect from the datasource) into OUT.
zmc_ddl() {
  "$ZMC" build --schema "$1" --backend sql --output "$2" >"$tmp/zmc.log" 2>&1 || {
    cat "$tmp/zmc.log"
    return 1
  }
}
