/*
** lint.c — `zmc migrate lint`: what in the migrations is dangerous to run on
** a database that holds data and serves traffic.
**
** Every migration's change is read twice. Structurally, on every dialect:
** the history is replayed in a shadow (as migrate dev's drift check does),
** the schema is read before and after each linted migration, and the SQL
** backend's diff of the two names what was dropped, narrowed or made
** stricter, whatever SQL did it. Statement by statement, where the
** dialect's driver has a parser (PostgreSQL's own): what cannot run in a
** transaction. Each finding carries a stable code, a severity, the
** migration, the statement and its line, why it is dangerous and what to
** do instead; `-- zmc-lint-ignore CODE` on the lines before a statement
** silences that code for it. docs/lint.md lists the rules.
*/
#define _GNU_SOURCE 1
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands.h"
#include "dataloss.h"
#include "migrate.h"
#include "migrate_int.h"
#include "project.h"
#include "side.h"
#include "zmc/buf.h"
#include "zmc/db.h"
#include "zmc/diff.h"

const char zm_migrate_lint_usage[] =
    "usage: zmc migrate lint [MIGRATION...] [--latest N | --pending] [--format text|json|github] [--json]\n"
    "                        [--schema PATH] [--zenstack 2|3]\n"
    "\n"
    "Report what in the migrations is dangerous on a database with data and traffic:\n"
    "what they drop, what fails on existing rows, what cannot run in a transaction.\n"
    "The history is replayed in a shadow database (as migrate dev does) and each\n"
    "linted migration's change read from it; PostgreSQL statements are also read\n"
    "with PostgreSQL's own parser. docs/lint.md lists the rules.\n"
    "\n"
    "  MIGRATION        a migration folder's name or path, or its migration.sql\n"
    "                   (default: every migration of the folder)\n"
    "  --latest N       the N newest migrations\n"
    "  --pending        the migrations the datasource's database has not applied;\n"
    "                   the findings then count the rows and values they concern\n"
    "  --format F       text (default), json, or github (workflow annotations)\n"
    "  --json           the same as --format json\n"
    "\n"
    "A line `-- zmc-lint-ignore CODE` before a statement silences that finding.\n"
    "Exit status: 0 no error (warnings allowed), 1 errors found, 2 usage error,\n"
    "3 cannot read the migrations or reach the shadow database.\n";

typedef enum severity { SEV_WARNING, SEV_ERROR } severity;

typedef struct rule {
    const char *code, *name;
    severity sev;
    const char *what;       /* printf: table, then column (when the rule has one) */
    const char *why, *instead;
} rule;

/* The rules, by the diff's warning kind (zm_rel_warning_kind) where one
   applies. Codes are stable: ZM1xx lose data, ZM2xx fail on existing data,
   ZM3xx how a statement runs. */
static const rule RULES[] = {
    [ZM_REL_WARN_DROP_TABLE] = {"ZM101", "drop-table", SEV_ERROR, "drops table `%s` and every row in it",
                                "its rows are lost, and the running version of the application still reads it",
                                "stop using the table in one release, back it up, then drop it in a later one"},
    [ZM_REL_WARN_DROP_COLUMN] = {"ZM102", "drop-column", SEV_ERROR, "drops column `%2$s` of `%1$s` and its values",
                                 "its values are lost, and the running version of the application still reads it",
                                 "stop reading the column in one release, then drop it in the next (expand, "
                                 "then contract)"},
    [ZM_REL_WARN_REMOVE_ENUM_VALUES] = {"ZM103", "drop-enum-value", SEV_ERROR,
                                        "removes values of an enum that column `%2$s` of `%1$s` uses",
                                        "it fails while a row holds a removed value, and the running application "
                                        "may still write one",
                                        "stop writing the values, move the rows to other values, then remove them"},
    [ZM_REL_WARN_RECREATE_COLUMN] = {"ZM104", "recreate-column", SEV_ERROR,
                                     "drops and recreates column `%2$s` of `%1$s` (its type cannot be cast)",
                                     "every value of the column is lost",
                                     "add a column of the new type, copy the values over with a conversion you "
                                     "choose, then drop the old one in a later migration"},
    [ZM_REL_WARN_ADD_REQUIRED] = {"ZM201", "add-required-column", SEV_ERROR,
                                  "adds required column `%2$s` to `%1$s` without a default",
                                  "it fails on a table that has rows",
                                  "add it with a default, or nullable, fill it, then make it required"},
    [ZM_REL_WARN_MAKE_REQUIRED] = {"ZM202", "make-required", SEV_ERROR, "makes column `%2$s` of `%1$s` required",
                                   "it fails while a row holds NULL there, and the running application may still "
                                   "write NULL",
                                   "fill the NULLs first (in a migration or a backfill), and deploy the code that "
                                   "always writes a value before this migration"},
    [ZM_REL_WARN_RECREATE_REQUIRED] = {"ZM203", "recreate-required-column", SEV_ERROR,
                                       "recreates required column `%2$s` of `%1$s`",
                                       "it fails on a table that has rows, and loses the column's values",
                                       "add a new column, copy the values with a conversion, then swap them"},
    [ZM_REL_WARN_ADD_UNIQUE] = {"ZM204", "add-unique", SEV_WARNING, "adds a unique constraint on `%s`",
                                "it fails if the table holds duplicate values",
                                "look for duplicates first (SELECT ... GROUP BY ... HAVING count(*) > 1), and "
                                "on PostgreSQL build the index with CREATE UNIQUE INDEX CONCURRENTLY"},
    [ZM_REL_WARN_CAST_COLUMN] = {"ZM205", "change-column-type", SEV_WARNING,
                                 "changes the type of column `%2$s` of `%1$s`",
                                 "the values are cast: a narrower type fails on, or cuts, the values that do not "
                                 "fit, and the table may be rewritten under a lock",
                                 "add a column of the new type, backfill it, then switch to it"},
    [ZM_REL_WARN_CHANGE_PRIMARY_KEY] = {"ZM206", "change-primary-key", SEV_WARNING,
                                        "changes the primary key of `%s`",
                                        "it rebuilds the key's index under a lock and fails on duplicate values; "
                                        "foreign keys that point at the table must follow",
                                        "add a unique index on the new key first, then switch the key"},
};

static const rule NO_TRANSACTION_MIXED = {
    "ZM301", "no-transaction-mixed", SEV_WARNING,
    "runs outside a transaction (%s), with other statements in the same migration", NULL,
    "keep such a statement alone in its migration, so that the others run in a transaction"};
static const char NO_TRANSACTION_WHY[] =
    "the migration then runs statement by statement: if one fails, those before it stay applied and the "
    "migration must be finished or undone by hand";

typedef zm_db_span statement;     /* where a statement is: the host splits scripts */

typedef struct finding {
    const rule *rule;
    const zm_migration *migration;
    unsigned line;
    char *statement;        /* its first line */
    char *message;
    const char *why;
} finding;

typedef struct lint {
    const zmc_dialect *dialect;
    zm_db *db;              /* --pending: the database the migrations go to, for row counts */
    finding *items;
    size_t count, cap;
    size_t errors, warnings, ignored;
} lint;

/* ---- statements and where they are ---------------------------------------------- */

/* The statements of a script with their places, as the dialect's
   splitter finds them (the host's zm_db_script_spans). */
static size_t statements_of(const zmc_dialect *d, const char *script, statement **out)
{
    size_t n = zm_db_script_spans(d, script, out), k = 0;
    for (size_t i = 0; i < n; i++)      /* empty statements (;;) have no place */
        if ((*out)[i].length) (*out)[k++] = (*out)[i];
    return k;
}

/* Does the statement name the identifier (as a whole word, quoted or not)? */
static bool mentions(const char *text, size_t len, const char *ident)
{
    size_t n = strlen(ident);
    for (const char *p = text; n && (p = memmem(p, len - (size_t)(p - text), ident, n)); p++) {
        char before = p > text ? p[-1] : ' ', after = (size_t)(p - text) + n < len ? p[n] : ' ';
        bool word_before = before == '_' || (before >= '0' && before <= '9') || ((before | 32) >= 'a' && (before | 32) <= 'z');
        bool word_after = after == '_' || (after >= '0' && after <= '9') || ((after | 32) >= 'a' && (after | 32) <= 'z');
        if (!word_before && !word_after) return true;
    }
    return false;
}

/* Does the statement name the table, or the copy Prisma's table
   redefinition builds of it ("new_<table>")? */
static bool mentions_table(const char *text, size_t len, const char *table)
{
    if (mentions(text, len, table)) return true;
    char copy[256];
    snprintf(copy, sizeof copy, "new_%s", table);
    return mentions(text, len, copy);
}

/* Does the statement hold `words` (ASCII, any case)? */
static bool holds(const char *text, size_t len, const char *words)
{
    size_t n = strlen(words);
    for (size_t i = 0; n && i + n <= len; i++)
        if (strncasecmp(text + i, words, n) == 0) return true;
    return false;
}

/* The statement that made the change: among those naming the table (and
   the column, when the change has one), the first holding `hint` (words
   such a statement says: "UNIQUE"), else the first; else the first naming
   the table; else none. */
static const statement *statement_for(const char *script, const statement *st, size_t n, const char *table,
                                      const char *column, const char *hint)
{
    const statement *best = NULL, *table_only = NULL, *table_hint = NULL;
    for (size_t i = 0; table && i < n; i++) {
        const char *text = script + st[i].offset;
        if (!mentions_table(text, st[i].length, table)) continue;
        bool hinted = hint && holds(text, st[i].length, hint);
        if (!column || mentions(text, st[i].length, column)) {
            if (hinted || !hint) return &st[i];
            if (!best) best = &st[i];
        }
        if (hinted && !table_hint) table_hint = &st[i];
        if (!table_only) table_only = &st[i];
    }
    return best ? best : table_hint ? table_hint : table_only;
}

/* The words a statement making the change of warning kind `k` says. */
static const char *hint_of(zm_rel_warning_kind k)
{
    switch (k) {
    case ZM_REL_WARN_DROP_TABLE: return "DROP TABLE";
    case ZM_REL_WARN_DROP_COLUMN: return "DROP";
    case ZM_REL_WARN_ADD_UNIQUE: return "UNIQUE";
    case ZM_REL_WARN_CHANGE_PRIMARY_KEY: return "PRIMARY KEY";
    case ZM_REL_WARN_ADD_REQUIRED: return "ADD";
    default: return NULL;
    }
}

/* Is `code` silenced for the statement: a `-- zmc-lint-ignore CODE` in the
   comments between the statement before it and its first token? */
static bool ignored(const char *script, const statement *st, size_t n, const statement *s, const char *code)
{
    if (!s) return false;
    size_t from = 0;
    for (size_t i = 0; i < n && &st[i] != s; i++) from = st[i].offset + st[i].length;
    for (const char *p = script + from; p < script + s->offset; p++) {
        const char *mark = strstr(p, "zmc-lint-ignore");
        if (!mark || mark >= script + s->offset) break;
        const char *codes = mark + strlen("zmc-lint-ignore");
        size_t len = strcspn(codes, "\n");
        const char *hit = memmem(codes, len, code, strlen(code));
        if (hit) return true;
        p = codes + len;
    }
    return false;
}

static char *first_line(const char *script, const statement *s)
{
    if (!s) return NULL;
    const char *text = script + s->offset;
    size_t len = strcspn(text, "\n");
    if (len > s->length) len = s->length;
    return strndup(text, len);
}

/* ---- findings ----------------------------------------------------------------------- */

static void add(lint *l, const rule *r, const zm_migration *m, const statement *st, size_t n, const statement *s,
                char *message, const char *why)
{
    if (ignored(m->script, st, n, s, r->code)) {
        l->ignored++;
        free(message);
        return;
    }
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        finding *items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            free(message);
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->count++] = (finding){r, m, s ? s->line : 1, first_line(m->script, s), message, why ? why : r->why};
    if (r->sev == SEV_ERROR) l->errors++;
    else l->warnings++;
}

/* A table the dialect cannot change in place, rebuilt by the migration
   (Prisma's RedefineTables on SQLite: new_<table>, copy, drop, rename). */
static const rule TABLE_REBUILD = {
    "ZM307", "table-rebuild", SEV_WARNING, "rebuilds table `%s`: every row is copied into a new table",
    "the copy holds the database's write lock as long as it takes, with foreign key checks off: on a big "
    "table every writer waits that long",
    "run it when writes can wait, or reach the schema in steps the database does in place (ADD COLUMN)"};

/* A statement that can fail on the data, after DDL that cannot be rolled
   back (MySQL commits each DDL statement). */
static const rule FAILS_AFTER_COMMITTED = {
    "ZM308", "fails-after-committed-ddl", SEV_WARNING,
    "may fail on the data after %zu statement%s %s has already committed",
    "if it fails, the statements before it stay applied: the migration is recorded failed halfway and must be "
    "finished or undone by hand",
    "put the statement that can fail first, or alone in its migration, and check the data before deploying"};

/* Identifiers longer than the dialect takes: cut without a word where the
   dialect cuts them (PostgreSQL, 63 bytes), refused elsewhere (MySQL, 64:
   the shadow replay then stops there too, so these are read before it). */
static const rule NAME_CUT = {
    "ZM501", "identifier-cut", SEV_WARNING, "names `%s`, %zu bytes: %s keeps the first %u",
    "two names that differ only after the cut become one: the second CREATE fails, or a DROP or a foreign key "
    "reaches the wrong object, and Prisma's names no longer match the database's",
    "use a shorter name (@map, @@map, or map: on the index or constraint)"};
static const rule NAME_REFUSED = {
    "ZM502", "identifier-too-long", SEV_ERROR, "names `%s`, %zu bytes: %s refuses names over %u bytes",
    "the statement fails when the migration runs, after the statements before it",
    "use a shorter name (@map, @@map, or map: on the index or constraint)"};

/* The quoted identifiers of a script longer than the dialect's limit,
   outside strings and comments: ZM501 where the dialect cuts them, ZM502
   where it refuses them. Each name once per migration. */
static void lint_names(lint *l, const zm_migration *m, const statement *st, size_t n)
{
    const zmc_dialect *d = l->dialect;
    char q = d->ident_quote;
    if (!q || !d->name_limit) return;
    const rule *r = d->features & ZMC_DIALECT_NAMES_CUT ? &NAME_CUT : &NAME_REFUSED;
    const char *s = m->script;
    char **seen = NULL;
    size_t nseen = 0;
    for (const char *p = s; *p; p++) {
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') p++;
            if (!*p) break;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            if (!end) break;
            p = end + 1;
        } else if (*p == '\'') {
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1) {
                if (*p == '\\' && (d->features & ZMC_DIALECT_BACKSLASH_ESCAPES) && p[1]) p++;
            }
            if (!*p) break;
        } else if (*p == q) {
            zm_buf name = ZM_BUF_INIT;
            const char *start = p;
            for (p++; *p && !(*p == q && p[1] != q); p += *p == q ? 2 : 1) zm_buf_putc(&name, *p);
            if (!*p) {
                zm_buf_free(&name);
                break;
            }
            bool dup = false;
            for (size_t i = 0; name.data && i < nseen && !dup; i++) dup = strcmp(seen[i], name.data) == 0;
            if (name.len > d->name_limit && !dup) {
                char **more = realloc(seen, (nseen + 1) * sizeof *seen);
                if (more) (seen = more)[nseen++] = strdup(name.data);
                const statement *at = NULL;
                size_t off = (size_t)(start - s);
                for (size_t i = 0; i < n; i++)
                    if (st[i].offset <= off) at = &st[i];
                char *message = NULL;
                if (asprintf(&message, r->what, name.data, name.len, d->display_name, d->name_limit) < 0) message = NULL;
                add(l, r, m, st, n, at, message, NULL);
            }
            zm_buf_free(&name);
        }
    }
    for (size_t i = 0; i < nseen; i++) free(seen[i]);
    free(seen);
}

/* Statement rules: what a statement the parser flags does to a table that
   existed before the migration (one created in it has no rows yet). */
typedef struct statement_rule {
    unsigned flag;
    rule rule;
} statement_rule;

static const statement_rule STATEMENT_RULES[] = {
    {ZMC_SQL_BLOCKS_WRITES,
     {"ZM302", "index-blocks-writes", SEV_WARNING, "builds an index on `%s` without CONCURRENTLY",
      "writes to the table wait until the index is built, which takes as long as reading the whole table",
      "CREATE INDEX CONCURRENTLY, alone in its migration (a unique constraint: CREATE UNIQUE INDEX "
      "CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX)"}},
    {ZMC_SQL_VALIDATES,
     {"ZM303", "constraint-validated-at-once", SEV_WARNING,
      "adds a foreign key or CHECK on `%s` that is validated at once",
      "every row is checked while the table (and, for a foreign key, the table it references) is locked",
      "add it NOT VALID, then VALIDATE CONSTRAINT in a later migration: validation then takes a lock that "
      "lets reads and writes go on"}},
    {ZMC_SQL_SET_NOT_NULL,
     {"ZM304", "set-not-null-scans", SEV_WARNING, "sets column `%2$s` of `%1$s` NOT NULL",
      "every row is read under an ACCESS EXCLUSIVE lock, which blocks reads and writes",
      "add CHECK (\"column\" IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL "
      "(PostgreSQL 12 and later then skip the scan) and drop the CHECK"}},
    {ZMC_SQL_VOLATILE_DEFAULT,
     {"ZM305", "volatile-default", SEV_WARNING, "adds column `%2$s` to `%1$s` with a volatile default",
      "each row gets its own value, so the whole table is rewritten under an ACCESS EXCLUSIVE lock",
      "add the column without a default (or with a constant one), backfill it in batches, then set the "
      "default"}},
    {ZMC_SQL_DROPS_INDEX,
     {"ZM306", "index-drop-locks", SEV_WARNING, "drops index `%3$s` of `%1$s`%2$.0s without CONCURRENTLY",
      "it takes an ACCESS EXCLUSIVE lock on the table: quick once granted, but it waits behind every running "
      "query and every query waits behind it",
      "DROP INDEX CONCURRENTLY, alone in its migration"}},
    {ZMC_SQL_RENAME_COLUMN,
     {"ZM401", "rename-column", SEV_ERROR, "renames column `%2$s` of `%1$s`",
      "the version of the application running until the deploy ends still uses the old name, and fails",
      "add the new column, write both, backfill, switch the reads, then drop the old one (expand and "
      "contract); or rename behind a view"}},
    {ZMC_SQL_RENAME_TABLE,
     {"ZM402", "rename-table", SEV_ERROR, "renames table `%s`",
      "the version of the application running until the deploy ends still uses the old name, and fails",
      "create the new table and keep a view with the old name until every reader has moved"}},
};

/* The table of index `name` in `s`, or NULL. */
static const char *table_of_index(const zm_rel_schema *s, const char *name)
{
    for (size_t i = 0; i < zm_rel_table_count(s); i++) {
        const zm_rel_table *t = zm_rel_table_at(s, i);
        for (size_t j = 0; j < zm_rel_table_index_count(t); j++)
            if (strcmp(zm_rel_index_name(zm_rel_table_index_at(t, j)), name) == 0) return zm_rel_table_name(t);
    }
    return NULL;
}

/* One migration: its statements as the dialect's parser reads them (NULL
   without one), its structural change from `before` to `after`. */
static void lint_migration(lint *l, const zm_migration *m, const zm_rel_schema *before, const zm_rel_schema *after,
                           bool names)
{
    statement *st = NULL;
    size_t n = statements_of(l->dialect, m->script, &st);
    zmc_sql_analysis *a = NULL;
    zm_db_error err = {0};
    if (zm_db_script_analyse(l->dialect, m->script, &a, &err) != ZM_DB_OK) a = NULL;
    zm_db_error_clear(&err);    /* no parser, or SQL it refuses: the shadow replay has said so */
    size_t count = a ? a->count : 0;

    /* the renames the statements make, so that the diff reads them as renames */
    zm_rel_rename *renames = calloc(count + 1, sizeof *renames);
    size_t nrenames = 0;
    for (size_t i = 0; renames && i < count; i++) {
        const zmc_sql_statement *s = zmc_sql_statement_at(a, i);
        if ((s->flags & ZMC_SQL_RENAME_COLUMN) && s->table && s->column && s->new_name)
            renames[nrenames++] = (zm_rel_rename){NULL, s->table, s->column, s->new_name};
    }
    zm_rel_diff *d = zm_rel_diff_new_with_renames(before, after, renames, nrenames);
    for (size_t i = 0; d && i < zm_rel_diff_warning_count(d); i++) {
        zm_rel_warning_kind k = zm_rel_diff_warning_kind(d, i);
        if ((size_t)k >= sizeof RULES / sizeof RULES[0] || !RULES[k].code) continue;
        const char *table = zm_rel_diff_warning_table(d, i), *column = zm_rel_diff_warning_column(d, i);
        bool renamed = false;     /* a table renamed reads as dropped: ZM402 says what happened */
        for (size_t j = 0; k == ZM_REL_WARN_DROP_TABLE && j < count; j++) {
            const zmc_sql_statement *s = zmc_sql_statement_at(a, j);
            renamed |= (s->flags & ZMC_SQL_RENAME_TABLE) && s->table && table && strcmp(s->table, table) == 0;
        }
        if (renamed) continue;
        char *message = NULL;
        /* an enum that is a type of its own (PostgreSQL) is named alone */
        const char *what = k == ZM_REL_WARN_REMOVE_ENUM_VALUES && !column ? "removes values of enum `%s`" : RULES[k].what;
        if (asprintf(&message, what, table ? table : "?", column ? column : "?") < 0) message = NULL;
        const char *unit = NULL;
        long rows = l->db && message ? zm_warning_rows(l->db, d, i, NULL, &unit) : -1;
        char *counted = NULL;
        if (rows >= 0 && asprintf(&counted, "%s (%ld %s%s in the database now)", message, rows, unit,
                                  rows == 1 ? "" : "s") >= 0) {
            free(message);
            message = counted;
        }
        const statement *at = statement_for(m->script, st, n, table, column, hint_of(k));
        add(l, &RULES[k], m, st, n, at, message, NULL);
        /* on a dialect whose DDL commits as it runs: failing halfway */
        bool can_fail = zm_rel_warning_is_unexecutable(k) || k == ZM_REL_WARN_ADD_UNIQUE ||
                        k == ZM_REL_WARN_CAST_COLUMN || k == ZM_REL_WARN_REMOVE_ENUM_VALUES;
        if (can_fail && at && at != st && !(l->dialect->features & ZMC_DIALECT_TRANSACTIONAL_DDL)) {
            size_t before_it = (size_t)(at - st);
            char *text = NULL;
            if (asprintf(&text, FAILS_AFTER_COMMITTED.what, before_it, before_it == 1 ? "" : "s",
                         l->dialect->display_name) < 0)
                text = NULL;
            add(l, &FAILS_AFTER_COMMITTED, m, st, n, at, text, NULL);
        }
    }
    /* the tables the change rebuilds, where the migration does rebuild them */
    for (size_t i = 0; d && i < zm_rel_diff_step_count(d); i++) {
        const char *table = zm_rel_diff_step_table(d, i), *step = zm_rel_diff_step_name(d, i);
        if (!table || !step || strcmp(step, "RedefineTables") != 0) continue;
        char copy[256];
        snprintf(copy, sizeof copy, "new_%s", table);
        if (!mentions(m->script, m->len ? m->len : strlen(m->script), copy)) continue;
        char *message = NULL;
        if (asprintf(&message, TABLE_REBUILD.what, table) < 0) message = NULL;
        add(l, &TABLE_REBUILD, m, st, n, statement_for(m->script, st, n, copy, NULL, "CREATE TABLE"), message, NULL);
    }
    zm_rel_diff_free(d);
    free(renames);

    for (size_t i = 0; i < count; i++) {
        const zmc_sql_statement *s = zmc_sql_statement_at(a, i);
        statement here = {s->offset, s->length, s->line};
        const statement *at = &here;
        for (size_t j = 0; j < n; j++)
            if (st[j].line == s->line) at = &st[j];
        if ((s->flags & ZMC_SQL_NO_TRANSACTION) && count > 1) {
            char *message = NULL;
            if (asprintf(&message, NO_TRANSACTION_MIXED.what, s->kind) < 0) message = NULL;
            add(l, &NO_TRANSACTION_MIXED, m, st, n, at, message, NO_TRANSACTION_WHY);
        }
        /* a table created in this migration has no rows to lock */
        const char *table = s->table ? s->table : s->object ? table_of_index(before, s->object) : NULL;
        if (!table || !zm_rel_table_find(before, NULL, table)) continue;
        for (size_t r = 0; r < sizeof STATEMENT_RULES / sizeof STATEMENT_RULES[0]; r++) {
            if (!(s->flags & STATEMENT_RULES[r].flag)) continue;
            char *message = NULL;
            if (asprintf(&message, STATEMENT_RULES[r].rule.what, table, s->column ? s->column : "?",
                         s->object ? s->object : "?") < 0)
                message = NULL;
            add(l, &STATEMENT_RULES[r].rule, m, st, n, at, message, NULL);
        }
    }
    zm_db_analysis_free(l->dialect, a);
    if (names) lint_names(l, m, st, n);
    free(st);
}

/* ---- output --------------------------------------------------------------------------- */

/* In the order of the migrations, then of their lines. */
static int by_place(const void *a, const void *b)
{
    const finding *x = a, *y = b;
    int c = strcmp(x->migration->name, y->migration->name);
    if (!c) c = (x->line > y->line) - (x->line < y->line);
    return c ? c : strcmp(x->rule->code, y->rule->code);
}

static const char *severity_name(severity s) { return s == SEV_ERROR ? "error" : "warning"; }

static void print_text(const lint *l, size_t linted)
{
    for (size_t i = 0; i < l->count; i++) {
        const finding *f = &l->items[i];
        printf("%s:%u: %s %s %s: %s\n", f->migration->path, f->line, severity_name(f->rule->sev), f->rule->code,
               f->rule->name, f->message ? f->message : "");
        if (f->statement) printf("  %u | %s\n", f->line, f->statement);
        printf("  why: %s\n  instead: %s\n\n", f->why, f->rule->instead);
    }
    printf("%zu migration%s linted: %zu error%s, %zu warning%s", linted, linted == 1 ? "" : "s", l->errors,
           l->errors == 1 ? "" : "s", l->warnings, l->warnings == 1 ? "" : "s");
    if (l->ignored) printf(", %zu ignored (zmc-lint-ignore)", l->ignored);
    printf("\n");
}

/* GitHub's workflow commands: `%`, CR and LF escaped in the message, and
   `:` and `,` too in a property (file=, title=), where they delimit. */
static void github_escaped_as(const char *s, bool property)
{
    for (; s && *s; s++) {
        if (*s == '%') fputs("%25", stdout);
        else if (*s == '\r') fputs("%0D", stdout);
        else if (*s == '\n') fputs("%0A", stdout);
        else if (property && *s == ':') fputs("%3A", stdout);
        else if (property && *s == ',') fputs("%2C", stdout);
        else putchar(*s);
    }
}

static void github_escaped(const char *s) { github_escaped_as(s, false); }

static void print_github(const lint *l)
{
    for (size_t i = 0; i < l->count; i++) {
        const finding *f = &l->items[i];
        printf("::%s file=", severity_name(f->rule->sev));
        github_escaped_as(f->migration->path, true);
        printf(",line=%u,title=%s %s::", f->line, f->rule->code, f->rule->name);
        github_escaped(f->message);
        fputs(" — ", stdout);
        github_escaped(f->why);
        fputs(". Instead: ", stdout);
        github_escaped(f->rule->instead);
        putchar('\n');
    }
}

static void json_findings(const lint *l, json_t *list);

/* The report; `error` (or NULL) says why the lint could not finish. */
static void print_json(const lint *l, size_t linted, int status, const char *error)
{
    json_t *out = json_object(), *list = json_array();
    json_findings(l, list);
    json_object_set_new(out, "command", json_string("lint"));
    json_object_set_new(out, "ok", json_boolean(status == 0));
    json_object_set_new(out, "migrations", json_integer((json_int_t)linted));
    json_object_set_new(out, "errors", json_integer((json_int_t)l->errors));
    json_object_set_new(out, "warnings", json_integer((json_int_t)l->warnings));
    json_object_set_new(out, "ignored", json_integer((json_int_t)l->ignored));
    json_object_set_new(out, "findings", list);
    if (error) {
        json_t *e = json_object();
        json_object_set_new(e, "message", json_string(error));
        json_object_set_new(out, "error", e);
    }
    json_object_set_new(out, "exitCode", json_integer(status));
    char *text = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text) puts(text);
    free(text);
    json_decref(out);
}

/* The findings as JSON objects, appended to `list`. */
static void json_findings(const lint *l, json_t *list)
{
    for (size_t i = 0; i < l->count; i++) {
        const finding *f = &l->items[i];
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(f->rule->code));
        json_object_set_new(o, "rule", json_string(f->rule->name));
        json_object_set_new(o, "severity", json_string(severity_name(f->rule->sev)));
        json_object_set_new(o, "migration", json_string(f->migration->name));
        json_object_set_new(o, "file", json_string(f->migration->path));
        json_object_set_new(o, "line", json_integer(f->line));
        json_object_set_new(o, "statement", f->statement ? json_string(f->statement) : json_null());
        json_object_set_new(o, "message", json_string(f->message ? f->message : ""));
        json_object_set_new(o, "why", json_string(f->why));
        json_object_set_new(o, "instead", json_string(f->rule->instead));
        json_array_append_new(list, o);
    }
}

static void lint_free(lint *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].statement);
        free(l->items[i].message);
    }
    free(l->items);
}

void zm_lint_new_migration(zm_migrate_ctx *c, const zm_migration *m, const zm_rel_schema *before,
                           const zm_rel_schema *after)
{
    if (!before || !after) return;
    lint l = {.dialect = zm_rel_schema_dialect(after)};
    lint_migration(&l, m, before, after, true);
    if (l.count) qsort(l.items, l.count, sizeof *l.items, by_place);
    if (c->json) {
        json_t *list = json_array();
        json_findings(&l, list);
        json_object_set_new(REPORT(c), "lint", list);
    } else if (l.count) {
        mg_say(c, "\nzmc migrate lint on the new migration (%zu finding%s; --no-lint to skip):\n", l.count,
               l.count == 1 ? "" : "s");
        for (size_t i = 0; i < l.count; i++) {
            const finding *f = &l.items[i];
            mg_say(c, "  line %u: %s %s %s: %s\n    instead: %s\n", f->line, severity_name(f->rule->sev),
                   f->rule->code, f->rule->name, f->message ? f->message : "", f->rule->instead);
        }
    }
    lint_free(&l);
}

/* ---- the command ------------------------------------------------------------------------ */

/* The index of the migration `arg` names (folder name, folder path, or its
   migration.sql), or -1. */
static long find_migration(const zm_migrations *m, const char *arg)
{
    char *copy = strdup(arg);
    if (!copy) return -1;
    size_t len = strlen(copy);
    while (len > 1 && copy[len - 1] == '/') copy[--len] = '\0';
    if (len > 14 && strcmp(copy + len - 14, "/migration.sql") == 0) copy[len -= 14] = '\0';
    const char *base = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
    long found = -1;
    for (size_t i = 0; i < m->count && found < 0; i++)
        if (strcmp(m->items[i].name, base) == 0) found = (long)i;
    free(copy);
    return found;
}

int zm_migrate_lint_cmd(int argc, char **argv)
{
    zm_project_options o = {.quiet = true, .shadow_only = true};
    const char *format = "text", *latest = NULL;
    bool pending = false;
    const char **picked = calloc((size_t)argc + 1, sizeof *picked);
    size_t npicked = 0;
    int status = picked ? ZM_EXIT_OK : ZM_EXIT_IO;
    for (int i = 1; i < argc && !status; i++) {
        const char *level = NULL;
        if (zm_arg_option(argc, argv, &i, "--schema", &o.schema, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--format", &format, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--latest", &latest, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--zenstack", &level, &status)) {
            if (!status && !(o.level = zm_arg_level(level))) status = ZM_EXIT_USAGE;
            continue;
        }
        if (strcmp(argv[i], "--json") == 0) format = "json";
        else if (strcmp(argv[i], "--pending") == 0) pending = true;
        else if (argv[i][0] != '-') picked[npicked++] = argv[i];
        else {
            fprintf(stderr, "zmc migrate lint: error: unknown option '%s'\n\n%s", argv[i], zm_migrate_lint_usage);
            status = ZM_EXIT_USAGE;
        }
    }
    char *end = NULL;
    long want_latest = latest ? strtol(latest, &end, 10) : 0;
    if (!status && latest && (!*latest || *end || want_latest < 1)) {
        fprintf(stderr, "zmc migrate lint: error: --latest needs a number of migrations, not '%s'\n", latest);
        status = ZM_EXIT_USAGE;
    }
    if (!status && strcmp(format, "text") != 0 && strcmp(format, "json") != 0 && strcmp(format, "github") != 0) {
        fprintf(stderr, "zmc migrate lint: error: --format is text, json or github, not '%s'\n", format);
        status = ZM_EXIT_USAGE;
    }
    if (!status && pending && (latest || npicked)) {
        fprintf(stderr, "zmc migrate lint: error: --pending chooses the migrations: give no --latest or name\n");
        status = ZM_EXIT_USAGE;
    }
    bool json = strcmp(format, "json") == 0;
    if (status) {
        free(picked);
        return json ? mg_report_error("lint", status, "usage error: the details are on stderr") : status;
    }

    o.shadow_only = !pending;   /* --pending reads the datasource's history */
    zm_project p;
    if ((status = zm_project_open(&p, "zmc migrate lint", &o))) {
        free(picked);
        return json ? mg_report_error("lint", status, zm_project_last_error()) : status;
    }
    zm_migrations m = {0};
    char *error = NULL;
    if (zm_migrations_read(p.migrations_dir, &m, &error) != 0) {
        fprintf(stderr, "zmc migrate lint: error: %s\n", error ? error : p.migrations_dir);
        if (json) mg_report_error("lint", ZM_EXIT_IO, error ? error : p.migrations_dir);
        free(error);
        zm_project_close(&p);
        free(picked);
        return ZM_EXIT_IO;
    }
    /* which migrations: named, the latest N, or all */
    bool *linted = calloc(m.count + 1, sizeof *linted), *want = calloc(m.count + 1, sizeof *want);
    const char **names = calloc(m.count + 1, sizeof *names), **scripts = calloc(m.count + 1, sizeof *scripts);
    zm_rel_schema **states = calloc(m.count + 1, sizeof *states);
    status = linted && want && names && scripts && states ? ZM_EXIT_OK : ZM_EXIT_IO;
    for (size_t i = 0; !status && i < npicked; i++) {
        long k = find_migration(&m, picked[i]);
        if (k < 0) {
            fprintf(stderr, "zmc migrate lint: error: no migration `%s` in %s\n", picked[i], p.migrations_dir);
            status = ZM_EXIT_USAGE;
        } else {
            linted[k] = true;
        }
    }
    zm_history h = {0};
    if (!status && pending) {
        zm_db_error err = {0};
        if (zm_history_read(p.db, &h, &err) != ZM_DB_OK) {
            zm_print_db_error("zmc migrate lint", &err);
            status = ZM_EXIT_IO;
        }
        zm_db_error_clear(&err);
    }
    for (size_t i = 0; !status && i < m.count; i++) {
        const zm_history_row *r = pending ? zm_history_find(&h, m.items[i].name) : NULL;
        if (pending) linted[i] = !r || !r->finished;
        else if (!npicked) linted[i] = !latest || i + (size_t)want_latest >= m.count;
        names[i] = m.items[i].name;
        scripts[i] = m.items[i].script;
    }
    size_t last = 0, count = 0;
    for (size_t i = 0; !status && i < m.count; i++) {
        if (!linted[i]) continue;
        want[i] = true;
        if (i) want[i - 1] = true;
        last = i + 1;
        count++;
    }
    lint l = {.dialect = p.model.dialect, .db = pending ? p.db : NULL};
    bool reported = false;      /* --json: the report is out */
    if (!status && count) {
        /* names first: a dialect that refuses a long one stops the replay there */
        for (size_t i = 0; i < last; i++) {
            if (!linted[i]) continue;
            statement *st = NULL;
            size_t n = statements_of(l.dialect, m.items[i].script, &st);
            lint_names(&l, &m.items[i], st, n);
            free(st);
        }
        zm_side shadow = {0};
        zm_replay_states cap = {.want = want, .states = states};
        status = zm_project_replay(&p, names, scripts, last, &shadow, &cap);
        zm_side_free(&shadow);
        reported = status && json;
        if (status && json) {
            if (l.count) qsort(l.items, l.count, sizeof *l.items, by_place);
            print_json(&l, count, status, "the history does not replay in the shadow database (the details are on "
                                          "stderr); only what the statements say was read");
        } else if (status && l.count) {
            fprintf(stderr, "zmc migrate lint: the history does not replay in the shadow (above), so only what the "
                            "statements say was read:\n");
            qsort(l.items, l.count, sizeof *l.items, by_place);
            print_text(&l, count);
        }
        zm_rel_schema *empty = zm_rel_empty(p.model.dialect);
        for (size_t i = 0; !status && i < last; i++) {
            if (!linted[i]) continue;
            lint_migration(&l, &m.items[i], i ? states[i - 1] : empty, states[i], false);
        }
        zm_rel_free(empty);
    }
    if (!status) {
        if (l.count) qsort(l.items, l.count, sizeof *l.items, by_place);
        status = l.errors ? ZM_EXIT_SCHEMA : ZM_EXIT_OK;
        reported = json;
        if (json) print_json(&l, count, status, NULL);
        else if (strcmp(format, "github") == 0) print_github(&l);
        else print_text(&l, count);
    }
    if (json && status && !reported) mg_report_error("lint", status, "the lint failed: the details are on stderr");
    lint_free(&l);
    zm_history_free(&h);
    for (size_t i = 0; states && i < m.count; i++) zm_rel_free(states[i]);
    free(states);
    free(names);
    free(scripts);
    free(want);
    free(linted);
    free(picked);
    zm_migrations_free(&m);
    zm_project_close(&p);
    return status;
}
