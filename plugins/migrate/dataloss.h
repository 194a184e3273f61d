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

/* What warning i of `d` concerns in `db` now: the rows of a dropped table
   or of one a required column is added to, the non-null values of a
   dropped or cast column, the NULLs of a column made required; *what
   names the unit ("row"). -1 when it cannot be counted (the table is not
   there yet, an enum's values), after printing why unless `command` is
   NULL. zm_weigh_data_loss() counts with it too. */
long zm_warning_rows(zm_db *db, const zm_rel_diff *d, size_t i, const char *command, const char **what);

#endif
