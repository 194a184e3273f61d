/*
** ast.h — the ZModel syntax tree.
**
** The parser builds this tree and nothing else; names are not resolved here
** (that is the link pass's job). Every node carries the span of source text it
** came from. Nodes live in the compilation's arena and lists are singly linked
** through `next`, in source order, as in chibicc.
*/
#ifndef ZM_AST_H
#define ZM_AST_H

#include <stdbool.h>

#include "source.h"

typedef struct zm_expr zm_expr;
typedef struct zm_arg zm_arg;
typedef struct zm_attr zm_attr;
typedef struct zm_doc zm_doc;
typedef struct zm_typeref zm_typeref;
typedef struct zm_member zm_member;
typedef struct zm_param zm_param;
typedef struct zm_name zm_name;
typedef struct zm_decl zm_decl;
typedef struct zm_import zm_import;
typedef struct zm_comment zm_comment;
typedef struct zm_file zm_file;

/* An identifier with its location (extends and with lists). */
struct zm_name {
    const char *text;
    zm_span span;
    zm_decl *decl;          /* resolved by the link pass */
    zm_name *next;
};

/* One `///` line, kept verbatim including the slashes. */
struct zm_doc {
    const char *text;
    zm_span span;
    zm_doc *next;
};

typedef enum zm_expr_kind {
    ZM_EXPR_NUMBER,     /* 42, -1, 1.50: text kept as written */
    ZM_EXPR_STRING,     /* "a" or 'a': value unescaped, raw kept for printing */
    ZM_EXPR_BOOL,       /* true, false */
    ZM_EXPR_NULL,       /* null */
    ZM_EXPR_THIS,       /* this */
    ZM_EXPR_REF,        /* name: a field, enum value, parameter, ... */
    ZM_EXPR_CALL,       /* name(args): a function call, or a reference with
                           named arguments such as title(sort: Desc) */
    ZM_EXPR_MEMBER,     /* operand.name */
    ZM_EXPR_ARRAY,      /* [a, b] */
    ZM_EXPR_OBJECT,     /* { key: value }: args with names */
    ZM_EXPR_NOT,        /* !operand */
    ZM_EXPR_BINARY,     /* lhs op rhs */
    ZM_EXPR_PREDICATE,  /* operand?[cond], operand![cond], operand^[cond] */
    ZM_EXPR_PAREN       /* (operand): kept so the formatter prints what was written */
} zm_expr_kind;

typedef enum zm_binop {
    ZM_OP_OR,       /* ||  (same precedence as &&, left-associative) */
    ZM_OP_AND,      /* && */
    ZM_OP_EQ,       /* == */
    ZM_OP_NE,       /* != */
    ZM_OP_LT,       /* <  */
    ZM_OP_GT,       /* >  */
    ZM_OP_LE,       /* <= */
    ZM_OP_GE,       /* >= */
    ZM_OP_IN        /* in */
} zm_binop;

typedef enum zm_quantifier {
    ZM_PRED_SOME = '?',
    ZM_PRED_NONE = '!',
    ZM_PRED_ALL = '^'
} zm_quantifier;

/* Fields are ordered small to large so a node has no padding: a big schema
   has millions of nodes. The same goes for the structs below. */
struct zm_expr {
    zm_expr_kind kind;
    zm_binop op;        /* BINARY */
    zm_quantifier quant;/* PREDICATE */
    zm_span span;
    zm_span name_span;  /* MEMBER name, PREDICATE binding */
    bool boolean;       /* BOOL */
    const char *text;   /* NUMBER text, STRING value, REF/CALL/MEMBER name,
                           PREDICATE binding (NULL if none) */
    const char *raw;    /* STRING: the literal as written, quotes included */
    zm_expr *lhs;       /* BINARY left; operand of MEMBER, NOT, PREDICATE, PAREN */
    zm_expr *rhs;       /* BINARY right; PREDICATE condition */
    zm_arg *args;       /* CALL arguments, ARRAY items, OBJECT entries */
    unsigned depth;     /* levels of the tree below it (a leaf: 0; parser.y bounds it) */
    bool too_deep;      /* it stands for a deeper tree the parser refused */

    /* Filled by name resolution (resolve.c). */
    zm_member *member;  /* REF, MEMBER, field-reference CALL: the field or enum value */
    zm_decl *decl;      /* CALL: the function; REF to a parameter: the
                           function */
    zm_param *param;    /* REF: the function parameter */
    zm_decl *denotes;   /* THIS, auth(), future(), before(), a predicate
                           binding: the model or type it stands for */
};

/* An argument: `expr` or `name: expr` (name NULL when positional). Array items
   and object entries use the same node. */
struct zm_arg {
    zm_span span;
    zm_span name_span;
    const char *name;
    const char *name_raw;   /* object keys written as strings: the raw literal */
    zm_expr *value;
    zm_param *param;        /* attribute arguments: the parameter it fills */
    zm_arg *next;
};

typedef enum zm_attr_level {
    ZM_ATTR_FIELD = 1,      /* @name */
    ZM_ATTR_MODEL = 2,      /* @@name */
    ZM_ATTR_INTERNAL = 3    /* @@@name */
} zm_attr_level;

/* An attribute application such as @db.VarChar(255) or @@index([a, b]). */
struct zm_attr {
    zm_attr_level level;
    zm_span span;
    zm_span name_span;
    bool has_parens;        /* @id() as opposed to @id */
    const char *name;       /* with its @ signs, e.g. "@db.VarChar" */
    zm_arg *args;
    zm_decl *decl;          /* the attribute's declaration (link pass) */
    zm_attr *next;
};

typedef enum zm_type_kind {
    ZM_TYPE_NAMED,          /* a built-in or declared type, by name */
    ZM_TYPE_UNSUPPORTED     /* Unsupported("...") */
} zm_type_kind;

/* A field or parameter type: `String`, `Post[]`, `Int?`, `Unsupported("x")`. */
struct zm_typeref {
    zm_type_kind kind;
    zm_span span;
    zm_span name_span;
    bool list;              /* [] */
    bool optional;          /* ? */
    const char *name;       /* type name as written ("Unsupported" for that kind) */
    zm_expr *unsupported;   /* the argument of Unsupported(...) */
    zm_decl *decl;          /* a declared type (model, type, enum, view);
                               NULL for built-in types (link pass) */
};

typedef enum zm_member_kind {
    ZM_MEMBER_FIELD,        /* name Type @attr...   (models, views, types) */
    ZM_MEMBER_ATTR,         /* @@attr(...) inside a body */
    ZM_MEMBER_ENUM_VALUE,   /* NAME @attr...        (enums) */
    ZM_MEMBER_CONFIG        /* key = value          (datasource, generator, plugin) */
} zm_member_kind;

/* One line-level item of a declaration's body, in source order. */
struct zm_member {
    zm_member_kind kind;
    zm_span span;
    zm_span name_span;
    zm_doc *docs;           /* `///` lines before it */
    const char *name;       /* FIELD, ENUM_VALUE, CONFIG */
    zm_typeref *type;       /* FIELD */
    zm_attr *attrs;         /* FIELD and ENUM_VALUE attributes; ATTR: the one attribute */
    zm_expr *value;         /* CONFIG */
    zm_decl *owner;         /* the declaration it belongs to (link pass) */
    zm_member *next;
};

/* A parameter of a function, attribute or procedure declaration. */
struct zm_param {
    zm_doc *docs;
    bool positional;        /* `_ name`: may be passed without its name */
    const char *name;
    zm_span name_span;
    zm_typeref *type;       /* optional flag lives in type->optional */
    zm_attr *attrs;         /* internal attributes (@@@...) */
    zm_span span;
    zm_param *next;
};

typedef enum zm_decl_kind {
    ZM_DECL_DATASOURCE,
    ZM_DECL_GENERATOR,
    ZM_DECL_PLUGIN,
    ZM_DECL_MODEL,
    ZM_DECL_VIEW,
    ZM_DECL_TYPE,
    ZM_DECL_ENUM,
    ZM_DECL_FUNCTION,
    ZM_DECL_ATTRIBUTE,
    ZM_DECL_PROCEDURE
} zm_decl_kind;

struct zm_decl {
    zm_decl_kind kind;
    zm_span span;
    zm_doc *docs;
    const char *name;       /* ATTRIBUTE: with its @ signs */
    zm_span name_span;
    bool is_abstract;       /* v2 `abstract model` */
    bool is_mutation;       /* v3 `mutation procedure` */
    zm_name *extends;       /* MODEL: v2 may list several, v3 one */
    zm_name *mixins;        /* MODEL, TYPE: v3 `with A, B` */
    bool with_first;        /* MODEL: `with` clause written before `extends` */
    zm_member *members;     /* body items, in order */
    zm_param *params;       /* FUNCTION, ATTRIBUTE, PROCEDURE */
    zm_typeref *result;     /* FUNCTION, PROCEDURE return type */
    zm_expr *body;          /* FUNCTION: the expression between braces, if any */
    zm_attr *attrs;         /* FUNCTION, ATTRIBUTE, PROCEDURE: trailing @@@ attributes */
    zm_decl *next;

    /* Filled by the link pass. */
    zm_file *file;          /* the file declaring it */
    zm_decl *same_name;     /* next declaration with the same name */
    int level;              /* standard library: the one language level it
                               exists at (@@@zenstack(N)), or 0 for both */
    struct zm_relation_index *relations;  /* check_model.c: its relation
                                             fields by target, built once */
};

struct zm_import {
    const char *path;       /* unescaped */
    const char *raw;        /* literal as written */
    bool semicolon;
    zm_span span;
    zm_file *target;        /* the imported file, once loaded */
    zm_import *next;
};

/* A `//` or block comment, recorded only for the formatter. */
struct zm_comment {
    const char *text;
    zm_span span;
    bool block;             /* slash-star comment */
    zm_comment *next;
};

/* One parsed file. */
struct zm_file {
    uint32_t id;            /* index in the compilation's source table */
    zm_import *imports;
    zm_decl *decls;
    zm_comment *comments;   /* in source order; only when comments are kept */
    bool had_errors;        /* syntax errors: the tree is partial */
    bool is_stdlib;         /* the built-in standard library */
    bool is_library;        /* a plugin's plugin.zmodel: its declarations are
                               visible everywhere, like the standard library's */
    zm_file *next;
};

const char *zm_decl_kind_name(zm_decl_kind k);
const char *zm_binop_text(zm_binop op);

/* Print the tree as an S-expression without locations: two trees are the
   same program if and only if their dumps are equal. Used by tests. */
struct zm_buf;
void zm_ast_dump(const zm_file *f, struct zm_buf *out);

#endif
