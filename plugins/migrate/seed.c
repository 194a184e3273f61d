/*
** seed.c — the project's seed command: `zmc db seed`, and after `migrate
** reset` and a `migrate dev` that created the database (unless --skip-seed).
**
** Where it is declared: package.json's `"zenstack": {"seed": "..."}`, as
** ZenStack's `zen db seed` reads it, else `"prisma": {"seed": "..."}`, as
** Prisma 6 reads it, in the first package.json found from the working
** folder upwards. ZenStack's place comes first because zmc serves ZenStack
** projects; Prisma's is read too so that a Prisma project switches without
** an edit. (Prisma's newer prisma.config.ts is TypeScript that only Node can
** evaluate: a project using it moves the command to package.json.)
**
** The command runs through /bin/sh in the folder of that package.json, with
** the environment zmc has (DATABASE_URL from .env included), as npm scripts
** run. Its exit status decides: a failing seed fails the command.
*/
#define _GNU_SOURCE 1
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "migrate_int.h"
#include "project.h"
#include "zmc/command.h"

const char zm_db_seed_usage[] =
    "usage: zmc db seed [--schema PATH] [--zenstack 2|3]\n"
    "\n"
    "Run the project's seed command: package.json's \"zenstack\": {\"seed\": \"...\"}\n"
    "(as ZenStack reads it), else \"prisma\": {\"seed\": \"...\"} (as Prisma 6 reads it), in\n"
    "the first package.json from the working folder up. It runs through /bin/sh in\n"
    "that folder, with DATABASE_URL from .env. migrate reset runs it too, and migrate\n"
    "dev when it created the database, unless --skip-seed.\n"
    "\n"
    "Exit status: 0 seeded (or no seed command), 1 the seed command failed, 2 usage\n"
    "error, 3 a file could not be read.\n";

/* The seed command declared in the first package.json from the working
   folder up; *dir its folder, *where "zenstack.seed" or "prisma.seed".
   NULL when none declares one (*dir NULL too when there is no package.json),
   or with *broken set (malloc'ed) when that package.json is no JSON. */
static char *seed_command(char **dir, const char **where, char **broken)
{
    *dir = NULL;
    *where = NULL;
    *broken = NULL;
    char path[PATH_MAX];
    if (!getcwd(path, sizeof path - 16)) return NULL;
    for (;;) {
        size_t len = strlen(path);
        snprintf(path + len, sizeof path - len, "%spackage.json", len > 1 ? "/" : "");
        struct stat st;
        if (stat(path, &st) == 0) {
            path[len] = '\0';
            *dir = strdup(path);
            strcat(path, len > 1 ? "/package.json" : "package.json");
            json_error_t jerr;
            json_t *pkg = json_load_file(path, 0, &jerr);
            if (!pkg && asprintf(broken, "%s: line %d: %s", path, jerr.line, jerr.text) < 0) *broken = strdup(path);
            const char *keys[] = {"zenstack", "prisma"};
            char *command = NULL;
            for (size_t i = 0; i < 2 && !command; i++) {
                const char *s = json_string_value(json_object_get(json_object_get(pkg, keys[i]), "seed"));
                if (s && *s) {
                    command = strdup(s);
                    *where = i == 0 ? "zenstack.seed" : "prisma.seed";
                }
            }
            json_decref(pkg);
            return command;
        }
        path[len] = '\0';
        char *slash = strrchr(path, '/');
        if (!slash || slash == path) return NULL;
        *slash = '\0';
    }
}

int zm_seed_run(zm_migrate_ctx *c, bool say_none)
{
    char *dir = NULL, *broken = NULL;
    const char *where = NULL;
    char *command = seed_command(&dir, &where, &broken);
    int rc = 0;
    if (broken) {
        mg_fail(c, NULL, "cannot read the seed command from %s", broken);
        free(broken);
        free(dir);
        return ZM_EXIT_IO;
    }
    if (!command) {
        if (say_none)
            mg_say(c, "No seed command: declare one in package.json as \"zenstack\": {\"seed\": \"...\"}%s.\n",
                   dir ? "" : " (there is no package.json here or above)");
        free(dir);
        return 0;
    }
    /* the project's .env, as the seed script expects (variables already set win) */
    char *env = NULL;
    if (asprintf(&env, "%s/.env", dir) >= 0) zm_dotenv_load(env);
    free(env);
    mg_say(c, "\nRunning seed command `%s` (%s in %s/package.json) ...\n", command, where, dir);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(dir) != 0) _exit(127);
        if (c->json) dup2(STDERR_FILENO, STDOUT_FILENO);   /* stdout is the JSON report's */
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0) {
        rc = mg_fail(c, NULL, "cannot start the seed command: %s", strerror(errno));
    } else {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            mg_say(c, "The seed command has been executed.\n");
        else if (WIFEXITED(status))
            rc = mg_fail(c, NULL, "the seed command `%s` failed (exit status %d)", command, WEXITSTATUS(status));
        else
            rc = mg_fail(c, NULL, "the seed command `%s` was killed by signal %d", command, WTERMSIG(status));
    }
    if (c->json) json_object_set_new(REPORT(c), "seeded", json_boolean(rc == 0));
    free(command);
    free(dir);
    return rc;
}

int zm_db_seed_cmd(int argc, char **argv)
{
    const char *schema = NULL, *level = NULL;
    bool json = false;
    int status = 0, lv = 0;
    for (int i = 1; i < argc && !status; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &schema, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--zenstack", &level, &status)) {
            if (!status && !(lv = zm_arg_level(level))) status = ZM_EXIT_USAGE;
            continue;
        }
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
            continue;
        }
        fprintf(stderr, "zmc db seed: error: unexpected argument '%s'\n\n%s", argv[i], zm_db_seed_usage);
        status = ZM_EXIT_USAGE;
    }
    if (status) return mg_report_early("seed", argc, argv, status, "usage error: the details are on stderr");
    /* the schema, when there is one, for the .env files its datasource reads
       (the seed's DATABASE_URL); the seed itself needs neither */
    const char *path = zm_arg_default_schema(schema);
    if (path) {
        int compiled = 0;
        const zm_ir *ir = zm_engine_compile(path, lv, &compiled);
        zm_db_url url;
        char *error = NULL;
        if (ir && zm_datasource_url(ir, path, "url", &url, &error) == 0) zm_db_url_free(&url);
        free(error);
    }
    zm_migrate_ctx c = {.command = "zmc db seed", .json = json, .out = stdout};
    mg_begin(&c, "seed");
    return mg_end(&c, zm_seed_run(&c, true));
}
