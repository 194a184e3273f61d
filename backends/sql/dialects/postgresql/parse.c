/*
** parse.c — a script's statements as PostgreSQL itself reads them, for the
** driver's analyse() (zmc/dialect.h): PostgreSQL's own parser as a library
** (libpg_query, Debian's libpg-query-dev), its JSON parse tree read with
** jansson.
**
** What it reports is what decides how a migration may run: the statements
** PostgreSQL refuses inside a transaction block (PreventInTransactionBlock
** in the server's sources: CREATE/DROP/REINDEX ... CONCURRENTLY, VACUUM,
** CREATE/DROP DATABASE and TABLESPACE, ALTER SYSTEM, CLUSTER of every
** table, subscriptions), and an enum value added by ALTER TYPE ... ADD
** VALUE that a later statement of the script uses as a constant (the value
** is unusable until the transaction that added it commits, 55P04).
*/
#include "parse.h"

#include <jansson.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

typedef struct analysis {
    zmc_sql_analysis pub;
    char **names;               /* the strings the statements point at */
    size_t nnames;
    zmc_sql_statement items[];
} analysis;

/* A copy of `s` that lives as long as the analysis. */
static const char *keep(analysis *a, const char *s)
{
    if (!s) return NULL;
    char **names = realloc(a->names, (a->nnames + 1) * sizeof *names);
    if (!names) return NULL;
    a->names = names;
    return (names[a->nnames++] = strdup(s));
}

/* Functions whose value changes from row to row: a column added with one
   as its default is written row by row, rewriting the table. */
static const char *const VOLATILE[] = {"random", "clock_timestamp", "timeofday", "gen_random_uuid",
                                       "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "nextval",
                                       "txid_current", "random_normal"};

static const char *CONCURRENT_INDEX_HINT =
    "when it fails, PostgreSQL leaves the index it was building in place, marked INVALID (see "
    "`SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid`): drop it with DROP INDEX CONCURRENTLY "
    "before the migration runs again";

/* The SQL words for the parse tree's node names zmc reports by name. */
static const char *const NODE_WORDS[][2] = {
    {"AlterEnumStmt", "ALTER TYPE"},       {"AlterTableStmt", "ALTER TABLE"},
    {"AlterSystemStmt", "ALTER SYSTEM"},   {"ClusterStmt", "CLUSTER"},
    {"CommentStmt", "COMMENT"},            {"CreateEnumStmt", "CREATE TYPE"},
    {"CreateExtensionStmt", "CREATE EXTENSION"}, {"CreateFunctionStmt", "CREATE FUNCTION"},
    {"CreateSchemaStmt", "CREATE SCHEMA"}, {"CreateStmt", "CREATE TABLE"},
    {"CreateSubscriptionStmt", "CREATE SUBSCRIPTION"}, {"CreateTableSpaceStmt", "CREATE TABLESPACE"},
    {"CreateTrigStmt", "CREATE TRIGGER"},  {"CreatedbStmt", "CREATE DATABASE"},
    {"DeleteStmt", "DELETE"},              {"DropSubscriptionStmt", "DROP SUBSCRIPTION"},
    {"DropTableSpaceStmt", "DROP TABLESPACE"}, {"DropdbStmt", "DROP DATABASE"},
    {"IndexStmt", "CREATE INDEX"},         {"InsertStmt", "INSERT"},
    {"ReindexStmt", "REINDEX"},            {"RenameStmt", "ALTER ... RENAME"},
    {"SelectStmt", "SELECT"},              {"TransactionStmt", "transaction control"},
    {"UpdateStmt", "UPDATE"},              {"VacuumStmt", "VACUUM"},
    {"ViewStmt", "CREATE VIEW"},
};

static const char *words_of(const char *node)
{
    for (size_t i = 0; i < sizeof NODE_WORDS / sizeof NODE_WORDS[0]; i++)
        if (strcmp(NODE_WORDS[i][0], node) == 0) return NODE_WORDS[i][1];
    return NULL;
}

static bool flag(const json_t *o, const char *key) { return json_is_true(json_object_get(o, key)); }

static const char *text(const json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

/* REINDEX's options hold `concurrently` as a DefElem. */
static bool reindex_concurrently(const json_t *stmt)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(stmt, "params"), i, p) {
        const char *name = text(json_object_get(p, "DefElem"), "defname");
        if (name && strcmp(name, "concurrently") == 0) return true;
    }
    return false;
}

/* Is `value` one of the string constants ('...') anywhere under `node`? */
static bool uses_constant(const json_t *node, const char *value)
{
    if (json_is_array(node)) {
        size_t i;
        json_t *v;
        json_array_foreach(node, i, v) if (uses_constant(v, value)) return true;
        return false;
    }
    if (!json_is_object(node)) return false;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)node, key, v) {
        if (strcmp(key, "A_Const") == 0) {
            const char *s = text(json_object_get(v, "sval"), "sval");
            if (s && strcmp(s, value) == 0) return true;
        } else if (uses_constant(v, value)) {
            return true;
        }
    }
    return false;
}

/* The last name of a FuncCall's funcname ("pg_catalog", "random"). */
static const char *func_name(const json_t *call)
{
    const json_t *names = json_object_get(call, "funcname");
    return text(json_object_get(json_array_get(names, json_array_size(names) - 1), "String"), "sval");
}

static bool volatile_default(const json_t *column_def)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(column_def, "constraints"), i, c) {
        const json_t *con = json_object_get(c, "Constraint");
        const char *type = text(con, "contype");
        const char *f = type && strcmp(type, "CONSTR_DEFAULT") == 0
                            ? func_name(json_object_get(json_object_get(con, "raw_expr"), "FuncCall"))
                            : NULL;
        for (size_t k = 0; f && k < sizeof VOLATILE / sizeof VOLATILE[0]; k++)
            if (strcmp(f, VOLATILE[k]) == 0) return true;
    }
    return false;
}

/* ALTER TABLE's subcommands: what each does to a table with rows. */
static void alter_table(analysis *a, const json_t *stmt, zmc_sql_statement *s)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(stmt, "cmds"), i, c) {
        const json_t *cmd = json_object_get(c, "AlterTableCmd"), *def = json_object_get(cmd, "def");
        const char *sub = text(cmd, "subtype");
        if (!sub) continue;
        const json_t *con = json_object_get(def, "Constraint");
        const char *type = text(con, "contype");
        if (strcmp(sub, "AT_AddConstraint") == 0 && type &&
            (strcmp(type, "CONSTR_FOREIGN") == 0 || strcmp(type, "CONSTR_CHECK") == 0) && !flag(con, "skip_validation")) {
            s->flags |= ZMC_SQL_VALIDATES;
        } else if (strcmp(sub, "AT_AddConstraint") == 0 && type &&
                   (strcmp(type, "CONSTR_UNIQUE") == 0 || strcmp(type, "CONSTR_PRIMARY") == 0) &&
                   !text(con, "indexname")) {
            s->flags |= ZMC_SQL_BLOCKS_WRITES;      /* the constraint builds its index in place */
        } else if (strcmp(sub, "AT_SetNotNull") == 0) {
            s->flags |= ZMC_SQL_SET_NOT_NULL;
            if (!s->column) s->column = keep(a, text(cmd, "name"));
        } else if (strcmp(sub, "AT_AddColumn") == 0 && volatile_default(json_object_get(def, "ColumnDef"))) {
            s->flags |= ZMC_SQL_VOLATILE_DEFAULT;
            if (!s->column) s->column = keep(a, text(json_object_get(def, "ColumnDef"), "colname"));
        }
    }
}

/* The statement's kind and flags from its node. */
static void classify(analysis *a, const char *node, const json_t *stmt, zmc_sql_statement *s)
{
    const json_t *relation = json_object_get(stmt, "relation");
    if (relation) s->table = keep(a, text(relation, "relname"));
    const char *words = words_of(node);
    s->kind = words ? words : node;
    if (strcmp(node, "IndexStmt") == 0) {
        bool unique = flag(stmt, "unique");
        if (flag(stmt, "concurrent")) {
            s->kind = unique ? "CREATE UNIQUE INDEX CONCURRENTLY" : "CREATE INDEX CONCURRENTLY";
            s->flags |= ZMC_SQL_NO_TRANSACTION;
            s->hint = CONCURRENT_INDEX_HINT;
        } else {
            if (unique) s->kind = "CREATE UNIQUE INDEX";
            s->flags |= ZMC_SQL_BLOCKS_WRITES;
        }
    } else if (strcmp(node, "DropStmt") == 0) {
        const char *type = text(stmt, "removeType");
        bool index = type && strcmp(type, "OBJECT_INDEX") == 0;
        s->kind = index ? "DROP INDEX"
                  : type && strcmp(type, "OBJECT_TABLE") == 0 ? "DROP TABLE"
                  : type && strcmp(type, "OBJECT_TYPE") == 0  ? "DROP TYPE"
                                                              : "DROP";
        if (index && flag(stmt, "concurrent")) {
            s->kind = "DROP INDEX CONCURRENTLY";
            s->flags |= ZMC_SQL_NO_TRANSACTION;
        } else if (index) {
            /* objects: [{"List": {"items": [{"String": {"sval": name}}, ...]}}]: the last name, one index */
            const json_t *items = json_object_get(json_object_get(json_array_get(json_object_get(stmt, "objects"), 0),
                                                                  "List"), "items");
            s->object = keep(a, text(json_object_get(json_array_get(items, json_array_size(items) - 1), "String"),
                                     "sval"));
            if (s->object) s->flags |= ZMC_SQL_DROPS_INDEX;
        }
    } else if (strcmp(node, "ReindexStmt") == 0) {
        const char *what = text(stmt, "kind");
        if (reindex_concurrently(stmt)) {
            s->kind = "REINDEX CONCURRENTLY";
            s->flags |= ZMC_SQL_NO_TRANSACTION;
            s->hint = CONCURRENT_INDEX_HINT;
        } else if (what && (strcmp(what, "REINDEX_OBJECT_SYSTEM") == 0 || strcmp(what, "REINDEX_OBJECT_DATABASE") == 0)) {
            s->flags |= ZMC_SQL_NO_TRANSACTION;
        }
    } else if (strcmp(node, "VacuumStmt") == 0) {
        if (flag(stmt, "is_vacuumcmd")) s->flags |= ZMC_SQL_NO_TRANSACTION;
        else s->kind = "ANALYZE";
    } else if (strcmp(node, "ClusterStmt") == 0) {
        if (!json_object_get(stmt, "relation")) s->flags |= ZMC_SQL_NO_TRANSACTION;
    } else if (strcmp(node, "CreatedbStmt") == 0 || strcmp(node, "DropdbStmt") == 0 ||
               strcmp(node, "CreateTableSpaceStmt") == 0 || strcmp(node, "DropTableSpaceStmt") == 0 ||
               strcmp(node, "AlterSystemStmt") == 0 || strcmp(node, "CreateSubscriptionStmt") == 0 ||
               strcmp(node, "DropSubscriptionStmt") == 0) {
        s->flags |= ZMC_SQL_NO_TRANSACTION;
    } else if (strcmp(node, "AlterEnumStmt") == 0 && text(stmt, "newVal") && !text(stmt, "oldVal")) {
        s->kind = "ALTER TYPE ... ADD VALUE";
    } else if (strcmp(node, "AlterTableStmt") == 0) {
        alter_table(a, stmt, s);
    } else if (strcmp(node, "RenameStmt") == 0) {
        const char *what = text(stmt, "renameType");
        if (what && strcmp(what, "OBJECT_TABLE") == 0) {
            s->kind = "ALTER TABLE ... RENAME TO";
            s->flags |= ZMC_SQL_RENAME_TABLE;
            s->new_name = keep(a, text(stmt, "newname"));
        } else if (what && strcmp(what, "OBJECT_COLUMN") == 0) {
            s->kind = "ALTER TABLE ... RENAME COLUMN";
            s->flags |= ZMC_SQL_RENAME_COLUMN;
            s->column = keep(a, text(stmt, "subname"));
            s->new_name = keep(a, text(stmt, "newname"));
        }
    }
}

/* Past the blanks and comments before a statement's first token. */
static size_t skip_blank(const char *script, size_t at, size_t end)
{
    while (at < end) {
        const char *p = script + at;
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
            at++;
        } else if (p[0] == '-' && p[1] == '-') {
            while (at < end && script[at] != '\n') at++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *close = strstr(p + 2, "*/");
            at = close ? (size_t)(close - script) + 2 : end;
        } else {
            break;
        }
    }
    return at;
}

static unsigned line_at(const char *script, size_t at)
{
    unsigned line = 1;
    for (size_t i = 0; i < at; i++) line += script[i] == '\n';
    return line;
}

zm_db_status pg_analyse(const char *script, zmc_sql_analysis **out, zm_db_error *err)
{
    *out = NULL;
    PgQueryParseResult r = pg_query_parse(script);
    if (r.error) {
        size_t at = r.error->cursorpos > 0 ? (size_t)r.error->cursorpos - 1 : 0;
        char *statement = zm_db_statement_at(script, at);
        zm_db_status st = zm_db_failf(err, ZM_DB_ESQL, "PostgreSQL's parser: %s (line %u)", r.error->message,
                                      line_at(script, at < strlen(script) ? at : strlen(script)));
        if (statement && !err->statement) err->statement = statement;
        else free(statement);
        pg_query_free_parse_result(r);
        return st;
    }
    json_t *tree = json_loads(r.parse_tree, 0, NULL);
    pg_query_free_parse_result(r);
    json_t *stmts = json_object_get(tree, "stmts");
    size_t n = json_array_size(stmts), len = strlen(script);
    analysis *a = calloc(1, sizeof *a + n * sizeof a->items[0]);
    if (!tree || !a) {
        json_decref(tree);
        free(a);
        return zm_db_fail(err, ZM_DB_EMISUSE, "out of memory reading PostgreSQL's parse tree", NULL, NULL);
    }
    a->pub = (zmc_sql_analysis){.count = n, .statement_size = sizeof(zmc_sql_statement), .statements = a->items};
    for (size_t i = 0; i < n; i++) {
        json_t *entry = json_array_get(stmts, i), *wrapper = json_object_get(entry, "stmt");
        size_t from = (size_t)json_integer_value(json_object_get(entry, "stmt_location"));
        size_t size = (size_t)json_integer_value(json_object_get(entry, "stmt_len"));
        size_t to = size && from + size <= len ? from + size : len;    /* 0: to the end */
        from = skip_blank(script, from < len ? from : len, to);
        zmc_sql_statement *s = &a->items[i];
        *s = (zmc_sql_statement){.offset = from, .length = to - from, .line = line_at(script, from)};
        const char *node = json_object_iter_key(json_object_iter(wrapper));
        if (node) classify(a, node, json_object_iter_value(json_object_iter(wrapper)), s);
        else s->kind = "empty statement";
    }
    /* an enum value added, then used by a later statement */
    for (size_t i = 0; i < n; i++) {
        json_t *alter = json_object_get(json_object_get(json_array_get(stmts, i), "stmt"), "AlterEnumStmt");
        const char *value = text(alter, "newVal");
        if (!value || text(alter, "oldVal")) continue;
        for (size_t j = i + 1; j < n; j++)
            if (uses_constant(json_object_get(json_array_get(stmts, j), "stmt"), value)) {
                a->items[i].flags |= ZMC_SQL_ENUM_VALUE_USED;
                break;
            }
    }
    json_decref(tree);
    *out = &a->pub;
    return ZM_DB_OK;
}

void pg_analysis_free(zmc_sql_analysis *pub)
{
    analysis *a = (analysis *)pub;
    if (!a) return;
    for (size_t i = 0; i < a->nnames; i++) free(a->names[i]);
    free(a->names);
    free(a);
}

