/*
** project.h — what the database commands open first: the schema (checked
** and lowered for its datasource), the datasource's URL, a connection, and
** the migrations folder next to the schema.
*/
#ifndef ZM_MIGRATE_PROJECT_H
#define ZM_MIGRATE_PROJECT_H

#include <stdbool.h>

#include "migrate.h"
#include "side.h"
#include "zmc/db.h"

typedef struct zm_project {
    const char *command;        /* "zmc migrate deploy", for messages */
    const char *schema_path;
    zm_side model;              /* the schema, lowered for its datasource */
    zm_db_url url;
    char *migrations_dir;       /* --migrations, else <schema folder>/migrations */
    const char *provider;       /* "sqlite" or "postgresql" */
    zm_db *db;
    bool created;               /* the database did not exist */
} zm_project;

typedef struct zm_project_options {
    const char *schema;         /* --schema, or NULL for the default places */
    const char *migrations;     /* --migrations, or NULL */
    int level;                  /* --zenstack, 0 for the default */
    bool create;                /* create the database (file, database, ?schema=) if missing */
    bool writes;                /* refuse a database that takes no writes (a replica), before anything */
    bool quiet;                 /* do not print the "Datasource: ..." line */
    bool shadow_only;           /* connect only where the shadow needs the server (no SQLite file) */
    bool offline;               /* connect to nothing (the schema and its .env only) */
} zm_project_options;

/* 0, or an exit status after printing why (1 schema, 2 usage, 3 cannot
   connect). The project is closed on failure. */
int zm_project_open(zm_project *p, const char *command, const zm_project_options *o);
void zm_project_close(zm_project *p);
/* Why the last zm_project_open failed, in one line (passwords masked). */
const char *zm_project_last_error(void);

/* The migration engine's context for an open project: its folder,
   provider and connection, output on stdout, a 30 s lock timeout. */
zm_migrate_ctx zm_project_migrate_ctx(const zm_project *p, bool json);

/* The migrations replayed into the shadow, as migrate dev's drift check
   does: on a server (ZMC_SHADOW_DATABASE), through the datasource's server,
   or shadowDatabaseUrl's when the datasource names one; `cap` (may be NULL)
   collects the schema after each migration (zm_side_from_replay_states). */
int zm_project_replay(const zm_project *p, const char *const *names, const char *const *scripts, size_t n,
                      zm_side *shadow, zm_replay_states *cap);

/* Drop everything the database holds for the project: the connection's
   schema (zm_db_reset) and, with a PostgreSQL multiSchema datasource, each
   namespace of its `schemas` list; in one transaction where the database
   allows, so a failure changes nothing. */
zm_db_status zm_project_reset(const zm_project *p, zm_db_error *err);

/* Connect to `url`, creating the SQLite file or the PostgreSQL database if
   needed (*created says so). */
zm_db_status zm_db_connect_creating(const zm_db_url *url, zm_db **db, zm_db_error *err, bool *created);

#endif
