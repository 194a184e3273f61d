/*
** slug.c — a migration's name as its folder spells it, the way Prisma's
** CLI does (`@sindresorhus/slugify` with `_` as the separator):
**
**   "addUserTable"     -> "add_user_table"     camelCase split
**   "HTTPServer v2"    -> "http_server_v2"     acronyms kept together
**   "Ärger über Öl ß"  -> "aerger_ueber_oel_ss"  German transliteration
**   "café crème – ñ"   -> "cafe_creme_n"       accents dropped
**   "Tom & Jerry"      -> "tom_and_jerry"
**   "日本"              -> ""                   (the folder is then just the timestamp)
**
** Letters of Latin-1 and Latin Extended-A are transliterated; any other
** character outside ASCII letters and digits separates words.
*/
#include <string.h>

#include "migrate.h"
#include "zmc/buf.h"

/* U+00C0..U+017F to ASCII; "" drops the character (a separator). */
static const char *const latin[] = {
    /* C0 */ "A", "A", "A", "A", "Ae", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    /* D0 */ "D", "N", "O", "O", "O", "O", "Oe", "", "O", "U", "U", "U", "Ue", "Y", "TH", "ss",
    /* E0 */ "a", "a", "a", "a", "ae", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* F0 */ "d", "n", "o", "o", "o", "o", "oe", "", "o", "u", "u", "u", "ue", "y", "th", "y",
    /* 100 */ "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
    /* 110 */ "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
    /* 120 */ "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
    /* 130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
    /* 140 */ "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",
    /* 150 */ "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
    /* 160 */ "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
    /* 170 */ "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

static bool upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool digit(char c) { return c >= '0' && c <= '9'; }

/* One decamelize pass: a space before s[i] wherever split(s, i) says. */
static void split_where(zm_buf *b, bool (*split)(const char *s, size_t n, size_t i))
{
    zm_buf out = ZM_BUF_INIT;
    for (size_t i = 0; i < b->len; i++) {
        if (i > 0 && split(b->data, b->len, i)) zm_buf_putc(&out, ' ');
        zm_buf_putc(&out, b->data[i]);
    }
    zm_buf_free(b);
    *b = out;
}

/* The four replacements of slugify's decamelize(), as positions. */
static bool acronym_digits(const char *s, size_t n, size_t i)     /* ([A-Z]{2,})(\d+) */
{
    (void)n;
    return i >= 2 && digit(s[i]) && upper(s[i - 1]) && upper(s[i - 2]);
}
static bool word_acronym(const char *s, size_t n, size_t i)       /* ([a-z\d]+)([A-Z]{2,}) */
{
    return i + 1 < n && lower_or_digit(s[i - 1]) && upper(s[i]) && upper(s[i + 1]);
}
static bool word_capital(const char *s, size_t n, size_t i)       /* ([a-z\d])([A-Z]) */
{
    (void)n;
    return lower_or_digit(s[i - 1]) && upper(s[i]);
}
static bool acronym_word(const char *s, size_t n, size_t i)       /* ([A-Z]+)([A-Z][a-rt-z\d]+) */
{
    char c = i + 1 < n ? s[i + 1] : 0;
    return upper(s[i - 1]) && upper(s[i]) && ((c >= 'a' && c <= 'z' && c != 's') || digit(c));
}

void zm_migration_slug(const char *name, zm_buf *out)
{
    zm_buf t = ZM_BUF_INIT;
    /* transliterate (UTF-8 in; ASCII out, other characters as spaces) */
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p;) {
        if (*p < 0x80) {
            if (*p == '&') zm_buf_puts(&t, " and ");
            else zm_buf_putc(&t, (char)*p);
            p++;
            continue;
        }
        unsigned cp = 0;
        size_t len = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 1;
        cp = len == 2 ? *p & 0x1fu : len == 3 ? *p & 0x0fu : *p & 0x07u;
        size_t k = 1;
        for (; k < len && (p[k] & 0xc0) == 0x80; k++) cp = (cp << 6) | (p[k] & 0x3fu);
        p += k;
        if (k == len && cp >= 0xc0 && cp <= 0x17f) zm_buf_puts(&t, latin[cp - 0xc0]);
        else zm_buf_putc(&t, ' ');
    }
    if (!t.data) zm_buf_puts(&t, "");
    split_where(&t, acronym_digits);
    split_where(&t, word_acronym);
    split_where(&t, word_capital);
    split_where(&t, acronym_word);
    /* lower case; every run of other characters one `_`, none at the ends;
       at most 200 bytes, as Prisma's engine accepts */
    size_t start = out->len;
    bool gap = false;
    for (size_t i = 0; i < t.len && out->len - start < 200; i++) {
        char c = t.data[i];
        if (upper(c)) c = (char)(c - 'A' + 'a');
        if (!lower_or_digit(c)) {
            gap = true;
            continue;
        }
        if (gap && out->len > start) zm_buf_putc(out, '_');
        gap = false;
        zm_buf_putc(out, c);
    }
    zm_buf_free(&t);
}
