/*
** pull.h — `zmc db pull`: a database read back (a relational schema) as
** ZModel declarations (pull_write.c), and the command (pull.c).
*/
#ifndef ZM_MIGRATE_PULL_H
#define ZM_MIGRATE_PULL_H

#include "zmc/buf.h"
#include "zmc/ir.h"
#include "zmc/relational.h"

/* What the writer found that ZModel cannot say, for the command's report. */
typedef struct zm_pull_stats {
    size_t models, enums, unsupported, ignored;
} zm_pull_stats;

/* Append to `out` the models and enums that describe `s`, named as
   Prisma's introspection names them: a model per table (join tables of
   implicit many-to-many relations aside), sorted by table name, then the
   enums; relations on both sides of every foreign key. Where `prev` (may
   be NULL: a schema the database was pulled into before) has a model for
   a table, a field for a column, a relation field for a foreign key or an
   enum for an enum type, its name is kept. The text is not aligned: the
   caller formats it. Returns 0, or -1 if memory ran out. */
int zm_pull_write(const zm_rel_schema *s, const zm_ir *prev, zm_buf *out, zm_pull_stats *stats);

#endif
