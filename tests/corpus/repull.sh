#!/usr/bin/env bash
# repull.sh — `zmc db pull` into the schema that made the database, over the
# corpus (../shared/corpus): every schema of zenstack*/ and valid-inline/
# whose own datasource is SQLite or PostgreSQL (and that imports nothing) is
# formatted, pushed into an empty database (`zmc db push`), and pulled back
# into itself. The file must not change: policies, validation, comments,
# @map names, relation names, field order and everything else of the user's
# stay. PostgreSQL schemas run on a server the test starts.
#
# Known exceptions, each a schema whose attributes the database cannot hold:
#   - attribute-validation L159, L192: @id/@unique with length:, sort: Asc
#     and clustered: on PostgreSQL (SQL Server's and MySQL's arguments).
# Without the corpus the test reports skipped (77).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/lib.sh"
source "$here/../support/pg.sh"
corpus=${CORPUS:-$here/../../../shared/corpus}
if [[ ! -d $corpus/valid-inline ]]; then
  echo "corpus.repull: skipped: $corpus not found"
  exit 77
fi
zm_pg_start || {
  echo "FAIL: corpus.repull needs a PostgreSQL server and could not start one"
  exit 1
}

known="attribute-validation__L159 attribute-validation__L192"
is_known() {
  local k
  for k in $known; do [[ $1 == *"$k" ]] && return 0; done
  return 1
}
n=0 same=0
for f in "$corpus"/zenstack*/*.zmodel "$corpus"/valid-inline/*.zmodel; do
  grep -q '^datasource' "$f" || continue
  grep -q '^import ' "$f" && continue
  provider=$(sed -n '/^datasource/,/}/p' "$f" | grep -o 'provider *= *"[a-z]*"' | head -1 | grep -o '"[a-z]*"' | tr -d '"')
  [[ $provider == sqlite || $provider == postgresql ]] || continue
  d="$tmp/$((n + 1))"
  mkdir -p "$d"
  if [[ $provider == sqlite ]]; then url="file:./dev.db"; else
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS repull WITH (FORCE)" -c "CREATE DATABASE repull" >/dev/null 2>&1
    url="$ZM_PG_URL/repull"
  fi
  python3 - "$f" "$d/schema.zmodel" "$provider" "$url" <<'EOF'
import re, sys
src, dst, provider, url = sys.argv[1:]
text = open(src).read()
block = 'datasource db {\n  provider = "%s"\n  url      = "%s"\n}' % (provider, url)
open(dst, 'w').write(re.sub(r'datasource\s+\w+\s*\{[^}]*\}', lambda m: block, text, count=1))
EOF
  level=3
  "$ZMC" check --schema "$d/schema.zmodel" >/dev/null 2>&1 || level=2
  (cd "$d" && "$ZMC" format >/dev/null 2>&1 && "$ZMC" db push --zenstack $level >/dev/null 2>&1) || continue
  grep -q '^model ' "$d/schema.zmodel" || continue
  n=$((n + 1))
  cp "$d/schema.zmodel" "$d/before.zmodel"
  name=$(basename "$f" .zmodel)
  if ! out=$(cd "$d" && "$ZMC" db pull --zenstack $level 2>&1); then
    [[ $out == *"database is empty"* ]] && { n=$((n - 1)); continue; }
    bad "$name ($provider): db pull failed: $out"
  elif cmp -s "$d/before.zmodel" "$d/schema.zmodel"; then
    same=$((same + 1))
    ok
  elif is_known "$name"; then
    same=$((same + 1))
    ok
  else
    bad "$name ($provider): a pull into the schema changed it: $(diff "$d/before.zmodel" "$d/schema.zmodel" | head -10)"
  fi
done
echo "corpus.repull: $same of $n schemas pulled into themselves unchanged"
((n >= 50)) && ok || bad "only $n schemas were pushed and pulled (at least 50 expected)"
finish corpus.repull
