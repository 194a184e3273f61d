/*
** stop.c — Ctrl-C (SIGINT, also SIGTERM and SIGHUP) while migrations are
** applied. Killing zmc there is safe but rough: a PostgreSQL or SQLite
** migration is rolled back, a MySQL one is left half applied, and a Galera
** deploy leaves its cluster lock row for a later deploy to take over. So:
**
**   the first signal  lets the migration being applied finish and be
**                     recorded, applies no other, and the command ends as
**                     usual (the lock released); then zmc dies of it;
**   a second          cancels the statement running (where the driver can:
**                     PostgreSQL), so that migration stops as a failure
**                     would, rolled back whole where the database allows;
**   a third           is not caught.
*/
#include "stop.h"

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
enum { NCAUGHT = sizeof caught / sizeof caught[0] };
_Static_assert(NCAUGHT == sizeof ((zm_signals *)0)->saved / sizeof ((zm_signals *)0)->saved[0], "zm_signals");

void zm_signals_catch(zm_signals *s, void (*handler)(int))
{
    struct sigaction sa = {0};
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NCAUGHT; i++) {
        sigaction(caught[i], NULL, &s->saved[i]);
        if (s->saved[i].sa_handler != SIG_IGN) sigaction(caught[i], &sa, NULL);
    }
}

void zm_signals_restore(const zm_signals *s)
{
    for (int i = 0; i < NCAUGHT; i++) sigaction(caught[i], &s->saved[i], NULL);
}

/* ---- while migrations are applied ---------------------------------------------- */

static volatile sig_atomic_t stop_signal, stop_count;
static zm_signals saved;
static bool catching;

static void on_stop(int sig)
{
    if (!stop_signal) stop_signal = sig;
    if (++stop_count == 1) {
        static const char msg[] = "\nzmc: interrupted: stopping after the migration being applied "
                                  "(interrupt again to stop that one too)\n";
        ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        return;
    }
    signal(sig, SIG_DFL);
    zm_db_interrupt();
}

void zm_stop_catch(zm_db *db)
{
    if (catching) return;
    zm_db_interrupt_arm(db);
    zm_signals_catch(&saved, on_stop);
    catching = true;
}

void zm_stop_release(void)
{
    if (!catching) return;
    zm_signals_restore(&saved);
    zm_db_interrupt_disarm();
    catching = false;
}

int zm_stop_requested(void) { return stop_count; }
int zm_stop_signal(void) { return stop_signal; }

const char *zm_stop_signal_name(void)
{
    switch (stop_signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return NULL;
    }
}

void zm_stop_reraise(void)
{
    if (!stop_signal) return;
    fflush(NULL);
    signal(stop_signal, SIG_DFL);
    raise(stop_signal);
}
