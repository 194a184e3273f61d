/*
** test_relational.c — the relational schema of backends/sql/: constraint
** names (Prisma's defaults, cut at the identifier limit on a UTF-8
** boundary), quoting of identifiers and literals, type mapping per dialect,
** and the lowered schema read through zmc/relational.h.
*/
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "dialects.h"
#include "sql.h"
#include "zmc/ir.h"
#include "zmc/relational.h"
#include "zmc/zmc.h"

/* zm_sql is compiled for modules (ZMC_PLUGIN): point it at the frontend. */
const zm_ir_api *zmc_plugin_ir = &zm_ir_api_table;

static zm_compilation *comp;
static zm_rel_schema *schema;
static sql_arena arena;

static const zm_ir *ir_of(const char *src)
{
    zm_options o = {.version = sizeof o, .skip_imports = 1, .zenstack = 3};
    comp = zm_compilation_new(&o);
    cr_assert_eq(zm_compilation_load_string(comp, "t.zmodel", src, strlen(src)), ZM_OK);
    if (zm_compilation_check(comp) != ZM_OK) zm_compilation_print_diagnostics(comp, stderr);
    const zm_ir *ir = zm_compilation_ir(comp);
    cr_assert_not_null(ir, "the schema should check cleanly");
    return ir;
}

static const zm_rel_schema *lower(const char *src, const zmc_dialect *d)
{
    schema = zm_rel_lower(ir_of(src), d);
    cr_assert_not_null(schema);
    return schema;
}

static void collect(void *ctx, const char *s, size_t n)
{
    sql_sb *b = ctx;
    sb_addn(b, s, n);
}

/* The DDL of the schema; freed by the caller. */
static char *render(const zm_rel_schema *s)
{
    sql_sb b = {0};
    cr_assert_eq(zm_rel_render_create(s, collect, &b), 0);
    return b.s;
}

static void teardown(void)
{
    zm_rel_free(schema);
    schema = NULL;
    zm_compilation_free(comp);
    comp = NULL;
    sql_arena_free(&arena);
}

TestSuite(relational, .fini = teardown);

static const zm_rel_column *column(const zm_rel_schema *s, const char *table, const char *name)
{
    const zm_rel_table *t = zm_rel_table_find(s, NULL, table);
    cr_assert_not_null(t, "table %s", table);
    const zm_rel_column *c = zm_rel_table_column_find(t, name);
    cr_assert_not_null(c, "column %s.%s", table, name);
    return c;
}

/* ---- naming ---------------------------------------------------------------- */

Test(relational, constraint_name_default)
{
    const char *cols[] = {"a", "b"};
    cr_assert_str_eq(sql_constraint_name(&arena, "T", cols, 2, "_key", 63), "T_a_b_key");
    cr_assert_str_eq(sql_constraint_name(&arena, "T", NULL, 0, "_pkey", 63), "T_pkey");
}

Test(relational, constraint_name_cut_at_63)
{
    /* Prisma's own: ManagedOrganization_managerOrganizationId_managedOrganizati_key */
    const char *cols[] = {"managerOrganizationId", "managedOrganizationId"};
    char *n = sql_constraint_name(&arena, "ManagedOrganization", cols, 2, "_key", 63);
    cr_assert_str_eq(n, "ManagedOrganization_managerOrganizationId_managedOrganizati_key");
    cr_assert_eq(strlen(n), 63);
}

Test(relational, constraint_name_cut_on_utf8_boundary)
{
    /* 57 ASCII bytes, then "é" (2 bytes) straddling byte 59: it must go whole */
    char table[64];
    memset(table, 'x', 57);
    table[57] = '\0';
    const char *cols[] = {"\xc3\xa9\xc3\xa9"};
    char *n = sql_constraint_name(&arena, table, cols, 1, "_key", 63);
    cr_assert_eq(strlen(n), 58 + 4, "cut before the split character: %zu", strlen(n));
    cr_assert_eq(strncmp(n + 58, "_key", 4), 0);
    cr_assert_eq(sql_utf8_floor("a\xc3\xa9", 2), 1);
    cr_assert_eq(sql_utf8_floor("a\xc3\xa9", 3), 3);
    cr_assert_eq(sql_utf8_floor("a\xe2\x82\xac", 3), 1);
}

Test(relational, sqlite_has_no_practical_limit)
{
    char table[200];
    memset(table, 't', 199);
    table[199] = '\0';
    cr_assert_eq(strlen(sql_constraint_name(&arena, table, NULL, 0, "_pkey", sql_flavor_sqlite.name_limit)), 204);
    cr_assert_eq(sql_flavor_postgresql.name_limit, 63);
    cr_assert_eq(sql_flavor_mysql.name_limit, 64);
}

/* ---- quoting ------------------------------------------------------------------ */

static char *quoted(void (*q)(sql_sb *, const sql_flavor *, const char *), const sql_flavor *d, const char *s)
{
    sql_sb b = {0};
    q(&b, d, s);
    return sb_keep(&arena, &b);
}

Test(relational, identifiers_double_their_quote)
{
    cr_assert_str_eq(quoted(sql_quote_ident, &sql_flavor_postgresql, "we\"ird"), "\"we\"\"ird\"");
    cr_assert_str_eq(quoted(sql_quote_ident, &sql_flavor_sqlite, "a\"; DROP TABLE x; --"),
                     "\"a\"\"; DROP TABLE x; --\"");
    cr_assert_str_eq(quoted(sql_quote_ident, &sql_flavor_mysql, "a`b\"c"), "`a``b\"c`");
}

Test(relational, literals_double_their_quote)
{
    cr_assert_str_eq(quoted(sql_quote_literal, &sql_flavor_postgresql, "it's"), "'it''s'");
    cr_assert_str_eq(quoted(sql_quote_literal, &sql_flavor_sqlite, "a\\'); DROP"), "'a\\''); DROP'");
    /* MySQL reads \ as an escape: doubled there only */
    cr_assert_str_eq(quoted(sql_quote_literal, &sql_flavor_mysql, "a\\'b"), "'a\\\\''b'");
}

Test(relational, hostile_names_render_quoted)
{
    const zm_rel_schema *s = lower("datasource db { provider = \"postgresql\" url = \"x\" }\n"
                                   "model M {\n"
                                   "  id Int @id @map(\"i\\\"d\")\n"
                                   "  note String @default(\"it's; DROP\")\n"
                                   "  @@map(\"we\\\"ird\")\n"
                                   "}\n",
                                   DIALECT_POSTGRESQL);
    cr_assert_str_eq(zm_rel_table_name(zm_rel_table_at(s, 0)), "we\"ird");
    char *ddl = render(s);
    cr_assert_not_null(strstr(ddl, "CREATE TABLE \"we\"\"ird\" (\n    \"i\"\"d\" INTEGER NOT NULL,"), "%s", ddl);
    cr_assert_not_null(strstr(ddl, "DEFAULT 'it''s; DROP'"), "%s", ddl);
    cr_assert_not_null(strstr(ddl, "CONSTRAINT \"we\"\"ird_pkey\" PRIMARY KEY (\"i\"\"d\")"), "%s", ddl);
    free(ddl);
}

/* ---- type mapping --------------------------------------------------------------- */

static const char *const TYPES =
    "datasource db { provider = \"postgresql\" url = \"x\" }\n"
    "enum Role { USER ADMIN @map(\"admin\") }\n"
    "model T {\n"
    "  id Int @id @default(autoincrement())\n"
    "  big BigInt @default(autoincrement())\n"
    "  name String @db.VarChar(255)\n"
    "  price Decimal\n"
    "  cost Decimal @db.Decimal(10, 2)\n"
    "  at DateTime @default(now())\n"
    "  ratio Float?\n"
    "  data Json\n"
    "  blob Bytes\n"
    "  role Role @default(ADMIN)\n"
    "  tags String[]\n"
    "  uid String @db.Uuid @default(uuid())\n"
    "}\n";

Test(relational, postgresql_types)
{
    const zm_rel_schema *s = lower(TYPES, DIALECT_POSTGRESQL);
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "id")), "SERIAL");
    cr_assert(zm_rel_column_is_autoincrement(column(s, "T", "id")));
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "big")), "BIGSERIAL");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "name")), "VARCHAR(255)");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "price")), "DECIMAL(65,30)");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "cost")), "DECIMAL(10,2)");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "at")), "TIMESTAMP(3)");
    cr_assert_eq(zm_rel_column_default_kind(column(s, "T", "at")), ZM_REL_DEFAULT_NOW);
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "ratio")), "DOUBLE PRECISION");
    cr_assert(zm_rel_column_is_nullable(column(s, "T", "ratio")));
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "data")), "JSONB");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "blob")), "BYTEA");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "role")), "\"Role\"");
    cr_assert_str_eq(zm_rel_column_default_sql(column(s, "T", "role")), "'admin'");
    cr_assert_str_eq(zm_rel_enum_name(zm_rel_column_enum(column(s, "T", "role"))), "Role");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "tags")), "TEXT[]");
    cr_assert(zm_rel_column_is_list(column(s, "T", "tags")));
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "uid")), "UUID");
    cr_assert_eq(zm_rel_column_default_kind(column(s, "T", "uid")), ZM_REL_DEFAULT_NONE);
    cr_assert_eq(zm_rel_enum_count(s), 1);
    cr_assert_str_eq(zm_rel_enum_value_at(zm_rel_enum_at(s, 0), 1), "admin");
}

Test(relational, postgresql_list_defaults_hand_out_their_elements)
{
    const zm_rel_schema *s = lower("datasource db { provider = \"postgresql\" url = \"x\" }\n"
                                   "enum Role { USER ADMIN @map(\"admin\") }\n"
                                   "model T { id Int @id\n"
                                   "  tags String[] @default([\"it's\", \"b\"])\n"
                                   "  roles Role[] @default([USER, ADMIN])\n"
                                   "  none Int[] @default([])\n"
                                   "  one Int @default(1)\n"
                                   "}\n",
                                   DIALECT_POSTGRESQL);
    const zm_rel_column *tags = column(s, "T", "tags"), *roles = column(s, "T", "roles");
    cr_assert_eq(zm_rel_column_default_kind(tags), ZM_REL_DEFAULT_LIST);
    cr_assert_str_eq(zm_rel_column_default_sql(tags), "ARRAY['it''s', 'b']::TEXT[]");
    cr_assert_eq(zm_rel_column_default_item_count(tags), 2);
    cr_assert_eq(zm_rel_column_default_item_kind(tags), ZM_REL_DEFAULT_STRING);
    cr_assert_str_eq(zm_rel_column_default_item_at(tags, 0), "it's");
    cr_assert_str_eq(zm_rel_column_default_item_at(tags, 1), "b");
    cr_assert_null(zm_rel_column_default_item_at(tags, 2));
    /* enum elements are the values' database names */
    cr_assert_eq(zm_rel_column_default_item_kind(roles), ZM_REL_DEFAULT_ENUM);
    cr_assert_str_eq(zm_rel_column_default_item_at(roles, 1), "admin");
    cr_assert_eq(zm_rel_column_default_kind(column(s, "T", "none")), ZM_REL_DEFAULT_LIST);
    cr_assert_eq(zm_rel_column_default_item_count(column(s, "T", "none")), 0);
    cr_assert_eq(zm_rel_column_default_item_count(column(s, "T", "one")), 0, "a scalar default has no elements");
}

Test(relational, multischema_lists_the_datasource_namespaces_apart_from_those_in_use)
{
    const zm_rel_schema *s = lower("datasource db { provider = \"postgresql\" url = \"x\"\n"
                                   "  schemas = [\"public\", \"extra\", \"auth\"] }\n"
                                   "model A { id Int @id\n @@schema(\"auth\") }\n",
                                   DIALECT_POSTGRESQL);
    cr_assert(zm_rel_schema_is_multi_namespace(s));
    cr_assert_eq(zm_rel_namespace_count(s), 1, "only auth is in use");
    cr_assert_str_eq(zm_rel_namespace_at(s, 0), "auth");
    cr_assert_eq(zm_rel_listed_namespace_count(s), 3);
    cr_assert_str_eq(zm_rel_listed_namespace_at(s, 0), "public");
    cr_assert_str_eq(zm_rel_listed_namespace_at(s, 1), "extra");
    cr_assert_str_eq(zm_rel_listed_namespace_at(s, 2), "auth");
}

Test(relational, one_namespace_lists_none)
{
    const zm_rel_schema *s = lower("datasource db { provider = \"postgresql\" url = \"x\" }\n"
                                   "model A { id Int @id }\n",
                                   DIALECT_POSTGRESQL);
    cr_assert_eq(zm_rel_listed_namespace_count(s), 0);
}

Test(relational, sqlite_types)
{
    const char *src = "datasource db { provider = \"sqlite\" url = \"x\" }\n"
                      "enum Role { USER ADMIN }\n"
                      "model T {\n"
                      "  id Int @id\n"
                      "  ratio Float\n"
                      "  price Decimal\n"
                      "  at DateTime\n"
                      "  data Json @default(\"{}\")\n"
                      "  role Role @default(USER)\n"
                      "}\n";
    const zm_rel_schema *s = lower(src, DIALECT_SQLITE);
    /* a one-column INTEGER key is SQLite's rowid: Prisma writes AUTOINCREMENT */
    cr_assert(zm_rel_column_is_autoincrement(column(s, "T", "id")));
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "ratio")), "REAL");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "price")), "DECIMAL");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "at")), "DATETIME");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "data")), "JSONB");
    /* quoted, unlike Prisma (prisma/orm#26571) */
    cr_assert_str_eq(zm_rel_column_default_sql(column(s, "T", "data")), "'{}'");
    cr_assert_str_eq(zm_rel_column_type(column(s, "T", "role")), "TEXT");
    cr_assert_eq(zm_rel_enum_count(s), 0);
    char *ddl = render(s);
    cr_assert_not_null(strstr(ddl, "\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,"), "%s", ddl);
    free(ddl);
}

/* ---- keys, relations, join tables --------------------------------------------------- */

Test(relational, relations_and_join_tables)
{
    const char *src = "datasource db { provider = \"postgresql\" url = \"x\" }\n"
                      "model User { id Int @id\n posts Post[]\n tags Tag[] }\n"
                      "model Post { id Int @id\n author User? @relation(fields: [authorId], references: [id])\n"
                      "  authorId Int?\n  @@index([authorId]) }\n"
                      "model Tag { id String @id\n users User[] }\n";
    const zm_rel_schema *s = lower(src, DIALECT_POSTGRESQL);
    cr_assert_eq(zm_rel_table_count(s), 4);
    const zm_rel_table *post = zm_rel_table_find(s, NULL, "Post");
    cr_assert_eq(zm_rel_table_fk_count(post), 1);
    const zm_rel_fk *fk = zm_rel_table_fk_at(post, 0);
    cr_assert_str_eq(zm_rel_fk_name(fk), "Post_authorId_fkey");
    cr_assert_str_eq(zm_rel_fk_ref_table(fk), "User");
    cr_assert_eq(zm_rel_fk_on_delete(fk), ZM_REL_SET_NULL);
    cr_assert_eq(zm_rel_fk_on_update(fk), ZM_REL_CASCADE);
    cr_assert_str_eq(zm_rel_index_name(zm_rel_table_index_at(post, 0)), "Post_authorId_idx");
    const zm_rel_table *join = zm_rel_table_at(s, 3);
    cr_assert(zm_rel_table_is_join(join));
    cr_assert_str_eq(zm_rel_table_name(join), "_TagToUser");
    cr_assert_str_eq(zm_rel_column_type(zm_rel_table_column_at(join, 0)), "TEXT");
    cr_assert_str_eq(zm_rel_column_type(zm_rel_table_column_at(join, 1)), "INTEGER");
    cr_assert_str_eq(zm_rel_index_name(zm_rel_table_primary_key(join)), "_TagToUser_AB_pkey");
    cr_assert_null(zm_rel_table_at(s, 4));
    cr_assert_null(zm_rel_table_column_at(join, 2));
}

Test(relational, dialect_names)
{
    cr_assert_eq(zm_test_dialect_or_null("postgres"), DIALECT_POSTGRESQL);
    cr_assert_eq(zm_test_dialect_or_null("sqlite"), DIALECT_SQLITE);
    cr_assert_eq(zm_test_dialect_or_null("sqlserver"), 0);
    cr_assert_eq(zm_test_dialect_or_null("mysql"), DIALECT_MYSQL);
    cr_assert_str_eq(DIALECT_MYSQL->provider, "mysql");
    cr_assert_str_eq(DIALECT_MYSQL->sql_flavor, "mysql");
}

/* ---- MySQL ------------------------------------------------------------------------ */

static const char *const MYSQL_TYPES =
    "datasource db { provider = \"mysql\" url = \"x\" }\n"
    "enum Role { USER ADMIN @map(\"ad'min\") }\n"
    "model T {\n"
    "  id Int @id @default(autoincrement()) @db.UnsignedInt\n"
    "  s String\n"
    "  v String? @db.VarChar(40)\n"
    "  txt String @db.MediumText\n"
    "  b Boolean @default(true)\n"
    "  ti Boolean @db.TinyInt\n"
    "  bit Boolean @db.Bit(1)\n"
    "  small Int @db.SmallInt\n"
    "  ubig BigInt @db.UnsignedBigInt\n"
    "  f Float\n"
    "  fl Float @db.Float\n"
    "  d Decimal\n"
    "  dp Decimal @db.Decimal(10, 2) @default(1.50)\n"
    "  at DateTime @default(now())\n"
    "  at0 DateTime @default(now()) @db.Timestamp(0)\n"
    "  at6 DateTime @default(now()) @db.DateTime(6)\n"
    "  day DateTime @db.Date\n"
    "  t DateTime @db.Time(2)\n"
    "  lit DateTime @default(\"2021-03-04T05:06:07.25Z\")\n"
    "  j Json @default(\"{}\")\n"
    "  by Bytes @default(\"AQID\")\n"
    "  bin Bytes @db.Binary(16)\n"
    "  role Role @default(ADMIN)\n"
    "  note String @default(\"a'b\\\\c\")\n"
    "  u String @default(uuid())\n"
    "  y Int @db.Year\n"
    "}\n";

Test(relational, mysql_types)
{
    const zm_rel_schema *s = lower(MYSQL_TYPES, DIALECT_MYSQL);
    static const char *const want[][2] = {
        {"id", "INTEGER UNSIGNED"}, {"s", "VARCHAR(191)"},       {"v", "VARCHAR(40)"},
        {"txt", "MEDIUMTEXT"},      {"b", "BOOLEAN"},            {"ti", "BOOLEAN"},
        {"bit", "BIT(1)"},          {"small", "SMALLINT"},       {"ubig", "BIGINT UNSIGNED"},
        {"f", "DOUBLE"},            {"fl", "FLOAT"},             {"d", "DECIMAL(65, 30)"},
        {"dp", "DECIMAL(10, 2)"},   {"at", "DATETIME(3)"},       {"at0", "TIMESTAMP(0)"},
        {"at6", "DATETIME(6)"},     {"day", "DATE"},             {"t", "TIME(2)"},
        {"j", "JSON"},              {"by", "LONGBLOB"},          {"bin", "BINARY(16)"},
        {"role", "ENUM('USER', 'ad''min')"}, {"y", "YEAR"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_str_eq(zm_rel_column_type(column(s, "T", want[i][0])), want[i][1], "%s", want[i][0]);
    cr_assert(zm_rel_column_is_autoincrement(column(s, "T", "id")));
    cr_assert(zm_rel_column_is_nullable(column(s, "T", "v")));
    cr_assert_eq(zm_rel_enum_count(s), 0, "MySQL enums are column types");
    cr_assert_null(zm_rel_column_enum(column(s, "T", "role")));
}

Test(relational, mysql_defaults)
{
    const zm_rel_schema *s = lower(MYSQL_TYPES, DIALECT_MYSQL);
    static const char *const want[][2] = {
        {"b", "true"},
        {"dp", "1.50"},
        {"at", "CURRENT_TIMESTAMP(3)"},
        {"at0", "CURRENT_TIMESTAMP(0)"},
        {"at6", "CURRENT_TIMESTAMP(6)"},
        /* chrono's to_rfc3339(): fraction in 3 digits, Z as +00:00 */
        {"lit", "'2021-03-04T05:06:07.250+00:00'"},
        {"role", "'ad''min'"},
        /* ' doubled like Prisma; \ doubled too, unlike Prisma */
        {"note", "'a''b\\\\c'"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert_str_eq(zm_rel_column_default_sql(column(s, "T", want[i][0])), want[i][1], "%s", want[i][0]);
    cr_assert_str_eq(zm_rel_column_default_value(column(s, "T", "lit")), "2021-03-04T05:06:07.250+00:00");
    cr_assert_str_eq(zm_rel_column_default_value(column(s, "T", "note")), "a'b\\c");
    /* none on JSON and BLOB columns, none for uuid() or autoincrement() */
    static const char *const none[] = {"j", "by", "u", "id", "s"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        cr_assert_null(zm_rel_column_default_sql(column(s, "T", none[i])), "%s", none[i]);
        cr_assert_eq(zm_rel_column_default_kind(column(s, "T", none[i])), ZM_REL_DEFAULT_NONE, "%s", none[i]);
    }
}

Test(relational, mysql_layout)
{
    const zm_rel_schema *s = lower("datasource db { provider = \"mysql\" url = \"x\" }\n"
                                   "model U { id Int @id @default(autoincrement())\n"
                                   "  email String @unique\n"
                                   "  body String @db.Text\n"
                                   "  posts P[]\n"
                                   "  @@index([body(length: 10), id(sort: Desc)])\n"
                                   "  @@fulltext([body], map: \"ft\")\n"
                                   "  @@map(\"u`x\")\n"
                                   "}\n"
                                   "model P { id Int @id\n"
                                   "  u U? @relation(fields: [uid], references: [id])\n"
                                   "  uid Int?\n"
                                   "}\n",
                                   DIALECT_MYSQL);
    char *ddl = render(s);
    cr_assert_str_eq(ddl, "-- CreateTable\n"
                          "CREATE TABLE `u``x` (\n"
                          "    `id` INTEGER NOT NULL AUTO_INCREMENT,\n"
                          "    `email` VARCHAR(191) NOT NULL,\n"
                          "    `body` TEXT NOT NULL,\n"
                          "\n"
                          "    UNIQUE INDEX `u``x_email_key`(`email`),\n"
                          "    INDEX `u``x_body_id_idx`(`body`(10), `id` DESC),\n"
                          "    FULLTEXT INDEX `ft`(`body`),\n"
                          "    PRIMARY KEY (`id`)\n"
                          ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
                          "\n"
                          "-- CreateTable\n"
                          "CREATE TABLE `P` (\n"
                          "    `id` INTEGER NOT NULL,\n"
                          "    `uid` INTEGER NULL,\n"
                          "\n"
                          "    PRIMARY KEY (`id`)\n"
                          ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
                          "\n"
                          "-- AddForeignKey\n"
                          "ALTER TABLE `P` ADD CONSTRAINT `P_uid_fkey` FOREIGN KEY (`uid`) REFERENCES `u``x`(`id`) "
                          "ON DELETE SET NULL ON UPDATE CASCADE;\n"
                          "\n");
    free(ddl);
}

Test(relational, mysql_names_cut_at_64)
{
    const char *cols[] = {"b"};
    char table[80];
    memset(table, 'a', 70);
    table[70] = '\0';
    const char *name = sql_constraint_name(&arena, table, cols, 1, "_key", sql_flavor_mysql.name_limit);
    cr_assert_eq(strlen(name), 64);
    cr_assert_str_eq(name + 60, "_key");
}
