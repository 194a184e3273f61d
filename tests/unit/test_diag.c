/*
** test_diag.c — locations and the rendered form of diagnostics.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "diag.h"

typedef struct fixture {
    zm_arena arena;
    zm_sources sources;
    zm_diag_sink sink;
} fixture;

static void setup(fixture *f, const char *path, const char *text)
{
    zm_arena_init(&f->arena);
    memset(&f->sources, 0, sizeof f->sources);
    zm_sources_add(&f->sources, &f->arena, path, text, strlen(text));
    zm_diag_init(&f->sink, &f->arena, &f->sources, 0);
}

static void teardown(fixture *f)
{
    zm_diag_free(&f->sink);
    zm_sources_free(&f->sources);
    zm_arena_free(&f->arena);
}

static char *render(fixture *f)
{
    zm_buf b = ZM_BUF_INIT;
    zm_diag_render(&f->sink, &b);
    return b.data;
}

Test(diag, line_and_column_count_code_points)
{
    fixture f;
    setup(&f, "s.zmodel", "ab\n\xc3\xa9x y\n\nz");
    zm_source *s = zm_sources_get(&f.sources, 0);
    uint32_t line, col;
    zm_source_locate(s, &f.arena, 0, &line, &col);
    cr_assert(line == 1 && col == 1);
    zm_source_locate(s, &f.arena, 5, &line, &col);   /* 'x' after a 2-byte é */
    cr_assert(line == 2 && col == 2);
    zm_source_locate(s, &f.arena, 9, &line, &col);   /* the empty line */
    cr_assert(line == 3 && col == 1);
    zm_source_locate(s, &f.arena, 10, &line, &col);
    cr_assert(line == 4 && col == 1);
    zm_source_locate(s, &f.arena, 999, &line, &col); /* clamped to the end */
    cr_assert(line == 4 && col == 2);
    teardown(&f);
}

Test(diag, renders_gnu_form_source_line_and_underline)
{
    fixture f;
    setup(&f, "schema.zmodel", "model User {\n  name  Strng @unique\n}\n");
    zm_diag_error(&f.sink, ((zm_span){0, 21, 26}), "unknown type '%s'", "Strng");
    char *out = render(&f);
    cr_assert_str_eq(out,
                     "schema.zmodel:2:9: error: unknown type 'Strng'\n"
                     " 2 |   name  Strng @unique\n"
                     "   |         ^~~~~\n");
    free(out);
    cr_assert_eq(f.sink.errors, 1);
    teardown(&f);
}

Test(diag, tabs_are_kept_so_the_caret_lines_up)
{
    fixture f;
    setup(&f, "t.zmodel", "\tid\tInt\n");
    zm_diag_warning(&f.sink, ((zm_span){0, 4, 7}), "w");
    char *out = render(&f);
    cr_assert_str_eq(out, "t.zmodel:1:5: warning: w\n 1 | \tid\tInt\n   | \t  \t^~~\n");
    free(out);
    cr_assert_eq(f.sink.warnings, 1);
    cr_assert_eq(f.sink.errors, 0);
    teardown(&f);
}

Test(diag, sorted_by_position_and_spans_cut_at_line_end)
{
    fixture f;
    setup(&f, "s.zmodel", "aaa\nbbb\n");
    zm_diag_error(&f.sink, ((zm_span){0, 4, 5}), "second");
    zm_diag_error(&f.sink, ((zm_span){0, 1, 6}), "first");
    zm_diag_error(&f.sink, ZM_NO_SPAN, "no place");
    char *out = render(&f);
    cr_assert_str_eq(out,
                     "s.zmodel:1:2: error: first\n"
                     " 1 | aaa\n"
                     "   |  ^~\n"
                     "s.zmodel:2:1: error: second\n"
                     " 2 | bbb\n"
                     "   | ^\n"
                     "zmc: error: no place\n");
    free(out);
    teardown(&f);
}

Test(diag, error_limit_counts_but_does_not_store)
{
    fixture f;
    setup(&f, "s.zmodel", "x\n");
    f.sink.limit = 3;
    for (int i = 0; i < 10; i++) zm_diag_error(&f.sink, ((zm_span){0, 0, 1}), "e%d", i);
    cr_assert_eq(f.sink.errors, 10);
    cr_assert_eq(f.sink.count, 3);
    char *out = render(&f);
    cr_assert(strstr(out, "zmc: error: too many errors (10), only the first 3 are shown\n"));
    free(out);
    teardown(&f);
}
