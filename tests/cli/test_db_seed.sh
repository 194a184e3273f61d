#!/usr/bin/env bash
# test_db_seed.sh — the project's seed command (SQLite): read from
# package.json ("zenstack": {"seed"}, else "prisma": {"seed"}), found from the
# working folder up; run by `zmc db seed`, after `migrate reset` and after a
# `migrate dev` that created the database, not with --skip-seed; a failing
# seed fails the command; no seed command is not an error.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

work="$tmp/project"
mkdir -p "$work/zenstack" "$work/src/deep"
cat >"$work/zenstack/schema.zmodel" <<'EOF'
datasource db {
  provider = "sqlite"
  url      = env("DATABASE_URL")
}
model Tag {
  id   Int    @id @default(autoincrement())
  name String
}
EOF
echo 'DATABASE_URL="file:./dev.db"' >"$work/.env"
# the seed reads DATABASE_URL as a seed script would (file:./dev.db, from the schema's folder)
cat >"$work/seed.sh" <<'EOF'
#!/bin/sh
[ "$DATABASE_URL" = "file:./dev.db" ] || { echo "no DATABASE_URL" >&2; exit 9; }
sqlite3 zenstack/dev.db "INSERT INTO \"Tag\" (name) VALUES ('seeded')"
EOF
printf '{ "name": "app", "zenstack": { "seed": "sh seed.sh" }, "prisma": { "seed": "false" } }\n' >"$work/package.json"
z() { (cd "$work/${1:-.}" && shift && "$ZMC" "$@" 2>&1); }
tags() { sqlite3 "$work/zenstack/dev.db" 'SELECT count(*) FROM "Tag"'; }

out=$(z . migrate dev -n init)
[[ $? == 0 && $out == *"Running seed command \`sh seed.sh\` (zenstack.seed in $work/package.json)"*"The seed command has been executed."* && $(tags) == 1 ]] &&
  ok || bad "dev on a new database seeds: $out"
printf 'model Post {\n  id Int @id\n}\n' >>"$work/zenstack/schema.zmodel"
out=$(z . migrate dev -n posts)
[[ $out != *"seed"* && $(tags) == 1 ]] && ok || bad "dev on an existing database seeds: $out"
out=$(z . migrate reset --force)
[[ $? == 0 && $out == *"The seed command has been executed."* && $(tags) == 1 ]] && ok || bad "reset seeds: $out"
out=$(z . migrate reset --force --skip-seed)
[[ $? == 0 && $out != *"seed"* && $(tags) == 0 ]] && ok || bad "reset --skip-seed: $out"
# from a folder below package.json, with the schema named
out=$(z src/deep db seed --schema "$work/zenstack/schema.zmodel")
[[ $? == 0 && $(tags) == 1 ]] && ok || bad "db seed from a subfolder: $out"
out=$(z . db seed --json 2>/dev/null)
[[ $(jq -r '.seeded' <<<"$out" 2>/dev/null) == true && $(tags) == 2 ]] && ok || bad "db seed --json: $out"

# Prisma's place when ZenStack's is empty; a failing seed fails the command
printf '{ "prisma": { "seed": "sh seed.sh && exit 4" } }\n' >"$work/package.json"
out=$(z . db seed)
[[ $? == 1 && $out == *"prisma.seed"* && $out == *"failed (exit status 4)"* ]] && ok || bad "a failing prisma.seed: $out"
out=$(z . migrate reset --force)
[[ $? == 1 && $out == *"failed (exit status 4)"* ]] && ok || bad "reset with a failing seed: $out"

# a package.json that is no JSON: said, not taken for "no seed command"
printf '{ "zenstack": { "seed": "sh seed.sh" ' >"$work/package.json"
out=$(z . db seed)
[[ $? == 3 && $out == *"package.json"*"line 1"* ]] && ok || bad "a broken package.json: $out"

# none declared
printf '{ "name": "app" }\n' >"$work/package.json"
out=$(z . db seed)
[[ $? == 0 && $out == *"No seed command"* ]] && ok || bad "no seed command: $out"
rm "$work/package.json"
out=$(z . migrate reset --force)
[[ $? == 0 && $out != *"seed"* ]] && ok || bad "reset without package.json: $out"

finish cli.db_seed
