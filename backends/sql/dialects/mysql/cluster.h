/*
** cluster.h — the MySQL driver's connection, and what it does on a MariaDB
** Galera cluster (cluster.c): a migration lock that holds across the nodes.
*/
#ifndef ZM_MYSQL_CLUSTER_H
#define ZM_MYSQL_CLUSTER_H

#include <mysql.h>
#include <stdbool.h>
#include <time.h>

#include "driver.h"

/* A connection of the driver. */
typedef struct my_conn {
    MYSQL *my;
    bool galera;                /* the server is a Galera node (wsrep_on) */
    bool cluster_lock;          /* this connection holds the cluster-wide lock row */
    char holder[160];           /* who holds it: host:pid:connection */
    char holder_sql[321];       /* the same, escaped for a '...' literal */
    time_t beat;                /* when the row's heartbeat was last written */
    /* Since the notes were last taken (my_cluster_notes): */
    unsigned toi_count, retried, retried_in_a_row; /* the most times one statement ran again */
    double toi_ms, toi_max_ms;
    char toi_max[72];           /* the start of the longest DDL statement */
} my_conn;

/* One statement; its result (if any) read and dropped. */
zm_db_status my_run(my_conn *c, const char *sql, zm_db_error *err);
zm_db_status my_fail(MYSQL *my, zm_db_status st, const char *statement, zm_db_error *err);

/* After connecting: is the server a Galera node? If so, reads wait until
   the node has applied everything the cluster committed before them
   (wsrep_sync_wait), so a deploy on one node sees the migrations another
   recorded. */
zm_db_status my_cluster_setup(my_conn *c, zm_db_error *err);

/* The cluster-wide half of the migration lock, once GET_LOCK (node-local)
   is held: a row of `_zmc_migration_lock`, inserted in its own
   transaction, which Galera certifies once across the nodes. Waits until
   `deadline` (a CLOCK_MONOTONIC second), taking over a row whose holder is
   gone. ZM_DB_ELOCK names the holder when it times out. */
zm_db_status my_cluster_lock(my_conn *c, double deadline, zm_db_error *err);
zm_db_status my_cluster_unlock(my_conn *c, zm_db_error *err);
/* One statement of a script on a Galera node: a DDL statement, which
   runs under Total Order Isolation (the cluster's writes wait for it), is
   timed; a statement that loses certification to a concurrent write on
   another node (ER_LOCK_DEADLOCK outside a transaction) is run again, up
   to three times. */
zm_db_status my_cluster_run(my_conn *c, const char *sql, zm_db_error *err);
/* The driver's notes (zmc_db_driver.notes): "Galera: ..." or NULL. */
char *my_cluster_notes(void *conn);

/* While the lock is held: the row's heartbeat, written at most every 10 s
   before a statement, so that the holder is seen alive. */
void my_cluster_beat(my_conn *c);

#endif
