#!/usr/bin/env bash
# test_lint.sh — `zmc migrate lint` on SQLite and on a PostgreSQL server the
# test starts (no server is a failure): each rule fires on a migration that
# does the dangerous thing, at the statement's line, and stays quiet on the
# safe form; `-- zmc-lint-ignore CODE` silences one finding; --json and the
# GitHub format; the exit status (1 on errors, 0 on warnings only).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$here/../support/pg.sh"

zm_pg_start || {
  echo "FAIL: cli.lint needs a PostgreSQL server and could not start one"
  exit 1
}

# migration DIR NAME SQL
migration() { mkdir -p "$1/migrations/$2" && printf '%s\n' "$3" >"$1/migrations/$2/migration.sql"; }
lint() { "$ZMC" migrate lint --schema "$work/schema.zmodel" "$@" 2>&1; }
# codes: the codes and lines of --json's findings, "ZM102@3 ZM201@5"
codes() { jq -r '[.findings[] | "\(.code)@\(.line)"] | join(" ")' <<<"$1" 2>/dev/null; }

# ---- SQLite ---------------------------------------------------------------------------------------
work="$tmp/sqlite"
mkdir -p "$work"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$work/schema.zmodel"
migration "$work" 1_init $'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "name" TEXT);\nCREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT NOT NULL);'

out=$(lint)
rc=$?
[[ $rc == 0 && $out == *"1 migration linted: 0 errors, 0 warnings"* ]] && ok || bad "sqlite clean: exit $rc: $out"
[[ ! -e $work/dev.db ]] && ok || bad "sqlite: lint created the development database"

migration "$work" 2_drops $'-- tidy up\nCREATE TABLE "Tag" ("id" INTEGER NOT NULL PRIMARY KEY);\nALTER TABLE "User" DROP COLUMN "name";\n\nDROP TABLE "Post";'
out=$(lint --latest 1)
rc=$?
[[ $rc == 1 ]] && ok || bad "sqlite drops: exit $rc: $out"
[[ $out == *"2_drops/migration.sql:3: error ZM102 drop-column: drops column \`name\` of \`User\`"* ]] &&
  ok || bad "sqlite drops: ZM102 at line 3: $out"
[[ $out == *"2_drops/migration.sql:5: error ZM101 drop-table: drops table \`Post\`"* ]] && ok || bad "sqlite drops: ZM101 at line 5: $out"
[[ $out == *"  5 | DROP TABLE \"Post\""* && $out == *"instead: "* && $out == *"why: "* ]] && ok || bad "sqlite drops: statement, why, instead: $out"
[[ $out == *"1 migration linted: 2 errors, 0 warnings"* ]] && ok || bad "sqlite drops: the summary: $out"

# --json, and a migration named on the command line (folder name, path, file)
json=$(lint --json 2_drops)
[[ $(codes "$json") == "ZM102@3 ZM101@5" && $(jq -r '.errors, .migrations' <<<"$json" | tr '\n' ' ') == "2 1 " ]] &&
  ok || bad "sqlite --json: $json"
[[ $(codes "$(lint --json "$work/migrations/2_drops")") == "ZM102@3 ZM101@5" &&
   $(codes "$(lint --json "$work/migrations/2_drops/migration.sql")") == "ZM102@3 ZM101@5" ]] && ok || bad "sqlite: a migration by path"
[[ $(codes "$(lint --json 1_init)") == "" ]] && ok || bad "sqlite: the first migration alone has findings"
out=$(lint nosuch)
[[ $? == 2 && $out == *"no migration \`nosuch\`"* ]] && ok || bad "sqlite: an unknown migration: $out"

# GitHub annotations
out=$(lint --format github --latest 1)
[[ $out == *"::error file=$work/migrations/2_drops/migration.sql,line=5,title=ZM101 drop-table::drops table \`Post\` and every row in it — "* ]] &&
  ok || bad "sqlite github: $out"

# a path with the characters GitHub's annotation properties reserve (, : %) and a name with a newline
mkdir -p "$tmp/gh"
cp -r "$work/migrations" "$tmp/gh/" && cp "$work/schema.zmodel" "$tmp/gh/"
mv "$tmp/gh/migrations/2_drops" "$tmp/gh/migrations/2_a,b:c%d"
out=$("$ZMC" migrate lint --schema "$tmp/gh/schema.zmodel" --format github --latest 1 2>&1)
[[ $out == *"::error file=$tmp/gh/migrations/2_a%2Cb%3Ac%25d/migration.sql,line=5,title=ZM101 drop-table::"* ]] &&
  ok || bad "github: reserved characters in the path: $out"

# silenced: the comment before the statement, one code
rm -r "$work/migrations/2_drops"
migration "$work" 2_drops $'ALTER TABLE "User" DROP COLUMN "name";\n-- the posts moved to the CMS last release\n-- zmc-lint-ignore ZM101\nDROP TABLE "Post";'
out=$(lint --latest 1)
[[ $? == 1 && $out == *"ZM102"* && $out != *"ZM101 drop-table"* && $out == *"1 error, 0 warnings, 1 ignored"* ]] &&
  ok || bad "sqlite ignore: $out"

# safe forms: a nullable column, a required one with a default, a new table
migration "$work" 3_adds $'ALTER TABLE "User" ADD COLUMN "bio" TEXT;\nALTER TABLE "User" ADD COLUMN "score" INTEGER NOT NULL DEFAULT 0;\nCREATE TABLE "Note" ("id" INTEGER NOT NULL PRIMARY KEY, "body" TEXT NOT NULL);'
out=$(lint --latest 1)
[[ $? == 0 && $out == *"0 errors, 0 warnings"* ]] && ok || bad "sqlite safe adds: $out"

# a table SQLite cannot change in place, rebuilt as Prisma writes it
migration "$work" 4_rebuild $'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "bio" TEXT NOT NULL, "score" INTEGER NOT NULL DEFAULT 0, "age" INTEGER NOT NULL);\nINSERT INTO "new_User" ("id", "email", "bio", "score") SELECT "id", "email", "bio", "score" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");\nPRAGMA foreign_keys=ON;'
json=$(lint --json 4_rebuild)
[[ $(codes "$json") == "ZM201@2 ZM202@2 ZM307@2 ZM204@6" ]] && ok || bad "sqlite rebuild: $json"
rm -r "$work/migrations/4_rebuild"
# a type changed through a rebuild: the values are cast
migration "$work" 4_rebuild $'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" ("id" INTEGER NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "bio" TEXT, "score" TEXT NOT NULL DEFAULT 0);\nINSERT INTO "new_User" ("id", "email", "bio", "score") SELECT "id", "email", "bio", "score" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nPRAGMA foreign_keys=ON;'
json=$(lint --json 4_rebuild)
[[ $(codes "$json") == "ZM205@2 ZM307@2" ]] && ok || bad "sqlite type change: $json"
# the same change without the words of a rebuild (SQLite 3.35's DROP COLUMN did not need one)
[[ $(codes "$(lint --json 2_drops)") != *ZM307* ]] && ok || bad "sqlite: ZM307 without a rebuild"
rm -r "$work/migrations/4_rebuild"

# a migration the shadow refuses: P3006, and nothing linted
migration "$work" 4_bad 'ALTER TABLE "Nope" ADD COLUMN "x" INTEGER;'
out=$(lint --latest 1)
[[ $? == 1 && $out == *"4_bad"*"P3006"* ]] && ok || bad "sqlite: a broken migration: $out"
json=$("$ZMC" migrate lint --schema "$work/schema.zmodel" --latest 1 --json 2>/dev/null)
[[ $? == 1 && $(jq -r '.ok, .exitCode' <<<"$json" 2>/dev/null | tr '\n' ' ') == "false 1 " ]] && ok || bad "sqlite: a broken migration, --json: $json"
rm -r "$work/migrations/4_bad"

# --pending: what the database has not applied, with the rows it concerns there
work="$tmp/pending"
mkdir -p "$work"
printf 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n' >"$work/schema.zmodel"
migration "$work" 1_init $'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT);\nCREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO "User" VALUES (1, \'a\'), (2, \'b\'), (3, NULL);\nINSERT INTO "Post" VALUES (1), (2), (3), (4);'
"$ZMC" migrate deploy --schema "$work/schema.zmodel" >/dev/null 2>&1 || bad "pending: deploy failed"
migration "$work" 2_drops $'ALTER TABLE "User" DROP COLUMN "name";\nDROP TABLE "Post";'
out=$(lint --pending)
[[ $? == 1 && $out == *"drops column \`name\` of \`User\` and its values (2 non-null values in the database now)"* &&
   $out == *"drops table \`Post\` and every row in it (4 rows in the database now)"* && $out == *"1 migration linted"* ]] &&
  ok || bad "--pending: $out"
[[ $(sqlite3 "$work/dev.db" 'SELECT count(*) FROM "Post"') == 4 ]] && ok || bad "--pending changed the database"
out=$(lint --pending --latest 1)
[[ $? == 2 ]] && ok || bad "--pending with --latest: $out"

# ---- PostgreSQL ------------------------------------------------------------------------------------
work="$tmp/postgresql"
mkdir -p "$work"
export DATABASE_URL="$ZM_PG_URL/lintdb"
psql -qAtX -c 'CREATE DATABASE lintdb' >/dev/null
printf 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n' >"$work/schema.zmodel"
migration "$work" 1_init $'CREATE TABLE "User" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, "name" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));'

migration "$work" 2_required $'ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL;\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;'
json=$(lint --json 2_required)
[[ $(codes "$json") == "ZM201@1 ZM202@2 ZM304@2" ]] && ok || bad "postgresql required: $json"

migration "$work" 3_safe $'ALTER TABLE "User" ADD COLUMN "level" INTEGER NOT NULL DEFAULT 1;\nALTER TABLE "User" ADD COLUMN "nick" TEXT;'
[[ $(codes "$(lint --json 3_safe)") == "" ]] && ok || bad "postgresql safe adds have findings"

migration "$work" 4_unique_type $'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\nALTER TABLE "User" ALTER COLUMN "nick" SET DATA TYPE VARCHAR(10);'
json=$(lint --json 4_unique_type)
[[ $(codes "$json") == "ZM204@1 ZM302@1 ZM205@2" && $(jq -r '.errors, .warnings' <<<"$json" | tr '\n' ' ') == "0 3 " ]] &&
  ok || bad "postgresql unique and type: $json"
lint 4_unique_type >/dev/null
[[ $? == 0 ]] && ok || bad "postgresql: warnings alone fail the lint"

# CREATE INDEX CONCURRENTLY: alone, quiet; with other statements, ZM301
migration "$work" 5_index $'CREATE INDEX CONCURRENTLY "User_name_idx" ON "User"("name");'
[[ $(codes "$(lint --json 5_index)") == "" ]] && ok || bad "postgresql: CONCURRENTLY alone has findings"
migration "$work" 6_mixed $'ALTER TABLE "User" ADD COLUMN "city" TEXT;\n\nCREATE INDEX CONCURRENTLY "User_city_idx" ON "User"("city");'
json=$(lint --json 6_mixed)
[[ $(codes "$json") == "ZM301@3" && $(jq -r '.findings[0].message' <<<"$json") == *"CREATE INDEX CONCURRENTLY"* ]] &&
  ok || bad "postgresql mixed: $json"

# safe forms of ZM304 and ZM306: SET NOT NULL on a table made in the same
# migration; an index dropped CONCURRENTLY, alone in its migration
migration "$work" 6a_safe $'CREATE TABLE "Fresh" ("id" INTEGER NOT NULL, "v" TEXT);\nALTER TABLE "Fresh" ALTER COLUMN "v" SET NOT NULL;'
migration "$work" 6b_safe 'DROP INDEX CONCURRENTLY "User_city_idx";'
[[ $(codes "$(lint --json 6a_safe)") == "" && $(codes "$(lint --json 6b_safe)") == "" ]] && ok || bad "postgresql: the safe forms of ZM304, ZM306"
migration "$work" 6c_drop 'DROP INDEX "User_name_idx";'
[[ $(codes "$(lint --json 6c_drop)") == "ZM306@1" ]] && ok || bad "postgresql: ZM306: $(lint --json 6c_drop)"
rm -r "$work/migrations/6a_safe" "$work/migrations/6b_safe" "$work/migrations/6c_drop"

# locks and rewrites on a table with rows, each beside its safe form
migration "$work" 7_locks $'CREATE TABLE "Team" ("id" INTEGER NOT NULL, CONSTRAINT "Team_pkey" PRIMARY KEY ("id"));\nCREATE INDEX "Team_id_idx" ON "Team"("id");\nALTER TABLE "User" ADD COLUMN "teamId" INTEGER;\nALTER TABLE "User" ADD CONSTRAINT "User_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id");\nALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0) NOT VALID;\nALTER TABLE "User" ADD COLUMN "token" UUID DEFAULT gen_random_uuid();\nALTER TABLE "User" ADD COLUMN "joined" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP;\nALTER TABLE "User" ADD COLUMN "seed" DOUBLE PRECISION DEFAULT random();'
json=$(lint --json 7_locks)
[[ $(codes "$json") == "ZM303@4 ZM305@6 ZM305@8" ]] && ok || bad "postgresql locks: $json"
[[ $(jq -r '.findings[1].message' <<<"$json") == 'adds column `token` to `User` with a volatile default' ]] &&
  ok || bad "postgresql locks: the volatile default's column: $json"

# renames: what they are, not a drop and an add
migration "$work" 8_renames $'ALTER TABLE "User" RENAME COLUMN "city" TO "town";\nALTER TABLE "Team" RENAME TO "Squad";'
json=$(lint --json 8_renames)
[[ $(codes "$json") == "ZM401@1 ZM402@2" ]] && ok || bad "postgresql renames: $json"

# everything at once: the history replayed once, each migration against the one before
json=$(lint --json)
[[ $(jq -r '.migrations' <<<"$json") == 8 &&
   $(codes "$json") == "ZM201@1 ZM202@2 ZM304@2 ZM204@1 ZM302@1 ZM205@2 ZM301@3 ZM303@4 ZM305@6 ZM305@8 ZM401@1 ZM402@2" ]] &&
  ok || bad "postgresql all: $json"
# a name PostgreSQL cuts to 63 bytes (in a comment or a string it is no name)
long=User_email_and_a_very_long_description_of_what_this_index_is_for_idx
migration "$work" 9_long "-- \"$long\" in a comment
COMMENT ON TABLE \"User\" IS '\"$long\"';
CREATE INDEX \"$long\" ON \"User\"(\"email\");"
json=$(lint --json 9_long)
[[ $(codes "$json") == "ZM302@3 ZM501@3" && $(jq -r '.findings[1].message' <<<"$json") == "names \`$long\`, 68 bytes: PostgreSQL keeps the first 63" ]] &&
  ok || bad "postgresql long name: $json"
rm -r "$work/migrations/9_long"

[[ -z $(psql -qAtX -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'zmc_shadow%'") ]] &&
  ok || bad "postgresql: a shadow database was left behind"
[[ $(psql -qAtX -d lintdb -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0 ]] &&
  ok || bad "postgresql: lint changed the development database"

# an enum value removed, columns recreated, a primary key changed; and their safe forms
work="$tmp/postgresql-types"
mkdir -p "$work"
export DATABASE_URL="$ZM_PG_URL/linttypes"
psql -qAtX -c 'CREATE DATABASE linttypes' >/dev/null
printf 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n' >"$work/schema.zmodel"
migration "$work" 1_init $'CREATE TYPE "Role" AS ENUM (\'USER\', \'ADMIN\');\nCREATE TABLE "User" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, "role" "Role" NOT NULL DEFAULT \'USER\', "data" JSONB, "code" JSONB NOT NULL, "nick" VARCHAR(10), CONSTRAINT "User_pkey" PRIMARY KEY ("id"));'
migration "$work" 2_enum $'ALTER TYPE "Role" RENAME TO "Role_old";\nCREATE TYPE "Role" AS ENUM (\'USER\');\nALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;\nALTER TABLE "User" ALTER COLUMN "role" TYPE "Role" USING ("role"::text::"Role");\nALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT \'USER\';\nDROP TYPE "Role_old";'
migration "$work" 3_types $'ALTER TABLE "User" DROP COLUMN "data", ADD COLUMN "data" INTEGER;\nALTER TABLE "User" DROP COLUMN "code", ADD COLUMN "code" INTEGER NOT NULL;'
migration "$work" 4_pk 'ALTER TABLE "User" DROP CONSTRAINT "User_pkey", ADD CONSTRAINT "User_pkey" PRIMARY KEY ("email");'
migration "$work" 5_safe $'ALTER TYPE "Role" ADD VALUE \'GUEST\';\nALTER TABLE "User" ALTER COLUMN "nick" SET DATA TYPE TEXT;'
json=$(lint --json)
found=$(jq -r '[.findings[] | "\(.migration):\(.code)@\(.line)"] | join(" ")' <<<"$json")
[[ $found == "2_enum:ZM103@1 3_types:ZM104@1 3_types:ZM203@2 4_pk:ZM206@1 4_pk:ZM302@1" ]] &&
  ok || bad "postgresql types: $found"
[[ $(jq -r '.findings[0].message' <<<"$json") == 'removes values of enum `Role`' ]] && ok || bad "postgresql: ZM103's message: $json"

# ---- migrate dev lints the migration it writes ---------------------------------------------------
work="$tmp/dev"
mkdir -p "$work"
export DATABASE_URL="$ZM_PG_URL/lintdev"
model() {
  printf 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\nmodel User {\n  id    Int    @id\n  email String\n%s}\n' "$1" >"$work/schema.zmodel"
}
dev() { "$ZMC" migrate dev --schema "$work/schema.zmodel" "$@" 2>&1; }
model ""
out=$(dev -n init)
[[ $? == 0 && $out != *"zmc migrate lint"* ]] && ok || bad "dev init: a new table should give no finding: $out"
model $'  @@index([email])\n'
out=$(dev -n index --create-only)
[[ $out == *"zmc migrate lint on the new migration (1 finding; --no-lint to skip):"*"warning ZM302 index-blocks-writes: builds an index on \`User\` without CONCURRENTLY"*"instead: CREATE INDEX CONCURRENTLY"* ]] &&
  ok || bad "dev: the new migration's finding: $out"
rm -r "$work"/migrations/*_index
out=$(dev -n index --create-only --no-lint)
[[ $out != *"zmc migrate lint"* ]] && ok || bad "dev --no-lint still lints: $out"
rm -r "$work"/migrations/*_index
json=$(dev -n index --json)
[[ $(jq -r '[.lint[].code] | join(" ")' <<<"$json" 2>/dev/null) == ZM302 && $(jq -r '.ok' <<<"$json") == true ]] &&
  ok || bad "dev --json: the lint findings: $json"

# a database that is down: one JSON object all the same, exit 3
printf 'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://u@127.0.0.1:1/x"\n}\n' >"$tmp/down.zmodel"
json=$("$ZMC" migrate lint --schema "$tmp/down.zmodel" --json 2>/dev/null)
rc=$?
[[ $rc == 3 && $(jq -r '.command, .ok, .exitCode' <<<"$json" 2>/dev/null | tr '\n' ' ') == "lint false 3 " ]] &&
  ok || bad "lint --json, the server down: exit $rc: $json"
json=$("$ZMC" migrate lint --schema "$tmp/down.zmodel" --json --latest x 2>/dev/null)
[[ $? == 2 && $(jq -r '.exitCode' <<<"$json" 2>/dev/null) == 2 ]] && ok || bad "lint --json, a usage error: $json"

finish cli.lint
