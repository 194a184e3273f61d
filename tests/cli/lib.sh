# lib.sh — what the CLI test scripts share: paths, a scratch folder removed on
# exit, pass/fail counting and the closing "N passed, N failed" line.
: "${ZMC:?set ZMC to the zmc binary}"

here=$(cd "$(dirname "$0")" && pwd)
golden="$here/../golden"
example="$here/../../examples/blog"
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
