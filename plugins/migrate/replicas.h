/*
** replicas.h — waiting for a primary's replicas (replicas.c).
*/
#ifndef ZM_MIGRATE_REPLICAS_H
#define ZM_MIGRATE_REPLICAS_H

#include <stdio.h>

#include "side.h"
#include "zmc/command.h"
#include "zmc/db.h"

/* Wait up to `timeout_ms` until every replica of the database `db` is
   connected to has replayed what was committed so far, reporting on `out`.
   0, or 1 after saying why (the dialect cannot tell, the timeout ended with
   a replica behind: each one's distance is listed). */
int zm_wait_replicas(zm_db *db, const char *command, int timeout_ms, FILE *out);

#endif
