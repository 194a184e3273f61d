/*
** diff.h — the difference between two relational schemas of one dialect,
** as ordered change steps, and the SQL that makes the first the second.
**
**     zm_rel_diff *d = zm_rel_diff_new(live, wanted);
**     if (!zm_rel_diff_is_empty(d)) zm_rel_diff_render(d, write, ctx);
**     for (size_t i = 0; i < zm_rel_diff_warning_count(d); i++) ...
**     zm_rel_diff_free(d);
**
** The steps and their SQL follow Prisma Migrate (`migrate diff --script`):
** the same step order (drop foreign keys and indexes, alter tables, drop
** tables and enums, create tables, redefine SQLite tables, create indexes,
** add foreign keys), the same statements and the same layout. Tables,
** columns, indexes, foreign keys and enums are matched by name, so a
** renamed table is dropped and created; a renamed index or foreign key
** with the same definition is renamed.
**
** Steps that may lose data or fail on existing data come with warnings.
** Each names its table (and column): a command counts the rows concerned
** and refuses, or asks, before applying. The SQL never depends on data.
*/
#ifndef ZMC_DIFF_H
#define ZMC_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "zmc/relational.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zm_rel_diff zm_rel_diff;

/* An empty schema of a dialect: the `--from-empty` side of a diff. Free
   it with zm_rel_free(). NULL when memory runs out. */
zm_rel_schema *zm_rel_empty(const zmc_dialect *d);

/* The steps from `from` to `to`, both of one SQL flavour. NULL when memory
   runs out or the flavours differ. The schemas must outlive the diff. */
zm_rel_diff *zm_rel_diff_new(const zm_rel_schema *from, const zm_rel_schema *to);

/* A rename hint: column `from` of table `table` is column `to` now
   (database names). The diff renames it (ALTER TABLE ... RENAME COLUMN)
   instead of dropping it and adding another, so its data stays; any other
   change to it follows as usual. A hint applies only when the old table
   has `from` and not `to`, and the new one `to` and not `from`. */
typedef struct zm_rel_rename {
    const char *namespace_;     /* PostgreSQL multiSchema, else NULL */
    const char *table, *from, *to;
} zm_rel_rename;

zm_rel_diff *zm_rel_diff_new_with_renames(const zm_rel_schema *from, const zm_rel_schema *to,
                                          const zm_rel_rename *renames, size_t count);
/* How many of the hints applied. */
size_t zm_rel_diff_renamed_count(const zm_rel_diff *d);
void zm_rel_diff_free(zm_rel_diff *d);

bool zm_rel_diff_is_empty(const zm_rel_diff *d);
size_t zm_rel_diff_step_count(const zm_rel_diff *d);
/* The step's Prisma name: "CreateTable", "AlterTable", "RedefineTables", ... */
const char *zm_rel_diff_step_name(const zm_rel_diff *d, size_t i);
/* The table the step creates, alters, drops or rebuilds, or NULL (an enum,
   a namespace). */
const char *zm_rel_diff_step_table(const zm_rel_diff *d, size_t i);

/* The migration script: steps with their `-- Step` headers, Prisma's
   layout, "-- This is an empty migration." when there are none. With
   `warnings`, the warnings' comment block first (as `migrate dev` writes
   migration.sql); without, as `migrate diff --script` prints. Returns 0,
   or -1 when memory ran out (nothing written). */
int zm_rel_diff_render(const zm_rel_diff *d, bool warnings,
                       void (*write)(void *ctx, const char *text, size_t len), void *ctx);

/* A human summary, one line per change ("[+] Added tables", "  - User",
   "[*] Changed the `Post` table", "  [+] Added column `body`"), as Prisma's
   drift report. Malloc'ed. */
char *zm_rel_diff_summary(const zm_rel_diff *d);

/* ---- warnings ------------------------------------------------------------------ */

typedef enum zm_rel_warning_kind {
    ZM_REL_WARN_DROP_TABLE,         /* loses the table's rows */
    ZM_REL_WARN_DROP_COLUMN,        /* loses the column's non-null values */
    ZM_REL_WARN_CAST_COLUMN,        /* the column's values are cast; may fail */
    ZM_REL_WARN_RECREATE_COLUMN,    /* no cast: the column is dropped and recreated */
    ZM_REL_WARN_ADD_UNIQUE,         /* fails on duplicate values */
    ZM_REL_WARN_REMOVE_ENUM_VALUES, /* fails while the values are in use */
    ZM_REL_WARN_CHANGE_PRIMARY_KEY,
    /* Unexecutable on existing data: */
    ZM_REL_WARN_ADD_REQUIRED,       /* a required column without default: fails on a non-empty table */
    ZM_REL_WARN_MAKE_REQUIRED,      /* a column made required: fails while it holds NULLs */
    ZM_REL_WARN_RECREATE_REQUIRED   /* a required column recreated: fails on a non-empty table */
} zm_rel_warning_kind;

size_t zm_rel_diff_warning_count(const zm_rel_diff *d);
zm_rel_warning_kind zm_rel_diff_warning_kind(const zm_rel_diff *d, size_t i);
/* The table (and namespace, or NULL) and column (or NULL) concerned. */
const char *zm_rel_diff_warning_table(const zm_rel_diff *d, size_t i);
const char *zm_rel_diff_warning_namespace(const zm_rel_diff *d, size_t i);
const char *zm_rel_diff_warning_column(const zm_rel_diff *d, size_t i);
/* Prisma's text without row counts, as written in a migration's header. */
const char *zm_rel_diff_warning_message(const zm_rel_diff *d, size_t i);
/* True for the unexecutable kinds (they fail only when data exists). */
bool zm_rel_warning_is_unexecutable(zm_rel_warning_kind k);

/* ---- for loadable modules ------------------------------------------------------ */

/* Every function above, in the table the SQL backend's module hands out
   (zmc_plugin.diff; the host gives it to command modules): a module
   compiled with ZMC_PLUGIN calls the same names through zmc_plugin_diff,
   so it links nothing of zmc. Append new functions at the end: the order is part of
   the ABI. */
#define ZM_DIFF_API_FUNCTIONS(X) \
    X(zm_rel_empty) \
    X(zm_rel_diff_new) \
    X(zm_rel_diff_new_with_renames) \
    X(zm_rel_diff_renamed_count) \
    X(zm_rel_diff_free) \
    X(zm_rel_diff_is_empty) \
    X(zm_rel_diff_step_count) \
    X(zm_rel_diff_step_name) \
    X(zm_rel_diff_render) \
    X(zm_rel_diff_summary) \
    X(zm_rel_diff_warning_count) \
    X(zm_rel_diff_warning_kind) \
    X(zm_rel_diff_warning_table) \
    X(zm_rel_diff_warning_namespace) \
    X(zm_rel_diff_warning_column) \
    X(zm_rel_diff_warning_message) \
    X(zm_rel_warning_is_unexecutable) \
    X(zm_rel_diff_step_table)

typedef struct zm_diff_api {
    size_t size;            /* sizeof(zm_diff_api) of the module */
#define ZM_DIFF_API_FUNCTIONS_FIELD(f) __typeof__(&f) f;
    ZM_DIFF_API_FUNCTIONS(ZM_DIFF_API_FUNCTIONS_FIELD)
#undef ZM_DIFF_API_FUNCTIONS_FIELD
} zm_diff_api;

/* The SQL backend's table (backends/sql). */
extern const zm_diff_api zm_diff_api_table;

/* In one source file of a module: the table pointer the names go through. */
#define ZMC_PLUGIN_DIFF const zm_diff_api *zmc_plugin_diff

#if defined(ZMC_PLUGIN) && !defined(ZMC_SQL_IMPL)
extern const zm_diff_api *zmc_plugin_diff;
#define zm_rel_empty (zmc_plugin_diff->zm_rel_empty)
#define zm_rel_diff_new (zmc_plugin_diff->zm_rel_diff_new)
#define zm_rel_diff_new_with_renames (zmc_plugin_diff->zm_rel_diff_new_with_renames)
#define zm_rel_diff_renamed_count (zmc_plugin_diff->zm_rel_diff_renamed_count)
#define zm_rel_diff_free (zmc_plugin_diff->zm_rel_diff_free)
#define zm_rel_diff_is_empty (zmc_plugin_diff->zm_rel_diff_is_empty)
#define zm_rel_diff_step_count (zmc_plugin_diff->zm_rel_diff_step_count)
#define zm_rel_diff_step_name (zmc_plugin_diff->zm_rel_diff_step_name)
#define zm_rel_diff_render (zmc_plugin_diff->zm_rel_diff_render)
#define zm_rel_diff_summary (zmc_plugin_diff->zm_rel_diff_summary)
#define zm_rel_diff_warning_count (zmc_plugin_diff->zm_rel_diff_warning_count)
#define zm_rel_diff_warning_kind (zmc_plugin_diff->zm_rel_diff_warning_kind)
#define zm_rel_diff_warning_table (zmc_plugin_diff->zm_rel_diff_warning_table)
#define zm_rel_diff_warning_namespace (zmc_plugin_diff->zm_rel_diff_warning_namespace)
#define zm_rel_diff_warning_column (zmc_plugin_diff->zm_rel_diff_warning_column)
#define zm_rel_diff_warning_message (zmc_plugin_diff->zm_rel_diff_warning_message)
#define zm_rel_warning_is_unexecutable (zmc_plugin_diff->zm_rel_warning_is_unexecutable)
#define zm_rel_diff_step_table (zmc_plugin_diff->zm_rel_diff_step_table)
#endif

#ifdef __cplusplus
}
#endif

#endif
