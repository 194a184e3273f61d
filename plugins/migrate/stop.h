/*
** stop.h — the signals that ask zmc to stop (SIGINT, SIGTERM, SIGHUP):
** caught around what must end cleanly (a shadow dropped, a migration
** finished and the lock released), then zmc dies of the one that came.
*/
#ifndef ZM_MIGRATE_STOP_H
#define ZM_MIGRATE_STOP_H

#include <signal.h>

#include "zmc/db.h"

/* The dispositions the signals had before zm_signals_catch(). */
typedef struct zm_signals {
    struct sigaction saved[3];
} zm_signals;

/* `handler` for each of the signals not ignored (a job started with `&`
   or under nohup keeps ignoring them); the previous ones saved in *s. */
void zm_signals_catch(zm_signals *s, void (*handler)(int));
void zm_signals_restore(const zm_signals *s);

/* While migrations are applied (stop.c): caught from zm_stop_catch() to
   zm_stop_release(); zm_stop_requested() counts the signals (1: finish
   the migration being applied, then stop; 2: that one was cancelled);
   zm_stop_reraise(), once everything is released, makes zmc die of the
   signal that came, if one did. */
void zm_stop_catch(zm_db *db);
void zm_stop_release(void);
int zm_stop_requested(void);
/* The signal that came, or 0; its name ("SIGINT"), or NULL. */
int zm_stop_signal(void);
const char *zm_stop_signal_name(void);
void zm_stop_reraise(void);

#endif
