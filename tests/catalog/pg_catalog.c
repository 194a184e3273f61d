/*
** pg_catalog.c — apply a DDL script to a PostgreSQL database and dump what
** it left as text. A slot is one database with a connection kept open: it
** is emptied before each script (cheaper than CREATE DATABASE, which costs
** a fifth of a second here), the script runs statement by statement in
** autocommit like `psql` without ON_ERROR_STOP, and the dump is one query
** over pg_catalog with the server's own pg_get_*def() deparsers (the ones
** pg_dump uses): schemas, extensions, types with enum labels, relations,
** columns (type, NOT NULL, default, identity, collation), constraints,
** indexes, sequences, functions, triggers, comments. Optionally the
** normalized output of pg_dump --schema-only --no-owner is appended.
*/
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

struct pg_slot {
    PGconn *conn;
    char name[64];
};

static void quiet(void *arg, const char *message)
{
    (void)arg, (void)message;
}

static PGconn *connect_to(const char *db)
{
    const char *keys[] = {"dbname", "application_name", NULL};
    const char *values[] = {db, "zmc-catalog-test", NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    if (PQstatus(c) != CONNECTION_OK) {
        printf("FAIL: cannot connect to PostgreSQL database %s: %s", db, PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, quiet, NULL);
    return c;
}

static bool run(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) printf("FAIL: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return ok;
}

pg_slot *pg_slot_open(const char *name)
{
    PGconn *admin = connect_to("postgres");
    if (!admin) return NULL;
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", name);
    bool ok = run(admin, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", name);
    ok = ok && run(admin, sql);
    PQfinish(admin);
    if (!ok) return NULL;
    pg_slot *s = calloc(1, sizeof *s);
    if (!s) abort();
    snprintf(s->name, sizeof s->name, "%s", name);
    s->conn = connect_to(name);
    if (!s->conn) {
        free(s);
        return NULL;
    }
    return s;
}

void pg_slot_close(pg_slot *s)
{
    if (!s) return;
    PQfinish(s->conn);
    free(s);
}

/* Back to a fresh database's state: no user schema but public, no
   extension but plpgsql. */
static const char RESET[] =
    "DO $$ DECLARE r record; BEGIN\n"
    "  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP\n"
    "    EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);\n"
    "  END LOOP;\n"
    "  FOR r IN SELECT nspname FROM pg_namespace\n"
    "           WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP\n"
    "    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);\n"
    "  END LOOP;\n"
    "  CREATE SCHEMA public;\n"
    "END $$";

/* One line per catalog object, sorted. ns: the user's namespaces;
   members of extensions are left to the extension's line. */
static const char DUMP[] =
    "WITH ns AS (SELECT oid, nspname FROM pg_namespace\n"
    "            WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'),\n"
    "ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),\n"
    "rel AS (SELECT c.*, n.nspname FROM pg_class c JOIN ns n ON n.oid = c.relnamespace\n"
    "        WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid))\n"
    "SELECT line FROM (\n"
    "  SELECT 'schema ' || quote_ident(nspname) AS line FROM ns\n"
    "UNION ALL\n"
    "  SELECT 'extension ' || quote_ident(e.extname) || ' schema ' || quote_ident(n.nspname)\n"
    "         || ' version ' || e.extversion\n"
    "  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'\n"
    "UNION ALL\n"
    "  SELECT 'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' ' || t.typtype::text\n"
    "         || coalesce(' (' || (SELECT string_agg(quote_literal(enumlabel), ', ' ORDER BY enumsortorder)\n"
    "                              FROM pg_enum WHERE enumtypid = t.oid) || ')', '')\n"
    "  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace\n"
    "  WHERE t.typcategory <> 'A'\n"
    "    AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')\n"
    "    AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_type'::regclass AND objid = t.oid)\n"
    "UNION ALL\n"
    "  SELECT 'relation ' || quote_ident(nspname) || '.' || quote_ident(relname) || ' kind ' || relkind::text\n"
    "         || ' persistence ' || relpersistence::text\n"
    "         || CASE WHEN relkind IN ('v', 'm') THEN ' AS ' || pg_get_viewdef(oid) ELSE '' END\n"
    "  FROM rel\n"
    "UNION ALL\n"
    "  SELECT 'column ' || quote_ident(c.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(a.attname)\n"
    "         || ' #' || a.attnum || ' ' || format_type(a.atttypid, a.atttypmod)\n"
    "         || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END\n"
    "         || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')\n"
    "         || CASE WHEN a.attidentity <> '' THEN ' IDENTITY ' || a.attidentity::text ELSE '' END\n"
    "         || CASE WHEN a.attgenerated <> '' THEN ' GENERATED ' || a.attgenerated::text ELSE '' END\n"
    "         || CASE WHEN a.attcollation <> 0 THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END\n"
    "         || ' ndims ' || a.attndims\n"
    "  FROM pg_attribute a JOIN rel c ON c.oid = a.attrelid\n"
    "  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
    "  WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')\n"
    "UNION ALL\n"
    "  SELECT 'constraint ' || quote_ident(co.conname) || ' on ' || quote_ident(c.nspname) || '.'\n"
    "         || quote_ident(c.relname) || ' ' || co.contype::text || ': ' || pg_get_constraintdef(co.oid)\n"
    "         || CASE WHEN co.conindid <> 0 THEN ' using index ' || co.conindid::regclass::text ELSE '' END\n"
    "  FROM pg_constraint co JOIN rel c ON c.oid = co.conrelid\n"
    "UNION ALL\n"
    "  SELECT 'index ' || pg_get_indexdef(i.indexrelid)\n"
    "         || CASE WHEN i.indisprimary THEN ' primary' ELSE '' END\n"
    "         || CASE WHEN i.indisunique THEN ' unique' ELSE '' END\n"
    "  FROM pg_index i JOIN rel c ON c.oid = i.indexrelid\n"
    "UNION ALL\n"
    "  SELECT 'sequence ' || quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename) || ' '\n"
    "         || format_type(s.data_type, NULL) || ' start ' || s.start_value || ' min ' || s.min_value\n"
    "         || ' max ' || s.max_value || ' by ' || s.increment_by || ' cycle ' || s.cycle\n"
    "         || ' cache ' || s.cache_size\n"
    "         || coalesce(' owned by ' || (SELECT string_agg(dc.relname || '.' || da.attname, ',')\n"
    "              FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid\n"
    "              JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid\n"
    "              WHERE d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')\n"
    "                AND d.objid = (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass),\n"
    "            '')\n"
    "  FROM pg_sequences s JOIN ns n ON n.nspname = s.schemaname\n"
    "UNION ALL\n"
    "  SELECT 'function ' || p.oid::regprocedure::text || ' returns ' || format_type(p.prorettype, NULL)\n"
    "  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace\n"
    "  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_proc'::regclass AND objid = p.oid)\n"
    "UNION ALL\n"
    "  SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN rel c ON c.oid = t.tgrelid\n"
    "  WHERE NOT t.tgisinternal\n"
    "UNION ALL\n"
    "  SELECT 'comment ' || c.relname || '.' || d.objsubid || ' ' || quote_literal(d.description)\n"
    "  FROM pg_description d JOIN rel c ON c.oid = d.objoid WHERE d.classoid = 'pg_class'::regclass\n"
    ") dump ORDER BY line COLLATE \"C\"";

typedef struct apply {
    PGconn *conn;
    outcome *o;
    int n;
} apply;

static void apply_one(void *ctx, const char *stmt, size_t n)
{
    apply *a = ctx;
    a->n++;
    char *sql = strndup(stmt, n);
    if (!sql) abort();
    PGresult *r = PQexec(a->conn, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        text_printf(&a->o->errors, "stmt %d: %s %s\n", a->n, state ? state : "?",
                    msg ? msg : PQerrorMessage(a->conn));
    }
    PQclear(r);
    free(sql);
}

/* pg_dump --schema-only --no-owner without its comments, SET lines, the
   \restrict key (random per run) and blank lines. */
static int append_pg_dump(const char *db, text *out)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pg_dump --schema-only --no-owner --dbname='%s'", db);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    text_puts(out, "pg_dump:\n");
    char line[65536];
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, "--", 2) == 0 || strncmp(line, "SET ", 4) == 0 || strcmp(line, "\n") == 0 ||
            strncmp(line, "SELECT pg_catalog.set_config(", 29) == 0 || strncmp(line, "\\restrict ", 10) == 0 ||
            strncmp(line, "\\unrestrict ", 12) == 0)
            continue;
        text_puts(out, line);
    }
    int status = pclose(p);
    if (status != 0) {
        text_printf(out, "pg_dump failed (status %d)\n", status);
        return -1;
    }
    return 0;
}

int pg_outcome(pg_slot *s, const char *ddl, bool pg_dump_too, outcome *o)
{
    if (!run(s->conn, RESET)) return -1;
    apply a = {s->conn, o, 0};
    sql_statements(ddl, apply_one, &a);
    PGresult *r = PQexec(s->conn, DUMP);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        printf("FAIL: the catalog query failed: %s", PQerrorMessage(s->conn));
        PQclear(r);
        return -1;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        text_puts(&o->catalog, PQgetvalue(r, i, 0));
        text_put(&o->catalog, "\n", 1);
    }
    PQclear(r);
    if (!o->catalog.data) text_put(&o->catalog, "", 0);
    if (pg_dump_too && append_pg_dump(s->name, &o->catalog) != 0) return -1;
    return 0;
}
