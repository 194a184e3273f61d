/*
** cmd_check.c — `zmc check`: parse a schema and its imports, report problems.
*/
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "zmc/zmc.h"

const char zm_check_usage[] =
    "usage: zmc check [--schema PATH] [--zenstack 2|3] [--syntax-only] [-q]\n"
    "\n"
    "Parse and validate a schema and every file it imports. Problems are printed as\n"
    "file:line:col: error: message, with the source line and a caret.\n"
    "\n"
    "options:\n"
    "  --schema PATH  the schema (default: zenstack/schema.zmodel, else ./schema.zmodel)\n"
    "  --zenstack N   language level: 3 (ZenStack v3, the default) or 2 (ZenStack v2)\n"
    "  --syntax-only  parse the schema and its imports, skip the semantic checks\n"
    "  -q, --quiet    print nothing when the schema is fine\n"
    "\n"
    "Exit status: 0 no errors, 1 errors, 2 usage error, 3 the schema could not be read.\n";

int zm_cmd_check(int argc, char **argv)
{
    const char *schema = NULL, *level = NULL;
    bool quiet = false, syntax_only = false;
    int status = ZM_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &schema, &status) ||
            zm_arg_option(argc, argv, &i, "--zenstack", &level, &status)) {
            if (status) return status;
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(argv[i], "--syntax-only") == 0) {
            syntax_only = true;
        } else {
            fprintf(stderr, "zmc check: error: unexpected argument '%s'\n", argv[i]);
            return ZM_EXIT_USAGE;
        }
    }
    zm_options opts = {.version = sizeof opts, .zenstack = 3};
    if (level && (opts.zenstack = zm_arg_level(level)) == 0) return ZM_EXIT_USAGE;
    const char *path = zm_arg_find_schema(schema);
    if (!path) return ZM_EXIT_USAGE;

    zm_compilation *c = zm_compilation_new(&opts);
    int rc = zm_compilation_load_file(c, path);
    if (rc == ZM_OK && !syntax_only) rc = zm_compilation_check(c);
    zm_compilation_print_diagnostics(c, stderr);
    size_t errors = zm_compilation_error_count(c);
    zm_compilation_free(c);

    if (rc == ZM_ENOTFOUND || rc == ZM_EIO) return ZM_EXIT_IO;
    if (errors) {
        fprintf(stderr, "%zu error%s\n", errors, errors == 1 ? "" : "s");
        return ZM_EXIT_SCHEMA;
    }
    if (!quiet) printf("%s: ok\n", path);
    return ZM_EXIT_OK;
}
