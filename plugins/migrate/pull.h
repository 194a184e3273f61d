/*
** pull.h — `zmc db pull`: a database read back (a relational schema) as
** ZModel declarations (pull_write.c), and the command (pull.c).
*/
#ifndef ZM_MIGRATE_PULL_H
#define ZM_MIGRATE_PULL_H

#include "zmc/buf.h"
#include "zmc/diff.h"
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
   caller formats it.

   `changes` (may be NULL): the diff from `prev`'s lowering to the
   database. A model of `prev` whose table it does not touch is unchanged:
   its name goes to `kept_models` (one per line) and only the relation fields it
   gets from changed tables (the other side of a new key) are written for
   it, so that the merge keeps the user's text of it whole. Returns 0, or
   -1 if memory ran out. */
int zm_pull_write(const zm_rel_schema *s, const zm_ir *prev, const zm_rel_diff *changes, zm_buf *out,
                  zm_buf *kept_models, zm_pull_stats *stats);

#endif
