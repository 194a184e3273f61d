/*
** pull.c — `zmc db pull`: the datasource's database read back and written
** as the schema's models and enums (pull_write.c), merged into the schema
** file by the host (the front end's pull_merge), so that what the database
** cannot know (policies, validation, comments, names chosen with @map,
** abstract models) stays.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "introspect.h"
#include "project.h"
#include "pull.h"
#include "side.h"
#include "zmc/buf.h"
#include "zmc/command.h"
#include "zmc/db.h"
#include "zmc/diff.h"

const char zm_db_pull_usage[] =
    "usage: zmc db pull [--schema PATH] [--print] [--force] [--zenstack 2|3]\n"
    "\n"
    "Read the database of the schema's datasource and write the models and enums that\n"
    "describe it into the schema (default: zenstack/schema.zmodel, else ./schema.zmodel),\n"
    "named as Prisma's introspection names them. Pulling into a schema that has models\n"
    "keeps what the database cannot know: a field or model the database still has keeps\n"
    "its name, comments, policies (@@allow, @deny, ...), validation and other attributes;\n"
    "only its type and database attributes (@id, @unique, @default, @map, @db.*,\n"
    "@relation, @@index, ...) follow the database. New tables and columns are added,\n"
    "dropped ones removed; abstract models, types and views stay.\n"
    "\n"
    "options:\n"
    "  --schema PATH  the schema (its datasource names the database)\n"
    "  --print        print the schema instead of writing the file\n"
    "  --force        replace the schema's models and enums instead of merging\n"
    "  --zenstack N   language level: 3 (default) or 2\n"
    "\n"
    "Exit status: 0 written, 1 the schema has errors or the database is empty, 2 usage\n"
    "error, 3 cannot reach the database or write the file.\n";

int zm_db_pull_cmd(int argc, char **argv)
{
    const char *level_text = NULL;
    bool print = false, force = false;
    zm_project_options o = {0};
    int status = ZM_EXIT_OK;
    for (int i = 1; i < argc && !status; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &o.schema, &status)) continue;
        if (zm_arg_option(argc, argv, &i, "--zenstack", &level_text, &status)) {
            if (!status && !(o.level = zm_arg_level(level_text))) status = ZM_EXIT_USAGE;
            continue;
        }
        if (strcmp(argv[i], "--print") == 0) print = true;
        else if (strcmp(argv[i], "--force") == 0) force = true;
        else {
            fprintf(stderr, "zmc db pull: error: unexpected argument '%s'\n\n%s", argv[i], zm_db_pull_usage);
            status = ZM_EXIT_USAGE;
        }
    }
    if (status) return status;
    o.quiet = print;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    zm_project p;
    if ((status = zm_project_open(&p, "zmc db pull", &o))) return status;
    zm_side live = {0};
    zm_buf text = ZM_BUF_INIT, keep = ZM_BUF_INIT;
    zm_rel_diff *changes = NULL;
    char *merged = NULL;
    size_t merged_len = 0;
    zm_pull_stats stats = {0};
    if ((status = zm_side_from_db(&live, p.db, p.model.rel))) goto done;
    char *error = NULL;
    if (zm_db_read_notes(p.db, live.rel, p.model.rel, &error) != 0) {
        fprintf(stderr, "zmc db pull: error: reading the database's views and triggers: %s\n",
                error ? error : "out of memory");
        free(error);
        status = ZM_EXIT_SCHEMA;
        goto done;
    }
    if (zm_rel_table_count(live.rel) == 0 && zm_rel_enum_count(live.rel) == 0) {
        fprintf(stderr, "zmc db pull: error: the database is empty: there is nothing to pull (P4001)\n");
        status = ZM_EXIT_SCHEMA;
        goto done;
    }
    /* the tables the database has as the schema says: their models stay as written */
    bool merging = !force && zm_ir_model_count(p.model.ir) > 0;
    changes = merging ? zm_rel_diff_new(p.model.rel, live.rel) : NULL;
    if (zm_pull_write(live.rel, force ? NULL : p.model.ir, changes, &text, &keep, &stats) != 0) {
        fputs("zmc db pull: error: out of memory\n", stderr);
        status = ZM_EXIT_IO;
        goto done;
    }
    merged = zm_engine_pull_merge(p.schema_path, text.data ? text.data : "", text.len, force, keep.data, &merged_len);
    if (!merged) {
        status = ZM_EXIT_SCHEMA;
        goto done;
    }
    if (print) {
        fwrite(merged, 1, merged_len, stdout);
        goto done;
    }
    if (zm_write_file_atomic(p.schema_path, merged, merged_len) != 0) {
        fprintf(stderr, "zmc db pull: error: cannot write %s\n", p.schema_path);
        status = ZM_EXIT_IO;
        goto done;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("Introspected %zu model%s%s and wrote them into %s in %.0fms\n", stats.models,
           stats.models == 1 ? "" : "s",
           stats.enums ? (stats.enums == 1 ? " and 1 enum" : " and enums") : "", p.schema_path,
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    if (stats.ignored)
        printf("%zu model%s no unique identifier and %s marked @@ignore.\n", stats.ignored,
               stats.ignored == 1 ? " has" : "s have", stats.ignored == 1 ? "is" : "are");
done:
    free(merged);
    zm_buf_free(&text);
    zm_buf_free(&keep);
    zm_rel_diff_free(changes);
    zm_side_free(&live);
    zm_project_close(&p);
    return status;
}
