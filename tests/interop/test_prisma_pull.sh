#!/usr/bin/env bash
# test_prisma_pull.sh — `zmc db pull` beside Prisma's own `db pull` (the
# real Prisma 6 CLI, wasm schema engine, see lib.sh) on the same databases:
# at least 30 SQLite and 30 PostgreSQL databases, each built from a
# different corpus schema (Prisma's own DDL for it, ../shared/corpus/
# expected-sql). The two pulled schemas must be the same text, models,
# fields, types, attributes, relations and their order, once the datasource
# blocks are set aside and the differences docs/cli.md lists ("db pull and
# Prisma") are evened out:
#   - a PostgreSQL time or timestamp column without a precision: zmc writes
#     @db.Time, as the column is, Prisma @db.Time(6);
#   - an index's operator class that is not the default (text_pattern_ops):
#     zmc keeps it (ops: raw(...)), Prisma drops it;
#   - SQLite: the order of @@index lines (Prisma follows the catalog's
#     creation order, zmc the index names).
# Without ../shared/corpus the test reports skipped (77), in CI too: the
# corpus is what it compares on, and CI has it.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
corpus="$root/../shared/corpus/expected-sql"
if [[ ! -d $corpus ]]; then
  echo "interop.prisma_pull: skipped: $corpus not found"
  exit 77
fi
interop_setup interop.prisma_pull

WANT=${WANT:-32}

# even FILE: the schema without its datasource, with the documented
# differences evened out.
even() {
  python3 - "$1" "$dialect" <<'EOF'
import re, sys
text, dialect = open(sys.argv[1]).read(), sys.argv[2]
text = re.sub(r'(?s)^.*?datasource\s+\w+\s*\{[^}]*\}\s*', '', text, count=1)
text = re.sub(r'@db\.(Time|Timetz|Timestamp|Timestamptz)\(6\)', r'@db.\1', text)
text = re.sub(r'\(ops: raw\("[^"]*"\)\)', '', text)
if dialect == 'sqlite':
    out, run = [], []
    for line in text.split('\n'):
        if line.strip().startswith('@@index('):
            run.append(line)
            continue
        out += sorted(run); run = []
        out.append(line)
    text = '\n'.join(out + sorted(run))
print(text.strip())
EOF
}

for dialect in sqlite postgresql; do
  compared=0 agreed=0
  # the corpus's own schemas first, then every 9th inline test schema
  files=$(ls "$corpus/$dialect"/zenstack*/*.sql; ls "$corpus/$dialect"/valid-inline/*.sql | awk 'NR % 9 == 0')
  for sql in $files; do
    ((compared >= WANT)) && break
    [[ -s $sql ]] || continue
    name=$(basename "$(dirname "$sql")")/$(basename "$sql" .sql)
    interop_project "$dialect" "pull$compared"
    if [[ $dialect == sqlite ]]; then
      sqlite3 "$p/dev.db" <"$sql" 2>/dev/null || continue
    else
      psql -qX -d "$dbname" -v ON_ERROR_STOP=1 -f "$sql" >/dev/null 2>&1 || continue
    fi
    cat "$p/head" >"$p/schema.zmodel"
    out=$("$ZMC" db pull --schema "$p/schema.zmodel" 2>&1)
    [[ $out == *"database is empty"* ]] && continue
    [[ $out == *Introspected* ]] || {
      bad "$dialect $name: zmc db pull: $out"
      continue
    }
    mkdir -p "$p/prisma"
    cp "$p/head" "$p/prisma/schema.prisma"     # the adapter of prisma.config.ts reaches the same database
    out=$(cd "$p" && "$PRISMA" db pull --schema prisma/schema.prisma 2>&1) || {
      bad "$dialect $name: prisma db pull: $(echo "$out" | tail -5)"
      continue
    }
    compared=$((compared + 1))
    if diff -u <(even "$p/prisma/schema.prisma") <(even "$p/schema.zmodel") >"$p/diff"; then
      agreed=$((agreed + 1))
      ok
    else
      bad "$dialect $name: zmc and Prisma pulled different schemas:"
      head -30 "$p/diff"
    fi
  done
  echo "$dialect: $agreed of $compared databases pulled alike"
  ((compared >= 30)) && ok || bad "$dialect: only $compared databases compared (at least 30 wanted)"
done

finish interop.prisma_pull
