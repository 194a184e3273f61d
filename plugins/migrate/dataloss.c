/*
** dataloss.c — the diff's warnings weighed against the data in the
** database (dataloss.h): which steps would lose rows or values, and which
** cannot run on the rows there are, with the counts.
*/
#include "dataloss.h"

#include <stdio.h>
#include <stdlib.h>

#include "side.h"

/* COUNT(*) of `table` (with a WHERE), or -1 after printing why (quietly
   when `command` is NULL). */
static long count_rows(zm_db *db, const char *command, const char *namespace_, const char *table, const char *column,
                       bool nulls)
{
    const zmc_dialect *d = zm_db_dialect(db);
    char *t = zm_db_quote_ident(d, table), *ns = namespace_ ? zm_db_quote_ident(d, namespace_) : NULL;
    char *c = column ? zm_db_quote_ident(d, column) : NULL;
    zm_buf sql = ZM_BUF_INIT;
    zm_buf_printf(&sql, "SELECT COUNT(*) FROM %s%s%s", ns ? ns : "", ns ? "." : "", t ? t : "");
    if (c) zm_buf_printf(&sql, " WHERE %s IS %sNULL", c, nulls ? "" : "NOT ");
    zm_db_rows rows;
    zm_db_error err = {0};
    long n = -1;
    if (zm_db_query(db, sql.data, 0, NULL, &rows, &err) == ZM_DB_OK) {
        n = rows.nrows ? atol(ZM_DB_CELL(&rows, 0, 0) ? ZM_DB_CELL(&rows, 0, 0) : "0") : 0;
        zm_db_rows_free(&rows);
    } else if (command) {
        zm_print_db_error(command, &err);
    }
    zm_db_error_clear(&err);
    zm_buf_free(&sql);
    free(t);
    free(ns);
    free(c);
    return n;
}

/* Weigh the diff's warnings against the data. Each that matters is added to
   `loss` (would lose data) or `blocked` (cannot run). Returns -1 when a
   count failed. */
int zm_weigh_data_loss(zm_db *db, const zm_rel_diff *d, const char *command, zm_buf *loss, zm_buf *blocked)
{
    for (size_t i = 0; i < zm_rel_diff_warning_count(d); i++) {
        zm_rel_warning_kind k = zm_rel_diff_warning_kind(d, i);
        const char *t = zm_rel_diff_warning_table(d, i), *c = zm_rel_diff_warning_column(d, i);
        const char *unit = NULL;
        long n = k == ZM_REL_WARN_REMOVE_ENUM_VALUES ? 0 : zm_warning_rows(db, d, i, command, &unit);
        if (n < 0) return -1;
        switch (k) {
        case ZM_REL_WARN_DROP_TABLE:
            if (n > 0)
                zm_buf_printf(loss, "  - You are about to drop the `%s` table, which is not empty (%ld row%s).\n", t, n,
                              n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_DROP_COLUMN:
            if (n > 0)
                zm_buf_printf(loss,
                              "  - You are about to drop the column `%s` on the `%s` table, which still contains %ld "
                              "non-null value%s.\n",
                              c, t, n, n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_CAST_COLUMN:
        case ZM_REL_WARN_RECREATE_COLUMN:
            if (n > 0)
                zm_buf_printf(loss, "  - %s (%ld non-null value%s)\n", zm_rel_diff_warning_message(d, i), n,
                              n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_ADD_UNIQUE:
        case ZM_REL_WARN_CHANGE_PRIMARY_KEY:
            if (n > 0) zm_buf_printf(loss, "  - %s\n", zm_rel_diff_warning_message(d, i));
            break;
        case ZM_REL_WARN_REMOVE_ENUM_VALUES:
            zm_buf_printf(loss, "  - %s\n", zm_rel_diff_warning_message(d, i));
            break;
        case ZM_REL_WARN_ADD_REQUIRED:
            if (n > 0)
                zm_buf_printf(blocked,
                              "  - Added the required column `%s` to the `%s` table without a default value. There "
                              "%s %ld row%s in this table, it is not possible to execute this step.\n",
                              c, t, n == 1 ? "is" : "are", n, n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_MAKE_REQUIRED:
            if (n > 0)
                zm_buf_printf(blocked, "  - Made the column `%s` on table `%s` required, but there %s %ld existing NULL value%s.\n",
                              c, t, n == 1 ? "is" : "are", n, n == 1 ? "" : "s");
            break;
        case ZM_REL_WARN_RECREATE_REQUIRED:
            if (n > 0) zm_buf_printf(blocked, "  - %s\n", zm_rel_diff_warning_message(d, i));
            break;
        }
    }
    return 0;
}

long zm_warning_rows(zm_db *db, const zm_rel_diff *d, size_t i, const char *command, const char **what)
{
    const char *t = zm_rel_diff_warning_table(d, i), *c = zm_rel_diff_warning_column(d, i);
    const char *ns = zm_rel_diff_warning_namespace(d, i);
    switch (zm_rel_diff_warning_kind(d, i)) {
    case ZM_REL_WARN_DROP_COLUMN:
    case ZM_REL_WARN_CAST_COLUMN:
    case ZM_REL_WARN_RECREATE_COLUMN:
        *what = "non-null value";
        return count_rows(db, command, ns, t, c, false);
    case ZM_REL_WARN_MAKE_REQUIRED:
        *what = "NULL value";
        return count_rows(db, command, ns, t, c, true);
    case ZM_REL_WARN_REMOVE_ENUM_VALUES:
        return -1;      /* the values are in the step's SQL, not in the warning */
    default:
        *what = "row";
        return count_rows(db, command, ns, t, NULL, false);
    }
}
