/*
** driver.h — what a database driver implements (sqlite.c, postgresql.c),
** and the helpers they share. db.c dispatches zm_db_* calls through it.
*/
#ifndef ZM_DB_DRIVER_H
#define ZM_DB_DRIVER_H

#include "db.h"

typedef struct zm_db_driver {
    zm_rel_dialect dialect;
    zm_db_status (*connect)(const zm_db_url *url, bool create, void **conn, zm_db_error *err);
    void (*close)(void *conn);
    zm_db_status (*execute)(void *conn, const char *script, zm_db_error *err);
    zm_db_status (*query)(void *conn, const char *sql, size_t nparams, const char *const *params,
                          zm_db_rows *out, zm_db_error *err);
    zm_db_status (*lock)(void *conn, int timeout_ms, zm_db_error *err);
    zm_db_status (*unlock)(void *conn, zm_db_error *err);
    /* Optional: stopping the running statement from a signal handler.
       cancel_arm prepares what cancel_fire needs (NULL: cannot); fire is
       async-signal-safe; free releases it. */
    void *(*cancel_arm)(void *conn);
    void (*cancel_fire)(void *handle);
    void (*cancel_free)(void *handle);
} zm_db_driver;

extern const zm_db_driver zm_db_sqlite_driver;
/* In the module db_postgresql.so, found by name at run time. */
extern const zm_db_driver zm_db_postgresql_driver;

/* Set err's fields (copies; NULL leaves a field empty). Returns `status`. */
zm_db_status zm_db_fail(zm_db_error *err, zm_db_status status, const char *message,
                        const char *statement, const char *code);
/* The same, with a printf-style message. */
zm_db_status zm_db_failf(zm_db_error *err, zm_db_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The statement of `script` that contains byte offset `pos` (quotes,
   comments and PostgreSQL dollar quotes respected), trimmed; malloc'ed. */
char *zm_db_statement_at(const char *script, size_t pos);

/* Sleep for `ms` milliseconds. */
void zm_db_sleep_ms(int ms);

#endif
