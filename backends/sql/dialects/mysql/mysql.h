/*
** mysql.h — the MySQL flavour's files (flavor.c) share these.
*/
#ifndef ZM_SQL_MYSQL_H
#define ZM_SQL_MYSQL_H

#include "diff.h"
#include "introspect.h"

const char *sql_mysql_column_type(sql_arena *a, const zm_ir_field *f, bool autoincrement);
bool sql_mysql_default(sql_arena *a, const zm_ir_field *f, const zm_ir_expr *e, zm_rel_default_kind *kind,
                       const char **value, sql_sb *sql);
void sql_mysql_render(const zm_rel_schema *s, sql_sb *out);
/* CREATE TABLE with its indexes and primary key inline. */
void sql_mysql_render_table(const zm_rel_table *t, sql_sb *b);
/* "    `name` TYPE NOT NULL AUTO_INCREMENT DEFAULT x" */
void sql_mysql_render_column(sql_sb *b, const zm_rel_column *c);
/* "(`a`(10), `b` DESC)" */
void sql_mysql_index_columns(sql_sb *b, const zm_rel_index *x);
void sql_mysql_render_step(const zm_rel_diff *d, const diff_step *st, sql_sb *out);
sql_cast sql_mysql_cast(const zm_rel_column *a, const zm_rel_column *b);
const char *sql_mysql_removed_values(sql_arena *a, const zm_rel_column *from, const zm_rel_column *to);
void sql_mysql_introspect(sql_intro *in);
void sql_mysql_read_notes(sql_intro *in);
const char *sql_mysql_zmodel_type(sql_arena *a, const zm_rel_column *c, const char **native);
size_t sql_mysql_enum_values(sql_arena *a, const zm_rel_column *c, const char *const **values);

#endif
