/*
** migrate_int.h — what the command files of the migration engine share:
** the report (report.c) and the steps deploy, status and resolve have in
** common (deploy.c).
*/
#ifndef ZM_MIGRATE_INT_H
#define ZM_MIGRATE_INT_H

#include <jansson.h>

#include "migrate.h"
#include "zmc/relational.h"

#define REPORT(c) ((json_t *)(c)->report)

/* --json: start the object of `command`; mg_end prints it and returns status. */
void mg_begin(zm_migrate_ctx *c, const char *command);
int mg_end(zm_migrate_ctx *c, int status);
/* --json when a command stops before its report began (arguments, the
   schema, the datasource, the database): one document all the same, with
   "ok": false and `message`; returns status. Does nothing for status 0 or
   without --json among argv. */
int mg_report_early(const char *command, int argc, char **argv, int status, const char *message);
/* The same whatever the arguments (a command whose JSON is asked otherwise). */
int mg_report_error(const char *command, int status, const char *message);
/* A line for people (nothing with --json). */
void mg_say(zm_migrate_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error, with Prisma's code when there is one (P3009, ...). Returns 1. */
int mg_fail(zm_migrate_ctx *c, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A database error: what was being done, the statement, the message. Returns 1. */
int mg_fail_db(zm_migrate_ctx *c, const char *what, const zm_db_error *err);
/* --json: append `name` to the array `key`. */
void mg_list(zm_migrate_ctx *c, const char *key, const char *name);
/* --json: empty arrays for the keys given (NULL-terminated), so that they are always there. */
void mg_lists(zm_migrate_ctx *c, ...) __attribute__((sentinel));

/* The folder read, and the lock file's provider checked (P3019). 0 or 1. */
int mg_read_folder(zm_migrate_ctx *c, zm_migrations *m);

/* Merge-safe history (rebase.c): the pending migrations older than the
   newest applied one, which arrived out of order; `lines` (may be NULL)
   gets "  - NAME" lines, *newest the newest applied. */
size_t zm_migrations_out_of_order(const zm_migrations *m, const zm_history *h, zm_buf *lines, const char **newest);
/* Say so, when there are any (--json: "outOfOrder"): that deploy applies
   (`applies`: is applying) them after the newest, and how to rebase. */
void zm_say_out_of_order(zm_migrate_ctx *c, const zm_migrations *m, const zm_history *h, bool applies);

/* The project's seed command run (seed.c): 0, or 1 after saying why it
   failed. With none declared: 0, and a word about it when `say_none`. */
int zm_seed_run(zm_migrate_ctx *c, bool say_none);

/* migrate dev's new migration linted (lint.c) against the schema before it
   and the one it builds: the findings printed (--json: "lint" in the
   report). Advice only: it changes no exit status. */
void zm_lint_new_migration(zm_migrate_ctx *c, const zm_migration *m, const zm_rel_schema *before,
                           const zm_rel_schema *after);

#endif
