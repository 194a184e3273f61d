/*
** driver.h — the helpers the database drivers (zmc/dialect.h's
** zmc_db_driver, in the dialect folders) and db.c share (common.c).
*/
#ifndef ZM_DB_DRIVER_H
#define ZM_DB_DRIVER_H

#include "zmc/buf.h"
#include "zmc/db.h"

/* Set err's fields (copies; NULL leaves a field empty). Returns `status`. */
zm_db_status zm_db_fail(zm_db_error *err, zm_db_status status, const char *message,
                        const char *statement, const char *code);
/* The same, with a printf-style message. */
zm_db_status zm_db_failf(zm_db_error *err, zm_db_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The statement of `script` that contains byte offset `pos` (quotes,
   comments and PostgreSQL dollar quotes respected), trimmed; malloc'ed. */
char *zm_db_statement_at(const char *script, size_t pos);

/* Append `name` as an identifier: in `quote`s, a quote inside doubled. */
void zm_db_quote_into(zm_buf *b, char quote, const char *name);

/* Sleep for `ms` milliseconds. */
void zm_db_sleep_ms(int ms);

#endif
