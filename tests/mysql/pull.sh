#!/usr/bin/env bash
# pull.sh — `zmc db pull` on MySQL (MariaDB), on a throw-away server this
# test starts (no server is a failure): every end-to-end schema (the golden
# diff steps, tests/cli/pull/everything.zmodel, the MySQL goldens of
# tests/golden/sql/mysql) and the example project deployed into an empty
# database, pulled into a file holding only the datasource, and `migrate
# diff` from the pulled schema to the database finds no difference; the
# inline ENUM(...) of a column pulled as an enum named table_column, as
# Prisma names it; a re-pull of a schema with policies after a column was
# added changes nothing but that field.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/mariadb.sh"

if ! zm_mariadb_start; then
  bad "no MariaDB server could be started"
  finish mysql.pull
  exit 1
fi

cli="$here/../cli"
golden="$here/../golden"
n_db=0
with_datasource() {
  python3 - "$1" "$2" <<'EOF'
import re, sys
path, url = sys.argv[1:]
text = open(path).read()
block = 'datasource db {\n  provider = "mysql"\n  url      = "%s"\n}' % url
text = re.sub(r'datasource\s+\w+\s*\{[^}]*\}', lambda m: block, text, count=1)
open(path, 'w').write(text)
EOF
}

# roundtrip DIR LABEL: DIR/schema.zmodel deployed into a new database,
# pulled into DIR/pulled/schema.zmodel, diffed.
roundtrip() {
  local dir=$1 label=$2 out
  n_db=$((n_db + 1))
  url="$ZM_MARIADB_URL/pull$n_db"
  with_datasource "$dir/schema.zmodel" "$url"
  rm -rf "$dir/migrations"
  mkdir -p "$dir/migrations/20240101000000_init"
  out=$("$ZMC" migrate diff --from-empty --to-schema "$dir/schema.zmodel" --script \
    -o "$dir/migrations/20240101000000_init/migration.sql" 2>&1) || {
    bad "$label: migrate diff --from-empty: $out"
    return
  }
  out=$("$ZMC" migrate deploy --schema "$dir/schema.zmodel" 2>&1) || {
    bad "$label: migrate deploy: $out"
    return
  }
  mkdir -p "$dir/pulled"
  printf 'datasource db {\n  provider = "mysql"\n  url      = "%s"\n}\n' "$url" >"$dir/pulled/schema.zmodel"
  out=$("$ZMC" db pull --schema "$dir/pulled/schema.zmodel" 2>&1) || {
    bad "$label: db pull: $out"
    return
  }
  out=$("$ZMC" migrate diff --from-schema "$dir/pulled/schema.zmodel" \
    --to-schema-datasource "$dir/pulled/schema.zmodel" --exit-code 2>&1)
  if [[ $? == 0 ]]; then ok; else
    bad "$label: the pulled schema differs from the database:"
    echo "$out" | head -20
  fi
}

# (not empty.zmodel: nothing to pull; not a golden that says `// apply: skip`,
# as in mysql.apply: MariaDB refuses the offset of Prisma's DEFAULT
# '2020-01-01T00:00:00+00:00'; everything.zmodel without its date-time
# literal for the same reason)
for s in "$golden"/diff/steps/*.zmodel "$cli/pull/everything.zmodel" "$golden"/sql/mysql/*.zmodel; do
  [[ $s == */empty.zmodel ]] && continue
  grep -q '^// apply: skip' "$s" && continue
  d="$tmp/rt-$(basename "$(dirname "$s")")-$(basename "$s" .zmodel)"
  mkdir -p "$d" && cp "$s" "$d/schema.zmodel"
  sed -i 's/ @default("2000-01-02T03:04:05.678Z")//' "$d/schema.zmodel"
  grep -q '^datasource' "$d/schema.zmodel" || printf 'datasource db {\n  provider = "mysql"\n  url = "x"\n}\n' >>"$d/schema.zmodel"
  roundtrip "$d" "$(basename "$s")"
done
d="$tmp/rt-example"
cp -r "$here/../../examples/blog/zenstack" "$d"
roundtrip "$d" "the example project"

# everything.zmodel's enum, inline on MySQL: an enum named table_column
p="$tmp/rt-pull-everything/pulled/schema.zmodel"
grep -q '^enum User_role {' "$p" && grep -Eq '^  role +User_role +@default\(USER\)' "$p" &&
  grep -Eq 'super_admin +@map\("super-admin"\)' "$p" && ok || bad "the inline enum: $(grep -n -i role "$p") $(sed -n '/^enum User_role/,/^}/p' "$p")"

# ---- sample databases nobody here wrote: MySQL's world and DBT-3 (TPC-H) ----------------------------
# As Debian's mariadb-test-data ships them (the suite's set-up installs it):
# loaded, pulled, the pull pushed into an empty database; mariadb-dump
# --no-data of the two is the same, once what the catalog numbers by itself
# (AUTO_INCREMENT=) and the order of KEY lines (index creation order) are set
# aside, and what the pull says in a comment it cannot describe (DBT-3's
# time_statistics updates a column itself: ON UPDATE current_timestamp()).
data=/usr/share/mysql/mysql-test/include
if [[ ! -f $data/world_schema.inc || ! -f $data/dbt3_s001.inc ]]; then
  bad "the sample databases: $data/world_schema.inc or dbt3_s001.inc not found (install mariadb-test-data)"
else
  dump() {
    mariadb-dump --defaults-file="$ZM_MARIADB_CNF" --no-data --skip-comments --skip-dump-date --compact "$1" 2>/dev/null |
      python3 -c '
import re, sys
out, keys = [], []
for line in sys.stdin.read().split("\n"):
    line = re.sub(r" AUTO_INCREMENT=[0-9]+", "", line).replace(" ON UPDATE current_timestamp()", "").rstrip(",")
    if re.match(r"  (UNIQUE )?KEY ", line):
        keys.append(line)
        continue
    out += sorted(keys) + [line]
    keys = []
print("\n".join(out + sorted(keys)))'
  }
  for sample in world dbt3; do
    zm_mariadb -e "CREATE DATABASE sample_$sample; CREATE DATABASE sample_${sample}_pushed"
    if [[ $sample == world ]]; then
      cat "$data/world_schema.inc" "$data/world.inc" | zm_mariadb -D sample_world >/dev/null
    else
      zm_mariadb -D sample_dbt3 <"$data/dbt3_s001.inc" >/dev/null
    fi
    w="$tmp/sample-$sample"
    mkdir -p "$w"
    printf 'datasource db {\n  provider = "mysql"\n  url      = "%s/sample_%s"\n}\n' "$ZM_MARIADB_URL" "$sample" >"$w/schema.zmodel"
    out=$("$ZMC" db pull --schema "$w/schema.zmodel" 2>&1) || bad "$sample: db pull: $out"
    sed "s|/sample_$sample\"|/sample_${sample}_pushed\"|" "$w/schema.zmodel" >"$w/pushed.zmodel"
    out=$("$ZMC" db push --schema "$w/pushed.zmodel" 2>&1) || bad "$sample: db push of the pull: $out"
    tables=$(dump "sample_$sample" | grep -c '^CREATE TABLE')
    ((tables >= 3)) && ok || bad "$sample: mariadb-dump shows $tables tables"
    diff <(dump "sample_$sample") <(dump "sample_${sample}_pushed") >"$w/catalog.diff" && ok ||
      bad "$sample: the catalogs differ: $(head -20 "$w/catalog.diff")"
  done
  grep -q '^/// This table has a self-updating column "s_time"' "$tmp/sample-dbt3/schema.zmodel" && ok ||
    bad "dbt3: no comment on time_statistics.s_time"
  grep -Eq '^  SurfaceArea +Unsupported\("FLOAT\(10, 2\)"\) +@default\(dbgenerated\("0"\)\)' "$tmp/sample-world/schema.zmodel" && ok ||
    bad "world: Country.SurfaceArea: $(grep SurfaceArea "$tmp/sample-world/schema.zmodel")"
fi

# re-pull: the only change is the new column
w="$tmp/repull"
mkdir -p "$w"
cp "$cli/pull/repull.zmodel" "$w/schema.zmodel"
cp "$cli/pull/extra.zmodel" "$w/extra.zmodel"
with_datasource "$w/schema.zmodel" "$ZM_MARIADB_URL/repull"
"$ZMC" format --schema "$w/schema.zmodel" >/dev/null
out=$("$ZMC" db push --schema "$w/schema.zmodel" --zenstack 2 2>&1) || bad "repull: db push: $out"
cp "$w/schema.zmodel" "$w/before.zmodel"
"$ZMC" db pull --schema "$w/schema.zmodel" --zenstack 2 >/dev/null 2>&1
cmp -s "$w/before.zmodel" "$w/schema.zmodel" && ok || bad "repull: a pull changed the file: $(diff "$w/before.zmodel" "$w/schema.zmodel")"
zm_mariadb -D repull -e 'ALTER TABLE `Post` ADD COLUMN `views` INTEGER NOT NULL DEFAULT 0'
"$ZMC" db pull --schema "$w/schema.zmodel" --zenstack 2 >/dev/null 2>&1
changes=$(diff "$w/before.zmodel" "$w/schema.zmodel" | grep '^[<>]')
[[ $changes == '>   views     Int     @default(0)' ]] && ok || bad "repull: a new column should be the only change, got: $changes"

finish mysql.pull
