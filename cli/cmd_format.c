/*
** cmd_format.c — `zmc format`: rewrite a schema file in canonical layout.
**
** The file is written only if it parses without errors, and only if the new
** text parses back to the same syntax tree (a guard against formatter bugs
** ever changing a schema's meaning). The write is atomic: a temporary file in
** the same folder, then rename.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "compilation.h"
#include "format.h"
#include "zmc/buf.h"
#include "zmc/command.h"

const char zm_format_usage[] =
    "usage: zmc format [--check] [--stdout] [--schema PATH]\n"
    "\n"
    "Rewrite the schema file in canonical layout: two-space indent, aligned field\n"
    "columns, one blank line between declarations; every comment is kept. Only the\n"
    "given file is formatted, not the files it imports.\n"
    "\n"
    "options:\n"
    "  --schema PATH  the schema (default: zenstack/schema.zmodel, else ./schema.zmodel)\n"
    "  --check        change nothing; exit 1 if the file is not formatted\n"
    "  --stdout       print the formatted schema instead of rewriting the file\n"
    "\n"
    "Exit status: 0 ok, 1 syntax errors or (with --check) not formatted, 2 usage\n"
    "error, 3 the file could not be read or written.\n";

/* Parse text as one file (no imports) and dump its tree. */
static int dump_of(const char *name, const char *text, size_t len, zm_buf *out)
{
    zm_options o = {.version = sizeof o, .skip_imports = 1};
    zm_compilation *c = zm_compilation_new(&o);
    int rc = zm_compilation_load_string(c, name, text, len);
    if (rc == ZM_OK) zm_ast_dump(zm_compilation_main(c), out);
    zm_compilation_free(c);
    return rc;
}

int zm_cmd_format(int argc, char **argv)
{
    const char *schema = NULL;
    bool check = false, to_stdout = false;
    int status = ZM_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &schema, &status)) {
            if (status) return status;
        } else if (strcmp(argv[i], "--check") == 0) {
            check = true;
        } else if (strcmp(argv[i], "--stdout") == 0) {
            to_stdout = true;
        } else {
            fprintf(stderr, "zmc format: error: unexpected argument '%s'\n", argv[i]);
            return ZM_EXIT_USAGE;
        }
    }
    const char *path = zm_arg_find_schema(schema);
    if (!path) return ZM_EXIT_USAGE;

    zm_options o = {.version = sizeof o, .keep_comments = 1, .skip_imports = 1};
    zm_compilation *c = zm_compilation_new(&o);
    int rc = zm_compilation_load_file(c, path);
    if (rc != ZM_OK) {
        zm_compilation_print_diagnostics(c, stderr);
        zm_compilation_free(c);
        return rc == ZM_ESCHEMA ? ZM_EXIT_SCHEMA : ZM_EXIT_IO;
    }

    zm_file *file = zm_compilation_main(c);
    zm_source *src = zm_sources_get(&c->sources, file->id);
    zm_buf out = ZM_BUF_INIT, before = ZM_BUF_INIT, after = ZM_BUF_INIT;
    zm_format_file(file, src, &c->arena, &out);
    if (!out.data) zm_buf_puts(&out, "");

    int result = ZM_EXIT_OK;
    zm_ast_dump(file, &before);
    if (dump_of(path, out.data, out.len, &after) != ZM_OK || strcmp(before.data, after.data) != 0) {
        fprintf(stderr, "zmc format: internal error: formatting %s would change its meaning; "
                        "the file was left as it is\n", path);
        result = ZM_EXIT_SCHEMA;
    } else if (to_stdout) {
        fwrite(out.data, 1, out.len, stdout);
    } else {
        bool same = out.len == src->len && memcmp(out.data, src->text, out.len) == 0;
        if (check) {
            if (!same) {
                fprintf(stderr, "%s: not formatted (run zmc format)\n", path);
                result = ZM_EXIT_SCHEMA;
            }
        } else if (!same) {
            if (zm_write_file_atomic(path, out.data, out.len) != 0) {
                fprintf(stderr, "zmc format: error: cannot write %s: %s\n", path, strerror(errno));
                result = ZM_EXIT_IO;
            } else {
                printf("formatted %s\n", path);
            }
        }
    }
    zm_buf_free(&out);
    zm_buf_free(&before);
    zm_buf_free(&after);
    zm_compilation_free(c);
    return result;
}
