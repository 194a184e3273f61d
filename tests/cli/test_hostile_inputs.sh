#!/usr/bin/env bash
# test_hostile_inputs.sh — inputs nobody on the team would write, each once a
# crash, a hang or a wrong message:
#
#   - expressions 100,000 levels deep (left chains of ||, &&, ==, member
#     access this.a.a...; nested parentheses and calls): a clean error, no
#     stack overflow; 900 levels pass check, format, ir and both backends;
#   - a diagnostic on a 240 KB line shows a window of it, not all of it;
#     control bytes from the schema never reach the terminal;
#   - --schema /dev/zero stops with an error instead of reading forever;
#   - zmc format on a symlinked schema writes through the link;
#   - an import that is a symlink loop says so;
#   - a read-only SQLite file: deploy says nothing could be recorded.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

head_sqlite='datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n\n'

# deep NAME EXPR-GENERATOR: a schema whose policy is the generated expression
deep() {
  { printf "$head_sqlite"
    printf 'model T {\n  id Int @id\n  x  Int\n  a  T?  @relation("r", fields: [aId], references: [id])\n'
    printf '  aId Int? @unique\n  b  T?  @relation("r")\n  @@allow('"'all'"', '
    awk "BEGIN { $2 }"
    printf ')\n}\n'
  } >"$tmp/$1.zmodel"
}
deep or 'for (i = 0; i < 100000; i++) printf "%s%s", (i ? " || " : ""), "x > 1"'
deep and 'for (i = 0; i < 100000; i++) printf "%s%s", (i ? " && " : ""), "x > 1"'
deep eq 'for (i = 0; i < 100000; i++) printf "%s%s", (i ? " == " : ""), "x"'
deep member 'printf "this"; for (i = 0; i < 100000; i++) printf ".a"; printf " != null"'
deep parens 'for (i = 0; i < 100000; i++) printf "("; printf "x > 1"; for (i = 0; i < 100000; i++) printf ")"'
deep calls 'for (i = 0; i < 50000; i++) printf "!"; printf "true"'
for k in or and eq member parens calls; do
  out=$("$ZMC" check --schema "$tmp/$k.zmodel" 2>&1)
  rc=$?
  if [[ $rc == 1 && ($out == *"nested too deeply"* || $out == *"nesting too deep"*) ]]; then ok; else
    bad "a 100,000-level $k: exit $rc: $(head -c 300 <<<"$out")"
  fi
  # the diagnostic shows a window of the 240 KB line, not the line
  longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' <<<"$out")
  ((longest < 400)) && ok || bad "a 100,000-level $k: a diagnostic line of $longest bytes"
done
deep or900 'for (i = 0; i < 900; i++) printf "%s%s", (i ? " || " : ""), "x > 1"'
deep member900 'printf "this"; for (i = 0; i < 900; i++) printf ".a"; printf " != null"'
for k in or900 member900; do
  "$ZMC" check --schema "$tmp/$k.zmodel" >/dev/null 2>&1 && ok || bad "900 levels ($k): check"
  "$ZMC" format --stdout --schema "$tmp/$k.zmodel" >/dev/null 2>&1 && ok || bad "900 levels ($k): format"
  "$ZMC" ir --schema "$tmp/$k.zmodel" -o "$tmp/$k.json" >/dev/null 2>&1 && ok || bad "900 levels ($k): ir"
  for b in prisma sql; do
    "$ZMC" build --backend $b --schema "$tmp/$k.zmodel" --output "$tmp/$k.$b" >/dev/null 2>&1 && ok ||
      bad "900 levels ($k): build --backend $b"
  done
done

# ---- control bytes in the schema never reach the terminal
printf "$head_sqlite"'model A {\n  id Int @id \033]0;pwned\007\033[31m\n}\n' >"$tmp/ctl.zmodel"
out=$("$ZMC" check --schema "$tmp/ctl.zmodel" 2>&1)
[[ $? == 1 ]] && ok || bad "control bytes: exit status"
if LC_ALL=C grep -q $'[\001-\010\013-\037\177]' <<<"$out"; then bad "control bytes reached the output: $(od -c <<<"$out" | head)"; else ok; fi

# ---- /dev/zero as the schema: an error, not a hang
out=$(timeout 60 "$ZMC" check --schema /dev/zero 2>&1)
rc=$?
[[ $rc == 3 && $out == *"too large"* ]] && ok || bad "/dev/zero: exit $rc: $out"

# ---- format through a symlink: the link stays, the target is formatted
mkdir -p "$tmp/shared" "$tmp/proj"
printf "$head_sqlite"'model A {\nid Int @id\n}\n' >"$tmp/shared/schema.zmodel"
ln -s ../shared/schema.zmodel "$tmp/proj/schema.zmodel"
"$ZMC" format --schema "$tmp/proj/schema.zmodel" >/dev/null 2>&1 || bad "format through a symlink failed"
[[ -L $tmp/proj/schema.zmodel ]] && ok || bad "format replaced the symlink with a file"
grep -q '^  id Int @id$' "$tmp/shared/schema.zmodel" && ok || bad "format did not write the link's target"

# ---- an import that is a symlink loop
ln -s loop2.zmodel "$tmp/loop1.zmodel"
ln -s loop1.zmodel "$tmp/loop2.zmodel"
printf 'import "loop1"\n'"$head_sqlite" >"$tmp/imports.zmodel"
out=$("$ZMC" check --schema "$tmp/imports.zmodel" 2>&1)
[[ $? == 1 && $out == *"symbolic links"* && $out != *"Cannot find"* ]] && ok || bad "an import loop: $out"

# ---- a read-only SQLite file: nothing could be recorded, and it says so
ro=$tmp/ro
mkdir -p "$ro"
printf "$head_sqlite"'model A {\n  id Int @id\n}\n' >"$ro/schema.zmodel"
"$ZMC" migrate dev -n init --schema "$ro/schema.zmodel" >/dev/null 2>&1 || bad "read-only: migrate dev"
mkdir -p "$ro/migrations/29990101000000_more"
echo 'CREATE TABLE b (x INT);' >"$ro/migrations/29990101000000_more/migration.sql"
chmod 444 "$ro/dev.db"
as_user=()
if [[ $(id -u) == 0 ]]; then # root writes whatever the mode says: run as another user
  id zmc-test >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin zmc-test >/dev/null 2>&1
  chown -R zmc-test "$ro"
  chmod 755 "$tmp"
  chmod 555 "$ro"
  as_user=(runuser -u zmc-test --)
fi
out=$("${as_user[@]}" "$ZMC" migrate deploy --schema "$ro/schema.zmodel" 2>&1)
rc=$?
[[ $rc == 1 && $out == *"Nothing was recorded"* && $out != *"It is recorded as failed"* ]] && ok ||
  bad "read-only: exit $rc: $out"
chmod 755 "$ro"

finish cli.hostile_inputs
