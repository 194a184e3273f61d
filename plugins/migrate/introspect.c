/*
** introspect.c — zm_db_introspect(): the host's connection (zmc/db.h)
** wired to the query callback of the SQL backend's zm_rel_introspect(),
** which reaches no database itself.
*/
#include "introspect.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int query(void *ctx, const char *sql, size_t nparams, const char *const *params, zm_rel_rows *out,
                 char **error)
{
    zm_db_rows rows = {0};
    zm_db_error err = {0};
    if (zm_db_query(ctx, sql, nparams, params, &rows, &err) != ZM_DB_OK) {
        if (error) {
            *error = err.message;
            err.message = NULL;
        }
        zm_db_error_clear(&err);
        zm_db_rows_free(&rows);
        return -1;
    }
    /* the cells move to the caller; the column names are not needed */
    *out = (zm_rel_rows){.nrows = rows.nrows, .ncols = rows.ncols, .cells = rows.cells};
    rows.cells = NULL;
    rows.nrows = 0;
    zm_db_rows_free(&rows);
    return 0;
}

static void free_rows(void *ctx, zm_rel_rows *rows)
{
    (void)ctx;
    zm_db_rows r = {.nrows = rows->nrows, .ncols = rows->ncols, .cells = rows->cells};
    zm_db_rows_free(&r);
    *rows = (zm_rel_rows){0};
}

zm_rel_schema *zm_db_introspect_namespaces(zm_db *db, const char *const *namespaces, size_t count, bool multi,
                                           char **error)
{
    const char *own = zm_db_schema(db);
    zm_rel_source src = {
        .dialect = zm_db_dialect(db),
        .query = query,
        .free_rows = free_rows,
        .ctx = db,
        .namespaces = count ? namespaces : &own,
        .namespace_count = count ? count : 1,
        .multi_namespace = multi,
    };
    /* The dialect's bracket around the queries (SQLite: a savepoint, so the
       file is locked and checked once instead of once per query). */
    const zmc_dialect *d = src.dialect;
    zm_db_error err = {0};
    if (d->read_begin && zm_db_execute(db, d->read_begin, &err) != ZM_DB_OK) {
        if (error) *error = err.message ? strdup(err.message) : NULL;
        zm_db_error_clear(&err);
        return NULL;
    }
    zm_rel_schema *s = zm_rel_introspect(&src, error);
    if (d->read_end) zm_db_execute(db, d->read_end, &err);
    zm_db_error_clear(&err);
    return s;
}

static bool listed(const char **ns, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ns[i], name) == 0) return true;
    return false;
}

const char **zm_db_namespaces_of(const zm_rel_schema *like, size_t *n)
{
    *n = 0;
    if (!like || !zm_rel_schema_is_multi_namespace(like)) return NULL;
    size_t listed_count = zm_rel_listed_namespace_count(like), used = zm_rel_namespace_count(like);
    const char **ns = calloc(listed_count + used + 1, sizeof *ns);
    if (!ns) {
        *n = SIZE_MAX;
        return NULL;
    }
    /* the datasource's list, then any namespace in use it lacks */
    for (size_t i = 0; i < listed_count; i++)
        if (!listed(ns, *n, zm_rel_listed_namespace_at(like, i))) ns[(*n)++] = zm_rel_listed_namespace_at(like, i);
    for (size_t i = 0; i < used; i++)
        if (!listed(ns, *n, zm_rel_namespace_at(like, i))) ns[(*n)++] = zm_rel_namespace_at(like, i);
    return ns;
}

zm_rel_schema *zm_db_introspect(zm_db *db, const zm_rel_schema *like, char **error)
{
    size_t n;
    const char **ns = zm_db_namespaces_of(like, &n);
    if (n == SIZE_MAX) {
        if (error) *error = strdup("out of memory");
        return NULL;
    }
    zm_rel_schema *s = zm_db_introspect_namespaces(db, ns, n, ns != NULL, error);
    free(ns);
    return s;
}

int zm_db_read_notes(zm_db *db, zm_rel_schema *s, const zm_rel_schema *like, char **error)
{
    size_t n;
    const char **ns = zm_db_namespaces_of(like, &n);
    if (n == SIZE_MAX) {
        if (error) *error = strdup("out of memory");
        return -1;
    }
    const char *own = zm_db_schema(db);
    zm_rel_source src = {
        .dialect = zm_db_dialect(db), .query = query, .free_rows = free_rows, .ctx = db,
        .namespaces = ns ? ns : &own, .namespace_count = ns ? n : 1, .multi_namespace = ns != NULL,
    };
    int rc = zm_rel_read_notes(s, &src, error);
    free(ns);
    return rc;
}
