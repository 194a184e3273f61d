/*
** diff.h — the inside of a schema diff (zmc/diff.h), shared by diff.c
** (matching objects, choosing steps, warnings) and the dialects' renderers
** (the diff.c of each dialect folder).
*/
#ifndef ZM_SQL_DIFF_H
#define ZM_SQL_DIFF_H

#include "sql.h"
#include "zmc/diff.h"

/* Prisma's step kinds, in the order their steps are written. */
typedef enum diff_step_kind {
    ST_CREATE_SCHEMA,
    ST_CREATE_EXTENSION,
    ST_CREATE_ENUM,
    ST_ALTER_ENUM,
    ST_DROP_FOREIGN_KEY,
    ST_DROP_INDEX,
    ST_RENAME_COLUMN,
    ST_ALTER_TABLE,
    ST_DROP_TABLE,
    ST_DROP_ENUM,
    ST_CREATE_TABLE,
    ST_REDEFINE_TABLES,
    ST_CREATE_INDEX,
    ST_RENAME_FOREIGN_KEY,
    ST_ADD_FOREIGN_KEY,
    ST_RENAME_INDEX,
    ST_REDEFINE_INDEX,
    ST__COUNT
} diff_step_kind;

/* One change of an AlterTable step, in Prisma's clause order. */
typedef enum diff_change_kind {
    CH_DROP_PK,
    CH_DROP_COLUMN,
    CH_ADD_COLUMN,
    CH_ALTER_COLUMN,
    CH_RECREATE_COLUMN,
    CH_ADD_PK
} diff_change_kind;

enum { ALTER_TYPE = 1, ALTER_NULLABLE = 2, ALTER_DEFAULT = 4, ALTER_AUTOINCREMENT = 8 };

typedef struct diff_change {
    diff_change_kind kind;
    const zm_rel_column *from, *to;
    unsigned what;                      /* ALTER_*, for CH_ALTER_COLUMN */
} diff_change;

struct diff_step {
    diff_step_kind kind;
    const zm_rel_table *from_table, *to_table;
    const zm_rel_index *from_index, *to_index;
    const zm_rel_fk *from_fk, *to_fk;
    const zm_rel_enum *from_enum, *to_enum;
    const zm_rel_column *from_column, *to_column;   /* RenameColumn */
    const char *name;                   /* CreateSchema: the namespace */
    sql_vec changes;                    /* diff_change *, for ST_ALTER_TABLE */
};

typedef struct diff_warning {
    zm_rel_warning_kind kind;
    const char *table, *namespace_, *column, *message;
} diff_warning;

struct zm_rel_diff {
    const zm_rel_schema *from, *to;
    sql_arena arena;
    sql_vec steps[ST__COUNT];           /* diff_step *, per kind, in order */
    sql_vec warnings;                   /* diff_warning * */
    size_t renamed;                     /* rename hints applied */
    /* lookups: each side's tables sorted by (name, namespace), and the
       target's tables by address with their position (Prisma's order) */
    const zm_rel_table **from_sorted, **to_sorted;
    struct diff_rank { const zm_rel_table *t; size_t pos; } *ranks;
};

/* The type a PostgreSQL serial type stands for (INTEGER for SERIAL); any
   other type as is. */
const char *sql_base_type(const char *t);

#endif
