/*
** test_arena.c — the compilation arena and the text buffer.
*/
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "zmc/buf.h"

Test(arena, allocations_are_zeroed_aligned_and_distinct)
{
    zm_arena a;
    zm_arena_init(&a);
    char *prev = NULL;
    for (int i = 1; i < 2000; i++) {
        char *p = zm_arena_alloc(&a, (size_t)(i % 97) + 1);
        cr_assert_eq((uintptr_t)p % 8, 0);
        for (int k = 0; k < i % 97 + 1; k++) cr_assert_eq(p[k], 0);
        memset(p, 0xAB, (size_t)(i % 97) + 1);
        cr_assert_neq(p, prev);
        prev = p;
    }
    zm_arena_free(&a);
    cr_assert_null(a.head);
}

Test(arena, strings_are_packed_and_nodes_stay_aligned)
{
    zm_arena a;
    zm_arena_init(&a);
    char *s1 = zm_arena_strdup(&a, "ab");
    char *s2 = zm_arena_strndup(&a, "cdef", 2);
    void *node = zm_arena_alloc(&a, 24);
#ifndef ZM_ARENA_DEBUG
    cr_assert_eq(s2, s1 + 3, "strings are not padded");
#endif
    cr_assert_str_eq(s1, "ab");
    cr_assert_str_eq(s2, "cd");
    cr_assert_eq((uintptr_t)node % 8, 0);
    zm_arena_free(&a);
}

Test(arena, big_arenas_span_several_mapped_chunks)
{
    zm_arena a;
    zm_arena_init(&a);
    size_t total = 0;
    char *last = NULL;
    while (total < (48u << 20)) {      /* past the 16 MiB chunk cap */
        last = zm_arena_alloc(&a, 4000);
        last[0] = 1;
        last[3999] = 2;
        total += 4000;
    }
    cr_assert_eq(last[0], 1);
    cr_assert_eq(last[1], 0);
    cr_assert_geq(a.total, total);
    zm_arena_free(&a);
}

Test(arena, large_blocks_keep_the_current_chunk_usable)
{
    zm_arena a;
    zm_arena_init(&a);
    char *small = zm_arena_alloc(&a, 16);
    char *big = zm_arena_alloc(&a, 1 << 20);
    memset(big, 1, 1 << 20);
    char *small2 = zm_arena_alloc(&a, 16);
#ifndef ZM_ARENA_DEBUG
    /* The big block got its own chunk; small ones continue in the old one. */
    cr_assert_eq(small2, small + 16);
#endif
    cr_assert_eq(big[(1 << 20) - 1], 1);
    zm_arena_free(&a);
}

Test(arena, strings)
{
    zm_arena a;
    zm_arena_init(&a);
    cr_assert_str_eq(zm_arena_strndup(&a, "abcdef", 3), "abc");
    cr_assert_str_eq(zm_arena_strdup(&a, ""), "");
    cr_assert_str_eq(zm_arena_printf(&a, "%s-%d", "x", 42), "x-42");
    zm_arena_free(&a);
}

Test(buf, append_printf_pad_and_width)
{
    zm_buf b = ZM_BUF_INIT;
    zm_buf_puts(&b, "ab");
    zm_buf_putc(&b, 'c');
    zm_buf_printf(&b, "%03d", 7);
    zm_buf_pad(&b, '.', 3);
    cr_assert_str_eq(b.data, "abc007...");
    cr_assert_eq(b.len, 9);
    zm_buf_puts(&b, "\nh\xc3\xa9llo");  /* é is one column */
    cr_assert_eq(zm_buf_line_width(&b), 5);
    for (int i = 0; i < 10000; i++) zm_buf_putc(&b, 'x');
    cr_assert_eq(b.len, 9 + 7 + 10000);
    cr_assert_eq(b.data[b.len], '\0');
    zm_buf_free(&b);
    cr_assert_null(b.data);
}
