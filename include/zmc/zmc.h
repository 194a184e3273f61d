/*
** zmc.h — the embedding API of zmc, the ZModel compiler.
**
** A zm_compilation owns everything one compile produces: the source files
** (the schema and every file it imports), the syntax tree, and the
** diagnostics. Load a schema, inspect the diagnostics, free the compilation:
**
**     zm_compilation *c = zm_compilation_new(NULL);
**     int rc = zm_compilation_load_file(c, "schema.zmodel");
**     if (rc != ZM_OK) zm_compilation_print_diagnostics(c, stderr);
**     zm_compilation_free(c);
**
** This header is C99 and exposes no struct layout.
*/
#ifndef ZMC_ZMC_H
#define ZMC_ZMC_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ZMC_VERSION "0.1.0"

/* Return codes. Negative values are failures; details are in the diagnostics. */
enum {
    ZM_OK = 0,
    ZM_ESCHEMA = -1,    /* the schema has errors (syntax, missing import, ...) */
    ZM_ENOTFOUND = -2,  /* the schema file itself does not exist */
    ZM_EIO = -3         /* the schema file exists but could not be read */
};

typedef enum zm_severity {
    ZM_SEVERITY_ERROR = 0,
    ZM_SEVERITY_WARNING = 1,
    ZM_SEVERITY_NOTE = 2
} zm_severity;

typedef struct zm_compilation zm_compilation;

/* Options for a compilation; a NULL pointer means all defaults. */
typedef struct zm_options {
    unsigned version;       /* sizeof(zm_options), for forward compatibility */
    int max_errors;         /* stop reporting after this many; 0 = 100 */
    int keep_comments;      /* record // and block comments (for the formatter) */
    int skip_imports;       /* parse the one file only, not what it imports */
    int zenstack;           /* language level: 2 or 3 (ZenStack v2 or v3); 0 = 3 */
    int require_datasource; /* a schema without a datasource is an error, as
                               ZenStack's generate says (not for a module
                               checked alone) */
} zm_options;

zm_compilation *zm_compilation_new(const zm_options *opts);
void zm_compilation_free(zm_compilation *c);

/* Parse a schema file and, transitively, the files it imports. */
int zm_compilation_load_file(zm_compilation *c, const char *path);

/* Parse schema text held in memory; `name` is used in diagnostics and as
   the base for relative imports. `text` need not be NUL-terminated. */
int zm_compilation_load_string(zm_compilation *c, const char *name,
                               const char *text, size_t len);

/* Resolve and validate what was loaded: names of types, attributes and
   base models are looked up (in the file itself, the files it imports
   directly, and the standard library of the language level). Call after a
   load without syntax errors; returns ZM_OK or ZM_ESCHEMA. */
int zm_compilation_check(zm_compilation *c);

size_t zm_compilation_error_count(const zm_compilation *c);
size_t zm_compilation_warning_count(const zm_compilation *c);

/* Print every diagnostic, sorted by file and position, in the form
   `file:line:col: error: message`, the source line and a caret underline. */
void zm_compilation_print_diagnostics(zm_compilation *c, FILE *out);

#ifdef __cplusplus
}
#endif

#endif
