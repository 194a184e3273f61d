#!/usr/bin/env bash
# test_build_sql.sh — `zmc build --backend sql`: the DDL module end to end
# (the datasource's provider, a plugin block's `provider` option, the default
# output file, MySQL, an unsupported provider).
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

# MySQL from the datasource: backticks, NULL/NOT NULL, AUTO_INCREMENT, inline indexes
sed 's/"sqlite"/"mysql"/' "$tmp/schema.zmodel" | grep -v '^plugin' >"$tmp/ms.zmodel"
want_mysql='-- CreateTable
CREATE TABLE `User` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(191) NOT NULL,

    UNIQUE INDEX `User_email_key`(`email`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;'
if (cd "$tmp" && "$ZMC" build --schema ms.zmodel --backend sql --output ms.sql >/dev/null 2>&1) &&
  [[ "$(cat "$tmp/ms.sql")" == "$want_mysql" ]]; then ok; else bad "mysql DDL via the datasource: $(cat "$tmp/ms.sql" 2>&1)"; fi

# an unsupported dialect is an error and writes nothing
sed 's/dialect = "postgresql"/dialect = "oracle"/; s/output = "pg.sql"/output = "or.sql"/' "$tmp/pg.zmodel" >"$tmp/or.zmodel"
if out=$(cd "$tmp" && "$ZMC" build --schema or.zmodel 2>&1); then
  bad "dialect oracle should fail"
elif [[ "$out" == *'no database dialect for the provider "oracle": zmc knows mysql, postgresql or sqlite'* && ! -f "$tmp/or.sql" ]]; then ok; else
  bad "oracle message: $out"
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
elif [[ $? == 2 && "$out" == *'no database dialect for the provider "oracle"'* ]]; then ok; else bad "--provider oracle: $out"; fi

finish cli.build_sql
