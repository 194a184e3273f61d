/*
** jsregex.c — is a string a valid JavaScript regular expression?
**
** ZenStack validates @regex and regex() patterns with `new RegExp(pattern)`,
** so a pattern is valid when V8 compiles it without flags. POSIX regcomp()
** would judge a different language (it rejects `(?:x)`, `\d` and lazy
** quantifiers, and accepts things V8 refuses), so this is a small recursive
** descent over ECMAScript's pattern grammar with the Annex B relaxations
** V8 applies outside unicode mode: a lone `{`, `}` or `]` is a literal, an
** unknown escape is the character itself, lookaheads may be quantified. It
** finds the errors V8 reports and gives V8's wording; it does not build a
** matcher.
*/
#include <stdio.h>
#include <string.h>

#include "sema.h"

typedef struct parser {
    const char *s;          /* the pattern */
    size_t i, len;
    const char *error;      /* V8's message for the first problem */
    int depth;
} parser;

static bool fail(parser *p, const char *msg)
{
    if (!p->error) p->error = msg;
    return false;
}

static bool at_end(const parser *p) { return p->i >= p->len; }

static char peek(const parser *p, size_t ahead)
{
    return p->i + ahead < p->len ? p->s[p->i + ahead] : '\0';
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* A braced quantifier {n}, {n,} or {n,m} at p->i: its length (0 if none). */
static size_t braced(const parser *p, unsigned long *lo, unsigned long *hi)
{
    size_t j = p->i + 1;
    if (j >= p->len || !is_digit(p->s[j])) return 0;
    *lo = 0;
    while (j < p->len && is_digit(p->s[j])) *lo = *lo * 10 + (unsigned long)(p->s[j++] - '0');
    *hi = *lo;
    if (j < p->len && p->s[j] == ',') {
        j++;
        *hi = (unsigned long)-1;
        if (j < p->len && is_digit(p->s[j])) {
            *hi = 0;
            while (j < p->len && is_digit(p->s[j])) *hi = *hi * 10 + (unsigned long)(p->s[j++] - '0');
        }
    }
    if (j >= p->len || p->s[j] != '}') return 0;
    return j + 1 - p->i;
}

static bool at_quantifier(const parser *p)
{
    unsigned long lo, hi;
    char c = peek(p, 0);
    return c == '*' || c == '+' || c == '?' || (c == '{' && braced(p, &lo, &hi));
}

/* A quantifier after an atom, if any, with its lazy `?`. */
static bool quantifier(parser *p)
{
    unsigned long lo, hi;
    char c = peek(p, 0);
    if (c == '*' || c == '+' || c == '?') {
        p->i++;
    } else if (c == '{') {
        size_t n = braced(p, &lo, &hi);
        if (!n) return true;
        if (lo > hi) return fail(p, "numbers out of order in {} quantifier");
        p->i += n;
    } else {
        return true;
    }
    if (peek(p, 0) == '?') p->i++;
    return true;
}

/* One UTF-8 character at p->i, as a code point; advances. */
static unsigned long next_char(parser *p)
{
    unsigned char c = (unsigned char)p->s[p->i++];
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    unsigned long cp = extra ? c & (0x3F >> extra) : c;
    while (extra-- > 0 && !at_end(p) && ((unsigned char)p->s[p->i] & 0xC0) == 0x80)
        cp = cp << 6 | ((unsigned char)p->s[p->i++] & 0x3F);
    return cp;
}

static int hex_value(char c)
{
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* `count` hex digits at p->i, or -1 (then the escape is a literal letter). */
static long hex_digits(parser *p, int count)
{
    long v = 0;
    for (int k = 0; k < count; k++) {
        int h = hex_value(peek(p, (size_t)k));
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    p->i += (size_t)count;
    return v;
}

/* A class atom after `[`: its code point, or -1 for a class escape such as
   \d (which cannot end a range). */
static long class_atom(parser *p)
{
    if (p->s[p->i] != '\\') return (long)next_char(p);
    p->i++;
    if (at_end(p)) return fail(p, "\\ at end of pattern"), -1;
    char c = p->s[p->i];
    static const char controls[] = "b\bf\fn\nr\rt\tv\v";
    for (const char *k = controls; *k; k += 2)
        if (c == k[0]) return p->i++, k[1];
    if (strchr("dDsSwW", c)) return p->i++, -1;
    if (c == 'x' || c == 'u') {
        p->i++;
        long v = hex_digits(p, c == 'x' ? 2 : 4);
        return v >= 0 ? v : c;
    }
    if (c == 'c' && ((peek(p, 1) | 0x20) >= 'a' && (peek(p, 1) | 0x20) <= 'z')) {
        p->i += 2;
        return p->s[p->i - 1] % 32;
    }
    if (c == '0' && !is_digit(peek(p, 1))) return p->i++, 0;
    return (long)next_char(p);     /* an identity escape: the character itself */
}

static bool char_class(parser *p)
{
    p->i++;     /* [ */
    if (peek(p, 0) == '^') p->i++;
    while (!at_end(p) && p->s[p->i] != ']') {
        long from = class_atom(p);
        if (p->error) return false;
        if (peek(p, 0) == '-' && peek(p, 1) != ']' && p->i + 1 < p->len) {
            p->i++;
            long to = class_atom(p);
            if (p->error) return false;
            if (from >= 0 && to >= 0 && from > to) return fail(p, "Range out of order in character class");
        }
    }
    if (at_end(p)) return fail(p, "Unterminated character class");
    p->i++;     /* ] */
    return true;
}

static bool disjunction(parser *p);

static bool group(parser *p)
{
    bool quantifiable = true;
    p->i++;     /* ( */
    if (peek(p, 0) == '?') {
        char c = peek(p, 1);
        if (c == ':' || c == '=' || c == '!') {
            p->i += 2;
        } else if (c == '<' && (peek(p, 2) == '=' || peek(p, 2) == '!')) {
            p->i += 3;
            quantifiable = false;   /* lookbehind */
        } else if (c == '<') {
            p->i += 2;
            size_t start = p->i;
            while (!at_end(p) && p->s[p->i] != '>') {
                char n = p->s[p->i];
                bool letter = (n | 0x20) >= 'a' && (n | 0x20) <= 'z';
                bool ok = n == '_' || n == '$' || letter || (p->i > start && is_digit(n)) ||
                          (unsigned char)n >= 0x80;
                if (!ok) break;
                p->i++;
            }
            if (at_end(p) || p->s[p->i] != '>' || p->i == start)
                return fail(p, "Invalid capture group name");
            p->i++;
        } else {
            return fail(p, "Invalid group");
        }
    }
    if (++p->depth > 1000) return fail(p, "Regular expression too large");
    if (!disjunction(p)) return false;
    p->depth--;
    if (peek(p, 0) != ')') return fail(p, "Unterminated group");
    p->i++;
    if (!quantifiable && at_quantifier(p)) return fail(p, "Nothing to repeat");
    return quantifier(p);
}

static bool term(parser *p)
{
    char c = p->s[p->i];
    switch (c) {
    case '^':
    case '$':
        p->i++;
        return at_quantifier(p) ? fail(p, "Nothing to repeat") : true;
    case '(':
        return group(p);
    case '[':
        if (!char_class(p)) return false;
        return quantifier(p);
    case '*':
    case '+':
    case '?':
        return fail(p, "Nothing to repeat");
    case '{':
        if (at_quantifier(p)) return fail(p, "Nothing to repeat");
        p->i++;     /* a literal brace */
        return quantifier(p);
    case '\\':
        p->i++;
        if (at_end(p)) return fail(p, "\\ at end of pattern");
        if (p->s[p->i] == 'b' || p->s[p->i] == 'B') {
            p->i++;
            return at_quantifier(p) ? fail(p, "Nothing to repeat") : true;
        }
        p->i--;
        class_atom(p);  /* the same escapes, outside a class */
        if (p->error) return false;
        return quantifier(p);
    default:
        next_char(p);
        return quantifier(p);
    }
}

static bool disjunction(parser *p)
{
    while (!at_end(p) && p->s[p->i] != ')') {
        if (p->s[p->i] == '|') {
            p->i++;
            continue;
        }
        if (!term(p)) return false;
    }
    return true;
}

const char *zm_js_regex_error(const char *pattern, zm_buf *message)
{
    parser p = {pattern, 0, strlen(pattern), NULL, 0};
    if (disjunction(&p) && !at_end(&p)) fail(&p, "Unmatched ')'");
    if (!p.error) return NULL;
    zm_buf_printf(message, "Invalid regular expression: /%s/: %s", pattern, p.error);
    return message->data;
}
