/*
** sqlite.h — the SQLite flavour's files (flavor.c) share these.
*/
#ifndef ZM_SQL_SQLITE_H
#define ZM_SQL_SQLITE_H

#include "diff.h"
#include "introspect.h"

const char *sql_sqlite_column_type(sql_arena *a, const zm_ir_field *f, bool autoincrement);
void sql_sqlite_render(const zm_rel_schema *s, sql_sb *out);
/* CREATE TABLE of one table (SQLite's layout), under `name`. */
void sql_sqlite_render_table(const zm_rel_schema *s, const zm_rel_table *t, const char *name, sql_sb *b);
void sql_sqlite_render_step(const zm_rel_diff *d, const diff_step *st, sql_sb *out);
/* RedefineTables: every table of the step kind at once. */
void sql_sqlite_render_redefine(const zm_rel_diff *d, const sql_vec *steps, sql_sb *out);
void sql_sqlite_introspect(sql_intro *in);
void sql_sqlite_read_notes(sql_intro *in);
const char *sql_sqlite_zmodel_type(sql_arena *a, const zm_rel_column *c, const char **native);

#endif
