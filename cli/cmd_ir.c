/*
** cmd_ir.c — `zmc ir`: check a schema and print its model IR as JSON.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cli.h"
#include "zmc/command.h"
#include "zmc/ir.h"
#include "zmc/zmc.h"

const char zm_ir_usage[] =
    "usage: zmc ir [--schema PATH] [--zenstack 2|3] [-o PATH]\n"
    "\n"
    "Check the schema, then print its model IR as JSON: models, views and types with\n"
    "inheritance flattened, fields, keys and indexes, relations with both sides,\n"
    "enums, configuration blocks, and policies and validation rules as expression\n"
    "trees. The shape is that of the C API in <zmc/ir.h> (docs/ir.md).\n"
    "\n"
    "options:\n"
    "  --schema PATH    the schema (default: zenstack/schema.zmodel, else ./schema.zmodel)\n"
    "  --zenstack N     language level: 3 (ZenStack v3, the default) or 2 (ZenStack v2)\n"
    "  -o, --output P   write the JSON to file P (atomically) instead of stdout\n"
    "\n"
    "Exit status: 0 ok, 1 schema errors, 2 usage error, 3 a file could not be read or written.\n";

int zm_cmd_ir(int argc, char **argv)
{
    const char *schema = NULL, *level = NULL, *output = NULL;
    int status = ZM_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (zm_arg_option(argc, argv, &i, "--schema", &schema, &status) ||
            zm_arg_option(argc, argv, &i, "--zenstack", &level, &status) ||
            zm_arg_option(argc, argv, &i, "--output", &output, &status) ||
            zm_arg_option(argc, argv, &i, "-o", &output, &status)) {
            if (status) return status;
        } else {
            fprintf(stderr, "zmc ir: error: unexpected argument '%s'\n", argv[i]);
            return ZM_EXIT_USAGE;
        }
    }
    int zenstack = 3;
    if (level && (zenstack = zm_arg_level(level)) == 0) return ZM_EXIT_USAGE;
    const char *path = zm_arg_find_schema(schema);
    if (!path) return ZM_EXIT_USAGE;
    zm_compilation *c = zm_cli_compile(path, zenstack, &status);
    if (!c) return status;

    char *json = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&json, &len);
    int rc = mem ? zm_ir_write_json(zm_compilation_ir(c), mem) : ZM_EIO;
    if (mem && fclose(mem) != 0) rc = ZM_EIO;
    zm_compilation_free(c);
    if (rc == ZM_OK) {
        if (!output) rc = fwrite(json, 1, len, stdout) == len && fflush(stdout) == 0 ? ZM_OK : ZM_EIO;
        else if (zm_write_file_atomic(output, json, len) != 0) {
            fprintf(stderr, "zmc ir: error: cannot write %s: %s\n", output, strerror(errno));
            rc = ZM_EIO;
        }
    }
    free(json);
    return rc == ZM_OK ? ZM_EXIT_OK : ZM_EXIT_IO;
}
