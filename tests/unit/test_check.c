/*
** test_check.c — semantic analysis through zm_compilation_check.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compilation.h"
#include "sema.h"
#include "zmc/buf.h"

/* Check `src` at `level`; returns the rendered diagnostics (malloc'ed). */
static char *check(const char *src, int level)
{
    zm_options o = {.version = sizeof o, .skip_imports = 1, .zenstack = level};
    zm_compilation *c = zm_compilation_new(&o);
    if (zm_compilation_load_string(c, "t.zmodel", src, strlen(src)) == ZM_OK) zm_compilation_check(c);
    zm_buf b = ZM_BUF_INIT;
    zm_diag_render(&c->diag, &b);
    zm_buf_puts(&b, "");
    zm_compilation_free(c);
    return b.data;
}

Test(check, valid_schema_has_no_diagnostics)
{
    char *out = check("datasource db { provider = \"sqlite\" }\n"
                      "enum Role { USER ADMIN }\n"
                      "model User { id Int @id\n role Role @default(USER)\n posts Post[]\n"
                      "  @@allow('read', posts?[published] || role == ADMIN) }\n"
                      "model Post { id Int @id\n published Boolean\n"
                      "  author User @relation(fields: [authorId], references: [id], onDelete: Cascade)\n"
                      "  authorId Int }\n",
                      3);
    cr_assert_str_eq(out, "");
    free(out);
}

/* A model far larger than any fixed-size buffer still has every field checked. */
Test(check, duplicate_after_many_fields)
{
    zm_buf b = ZM_BUF_INIT;
    zm_buf_puts(&b, "model Big {\n  id Int @id\n");
    for (int i = 1; i <= 1100; i++) zm_buf_printf(&b, "  f%d Int\n", i);
    zm_buf_puts(&b, "  f5 Int\n}\n");
    char *out = check(b.data, 3);
    cr_assert(strstr(out, "t.zmodel:1103:3: error: Duplicated declaration name \"f5\"\n"), "%s", out);
    free(out);
    zm_buf_free(&b);
}

Test(check, language_level_selects_the_standard_library)
{
    const char *src = "model U { id Int @id\n pw String @password\n"
                      "  @@allow('update', future().id == id) }\n";
    char *v2 = check(src, 2), *v3 = check(src, 3);
    cr_assert_str_eq(v2, "");
    cr_assert(strstr(v3, "Could not resolve reference to Attribute named '@password'."));
    cr_assert(strstr(v3, "Could not resolve reference to FunctionDecl named 'future'."));
    free(v2);
    free(v3);
}

Test(check, enum_value_of_the_fields_own_enum_wins)
{
    /* Both enums have A; the field's enum is preferred, so no type error. */
    char *out = check("enum E1 { A B }\nenum E2 { A C }\n"
                      "model M { id Int @id\n e E2 @default(A)\n"
                      "  @@allow('read', e == C) }\n",
                      3);
    cr_assert_str_eq(out, "");
    free(out);
}

/* Patterns are judged as JavaScript's RegExp judges them, with V8's words. */
Test(check, javascript_regex_syntax)
{
    static const struct { const char *pattern, *error; } cases[] = {
        {"^[0-9a-zA-Z]{4,16}$", NULL},
        {"(?:a|b)+?\\d\\w(?=x)*(?<n>y)\\k<n>", NULL},
        {"a{ } ] [\\d-z] [\\u0041-\\u005a]", NULL},
        {"^(+46|0)", "Nothing to repeat"},
        {"a**", "Nothing to repeat"},
        {"{2}", "Nothing to repeat"},
        {"(?<=a)*", "Nothing to repeat"},
        {"[abc", "Unterminated character class"},
        {"[z-a]", "Range out of order in character class"},
        {"a{2,1}", "numbers out of order in {} quantifier"},
        {"(a", "Unterminated group"},
        {"a)", "Unmatched ')'"},
        {"(?x)", "Invalid group"},
        {"a\\", "\\ at end of pattern"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zm_buf b = ZM_BUF_INIT;
        const char *got = zm_js_regex_error(cases[i].pattern, &b);
        if (!cases[i].error) {
            cr_expect_null(got, "%s: %s", cases[i].pattern, got);
        } else {
            cr_expect_not_null(got, "%s should fail", cases[i].pattern);
            if (got) cr_expect(strstr(got, cases[i].error), "%s: %s", cases[i].pattern, got);
        }
        zm_buf_free(&b);
    }
}
