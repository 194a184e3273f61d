/*
** cmd_migrate_apply.c — `zmc migrate deploy | status | resolve`: the
** commands that apply migrations and read or mend their records. The work
** is the migration engine's (plugins/migrate); this file parses the
** options, opens the project (schema, datasource, connection, folder) and
** hands over.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "migrate.h"
#include "migrate_int.h"
#include "project.h"
#include "replicas.h"

const char zm_migrate_deploy_usage[] =
    "usage: zmc migrate deploy [--schema PATH] [--migrations DIR] [--json] [--allow-modified]\n"
    "                          [--lock-timeout SECONDS] [--wait-replicas [--replica-timeout SECONDS]]\n"
    "                          [--zenstack 2|3]\n"
    "\n"
    "Apply the pending migrations of the migrations folder to the datasource's database,\n"
    "in folder-name order, each in its own transaction with its record in\n"
    "_prisma_migrations (all or nothing). Never generates, resets or prompts: the\n"
    "command for CI and production. Stops at the first migration that fails; refuses\n"
    "while a failed migration is unresolved, and when an applied migration's file was\n"
    "modified since (unless --allow-modified). A database that takes no writes (a replica)\n"
    "is refused before anything is done.\n"
    "\n"
    "  --wait-replicas        then wait until every replica of the primary has replayed\n"
    "                         the migrations (PostgreSQL streaming replication), up to\n"
    "                         --replica-timeout seconds (default 60); exit 1 if one is\n"
    "                         still behind, listing how far\n";

const char zm_migrate_status_usage[] =
    "usage: zmc migrate status [--schema PATH] [--migrations DIR] [--json] [--zenstack 2|3]\n"
    "\n"
    "Compare the migrations folder with the database's history. Exit status 0 when\n"
    "every migration is applied and none failed or was modified since, else 1 with\n"
    "the reason.\n";

const char zm_migrate_resolve_usage[] =
    "usage: zmc migrate resolve (--applied NAME | --rolled-back NAME) [--schema PATH]\n"
    "                           [--migrations DIR] [--json] [--zenstack 2|3]\n"
    "\n"
    "Mend the history by hand: --applied records migration NAME as applied without\n"
    "running it (a baseline, or a failed migration finished by hand); --rolled-back\n"
    "marks its failed attempt rolled back, so that deploy runs it again.\n";

typedef struct apply_args {
    zm_project_options project;
    const char *level_text, *applied, *rolled_back, *timeout_text, *replica_timeout_text;
    bool json, allow_modified, wait_replicas;
} apply_args;

/* The options the three commands share, and each one's own. */
static int parse(const char *command, int argc, char **argv, apply_args *a, bool deploy, bool resolve)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &a->project.schema, &status) ||
            zm_arg_option(argc, argv, &i, "--migrations", &a->project.migrations, &status) ||
            zm_arg_option(argc, argv, &i, "--zenstack", &a->level_text, &status) ||
            (deploy && zm_arg_option(argc, argv, &i, "--lock-timeout", &a->timeout_text, &status)) ||
            (deploy && zm_arg_option(argc, argv, &i, "--replica-timeout", &a->replica_timeout_text, &status)) ||
            (resolve && zm_arg_option(argc, argv, &i, "--applied", &a->applied, &status)) ||
            (resolve && zm_arg_option(argc, argv, &i, "--rolled-back", &a->rolled_back, &status))) {
            if (status) return status;
        } else if (strcmp(argv[i], "--json") == 0) {
            a->json = true;
        } else if (deploy && strcmp(argv[i], "--allow-modified") == 0) {
            a->allow_modified = true;
        } else if (deploy && strcmp(argv[i], "--wait-replicas") == 0) {
            a->wait_replicas = true;
        } else {
            fprintf(stderr, "%s: error: unexpected argument '%s'\n", command, argv[i]);
            return ZM_EXIT_USAGE;
        }
    }
    if (resolve && !a->applied == !a->rolled_back) {
        fprintf(stderr, "%s: error: pass exactly one of --applied NAME and --rolled-back NAME\n", command);
        return ZM_EXIT_USAGE;
    }
    a->project.level = a->level_text ? zm_arg_level(a->level_text) : 3;
    if (!a->project.level) return ZM_EXIT_USAGE;
    a->project.quiet = a->json;
    return 0;
}

static int seconds_ms(const char *command, const char *option, const char *text, int dflt_ms, int *out)
{
    *out = dflt_ms;
    if (!text) return 0;
    char *end;
    double s = strtod(text, &end);
    if (*end || s < 0 || s > 86400) {
        fprintf(stderr, "%s: error: %s takes seconds (0 to 86400), not '%s'\n", command, option, text);
        return ZM_EXIT_USAGE;
    }
    *out = (int)(s * 1000);
    return 0;
}

enum { DEPLOY, STATUS, RESOLVE };

static int run(int which, int argc, char **argv)
{
    static const char *const names[] = {"zmc migrate deploy", "zmc migrate status", "zmc migrate resolve"};
    static const char *const words[] = {"deploy", "status", "resolve"};
    const char *command = names[which];
    apply_args a = {0};
    int status = parse(command, argc, argv, &a, which == DEPLOY, which == RESOLVE);
    int timeout = 0, replica_timeout = 0;
    if (!status) status = seconds_ms(command, "--lock-timeout", a.timeout_text, 30000, &timeout);
    if (!status) status = seconds_ms(command, "--replica-timeout", a.replica_timeout_text, 60000, &replica_timeout);
    if (status) return mg_report_early(words[which], argc, argv, status, "usage error: the details are on stderr");
    a.project.create = which == DEPLOY;
    a.project.writes = which != STATUS;
    zm_project p;
    if ((status = zm_project_open(&p, command, &a.project)))
        return mg_report_early(words[which], argc, argv, status, zm_project_last_error());
    zm_migrate_ctx c = zm_project_migrate_ctx(&p, a.json);
    c.ignore_checksums = a.allow_modified;
    c.lock_timeout_ms = timeout;
    switch (which) {
    case DEPLOY:
        status = zm_migrate_deploy(&c);
        /* the report is printed; with --json stdout holds it alone */
        if (!status && a.wait_replicas)
            status = zm_wait_replicas(p.db, command, replica_timeout, a.json ? stderr : stdout);
        break;
    case STATUS: status = zm_migrate_status(&c); break;
    default: status = zm_migrate_resolve(&c, a.applied, a.rolled_back); break;
    }
    zm_project_close(&p);
    return status;
}

int zm_migrate_deploy_cmd(int argc, char **argv) { return run(DEPLOY, argc, argv); }
int zm_migrate_status_cmd(int argc, char **argv) { return run(STATUS, argc, argv); }
int zm_migrate_resolve_cmd(int argc, char **argv) { return run(RESOLVE, argc, argv); }
