/*
** test_introspect.c — zm_rel_introspect() on SQLite files (through
** runtime/db's zm_db_introspect) checked field by field: tables, column
** types, nullability, AUTOINCREMENT, every kind of default, primary keys,
** unique and plain indexes with their order, named and unnamed foreign keys
** with their actions; skipped tables; a failing query callback; and
** zm_rel_describe()'s text for a table.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialects.h"
#include "introspect.h"
#include "zmc/db.h"
#include "zmc/relational.h"
#include "zmc/zmc.h"

/* zm_sql is compiled for modules (ZMC_PLUGIN): point it at the frontend. */
const zm_ir_api *zmc_plugin_ir = &zm_ir_api_table;

static char dir[] = "/tmp/zmc-introspect-XXXXXX";

static const char DDL[] =
    "CREATE TABLE \"User\" (\n"
    "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
    "    \"email\" TEXT NOT NULL,\n"
    "    \"name\" TEXT DEFAULT 'it''s',\n"
    "    \"age\" INTEGER NOT NULL DEFAULT -1,\n"
    "    \"score\" REAL NOT NULL DEFAULT 1.5,\n"
    "    \"admin\" BOOLEAN NOT NULL DEFAULT false,\n"
    "    \"meta\" JSONB NOT NULL DEFAULT '{\"a\": 1}',\n"
    "    \"born\" DATETIME NOT NULL DEFAULT '2000-01-01 00:00:00 +00:00',\n"
    "    \"createdAt\" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
    "    \"token\" TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),\n"
    "    \"price\" DECIMAL\n"
    ");\n"
    "CREATE TABLE \"Post\" (\n"
    "    \"authorId\" INTEGER NOT NULL,\n"
    "    \"slug\" TEXT NOT NULL,\n"
    "    \"editorId\" INTEGER,\n"
    "    \"title\" TEXT NOT NULL,\n"
    "\n"
    "    PRIMARY KEY (\"slug\", \"authorId\"),\n"
    "    CONSTRAINT \"Post_author\" FOREIGN KEY (\"authorId\") REFERENCES \"User\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE,\n"
    "    CONSTRAINT \"Post_editorId_fkey\" FOREIGN KEY (\"editorId\") REFERENCES \"User\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE\n"
    ");\n"
    "CREATE TABLE \"Comment\" (\n"
    "    \"id\" TEXT NOT NULL PRIMARY KEY,\n"
    "    \"postSlug\" TEXT NOT NULL,\n"
    "    \"postAuthor\" INTEGER NOT NULL,\n"
    "    FOREIGN KEY (\"postSlug\", \"postAuthor\") REFERENCES \"Post\" (\"slug\", \"authorId\") ON DELETE CASCADE\n"
    ");\n"
    "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\n"
    "CREATE INDEX \"Post_title_authorId_idx\" ON \"Post\"(\"title\" DESC, \"authorId\");\n"
    "CREATE TABLE \"_prisma_migrations\" (\"id\" TEXT PRIMARY KEY);\n"
    "INSERT INTO \"User\" (\"email\") VALUES ('a@b.c');\n";

static zm_rel_schema *introspect(const char *ddl)
{
    char url[256];
    snprintf(url, sizeof url, "file:%s/t.db", dir);
    zm_db_url u;
    char *msg = NULL;
    cr_assert_eq(zm_db_url_parse(url, dir, &u, &msg), 0, "%s", msg);
    zm_db *db = NULL;
    zm_db_error err = {0};
    cr_assert_eq(zm_db_connect(&u, true, &db, &err), ZM_DB_OK, "%s", err.message);
    cr_assert_eq(zm_db_execute(db, ddl, &err), ZM_DB_OK, "%s", err.message);
    char *error = NULL;
    zm_rel_schema *s = zm_db_introspect(db, NULL, &error);
    cr_assert_not_null(s, "%s", error);
    zm_db_close(db);
    zm_db_url_free(&u);
    return s;
}

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }

static void teardown(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/t.db", dir);
    unlink(path);
    rmdir(dir);
    strcpy(dir, "/tmp/zmc-introspect-XXXXXX");
}

TestSuite(introspect, .init = setup, .fini = teardown);

static void check_default(const zm_rel_column *c, zm_rel_default_kind kind, const char *value, const char *sql)
{
    cr_assert_eq(zm_rel_column_default_kind(c), kind, "%s: kind", zm_rel_column_name(c));
    if (value) cr_assert_str_eq(zm_rel_column_default_value(c), value);
    else cr_assert_null(zm_rel_column_default_value(c));
    if (sql) cr_assert_str_eq(zm_rel_column_default_sql(c), sql);
    else cr_assert_null(zm_rel_column_default_sql(c));
}

Test(introspect, sqlite_tables_and_columns)
{
    zm_rel_schema *s = introspect(DDL);
    cr_assert_eq(zm_rel_schema_dialect(s), DIALECT_SQLITE);
    /* sorted by name; _prisma_migrations and sqlite_sequence skipped */
    cr_assert_eq(zm_rel_table_count(s), 3);
    cr_assert_str_eq(zm_rel_table_name(zm_rel_table_at(s, 0)), "Comment");
    cr_assert_str_eq(zm_rel_table_name(zm_rel_table_at(s, 1)), "Post");
    cr_assert_str_eq(zm_rel_table_name(zm_rel_table_at(s, 2)), "User");
    cr_assert_eq(zm_rel_enum_count(s), 0);
    cr_assert_eq(zm_rel_namespace_count(s), 0);

    const zm_rel_table *u = zm_rel_table_find(s, NULL, "User");
    cr_assert_null(zm_rel_table_namespace(u));
    cr_assert_null(zm_rel_table_model(u));
    cr_assert_eq(zm_rel_table_column_count(u), 11);
    static const char *const names[] = {"id", "email", "name", "age", "score", "admin",
                                        "meta", "born", "createdAt", "token", "price"};
    for (size_t i = 0; i < 11; i++) cr_assert_str_eq(zm_rel_column_name(zm_rel_table_column_at(u, i)), names[i]);

    const zm_rel_column *id = zm_rel_table_column_find(u, "id");
    cr_assert_str_eq(zm_rel_column_type(id), "INTEGER");
    cr_assert(!zm_rel_column_is_nullable(id));
    cr_assert(zm_rel_column_is_autoincrement(id));
    check_default(id, ZM_REL_DEFAULT_NONE, NULL, NULL);

    const zm_rel_column *name = zm_rel_table_column_find(u, "name");
    cr_assert(zm_rel_column_is_nullable(name));
    cr_assert(!zm_rel_column_is_autoincrement(name));
    cr_assert(!zm_rel_column_is_list(name));
    check_default(name, ZM_REL_DEFAULT_STRING, "it's", "'it''s'");
    check_default(zm_rel_table_column_find(u, "age"), ZM_REL_DEFAULT_NUMBER, "-1", "-1");
    check_default(zm_rel_table_column_find(u, "score"), ZM_REL_DEFAULT_NUMBER, "1.5", "1.5");
    check_default(zm_rel_table_column_find(u, "admin"), ZM_REL_DEFAULT_BOOL, "false", "false");
    check_default(zm_rel_table_column_find(u, "meta"), ZM_REL_DEFAULT_JSON, "{\"a\": 1}", "'{\"a\": 1}'");
    check_default(zm_rel_table_column_find(u, "born"), ZM_REL_DEFAULT_DATETIME, "2000-01-01 00:00:00 +00:00",
                  "'2000-01-01 00:00:00 +00:00'");
    check_default(zm_rel_table_column_find(u, "createdAt"), ZM_REL_DEFAULT_NOW, NULL, "CURRENT_TIMESTAMP");
    check_default(zm_rel_table_column_find(u, "token"), ZM_REL_DEFAULT_EXPRESSION, "(lower(hex(randomblob(16))))",
                  "(lower(hex(randomblob(16))))");
    cr_assert_str_eq(zm_rel_column_type(zm_rel_table_column_find(u, "price")), "DECIMAL");
    cr_assert_str_eq(zm_rel_column_type(zm_rel_table_column_find(u, "meta")), "JSONB");
    cr_assert_str_eq(zm_rel_column_type(zm_rel_table_column_find(u, "born")), "DATETIME");
    zm_rel_free(s);
}

Test(introspect, sqlite_keys_and_indexes)
{
    zm_rel_schema *s = introspect(DDL);
    const zm_rel_table *u = zm_rel_table_find(s, NULL, "User");
    const zm_rel_index *pk = zm_rel_table_primary_key(u);
    cr_assert_not_null(pk);
    cr_assert_eq(zm_rel_index_kind_of(pk), ZM_REL_PRIMARY);
    cr_assert_str_eq(zm_rel_index_name(pk), "User_pkey");     /* SQLite keeps no name: Prisma's default */
    cr_assert_eq(zm_rel_index_column_count(pk), 1);
    cr_assert_str_eq(zm_rel_index_column_at(pk, 0), "id");
    /* the primary key's automatic index is not an index of the model */
    cr_assert_eq(zm_rel_table_index_count(u), 1);
    const zm_rel_index *email = zm_rel_table_index_at(u, 0);
    cr_assert_eq(zm_rel_index_kind_of(email), ZM_REL_UNIQUE);
    cr_assert_str_eq(zm_rel_index_name(email), "User_email_key");
    cr_assert_null(zm_rel_index_method(email));
    cr_assert_str_eq(zm_rel_index_column_at(email, 0), "email");

    const zm_rel_table *p = zm_rel_table_find(s, NULL, "Post");
    pk = zm_rel_table_primary_key(p);
    cr_assert_eq(zm_rel_index_column_count(pk), 2);
    cr_assert_str_eq(zm_rel_index_column_at(pk, 0), "slug");      /* key order, not column order */
    cr_assert_str_eq(zm_rel_index_column_at(pk, 1), "authorId");
    cr_assert(!zm_rel_column_is_autoincrement(zm_rel_table_column_find(p, "authorId")));
    cr_assert_eq(zm_rel_table_index_count(p), 1);
    const zm_rel_index *x = zm_rel_table_index_at(p, 0);
    cr_assert_eq(zm_rel_index_kind_of(x), ZM_REL_INDEX);
    cr_assert_str_eq(zm_rel_index_name(x), "Post_title_authorId_idx");
    cr_assert_eq(zm_rel_index_column_count(x), 2);
    cr_assert_str_eq(zm_rel_index_column_at(x, 0), "title");
    cr_assert_eq(zm_rel_index_sort_at(x, 0), ZM_REL_SORT_DESC);
    cr_assert_str_eq(zm_rel_index_column_at(x, 1), "authorId");
    cr_assert_eq(zm_rel_index_sort_at(x, 1), ZM_REL_SORT_DEFAULT);
    cr_assert_eq(zm_rel_index_length_at(x, 0), 0);
    cr_assert_null(zm_rel_index_opclass_at(x, 0));
    zm_rel_free(s);
}

static const zm_rel_fk *fk_named(const zm_rel_table *t, const char *name)
{
    for (size_t i = 0; i < zm_rel_table_fk_count(t); i++)
        if (strcmp(zm_rel_fk_name(zm_rel_table_fk_at(t, i)), name) == 0) return zm_rel_table_fk_at(t, i);
    return NULL;
}

Test(introspect, sqlite_foreign_keys)
{
    zm_rel_schema *s = introspect(DDL);
    const zm_rel_table *p = zm_rel_table_find(s, NULL, "Post");
    cr_assert_eq(zm_rel_table_fk_count(p), 2);
    /* names from the CREATE TABLE text (pragma foreign_key_list has none) */
    const zm_rel_fk *a = fk_named(p, "Post_author");
    cr_assert_not_null(a);
    cr_assert_eq(zm_rel_fk_column_count(a), 1);
    cr_assert_str_eq(zm_rel_fk_column_at(a, 0), "authorId");
    cr_assert_str_eq(zm_rel_fk_ref_table(a), "User");
    cr_assert_null(zm_rel_fk_ref_namespace(a));
    cr_assert_str_eq(zm_rel_fk_ref_column_at(a, 0), "id");
    cr_assert_eq(zm_rel_fk_on_delete(a), ZM_REL_RESTRICT);
    cr_assert_eq(zm_rel_fk_on_update(a), ZM_REL_CASCADE);
    const zm_rel_fk *e = fk_named(p, "Post_editorId_fkey");
    cr_assert_not_null(e);
    cr_assert_eq(zm_rel_fk_on_delete(e), ZM_REL_SET_NULL);

    /* an unnamed key gets Prisma's default name; an omitted action is NO ACTION */
    const zm_rel_table *c = zm_rel_table_find(s, NULL, "Comment");
    const zm_rel_fk *k = fk_named(c, "Comment_postSlug_postAuthor_fkey");
    cr_assert_not_null(k);
    cr_assert_eq(zm_rel_fk_column_count(k), 2);
    cr_assert_str_eq(zm_rel_fk_column_at(k, 1), "postAuthor");
    cr_assert_str_eq(zm_rel_fk_ref_column_at(k, 1), "authorId");
    cr_assert_eq(zm_rel_fk_on_delete(k), ZM_REL_CASCADE);
    cr_assert_eq(zm_rel_fk_on_update(k), ZM_REL_NO_ACTION);
    cr_assert(!zm_rel_column_is_autoincrement(zm_rel_table_column_find(c, "id")));
    zm_rel_free(s);
}

Test(introspect, describe)
{
    zm_rel_schema *s = introspect(DDL);
    char *text = zm_rel_describe(s);
    cr_assert_not_null(text);
    const char *post = strstr(text, "table \"Post\"\n");
    cr_assert_not_null(post, "%s", text);
    const char *end = strstr(post, "table \"User\"");
    cr_assert_not_null(end);
    cr_assert_eq(strncmp(post,
                         "table \"Post\"\n"
                         "  column \"authorId\" INTEGER not null\n"
                         "  column \"slug\" TEXT not null\n"
                         "  column \"editorId\" INTEGER null\n"
                         "  column \"title\" TEXT not null\n"
                         "  primary key \"Post_pkey\" (\"slug\", \"authorId\")\n"
                         "  index \"Post_title_authorId_idx\" (\"title\" DESC, \"authorId\")\n"
                         "  foreign key \"Post_author\" (\"authorId\") references \"User\" (\"id\") on delete RESTRICT on update CASCADE\n"
                         "  foreign key \"Post_editorId_fkey\" (\"editorId\") references \"User\" (\"id\") on delete SET NULL on update CASCADE\n",
                         (size_t)(end - post)), 0, "%.*s", (int)(end - post), post);
    cr_assert_not_null(strstr(text, "  column \"name\" TEXT null default string 'it''s' value \"it's\"\n"), "%s", text);
    /* JSON defaults are described without blanks between tokens */
    cr_assert_not_null(strstr(text, "default json '{\"a\":1}' value \"{\"\"a\"\":1}\"\n"), "%s", text);
    cr_assert_eq(strncmp(text, "dialect sqlite\ntable \"Comment\"\n", 31), 0, "%s", text);
    free(text);
    zm_rel_free(s);
}

/* ---- the callback's failures ---------------------------------------------------------- */

static int failing_query(void *ctx, const char *sql, size_t nparams, const char *const *params, zm_rel_rows *out,
                         char **error)
{
    (void)sql, (void)nparams, (void)params, (void)out;
    int *calls = ctx;
    ++*calls;
    *error = strdup("relation \"pg_class\" is gone");
    return -1;
}

Test(introspect, query_failure_is_reported)
{
    int calls = 0;
    const zmc_dialect *dialects[] = {DIALECT_SQLITE, DIALECT_POSTGRESQL, DIALECT_MYSQL};
    for (int d = 0; d < 3; d++) {
        zm_rel_source src = {.dialect = dialects[d], .query = failing_query, .ctx = &calls};
        char *error = NULL;
        cr_assert_null(zm_rel_introspect(&src, &error));
        cr_assert_str_eq(error, "relation \"pg_class\" is gone");
        free(error);
    }
    cr_assert_eq(calls, 3);
    zm_rel_source none = {.dialect = NULL, .query = failing_query, .ctx = &calls};
    char *error = NULL;
    cr_assert_null(zm_rel_introspect(&none, &error));
    cr_assert_not_null(error);
    free(error);
    cr_assert_eq(calls, 3);
}
