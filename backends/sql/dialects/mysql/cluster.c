/*
** cluster.c — migrations on a MariaDB Galera cluster.
**
** GET_LOCK, the migration lock Prisma takes, is held by one node only: two
** deploys on two nodes both get it and both apply the same migration. On a
** Galera node (wsrep_on) zmc adds a lock the cluster agrees on: the row
** id = 1 of `_zmc_migration_lock`, in the migration's database. A deploy
** inserts it in its own transaction; Galera certifies writesets in one
** total order, so of two inserts on two nodes exactly one commits and the
** other fails (a duplicate key, or a deadlock error when certification
** aborts it), and waits. The holder deletes the row when it is done.
**
** A holder can die holding the row. Its connection is gone then, which a
** deploy on the same node sees in the process list; from another node the
** holder is seen gone when the row's heartbeat, written before the
** holder's statements at most every 10 s, is older than ten minutes (a DDL
** statement runs under Total Order Isolation and blocks every write of the
** cluster meanwhile, so no takeover happens while it runs).
**
** Reads wait until the node has applied everything committed before them
** (wsrep_sync_wait = 15), so the deploy that gets the lock reads the
** history the one before it wrote, whichever node that was on.
*/
#define _GNU_SOURCE 1
#include "cluster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "zmc/dialect.h"

#define LOCK_TABLE "`_zmc_migration_lock`"
enum { BEAT_EVERY_S = 10, STALE_AFTER_S = 600 };

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The single value of a one-row query, malloc'ed, or NULL. */
static char *value_of(my_conn *c, const char *sql)
{
    if (mysql_real_query(c->my, sql, strlen(sql)) != 0) return NULL;
    MYSQL_RES *res = mysql_store_result(c->my);
    if (!res) return NULL;
    MYSQL_ROW row = mysql_fetch_row(res);
    char *v = row && mysql_num_fields(res) > 0 && row[mysql_num_fields(res) - 1]
                  ? strdup(row[mysql_num_fields(res) - 1])
                  : NULL;
    mysql_free_result(res);
    return v;
}

zm_db_status my_cluster_setup(my_conn *c, zm_db_error *err)
{
    char *on = value_of(c, "SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
    c->galera = on && strcmp(on, "ON") == 0;
    free(on);
    if (!c->galera) return ZM_DB_OK;
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(c->holder, sizeof c->holder, "%s:%d:%lu", host, (int)getpid(), mysql_thread_id(c->my));
    mysql_real_escape_string(c->my, c->holder_sql, c->holder, strlen(c->holder));
    return my_run(c, "SET SESSION wsrep_sync_wait = 15", err);
}

/* The holder of the row, if it is gone: on this node with no connection
   left, or silent for STALE_AFTER_S. Fills *who for messages. */
static bool holder_gone(my_conn *c, zm_buf *who, char **holder, char **conn_id)
{
    const char *sql = "SELECT l.holder, l.node, l.connection_id, CAST(l.acquired_at AS CHAR), "
                      "TIMESTAMPDIFF(SECOND, l.heartbeat_at, NOW(6)), l.node = @@wsrep_node_name, "
                      "EXISTS (SELECT 1 FROM information_schema.PROCESSLIST p WHERE p.ID = l.connection_id) "
                      "FROM " LOCK_TABLE " l WHERE l.id = 1";
    *holder = *conn_id = NULL;
    if (mysql_real_query(c->my, sql, strlen(sql)) != 0) return false;
    MYSQL_RES *res = mysql_store_result(c->my);
    MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
    bool gone = false;
    if (row && row[0] && row[2]) {
        *holder = strdup(row[0]);
        *conn_id = strdup(row[2]);
        who->len = 0;
        zm_buf_printf(who, "%s on node %s since %s", row[0], row[1] ? row[1] : "?", row[3] ? row[3] : "?");
        bool same_node = row[5] && strcmp(row[5], "1") == 0, alive = row[6] && strcmp(row[6], "1") == 0;
        gone = (same_node && !alive) || (row[4] && atol(row[4]) > STALE_AFTER_S);
    }
    if (res) mysql_free_result(res);
    return gone;
}

zm_db_status my_cluster_lock(my_conn *c, double deadline, zm_db_error *err)
{
    zm_db_status st = my_run(c,
                             "CREATE TABLE IF NOT EXISTS " LOCK_TABLE " (`id` TINYINT NOT NULL PRIMARY KEY, "
                             "`holder` VARCHAR(191) NOT NULL, `node` VARCHAR(191) NOT NULL, "
                             "`connection_id` BIGINT UNSIGNED NOT NULL, `acquired_at` DATETIME(6) NOT NULL, "
                             "`heartbeat_at` DATETIME(6) NOT NULL) ENGINE=InnoDB",
                             err);
    if (st != ZM_DB_OK) return st;
    char insert[640];
    snprintf(insert, sizeof insert,
             "INSERT INTO " LOCK_TABLE " (`id`, `holder`, `node`, `connection_id`, `acquired_at`, `heartbeat_at`) "
             "VALUES (1, '%s', @@wsrep_node_name, CONNECTION_ID(), NOW(6), NOW(6))",
             c->holder_sql);
    zm_buf who = ZM_BUF_INIT;
    unsigned seed = (unsigned)getpid() ^ (unsigned)mysql_thread_id(c->my);
    for (;;) {
        if (mysql_real_query(c->my, insert, strlen(insert)) == 0) {
            c->cluster_lock = true;
            c->beat = time(NULL);
            zm_buf_free(&who);
            return ZM_DB_OK;
        }
        /* taken (1062), or lost certification to another node's insert (1213) */
        char *other = NULL, *other_conn = NULL;
        if (holder_gone(c, &who, &other, &other_conn)) {
            char del[512], a[2 * 191 + 1];
            mysql_real_escape_string(c->my, a, other, strlen(other));
            snprintf(del, sizeof del, "DELETE FROM " LOCK_TABLE " WHERE `id` = 1 AND `holder` = '%s' AND "
                                      "`connection_id` = %lu", a, strtoul(other_conn, NULL, 10));
            mysql_real_query(c->my, del, strlen(del));
            free(other);
            free(other_conn);
            continue;
        }
        free(other);
        free(other_conn);
        if (now_s() >= deadline) {
            st = zm_db_failf(err, ZM_DB_ELOCK,
                             "Timed out waiting for the cluster-wide migration lock (the row of _zmc_migration_lock, "
                             "which a deploy on any node of the Galera cluster holds): held by %s. If that deploy is "
                             "gone, the lock is taken over once its heartbeat is %d minutes old, or at once by a "
                             "deploy on its node.",
                             who.len ? who.data : "another deploy", STALE_AFTER_S / 60);
            zm_buf_free(&who);
            return st;
        }
        usleep(50000 + rand_r(&seed) % 150000);
    }
}

zm_db_status my_cluster_unlock(my_conn *c, zm_db_error *err)
{
    if (!c->cluster_lock) return ZM_DB_OK;
    c->cluster_lock = false;
    char del[512];
    snprintf(del, sizeof del, "DELETE FROM " LOCK_TABLE " WHERE `id` = 1 AND `holder` = '%s'", c->holder_sql);
    return my_run(c, del, err);
}

void my_cluster_beat(my_conn *c)
{
    if (!c->cluster_lock || time(NULL) - c->beat < BEAT_EVERY_S) return;
    c->beat = time(NULL);
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE " LOCK_TABLE " SET `heartbeat_at` = NOW(6) WHERE `id` = 1 AND `holder` = '%s'",
             c->holder_sql);
    if (mysql_real_query(c->my, sql, strlen(sql)) == 0) {
        MYSQL_RES *res = mysql_store_result(c->my);
        if (res) mysql_free_result(res);
    }
}

/* Does the statement change the schema (and so run under TOI)? */
static bool is_ddl(const char *sql)
{
    for (;;) {
        while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r') sql++;
        if (sql[0] == '-' && sql[1] == '-') {
            sql = strchr(sql, '\n');
            if (!sql) return false;
            continue;
        }
        break;
    }
    static const char *const verbs[] = {"CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE"};
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strncasecmp(sql, verbs[i], strlen(verbs[i])) == 0) return true;
    return false;
}

/* Losses come in bursts while the other node's writes queue up, so a
   statement is run again up to CERTIFICATION_RETRIES times in a row, after a
   pause that doubles from 50 ms to at most 1 s (about 8 s in all), jittered so
   that two writers do not meet again in step. */
enum { ER_LOCK_DEADLOCK = 1213, CERTIFICATION_RETRIES = 12 };

static void certification_pause(int attempt, unsigned *seed)
{
    unsigned pause = attempt < 5 ? 50000u << attempt : 1000000u;
    usleep(pause / 2 + (unsigned)rand_r(seed) % pause);
}

zm_db_status my_cluster_run(my_conn *c, const char *sql, zm_db_error *err)
{
    bool ddl = is_ddl(sql);
    /* inside a transaction, the statements before this one are rolled back
       with it: it cannot run again alone */
    bool in_transaction = (c->my->server_status & SERVER_STATUS_IN_TRANS) != 0;
    unsigned seed = (unsigned)getpid() ^ (unsigned)mysql_thread_id(c->my);
    for (int attempt = 0;; attempt++) {
        double t0 = now_s();
        zm_db_error e = {0};
        zm_db_status st = my_run(c, sql, &e);
        double ms = (now_s() - t0) * 1e3;
        if (st == ZM_DB_OK && ddl) {
            c->toi_count++;
            c->toi_ms += ms;
            if (ms >= c->toi_max_ms) {
                c->toi_max_ms = ms;
                const char *p = sql;
                while (*p == ' ' || *p == '\n' || (p[0] == '-' && p[1] == '-' && (p = strchr(p, '\n')) != NULL)) p++;
                /* its first line: CREATE TABLE `A` ( */
                snprintf(c->toi_max, sizeof c->toi_max, "%.*s", (int)(p ? strcspn(p, "\n") : 0), p ? p : "");
            }
        }
        bool lost = st == ZM_DB_ESQL && mysql_errno(c->my) == ER_LOCK_DEADLOCK;
        if (!lost || in_transaction || attempt == CERTIFICATION_RETRIES) {
            if (lost) {
                zm_buf m = ZM_BUF_INIT;
                if (in_transaction)
                    zm_buf_printf(&m, "%s (the transaction lost certification to a concurrent write on another node "
                                      "of the Galera cluster and was rolled back whole: run the command again)",
                                  e.message ? e.message : "deadlock");
                else
                    zm_buf_printf(&m, "%s (the statement lost certification to a concurrent write on another node "
                                      "of the Galera cluster %d times in a row; nothing of it was applied)",
                                  e.message ? e.message : "deadlock", CERTIFICATION_RETRIES + 1);
                free(e.message);
                e.message = m.data;
            }
            *err = e;
            return st;
        }
        zm_db_error_clear(&e);
        c->retried++;
        if ((unsigned)attempt + 1 > c->retried_in_a_row) c->retried_in_a_row = (unsigned)attempt + 1;
        certification_pause(attempt, &seed);
    }
}

char *my_cluster_notes(void *conn)
{
    my_conn *c = conn;
    if (!c || !c->galera || (!c->toi_count && !c->retried)) return NULL;
    zm_buf b = ZM_BUF_INIT;
    zm_buf_puts(&b, "Galera:");
    if (c->toi_count)
        zm_buf_printf(&b, " %u DDL statement%s ran under Total Order Isolation, holding the cluster's writes for "
                          "%.0f ms in all (the longest, %.0f ms: %s)",
                      c->toi_count, c->toi_count == 1 ? "" : "s", c->toi_ms, c->toi_max_ms, c->toi_max);
    if (c->retried)
        zm_buf_printf(&b, "%s %u statement%s run again after losing certification to a concurrent write (one "
                          "statement at most %u time%s in a row)",
                      c->toi_count ? ";" : "", c->retried, c->retried == 1 ? " was" : "s were", c->retried_in_a_row,
                      c->retried_in_a_row == 1 ? "" : "s");
    c->toi_count = c->retried = c->retried_in_a_row = 0;
    c->toi_ms = c->toi_max_ms = 0;
    return b.data;
}
