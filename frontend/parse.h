/*
** parse.h — the state shared by the ZModel scanner and parser.
**
** One zm_parser is threaded through the reentrant flex scanner (as yyextra)
** and the pure bison parser (as a parse parameter). It holds nothing global,
** so any number of parses may run side by side.
*/
#ifndef ZM_PARSE_H
#define ZM_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

typedef struct zm_parser {
    zm_arena *arena;            /* AST and strings */
    zm_diag_sink *diag;
    uint32_t file;              /* source id of the text being parsed */
    const char *text;           /* the source, for token text in messages */
    size_t len;
    uint32_t offset;            /* byte offset of the scanner (YY_USER_ACTION) */
    bool keep_comments;
    zm_comment *comments;       /* recorded comments, in order */
    zm_comment **comments_tail;
    zm_file *result;            /* filled by the start rule */
    int syntax_errors;
    bool lex_fatal;             /* the scanner gave up (unterminated string or
                                   comment): no further syntax errors */
} zm_parser;

/* Parse `len` bytes of `text` (source id `file`) into a zm_file. Always returns
   a file; file->had_errors tells whether syntax errors were reported. The
   scanner works in place: `text` must be writable and followed by two NUL
   bytes (as zm_source texts are); it is left as it was. */
zm_file *zm_parse(zm_arena *a, zm_diag_sink *d, uint32_t file,
                  const char *text, size_t len, bool keep_comments);

/* One token, as the scanner returns it (for tests and debugging). `kind` is
   the parser's token number (ZM_YYEOF, ID, MODEL, '{', ...). */
typedef struct zm_token {
    int kind;
    zm_span span;
    const char *text;       /* semantic text: identifier, number, unescaped
                               string, doc line, attribute name; else NULL */
} zm_token;

/* Scan the whole text; returns the number of tokens (the last is end of
   file) and stores an arena array of them in *out. Lexical errors go to `d`. */
size_t zm_lex_all(zm_arena *a, zm_diag_sink *d, uint32_t file, const char *text, size_t len,
                  zm_token **out);

/* The grammar's name of a token kind: "identifier", "model", "&&", "'{'". */
const char *zm_token_name(int kind);

/* Helpers for the parser actions (parser.y). */
zm_span zm_parser_span(const zm_parser *p, uint32_t start, uint32_t end);
char *zm_string_unescape(zm_arena *a, const char *raw, size_t len, bool *nul);

#endif
