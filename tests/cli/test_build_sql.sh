#!/usr/bin/env bash
# test_build_sql.sh — `zmc build --backend sql`: the DDL module end to end
# (the datasource's provider, a plugin block's `provider` option, the default
# output file, an unsupported provider).
set -uo pipefail
source "$(dirname "$0")/lib.sh"

cat >"$tmp/schema.zmodel" <<'ZM'
datasource db { provider = "sqlite" url = "file:./dev.db" }
model User { id Int @id @default(autoincrement())
  email String @unique }
ZM
want_sqlite='-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");'

# --output, dialect from the datasource
if (cd "$tmp" && "$ZMC" build --schema schema.zmodel --backend sql --output out.sql >/dev/null 2>&1) &&
  [[ "$(cat "$tmp/out.sql")" == "$want_sqlite" ]]; then ok; else bad "sqlite DDL via --output"; fi

# without an output: schema.sql in the project
if (cd "$tmp" && "$ZMC" build --schema schema.zmodel --backend sql >/dev/null 2>&1) && [[ -f "$tmp/schema.sql" ]]; then
  ok
else bad "default output schema.sql"; fi

# a plugin block's provider picks the dialect
cat >>"$tmp/schema.zmodel" <<'ZM'
plugin sql { provider = "sql.so" output = "pg.sql" dialect = "postgresql" }
ZM
cp "$tmp/schema.zmodel" "$tmp/pg.zmodel"
sed -i 's/provider = "sql.so"/provider = "'"${MODULES//\//\\/}"'\/sql.so"/' "$tmp/pg.zmodel"
if (cd "$tmp" && "$ZMC" build --schema pg.zmodel >/dev/null 2>&1) &&
  grep -q '"id" SERIAL NOT NULL' "$tmp/pg.sql" && head -1 "$tmp/pg.sql" | grep -q CreateSchema; then ok; else
  bad "plugin block dialect = postgresql"
fi

# an unsupported provider is an error and writes nothing
sed 's/"sqlite"/"mysql"/' "$tmp/schema.zmodel" | grep -v '^plugin' >"$tmp/ms.zmodel"
if out=$(cd "$tmp" && "$ZMC" build --schema ms.zmodel --backend sql --output ms.sql 2>&1); then
  bad "mysql should fail (not lowered yet)"
elif [[ "$out" == *'unsupported provider "mysql"'* && ! -f "$tmp/ms.sql" ]]; then ok; else
  bad "mysql message: $out"
fi

# --provider picks the dialect over the datasource; `provider = "sql"` names the module
printf 'datasource db { provider = "sqlite" url = "file:./dev.db" }\nmodel A { id Int @id }\nplugin s { provider = "sql" output = "named.sql" }\n' >"$tmp/named.zmodel"
if (cd "$tmp" && "$ZMC" build --schema named.zmodel >/dev/null 2>&1) && grep -q '"id" INTEGER NOT NULL PRIMARY KEY' "$tmp/named.sql"; then
  ok
else bad 'plugin block provider = "sql"'; fi
if (cd "$tmp" && "$ZMC" build --schema named.zmodel --provider postgresql >/dev/null 2>&1) &&
  grep -q 'CONSTRAINT "A_pkey" PRIMARY KEY ("id")' "$tmp/named.sql"; then ok; else bad "--provider postgresql"; fi
if out=$(cd "$tmp" && "$ZMC" build --schema named.zmodel --provider oracle 2>&1); then
  bad "--provider oracle should fail"
elif [[ $? == 2 && "$out" == *"unknown provider 'oracle'"* ]]; then ok; else bad "--provider oracle: $out"; fi

finish cli.build_sql
