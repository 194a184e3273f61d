#!/usr/bin/env bash
# test_squawk.sh — zmc migrate lint beside squawk (npm: squawk-cli), on the
# same PostgreSQL migrations (tests/lint/postgresql: one danger each, then
# their safe forms), on a server the test starts.
#
# Every danger squawk reports that a zmc rule covers (the map below) must be
# reported by zmc in the same migration, except the differences docs/lint.md
# lists (KNOWN: squawk cannot know that a table was created in the same
# migration and has no rows yet; zmc can). squawk's style rules (prefer-*,
# timeouts) have no zmc counterpart and are left out. squawk is installed
# from the npm registry into $PEERS_DIR/squawk once; without npm the test
# fails in CI and is skipped (77) elsewhere.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/pg.sh"
: "${ZMC:?}" "${PEERS_DIR:?}"
SQUAWK_VERSION=2.66.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

squawk="$PEERS_DIR/squawk/node_modules/.bin/squawk"
if [[ ! -x $squawk || $("$squawk" --version 2>/dev/null) != "squawk $SQUAWK_VERSION" ]]; then
  if ! command -v npm >/dev/null; then
    echo "interop.squawk: npm is missing (scripts/setup.sh --tests installs it)"
    [[ ${CI:-} == true ]] && exit 1 || exit 77
  fi
  mkdir -p "$PEERS_DIR/squawk"
  (cd "$PEERS_DIR/squawk" && npm install --no-audit --no-fund --save-exact "squawk-cli@$SQUAWK_VERSION" >"$tmp/npm.log" 2>&1) || {
    echo "FAIL: npm could not install squawk-cli@$SQUAWK_VERSION: $(tail -5 "$tmp/npm.log")"
    exit 1
  }
fi

zm_pg_start || { echo "FAIL: interop.squawk needs a PostgreSQL server and could not start one"; exit 1; }
export DATABASE_URL="$ZM_PG_URL/squawk"
psql -qAtX -c 'CREATE DATABASE squawk' >/dev/null
project="$here/../lint/postgresql"

# squawk rule -> the zmc codes that cover it
declare -A MAP=(
  [adding-required-field]="ZM201" [adding-not-nullable-field]="ZM304 ZM202"
  [require-concurrent-index-creation]="ZM302" [require-concurrent-index-deletion]="ZM306"
  [constraint-missing-not-valid]="ZM303 ZM302" [adding-foreign-key-constraint]="ZM303"
  [disallowed-unique-constraint]="ZM302 ZM204" [adding-primary-key-constraint]="ZM206 ZM302"
  [ban-drop-column]="ZM102" [ban-drop-table]="ZM101" [renaming-column]="ZM401" [renaming-table]="ZM402"
  [adding-field-with-default]="ZM305" [changing-column-type]="ZM205"
  [ban-concurrent-index-creation-in-transaction]="ZM301"
)
# migration:rule squawk reports and zmc deliberately does not (docs/lint.md)
declare -A KNOWN=(
  [20260101000001_init:require-concurrent-index-creation]="the table is created in the same migration"
  [20260101000014_safe_forms:require-concurrent-index-creation]="the table is created in the same migration"
)

"$ZMC" migrate lint --schema "$project/schema.zmodel" --json >"$tmp/zmc.json" 2>"$tmp/zmc.err"
[[ $? == 1 ]] && ok || bad "zmc migrate lint: $(cat "$tmp/zmc.err")"
jq -r '.findings[] | "\(.migration):\(.code)"' "$tmp/zmc.json" | sort -u >"$tmp/zmc.found"
[[ -s $tmp/zmc.found ]] && ok || bad "zmc found nothing"

covered=0 reported=0
for f in "$project"/migrations/*/migration.sql; do
  m=$(basename "$(dirname "$f")")
  while IFS= read -r rule; do
    [[ -n ${MAP[$rule]:-} ]] || continue
    reported=$((reported + 1))
    hit=""
    for code in ${MAP[$rule]}; do grep -qx "$m:$code" "$tmp/zmc.found" && hit=$code; done
    if [[ -n $hit ]]; then
      covered=$((covered + 1))
      printf '  %-44s %-44s %s\n' "$m" "$rule" "$hit"
      ok
    elif [[ -n ${KNOWN[$m:$rule]:-} ]]; then
      printf '  %-44s %-44s (not reported: %s)\n' "$m" "$rule" "${KNOWN[$m:$rule]}"
      ok
    else
      bad "$m: squawk reports $rule, zmc none of ${MAP[$rule]}"
    fi
  done < <("$squawk" --reporter json "$f" 2>/dev/null | jq -r '.[].rule_name' | sort -u)
done
((reported >= 15)) && ok || bad "squawk reported only $reported covered dangers: the comparison proves little"
echo "squawk $SQUAWK_VERSION: $reported dangers zmc has rules for, $covered reported by zmc too"
# what zmc adds: findings squawk has no rule for
echo "zmc only: $(grep -cE ':(ZM103|ZM104|ZM201|ZM202|ZM203|ZM204|ZM206)$' "$tmp/zmc.found") structural findings (data loss and failures on existing rows)"
echo "interop.squawk: $pass passed, $fail failed"
[[ $fail == 0 ]]
