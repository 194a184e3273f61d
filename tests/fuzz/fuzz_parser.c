/*
** fuzz_parser.c — libFuzzer target for the scanner, parser, diagnostics and
** formatter (docs/fuzzing.md).
**
** Every input is parsed from memory (comments kept, imports skipped, so the
** file system is never touched) and its diagnostics are rendered, which
** exercises error recovery and the line/column code on arbitrary bytes. An
** input that parses cleanly is also formatted, and the target traps when the
** formatter breaks one of the promises `zmc format` relies on:
**   1. the formatted text parses without errors to the same tree (same
**      zm_ast_dump) as the input;
**   2. every comment survives, in order (carriage returns and the indentation
**      of continuation lines aside: an item spread over lines is re-indented
**      as a whole, block comments inside it included);
**   3. formatting is idempotent: formatting the output again changes nothing.
** Inputs that parse also go through semantic analysis at both language levels,
** and those that pass it through the backends: the Prisma schema (both
** layouts), and for SQLite, PostgreSQL and MySQL the relational schema, its
** DDL, and the diff engine, which must find a schema the same as itself (an
** endless migration otherwise) and render the steps from and to nothing.
** Crashes, leaks and undefined behaviour are caught by ASan/UBSan.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "compilation.h"
#include "diag.h"
#include "dialects.h"
#include "format.h"
#include "print.h"
#include "zmc/buf.h"
#include "zmc/diff.h"
#include "zmc/ir.h"
#include "zmc/relational.h"

/* The backends are built in plugin mode: their IR calls go through this
   table, here the front end's own functions. */
extern const zm_ir_api zm_ir_api_table;
const zm_ir_api *zmc_plugin_ir = &zm_ir_api_table;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static zm_compilation *parse(const char *text, size_t len)
{
    zm_options o = {.version = sizeof o, .keep_comments = 1, .skip_imports = 1};
    zm_compilation *c = zm_compilation_new(&o);
    if (!c) __builtin_trap();
    zm_compilation_load_string(c, "fuzz.zmodel", text, len);
    zm_buf diags = ZM_BUF_INIT;
    zm_diag_render(&c->diag, &diags);
    if (c->diag.errors && !diags.len) __builtin_trap(); /* errors must be shown */
    zm_buf_free(&diags);
    return c;
}

static void format(zm_compilation *c, zm_buf *out)
{
    zm_file *f = zm_compilation_main(c);
    zm_format_file(f, zm_sources_get(&c->sources, f->id), &c->arena, out);
    if (!out->data) zm_buf_puts(out, "");
}

/* The comments of a file, one per line, without carriage returns (line ends
   are written as \n) and without the indentation of continuation lines. */
static void comments_of(zm_compilation *c, zm_buf *out)
{
    for (const zm_comment *k = zm_compilation_main(c)->comments; k; k = k->next) {
        for (const char *s = k->text; *s; s++) {
            if (*s == '\r') continue;
            zm_buf_putc(out, *s);
            if (*s == '\n')
                while (s[1] == ' ' || s[1] == '\t' || s[1] == '\r') s++;
        }
        zm_buf_putc(out, '\n');
    }
    if (!out->data) zm_buf_puts(out, "");
}

static void report(const char *what, const zm_buf *a, const zm_buf *b)
{
    fprintf(stderr, "fuzz_parser: %s\n--- first ---\n%s\n--- second ---\n%s\n", what,
            a->data, b->data);
}

/* A checked schema through every backend. */
static void backends(const zm_ir *ir)
{
    zm_buf out = ZM_BUF_INIT;
    for (int layout = 0; layout <= 1; layout++) {
        zm_prisma_options o = {.format = layout};
        zm_prisma_print(ir, &o, zm_buf_write, &out);
        zm_buf_free(&out);
    }
    const zmc_dialect *const dialects[] = {DIALECT_SQLITE, DIALECT_POSTGRESQL, DIALECT_MYSQL};
    for (size_t i = 0; i < 3; i++) {
        zm_rel_schema *s = zm_rel_lower(ir, dialects[i]);
        if (!s) continue;
        zm_rel_render_create(s, zm_buf_write, &out);
        zm_buf_free(&out);
        {
            zm_rel_diff *same = zm_rel_diff_new(s, s);
            if (same && !zm_rel_diff_is_empty(same)) {
                zm_rel_diff_render(same, true, zm_buf_write, &out);
                fprintf(stderr, "fuzz_parser: a schema differs from itself (%s):\n%s\n",
                        dialects[i]->provider, out.data ? out.data : "");
                __builtin_trap();
            }
            zm_rel_diff_free(same);
            zm_rel_schema *none = zm_rel_empty(dialects[i]);
            zm_rel_diff *up = zm_rel_diff_new(none, s), *down = zm_rel_diff_new(s, none);
            if (up) zm_rel_diff_render(up, true, zm_buf_write, &out);
            if (down) zm_rel_diff_render(down, true, zm_buf_write, &out);
            zm_buf_free(&out);
            zm_rel_diff_free(up);
            zm_rel_diff_free(down);
            zm_rel_free(none);
        }
        zm_rel_free(s);
    }
}

/* Semantic analysis at both language levels must survive any parsed input. */
static void check_levels(const char *text, size_t len)
{
    for (int level = 2; level <= 3; level++) {
        zm_options o = {.version = sizeof o, .skip_imports = 1, .zenstack = level};
        zm_compilation *c = zm_compilation_new(&o);
        if (zm_compilation_load_string(c, "fuzz.zmodel", text, len) == ZM_OK) {
            zm_compilation_check(c);
            zm_buf diags = ZM_BUF_INIT;
            zm_diag_render(&c->diag, &diags);
            if (c->diag.errors && !diags.len) __builtin_trap();
            zm_buf_free(&diags);
            const zm_ir *ir = zm_compilation_ir(c);
            if (ir) backends(ir);
        }
        zm_compilation_free(c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zm_compilation *c = parse((const char *)data, size);
    if (zm_compilation_error_count(c) == 0) check_levels((const char *)data, size);
    if (zm_compilation_error_count(c) == 0) {
        zm_buf text = ZM_BUF_INIT, tree = ZM_BUF_INIT, notes = ZM_BUF_INIT;
        format(c, &text);
        zm_ast_dump(zm_compilation_main(c), &tree);
        comments_of(c, &notes);

        zm_compilation *c2 = parse(text.data, text.len);
        zm_buf text2 = ZM_BUF_INIT, tree2 = ZM_BUF_INIT, notes2 = ZM_BUF_INIT;
        if (zm_compilation_error_count(c2) != 0) {
            zm_buf d = ZM_BUF_INIT;
            zm_diag_render(&c2->diag, &d);
            report("the formatted text does not parse", &text, &d);
            __builtin_trap();
        }
        zm_ast_dump(zm_compilation_main(c2), &tree2);
        if (strcmp(tree.data, tree2.data) != 0) {
            report("formatting changed the syntax tree", &tree, &tree2);
            __builtin_trap();
        }
        comments_of(c2, &notes2);
        if (strcmp(notes.data, notes2.data) != 0) {
            report("formatting lost or changed comments", &notes, &notes2);
            __builtin_trap();
        }
        format(c2, &text2);
        if (text.len != text2.len || memcmp(text.data, text2.data, text.len) != 0) {
            report("formatting is not idempotent", &text, &text2);
            __builtin_trap();
        }
        zm_buf_free(&text2);
        zm_buf_free(&tree2);
        zm_buf_free(&notes2);
        zm_compilation_free(c2);
        zm_buf_free(&text);
        zm_buf_free(&tree);
        zm_buf_free(&notes);
    }
    zm_compilation_free(c);
    return 0;
}
