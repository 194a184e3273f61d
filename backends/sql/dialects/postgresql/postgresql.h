/*
** postgresql.h — the PostgreSQL flavour's files (flavor.c) share these.
*/
#ifndef ZM_SQL_POSTGRESQL_H
#define ZM_SQL_POSTGRESQL_H

#include "diff.h"
#include "introspect.h"

const char *sql_pg_column_type(sql_arena *a, const zm_ir_field *f, bool autoincrement);
void sql_pg_render(const zm_rel_schema *s, sql_sb *out);
void sql_pg_render_table(const zm_rel_schema *s, const zm_rel_table *t, sql_sb *b);
void sql_pg_render_enum(const zm_rel_schema *s, const zm_rel_enum *e, sql_sb *b);
void sql_pg_render_extension(const zm_rel_schema *s, const zm_rel_extension *x, sql_sb *b);
void sql_pg_render_step(const zm_rel_diff *d, const diff_step *st, sql_sb *out);
sql_cast sql_pg_cast(const zm_rel_column *a, const zm_rel_column *b);
bool sql_pg_default_opclass(const char *method, const char *type, const char *opclass);
void sql_pg_introspect(sql_intro *in);
void sql_pg_read_notes(sql_intro *in);
const char *sql_pg_zmodel_type(sql_arena *a, const zm_rel_column *c, const char **native);

#endif
