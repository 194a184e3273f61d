/*
** cmd_migrate.c — `zmc migrate <command>`: the migration commands.
**
** `migrate diff` compares two sides (an empty database, a schema, a live
** database, a migrations folder) and prints the SQL that turns the first
** into the second, as `prisma migrate diff` does. It never writes to a
** database.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "side.h"
#include "zmc/buf.h"
#include "zmc/command.h"
#include "zmc/db.h"
#include "zmc/diff.h"

const char zm_migrate_usage[] =
    "usage: zmc migrate <command> [options]\n"
    "\n"
    "commands:\n"
    "  dev       create a migration from the schema's changes and apply it (development)\n"
    "  reset     empty the development database and apply every migration\n"
    "  deploy    apply the pending migrations (CI and production)\n"
    "  down      revert the latest applied migrations (down.sql, or computed)\n"
    "  status    compare the migrations folder with the database's history\n"
    "  resolve   mark a migration applied or rolled back by hand\n"
    "  rebase    move a migration that arrived out of order after the newest\n"
    "  diff      compare two database schemas, print the SQL between them\n"
    "  lint      report what in the migrations is dangerous on a database with data\n"
    "\n"
    "The migrations folder is <schema folder>/migrations (zenstack/migrations for the\n"
    "default schema), or --migrations DIR. Records are Prisma Migrate's: folders\n"
    "<timestamp>_<name>/migration.sql, migration_lock.toml, the _prisma_migrations table.\n"
    "zmc migrate <command> --help for a command's options.\n"
    "\n"
    "--backend prisma (or the schema's `plugin migrate { provider = \"migrate\" backend =\n"
    "\"prisma\" }`) runs dev, reset, deploy, status and resolve through the Prisma CLI\n"
    "($ZMC_PRISMA, node_modules/.bin/prisma, or prisma on PATH) on a Prisma schema zmc\n"
    "writes; --backend sql is zmc's own engine, the default.\n"
    "\n"
    "Exit status: 0 ok, 1 refused, failed or not in sync (status), 2 usage error,\n"
    "3 cannot reach the database or read a file.\n";

const char zm_migrate_diff_usage[] =
    "usage: zmc migrate diff --from-<kind> ... --to-<kind> ... [--script] [--exit-code] [-o FILE]\n"
    "\n"
    "Compare two database schemas and print what changes the first into the second:\n"
    "a summary, or with --script the SQL (Prisma Migrate's statements and layout).\n"
    "It reads databases but never writes to them.\n"
    "\n"
    "sides (one --from-*, one --to-*):\n"
    "  --from-empty, --to-empty                      an empty database\n"
    "  --from-schema PATH, --to-schema PATH          a schema's model (also -schema-datamodel)\n"
    "  --from-schema-datasource PATH, --to-...       the database a schema's datasource names\n"
    "  --from-url URL, --to-url URL                  a database (file:..., postgresql://...)\n"
    "  --from-migrations DIR, --to-migrations DIR    a migrations folder, replayed in a shadow\n"
    "                                                database (SQLite: in memory)\n"
    "\n"
    "options:\n"
    "  --script            print the SQL instead of a summary\n"
    "  --rename T.OLD=NEW  column OLD of table T is NEW now: rename it, keeping its data\n"
    "                      (database names; repeatable)\n"
    "  --exit-code         exit 0 when there is no difference, 2 when there is one, 1 on error\n"
    "  -o, --output FILE   write to FILE instead of stdout\n"
    "  --shadow-database-url URL  PostgreSQL: where migrations are replayed (in a temporary\n"
    "                      schema, dropped afterwards)\n"
    "  --provider NAME     the dialect of schema and empty sides: sqlite or postgresql\n"
    "                      (default: the datasource's provider)\n"
    "  --zenstack N        language level of the schemas: 3 (default) or 2\n"
    "\n"
    "Exit status: 0 ok, 1 schema or database errors, 2 usage error, 3 cannot connect or\n"
    "read a file (with --exit-code: 0 no difference, 2 difference, 1 any error).\n";

typedef enum side_kind { SIDE_NONE, SIDE_EMPTY, SIDE_SCHEMA, SIDE_DATASOURCE, SIDE_URL, SIDE_MIGRATIONS } side_kind;

typedef struct side_arg {
    side_kind kind;
    const char *value;
} side_arg;

/* --from-X / --to-X: which side kind, and its value. */
static bool side_option(int argc, char **argv, int *i, const char *prefix, side_arg *out, int *status)
{
    static const struct { const char *suffix; side_kind kind; } kinds[] = {
        {"schema-datamodel", SIDE_SCHEMA}, {"schema-datasource", SIDE_DATASOURCE}, {"schema", SIDE_SCHEMA},
        {"url", SIDE_URL},                 {"migrations", SIDE_MIGRATIONS},
    };
    char name[64];
    snprintf(name, sizeof name, "%s-empty", prefix);
    if (strcmp(argv[*i], name) == 0) {
        if (out->kind) goto twice;
        out->kind = SIDE_EMPTY;
        return true;
    }
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        snprintf(name, sizeof name, "%s-%s", prefix, kinds[k].suffix);
        const char *v = NULL;
        if (!zm_arg_option(argc, argv, i, name, &v, status)) continue;
        if (*status) return true;
        if (out->kind) goto twice;
        *out = (side_arg){kinds[k].kind, v};
        return true;
    }
    return false;
twice:
    fprintf(stderr, "zmc migrate diff: error: give one %s-* option\n", prefix);
    *status = ZM_EXIT_USAGE;
    return true;
}

/* The database a schema's datasource names, read back. */
static int side_from_datasource(zm_side *side, const char *path, int level)
{
    zm_side schema;
    int rc = zm_side_from_schema(&schema, path, level, 0);
    if (rc) return rc;
    zm_db_url url;
    char *error = NULL;
    if (zm_datasource_url(schema.ir, path, "url", &url, &error) != 0) {
        fprintf(stderr, "zmc: error: %s: %s\n", path, error ? error : "");
        free(error);
        zm_side_free(&schema);
        return ZM_EXIT_SCHEMA;
    }
    rc = zm_side_from_db_url(side, &url, schema.rel);
    zm_side_free(&schema);
    zm_db_url_free(&url);
    return rc;
}

static const char *shadow_url;     /* --shadow-database-url */

/* The database the other side names (--*-url, --*-schema-datasource, its
   schema compiled in `model`), if any: the shadow must not be it. 0 and
   *out, else -1. */
static int other_database(const side_arg *o, const zm_side *model, zm_db_url *out)
{
    char *error = NULL;
    if (o->kind == SIDE_URL) {
        if (zm_db_url_parse(o->value, ".", out, &error) == 0) return 0;
    } else if (o->kind == SIDE_DATASOURCE && model->ir) {
        if (zm_datasource_url(model->ir, o->value, "url", out, &error) == 0) return 0;
    }
    free(error);
    return -1;
}

static const side_arg *other_side;  /* the side a migrations or URL side is compared with */

/* The model of the other side when it is a schema, in *model: a database
   side is read as it says (the namespaces of a multiSchema datasource). 0,
   or an exit status after printing the schema's errors. */
static int other_model(int level, zm_side *model)
{
    *model = (zm_side){0};
    if (!other_side || (other_side->kind != SIDE_SCHEMA && other_side->kind != SIDE_DATASOURCE)) return ZM_EXIT_OK;
    return zm_side_from_schema(model, other_side->value, level, 0);
}

static int load_side(zm_side *side, const side_arg *a, int level, const zmc_dialect *dialect)
{
    if (a->kind == SIDE_MIGRATIONS || a->kind == SIDE_URL) {
        zm_side model;
        int rc = other_model(level, &model);
        if (rc) return rc;
        if (a->kind == SIDE_URL) {
            rc = zm_side_from_url(side, a->value, ".", false, model.rel);
        } else {
            zm_db_url live;
            bool have = other_side && other_database(other_side, &model, &live) == 0;
            rc = zm_side_from_migrations(side, a->value, dialect, shadow_url, have ? &live : NULL, model.rel);
            if (have) zm_db_url_free(&live);
        }
        zm_side_free(&model);
        return rc;
    }
    switch (a->kind) {
    case SIDE_SCHEMA: return zm_side_from_schema(side, a->value, level, dialect);
    case SIDE_DATASOURCE: return side_from_datasource(side, a->value, level);
    case SIDE_URL: break;
    case SIDE_MIGRATIONS: break;
    case SIDE_EMPTY: return zm_side_empty(side, dialect);
    case SIDE_NONE: break;
    }
    return ZM_EXIT_USAGE;
}

static int migrate_diff(int argc, char **argv)
{
    side_arg from = {0}, to = {0};
    const char *output = NULL, *level_text = NULL, *provider = NULL;
    bool script = false, exit_code = false;
    int status = ZM_EXIT_OK;
    zm_renames renames = {0};
    for (int i = 1; i < argc; i++) {
        const char *hint = NULL;
        if (zm_arg_option(argc, argv, &i, "--rename", &hint, &status)) {
            if (!status) status = zm_renames_add(&renames, "zmc migrate diff", hint);
            if (status) {
                zm_renames_free(&renames);
                return status;
            }
            continue;
        }
        if (side_option(argc, argv, &i, "--from", &from, &status) || side_option(argc, argv, &i, "--to", &to, &status) ||
            zm_arg_option(argc, argv, &i, "--output", &output, &status) ||
            zm_arg_option(argc, argv, &i, "-o", &output, &status) ||
            zm_arg_option(argc, argv, &i, "--zenstack", &level_text, &status) ||
            zm_arg_option(argc, argv, &i, "--provider", &provider, &status) ||
            zm_arg_option(argc, argv, &i, "--shadow-database-url", &shadow_url, &status)) {
            if (status) return zm_renames_free(&renames), status;
        } else if (strcmp(argv[i], "--script") == 0) {
            script = true;
        } else if (strcmp(argv[i], "--exit-code") == 0) {
            exit_code = true;
        } else {
            fprintf(stderr, "zmc migrate diff: error: unexpected argument '%s'\n", argv[i]);
            return zm_renames_free(&renames), ZM_EXIT_USAGE;
        }
    }
    if (!from.kind || !to.kind) {
        fputs("zmc migrate diff: error: give one --from-* and one --to-* option (see zmc migrate diff --help)\n",
              stderr);
        return zm_renames_free(&renames), ZM_EXIT_USAGE;
    }
    int level = level_text ? zm_arg_level(level_text) : 3;
    if (!level) return zm_renames_free(&renames), ZM_EXIT_USAGE;
    const zmc_dialect *dialect = NULL;
    if (provider) {
        char *why = NULL;
        dialect = zm_engine_dialect(provider, &why);
        if (!dialect) {
            fprintf(stderr, "zmc migrate diff: error: %s\n", why ? why : "unknown provider");
            free(why);
            return zm_renames_free(&renames), ZM_EXIT_USAGE;
        }
    }

    /* Sides that name their dialect first; empty and migrations sides take it. */
    zm_side a = {0}, b = {0};
    bool a_first = !(from.kind == SIDE_EMPTY || from.kind == SIDE_MIGRATIONS);
    side_arg *first = a_first ? &from : &to, *second = a_first ? &to : &from;
    zm_side *s1 = a_first ? &a : &b, *s2 = a_first ? &b : &a;
    if ((first->kind == SIDE_EMPTY || first->kind == SIDE_MIGRATIONS) &&
        (second->kind == SIDE_EMPTY || second->kind == SIDE_MIGRATIONS) && !dialect) {
        fputs("zmc migrate diff: error: neither side names a database kind: pass --provider\n", stderr);
        return zm_renames_free(&renames), ZM_EXIT_USAGE;
    }
    other_side = second;
    status = load_side(s1, first, level, dialect);
    other_side = first;
    if (!status) status = load_side(s2, second, level, dialect ? dialect : s1->dialect);
    if (!status && a.dialect != b.dialect) {
        fprintf(stderr, "zmc migrate diff: error: the sides are different databases (%s and %s)\n",
                a.dialect->display_name, b.dialect->display_name);
        status = ZM_EXIT_USAGE;
    }
    zm_rel_diff *d = status ? NULL : zm_rel_diff_new_with_renames(a.rel, b.rel, renames.items, renames.count);
    if (!status && !d) {
        fputs("zmc migrate diff: error: out of memory\n", stderr);
        status = ZM_EXIT_IO;
    }
    if (d && (status = zm_renames_check(&renames, "zmc migrate diff", zm_rel_diff_renamed_count(d)))) {
        zm_rel_diff_free(d);
        d = NULL;
    }
    zm_renames_free(&renames);
    bool differ = d && !zm_rel_diff_is_empty(d);
    if (d) {
        zm_buf out = ZM_BUF_INIT;
        if (script) {
            zm_rel_diff_render(d, false, zm_buf_write, &out);
        } else if (differ) {
            char *summary = zm_rel_diff_summary(d);
            zm_buf_puts(&out, "\n");
            zm_buf_puts(&out, summary ? summary : "");
            free(summary);
        } else {
            zm_buf_puts(&out, "No difference detected.\n");
        }
        if (output) {
            if (zm_write_file_atomic(output, out.data ? out.data : "", out.len) != 0) {
                fprintf(stderr, "zmc migrate diff: error: cannot write %s\n", output);
                status = ZM_EXIT_IO;
            }
        } else {
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
            if (script) putchar('\n');  /* as Prisma's CLI prints it */
        }
        zm_buf_free(&out);
    }
    zm_rel_diff_free(d);
    zm_side_free(&a);
    zm_side_free(&b);
    if (exit_code) return status ? 1 : differ ? 2 : 0;
    return status;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} subcommands[] = {
    {"dev", zm_migrate_dev_cmd, zm_migrate_dev_usage},
    {"reset", zm_migrate_reset_cmd, zm_migrate_reset_usage},
    {"deploy", zm_migrate_deploy_cmd, zm_migrate_deploy_usage},
    {"status", zm_migrate_status_cmd, zm_migrate_status_usage},
    {"resolve", zm_migrate_resolve_cmd, zm_migrate_resolve_usage},
    {"diff", migrate_diff, zm_migrate_diff_usage},
    {"lint", zm_migrate_lint_cmd, zm_migrate_lint_usage},
    {"down", zm_migrate_down_cmd, zm_migrate_down_usage},
    {"rebase", zm_migrate_rebase_cmd, zm_migrate_rebase_usage},
};

int zm_cmd_migrate(int argc, char **argv)
{
    if (argc < 2) {
        fputs(zm_migrate_usage, stderr);
        return ZM_EXIT_USAGE;
    }
    if (zm_arg_is_help(argv[1])) {
        fputs(zm_migrate_usage, stdout);
        return ZM_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(argv[1], subcommands[i].name) != 0) continue;
        for (int j = 2; j < argc && strcmp(argv[j], "--") != 0; j++)
            if (zm_arg_is_help(argv[j])) {
                fputs(subcommands[i].usage, stdout);
                return ZM_EXIT_OK;
            }
        return subcommands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "zmc migrate: error: unknown command '%s'\n\n%s", argv[1], zm_migrate_usage);
    return ZM_EXIT_USAGE;
}
