/*
** replicas.c — `migrate deploy --wait-replicas`: return only when every
** replica of the primary has replayed what the deploy committed, so that a
** rollout does not start while a replica still serves the old schema.
**
** The dialect says how (zmc/dialect.h: replica_target, the position to
** reach, taken once the deploy is done; replicas_behind, each replica's
** distance to it, polled). PostgreSQL: the WAL position and
** pg_stat_replication's replay_lsn. A dialect that cannot tell is an error,
** as is a replica still behind when the timeout ends; the migrations stay
** applied on the primary either way.
*/
#define _DEFAULT_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "replicas.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int zm_wait_replicas(zm_db *db, const char *command, int timeout_ms, FILE *out)
{
    const zmc_dialect *d = zm_db_dialect(db);
    if (!ZMC_DIALECT_HAS(d, replicas_behind) || !d->replica_target || !d->replicas_behind) {
        fprintf(stderr, "%s: error: --wait-replicas: %s cannot tell how far its replicas are (the migrations are "
                        "applied)\n", command, d->display_name);
        return ZM_EXIT_SCHEMA;
    }
    zm_db_rows rows = {0};
    zm_db_error err = {0};
    if (zm_db_query(db, d->replica_target, 0, NULL, &rows, &err) != ZM_DB_OK || !rows.nrows ||
        !ZM_DB_CELL(&rows, 0, 0)) {
        zm_print_db_error(command, &err);
        zm_db_error_clear(&err);
        zm_db_rows_free(&rows);
        return ZM_EXIT_SCHEMA;
    }
    char *target = strdup(ZM_DB_CELL(&rows, 0, 0));
    zm_db_rows_free(&rows);
    const char *params[] = {target};
    double t0 = now_ms();
    int status = ZM_EXIT_OK;
    for (;;) {
        if (zm_db_query(db, d->replicas_behind, 1, params, &rows, &err) != ZM_DB_OK) {
            zm_print_db_error(command, &err);
            status = ZM_EXIT_SCHEMA;
            break;
        }
        size_t behind = 0;
        for (size_t i = 0; i < rows.nrows; i++)
            if (ZM_DB_CELL(&rows, i, 1) && strtod(ZM_DB_CELL(&rows, i, 1), NULL) > 0) behind++;
        double elapsed = now_ms() - t0;
        if (rows.nrows == 0) {
            fprintf(out, "Replicas: none is connected to the primary; nothing to wait for.\n");
            break;
        }
        if (behind == 0) {
            fprintf(out, "Replicas: %zu of %zu replayed the migrations (position %s) in %.0f ms:", rows.nrows,
                    rows.nrows, target, elapsed);
            for (size_t i = 0; i < rows.nrows; i++) fprintf(out, "%s %s", i ? "," : "", ZM_DB_CELL(&rows, i, 0));
            fputc('\n', out);
            break;
        }
        if (elapsed >= timeout_ms) {
            fprintf(stderr, "%s: error: --wait-replicas: timed out after %.0f s: %zu of %zu replicas have not "
                            "replayed the migrations yet (position %s); they stay applied on the primary:\n",
                    command, elapsed / 1e3, behind, rows.nrows, target);
            for (size_t i = 0; i < rows.nrows; i++)
                fprintf(stderr, "  %s: %s bytes behind\n", ZM_DB_CELL(&rows, i, 0),
                        ZM_DB_CELL(&rows, i, 1) ? ZM_DB_CELL(&rows, i, 1) : "?");
            status = ZM_EXIT_SCHEMA;
            break;
        }
        zm_db_rows_free(&rows);
        usleep(20000);
    }
    zm_db_rows_free(&rows);
    zm_db_error_clear(&err);
    free(target);
    return status;
}
