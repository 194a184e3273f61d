/*
** dataloss.h — what applying a diff would do to the data already there,
** for the commands that change a live database (db push, migrate dev).
*/
#ifndef ZM_MIGRATE_DATALOSS_H
#define ZM_MIGRATE_DATALOSS_H

#include "zmc/buf.h"
#include "zmc/db.h"
#include "zmc/diff.h"

/* Weigh each warning of `d` against the data in `db` (row and value
   counts). Those that matter become lines of `loss` (data would be lost)
   or `blocked` (the step cannot run on the rows there are). Returns 0, or
   -1 after printing why a count failed. */
int zm_weigh_data_loss(zm_db *db, const zm_rel_diff *d, const char *command, zm_buf *loss, zm_buf *blocked);

#endif
