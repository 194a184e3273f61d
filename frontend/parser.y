/*
** parser.y — the ZModel grammar (pure, reentrant bison parser).
**
** Accepts the union of ZModel v2 and v3 syntax; which constructs a language
** level allows is a semantic question, answered after parsing. Actions only
** build the AST (ast.h); they never look names up.
**
** The tables are IELR(1): plain LALR merges the states after an identifier
** in `f(name: ...)` and in `list?[x, ...]` and sees reduce/reduce conflicts
** that are not in the grammar.
**
** Conflicts: none (%expect 0). Two ambiguities are settled by precedence:
**  - binary operators: `&&` and `||` share the lowest level (as in ZenStack,
**    `a || b && c` is `(a || b) && c`), then == !=, then < > <= >=, then `in`,
**    all left-associative;
**  - `!` applies to a member access: `!a.b` is `!(a.b)`, and `!a?[p]` is
**    `(!a)?[p]`, so `.` binds tighter than the prefix `!`.
**
** Error recovery happens per body member and per declaration, so independent
** mistakes are each reported once.
*/
%require "3.6"
%define api.pure full
%define api.prefix {zm_yy}
%define parse.error custom
%define parse.lac full
%define lr.type ielr
%locations
%expect 0

%param {void *scanner}
%parse-param {zm_parser *p}

%code requires {
#include <stdint.h>
#include "ast.h"
typedef struct zm_parser zm_parser;

typedef struct ZM_YYLTYPE {
    uint32_t start, end;    /* byte offsets */
} ZM_YYLTYPE;
#define ZM_YYLTYPE_IS_DECLARED 1

typedef struct zm_strlit {
    const char *value;      /* unescaped */
    const char *raw;        /* as written */
} zm_strlit;
}

%code provides {
#define YYSTYPE ZM_YYSTYPE
#define YYLTYPE ZM_YYLTYPE
int zm_yylex(ZM_YYSTYPE *lval, ZM_YYLTYPE *lloc, void *scanner);
void zm_lexer_restore(void *scanner);
}

%code {
#include <string.h>

#include "parse.h"

/* A rule's span runs from its first non-empty part to its last part, so an
   item with no doc comments starts at its own first token. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                     \
    do {                                                                \
        if (N) {                                                        \
            int i_ = 1;                                                 \
            while (i_ < (N) && YYRHSLOC(Rhs, i_).start == YYRHSLOC(Rhs, i_).end) \
                i_++;                                                   \
            (Cur).start = YYRHSLOC(Rhs, i_).start;                      \
            (Cur).end = YYRHSLOC(Rhs, N).end;                           \
        } else {                                                        \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;             \
        }                                                               \
    } while (0)

static void zm_yyerror(ZM_YYLTYPE *loc, void *scanner, zm_parser *p, const char *msg);

#define SPAN(l) zm_parser_span(p, (l).start, (l).end)
#define NEW(T) ZM_NEW(p->arena, T)

static zm_expr *expr_new(zm_parser *p, zm_expr_kind k, ZM_YYLTYPE l)
{
    zm_expr *e = NEW(zm_expr);
    e->kind = k;
    e->span = SPAN(l);
    return e;
}

/* Expressions deeper than this are refused. Every pass over an expression
   recurses (resolution, checks, the IR, the backends, the formatter), and
   a chain of 40,000 `||` overflowed the stack: left chains are built by
   the parser's loop, not its stack, so bison's own limit never sees them. */
#define ZM_EXPR_MAX_DEPTH 1000

static unsigned depth_of(const zm_expr *e) { return e ? e->depth : 0; }

/* `e` with its children set: its depth; past the limit, its deepest child
   instead of it (reported once per expression), so no tree grows deeper
   than the limit and the passes after the parser stay within the stack. */
static zm_expr *bounded(zm_parser *p, zm_expr *e)
{
    zm_expr *deepest = depth_of(e->lhs) >= depth_of(e->rhs) ? e->lhs : e->rhs;
    for (zm_arg *a = e->args; a; a = a->next)
        if (depth_of(a->value) > depth_of(deepest)) deepest = a->value;
    e->depth = depth_of(deepest) + 1;
    if (e->depth <= ZM_EXPR_MAX_DEPTH) return e;
    bool told = (e->lhs && e->lhs->too_deep) || (e->rhs && e->rhs->too_deep);
    for (zm_arg *a = e->args; a && !told; a = a->next) told = a->value && a->value->too_deep;
    if (!told) {
        zm_diag_error(p->diag, e->span, "expression nested too deeply: more than %d levels", ZM_EXPR_MAX_DEPTH);
        p->syntax_errors++;
    }
    deepest->too_deep = true;
    return deepest;
}

static zm_expr *binary(zm_parser *p, zm_binop op, zm_expr *l, zm_expr *r, ZM_YYLTYPE loc)
{
    zm_expr *e = expr_new(p, ZM_EXPR_BINARY, loc);
    e->op = op;
    e->lhs = l;
    e->rhs = r;
    return bounded(p, e);
}

/* Short lists (attributes, arguments, docs) are built in order by walking to
   the end. Body items are prepended, since a model may have thousands of
   them, and put in order once the declaration is complete (adopt_members). */
/* Reverse d's members into source order and make d their owner: done while
   they are still in cache, rather than in a later pass over the whole tree. */
static void adopt_members(zm_decl *d)
{
    zm_member *done = NULL;
    for (zm_member *m = d->members, *next; m; m = next) {
        next = m->next;
        m->owner = d;
        m->next = done;
        done = m;
    }
    d->members = done;
}

#define APPEND(T, head, item)                                           \
    do {                                                                \
        T **pp_ = &(head);                                              \
        while (*pp_) pp_ = &(*pp_)->next;                               \
        *pp_ = (item);                                                  \
    } while (0)
}

%union {
    const char *text;
    zm_strlit str;
    zm_expr *expr;
    zm_arg *arg;
    zm_attr *attr;
    zm_doc *doc;
    zm_typeref *type;
    zm_member *member;
    zm_param *param;
    zm_name *name;
    zm_decl *decl;
    zm_import *import;
    int flag;
}

%token <text> ID            "identifier"
%token <text> NUMBER        "number"
%token <str>  STRING        "string"
%token <text> DOC           "doc comment"
%token <text> FIELD_ATTR    "field attribute"
%token <text> MODEL_ATTR    "model attribute"
%token <text> INTERNAL_ATTR "internal attribute"
%token <text> BUILTIN_TYPE  "type name"
%token <text> EXPR_TYPE     "expression type"

%token ABSTRACT "abstract" ATTRIBUTE "attribute" DATASOURCE "datasource"
%token ENUM "enum" EXTENDS "extends" FALSE "false" FUNCTION "function"
%token GENERATOR "generator" IMPORT "import" IN "in" MODEL "model"
%token MUTATION "mutation" NULL_KW "null" PLUGIN "plugin" PROCEDURE "procedure"
%token THIS "this" TRUE "true" TYPE "type" VIEW "view" WITH "with"
%token FIELD_REFERENCE "FieldReference"
%token TRANSITIVE_FIELD_REFERENCE "TransitiveFieldReference"
%token CONTEXT_TYPE "ContextType" UNSUPPORTED "Unsupported" UNDERSCORE "_"
%token AND "&&" OR "||" EQ "==" NE "!=" LE "<=" GE ">="

%left OR AND
%left EQ NE
%left '<' '>' LE GE
%left IN
%precedence NOT
%precedence '.'

%type <text> rid key fname kw_name type_name param_type_name aparam_type_name
%type <doc> docs
%type <import> import imports
%type <decl> decl decls model_head
%type <expr> expr postfix member primary literal
%type <arg> args arg_list arg items item_list item entries entry_list entry
%type <attr> attr field_attrs internal_attrs model_attr
%type <type> field_type base_type param_type base_param_type aparam_type base_aparam_type
%type <member> members body_item enum_members enum_member configs config
%type <param> params param_list param aparams aparam_list aparam
%type <name> name_list with_list
%type <flag> opt_semi opt_underscore opt_abstract quantifier

%%

schema
    : imports decls
        {
            p->result->imports = $1;
            p->result->decls = $2;
        }
    ;

imports
    : %empty                { $$ = NULL; }
    | imports import        { $$ = $1; APPEND(zm_import, $$, $2); }
    ;

import
    : IMPORT STRING opt_semi
        {
            $$ = NEW(zm_import);
            $$->path = $2.value;
            $$->raw = $2.raw;
            $$->semicolon = $3;
            $$->span = SPAN(@$);
        }
    ;

opt_semi
    : %empty    { $$ = 0; }
    | ';'       { $$ = 1; }
    ;

/* Declarations are prepended and reversed once at the end (fast for big schemas). */
decls
    : %empty                { $$ = NULL; }
    | decls decl            { adopt_members($2); $2->next = $1; $$ = $2; yyerrok; }
    | decls error           { $$ = $1; }
    ;

decl
    : docs DATASOURCE rid '{' configs '}'
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_DATASOURCE; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->members = $5; $$->span = SPAN(@$); }
    | docs GENERATOR rid '{' configs '}'
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_GENERATOR; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->members = $5; $$->span = SPAN(@$); }
    | docs PLUGIN rid '{' configs '}'
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_PLUGIN; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->members = $5; $$->span = SPAN(@$); }
    | docs model_head '{' members '}'
        { $$ = $2; $$->docs = $1; $$->members = $4; $$->span = SPAN(@$); }
    | docs VIEW rid '{' members '}'
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_VIEW; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->members = $5; $$->span = SPAN(@$); }
    | docs TYPE rid '{' members '}'
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_TYPE; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->members = $5; $$->span = SPAN(@$); }
    | docs TYPE rid WITH with_list '{' members '}'
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_TYPE; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->mixins = $5; $$->members = $7; $$->span = SPAN(@$); }
    | docs ENUM rid '{' enum_members '}'
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_ENUM; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->members = $5; $$->span = SPAN(@$); }
    | docs FUNCTION rid '(' params ')' ':' param_type '{' '}' internal_attrs
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_FUNCTION; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->params = $5; $$->result = $8; $$->attrs = $11;
          $$->span = SPAN(@$); }
    | docs FUNCTION rid '(' params ')' ':' param_type '{' expr '}' internal_attrs
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_FUNCTION; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->params = $5; $$->result = $8; $$->body = $10;
          $$->attrs = $12; $$->span = SPAN(@$); }
    | docs ATTRIBUTE attr_decl_name '(' aparams ')' internal_attrs
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_ATTRIBUTE; $$->docs = $1;
          $$->name = zm_arena_strndup(p->arena, p->text + @3.start, @3.end - @3.start);
          $$->name_span = SPAN(@3); $$->params = $5; $$->attrs = $7; $$->span = SPAN(@$); }
    | docs PROCEDURE rid '(' params ')' ':' param_type internal_attrs
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_PROCEDURE; $$->docs = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->params = $5; $$->result = $8; $$->attrs = $9;
          $$->span = SPAN(@$); }
    | docs MUTATION PROCEDURE rid '(' params ')' ':' param_type internal_attrs
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_PROCEDURE; $$->is_mutation = true; $$->docs = $1;
          $$->name = $4; $$->name_span = SPAN(@4); $$->params = $6; $$->result = $9;
          $$->attrs = $10; $$->span = SPAN(@$); }
    ;

model_head
    : opt_abstract MODEL rid
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_MODEL; $$->is_abstract = $1; $$->name = $3;
          $$->name_span = SPAN(@3); }
    | opt_abstract MODEL rid EXTENDS name_list
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_MODEL; $$->is_abstract = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->extends = $5; }
    | opt_abstract MODEL rid WITH with_list
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_MODEL; $$->is_abstract = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->mixins = $5; }
    | opt_abstract MODEL rid WITH with_list EXTENDS name_list
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_MODEL; $$->is_abstract = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->mixins = $5; $$->extends = $7; $$->with_first = true; }
    | opt_abstract MODEL rid EXTENDS name_list WITH with_list
        { $$ = NEW(zm_decl); $$->kind = ZM_DECL_MODEL; $$->is_abstract = $1; $$->name = $3;
          $$->name_span = SPAN(@3); $$->extends = $5; $$->mixins = $7; }
    ;

opt_abstract
    : %empty        { $$ = 0; }
    | ABSTRACT      { $$ = 1; }
    ;

attr_decl_name: FIELD_ATTR | MODEL_ATTR | INTERNAL_ATTR ;

name_list
    : rid
        { $$ = NEW(zm_name); $$->text = $1; $$->span = SPAN(@1); }
    | name_list ',' rid
        { zm_name *n = NEW(zm_name); n->text = $3; n->span = SPAN(@3); $$ = $1; APPEND(zm_name, $$, n); }
    ;

/* v3 mixins: the comma between names is optional. */
with_list
    : rid
        { $$ = NEW(zm_name); $$->text = $1; $$->span = SPAN(@1); }
    | with_list rid
        { zm_name *n = NEW(zm_name); n->text = $2; n->span = SPAN(@2); $$ = $1; APPEND(zm_name, $$, n); }
    | with_list ',' rid
        { zm_name *n = NEW(zm_name); n->text = $3; n->span = SPAN(@3); $$ = $1; APPEND(zm_name, $$, n); }
    ;

docs
    : %empty        { $$ = NULL; }
    | docs DOC
        { zm_doc *d = NEW(zm_doc); d->text = $2; d->span = SPAN(@2); $$ = $1; APPEND(zm_doc, $$, d); }
    ;

/* ---- bodies ---------------------------------------------------------- */

members
    : %empty                { $$ = NULL; }
    | members body_item     { $$ = $1; if ($2) { $2->next = $1; $$ = $2; yyerrok; } }
    ;

body_item
    : docs fname field_type field_attrs
        { $$ = NEW(zm_member); $$->kind = ZM_MEMBER_FIELD; $$->docs = $1; $$->name = $2;
          $$->name_span = SPAN(@2); $$->type = $3; $$->attrs = $4; $$->span = SPAN(@$);
          }
    | docs model_attr
        { $$ = NEW(zm_member); $$->kind = ZM_MEMBER_ATTR; $$->docs = $1; $$->attrs = $2;
          $$->span = SPAN(@$); }
    | error                 { $$ = NULL; }
    ;

enum_members
    : enum_member                   { $$ = $1; }
    | enum_members enum_member      { $$ = $1; if ($2) { $2->next = $1; $$ = $2; yyerrok; } }
    ;

enum_member
    : docs fname field_attrs
        { $$ = NEW(zm_member); $$->kind = ZM_MEMBER_ENUM_VALUE; $$->docs = $1; $$->name = $2;
          $$->name_span = SPAN(@2); $$->attrs = $3; $$->span = SPAN(@$);
          }
    | docs model_attr
        { $$ = NEW(zm_member); $$->kind = ZM_MEMBER_ATTR; $$->docs = $1; $$->attrs = $2;
          $$->span = SPAN(@$); }
    | error                 { $$ = NULL; }
    ;

configs
    : %empty                { $$ = NULL; }
    | configs config        { $$ = $1; if ($2) { $2->next = $1; $$ = $2; yyerrok; } }
    ;

config
    : docs key '=' expr
        { $$ = NEW(zm_member); $$->kind = ZM_MEMBER_CONFIG; $$->docs = $1; $$->name = $2;
          $$->name_span = SPAN(@2); $$->value = $4; $$->span = SPAN(@$);
          }
    | error                 { $$ = NULL; }
    ;

base_type
    : type_name
        { $$ = NEW(zm_typeref); $$->kind = ZM_TYPE_NAMED; $$->name = $1; $$->name_span = SPAN(@1);
          $$->span = SPAN(@$); }
    | UNSUPPORTED '(' expr ')'
        { $$ = NEW(zm_typeref); $$->kind = ZM_TYPE_UNSUPPORTED; $$->name = "Unsupported";
          $$->name_span = SPAN(@1); $$->unsupported = $3; $$->span = SPAN(@$); }
    ;

/* At most one `[]`, then at most one `?`. */
field_type
    : base_type
    | base_type '[' ']'     { $$ = $1; $$->list = true; $$->span.end = @3.end; }
    | base_type '?'         { $$ = $1; $$->optional = true; $$->span.end = @2.end; }
    | base_type '[' ']' '?' { $$ = $1; $$->list = $$->optional = true; $$->span.end = @4.end; }
    ;

type_name: BUILTIN_TYPE | rid ;

field_attrs
    : %empty                { $$ = NULL; }
    | field_attrs attr      { $$ = $1; APPEND(zm_attr, $$, $2); }
    ;

attr
    : FIELD_ATTR
        { $$ = NEW(zm_attr); $$->level = ZM_ATTR_FIELD; $$->name = $1; $$->name_span = SPAN(@1);
          $$->span = SPAN(@$); }
    | FIELD_ATTR '(' args ')'
        { $$ = NEW(zm_attr); $$->level = ZM_ATTR_FIELD; $$->name = $1; $$->name_span = SPAN(@1);
          $$->has_parens = true; $$->args = $3; $$->span = SPAN(@$); }
    ;

model_attr
    : MODEL_ATTR
        { $$ = NEW(zm_attr); $$->level = ZM_ATTR_MODEL; $$->name = $1; $$->name_span = SPAN(@1);
          $$->span = SPAN(@$); }
    | MODEL_ATTR '(' args ')'
        { $$ = NEW(zm_attr); $$->level = ZM_ATTR_MODEL; $$->name = $1; $$->name_span = SPAN(@1);
          $$->has_parens = true; $$->args = $3; $$->span = SPAN(@$); }
    ;

internal_attrs
    : %empty                { $$ = NULL; }
    | internal_attrs INTERNAL_ATTR
        { zm_attr *a = NEW(zm_attr); a->level = ZM_ATTR_INTERNAL; a->name = $2;
          a->name_span = SPAN(@2); a->span = SPAN(@2); $$ = $1; APPEND(zm_attr, $$, a); }
    | internal_attrs INTERNAL_ATTR '(' args ')'
        { zm_attr *a = NEW(zm_attr); a->level = ZM_ATTR_INTERNAL; a->name = $2;
          a->name_span = SPAN(@2); a->has_parens = true; a->args = $4;
          a->span = zm_parser_span(p, @2.start, @5.end); $$ = $1; APPEND(zm_attr, $$, a); }
    ;

/* ---- functions, attributes, procedures --------------------------------- */

params
    : %empty                { $$ = NULL; }
    | param_list            { $$ = $1; }
    ;

param_list
    : param                 { $$ = $1; }
    | param_list ',' param  { $$ = $1; APPEND(zm_param, $$, $3); }
    ;

param
    : docs rid ':' param_type
        { $$ = NEW(zm_param); $$->docs = $1; $$->name = $2; $$->name_span = SPAN(@2);
          $$->type = $4; $$->span = SPAN(@$); }
    ;

base_param_type
    : param_type_name
        { $$ = NEW(zm_typeref); $$->kind = ZM_TYPE_NAMED; $$->name = $1; $$->name_span = SPAN(@1);
          $$->span = SPAN(@$); }
    ;

param_type
    : base_param_type
    | base_param_type '[' ']'       { $$ = $1; $$->list = true; $$->span.end = @3.end; }
    | base_param_type '?'           { $$ = $1; $$->optional = true; $$->span.end = @2.end; }
    | base_param_type '[' ']' '?'   { $$ = $1; $$->list = $$->optional = true; $$->span.end = @4.end; }
    ;

param_type_name
    : BUILTIN_TYPE | EXPR_TYPE | rid
    | UNSUPPORTED           { $$ = "Unsupported"; }
    ;

aparams
    : %empty                { $$ = NULL; }
    | aparam_list           { $$ = $1; }
    ;

aparam_list
    : aparam                    { $$ = $1; }
    | aparam_list ',' aparam    { $$ = $1; APPEND(zm_param, $$, $3); }
    ;

aparam
    : docs opt_underscore rid ':' aparam_type internal_attrs
        { $$ = NEW(zm_param); $$->docs = $1; $$->positional = $2; $$->name = $3;
          $$->name_span = SPAN(@3); $$->type = $5; $$->attrs = $6; $$->span = SPAN(@$); }
    ;

opt_underscore
    : %empty        { $$ = 0; }
    | UNDERSCORE    { $$ = 1; }
    ;

base_aparam_type
    : aparam_type_name
        { $$ = NEW(zm_typeref); $$->kind = ZM_TYPE_NAMED; $$->name = $1; $$->name_span = SPAN(@1);
          $$->span = SPAN(@$); }
    ;

aparam_type
    : base_aparam_type
    | base_aparam_type '[' ']'      { $$ = $1; $$->list = true; $$->span.end = @3.end; }
    | base_aparam_type '?'          { $$ = $1; $$->optional = true; $$->span.end = @2.end; }
    | base_aparam_type '[' ']' '?'  { $$ = $1; $$->list = $$->optional = true; $$->span.end = @4.end; }
    ;

aparam_type_name
    : param_type_name
    | FIELD_REFERENCE               { $$ = "FieldReference"; }
    | TRANSITIVE_FIELD_REFERENCE    { $$ = "TransitiveFieldReference"; }
    | CONTEXT_TYPE                  { $$ = "ContextType"; }
    ;

/* ---- expressions ------------------------------------------------------ */

expr
    : postfix
    | expr OR expr          { $$ = binary(p, ZM_OP_OR, $1, $3, @$); }
    | expr AND expr         { $$ = binary(p, ZM_OP_AND, $1, $3, @$); }
    | expr EQ expr          { $$ = binary(p, ZM_OP_EQ, $1, $3, @$); }
    | expr NE expr          { $$ = binary(p, ZM_OP_NE, $1, $3, @$); }
    | expr '<' expr         { $$ = binary(p, ZM_OP_LT, $1, $3, @$); }
    | expr '>' expr         { $$ = binary(p, ZM_OP_GT, $1, $3, @$); }
    | expr LE expr          { $$ = binary(p, ZM_OP_LE, $1, $3, @$); }
    | expr GE expr          { $$ = binary(p, ZM_OP_GE, $1, $3, @$); }
    | expr IN expr          { $$ = binary(p, ZM_OP_IN, $1, $3, @$); }
    ;

/* Collection predicates apply to a member access and may follow each other. */
postfix
    : member
    | postfix quantifier '[' expr ']'
        { $$ = expr_new(p, ZM_EXPR_PREDICATE, @$); $$->quant = $2; $$->lhs = $1; $$->rhs = $4; $$ = bounded(p, $$); }
    | postfix quantifier '[' rid ',' expr ']'
        { $$ = expr_new(p, ZM_EXPR_PREDICATE, @$); $$->quant = $2; $$->lhs = $1;
          $$->text = $4; $$->name_span = SPAN(@4); $$->rhs = $6; $$ = bounded(p, $$); }
    ;

quantifier
    : '?'           { $$ = ZM_PRED_SOME; }
    | '!'           { $$ = ZM_PRED_NONE; }
    | '^'           { $$ = ZM_PRED_ALL; }
    ;

member
    : primary
    | member '.' fname
        { $$ = expr_new(p, ZM_EXPR_MEMBER, @$); $$->lhs = $1; $$->text = $3; $$->name_span = SPAN(@3);
          $$ = bounded(p, $$); }
    ;

primary
    : literal
    | THIS                  { $$ = expr_new(p, ZM_EXPR_THIS, @$); }
    | NULL_KW               { $$ = expr_new(p, ZM_EXPR_NULL, @$); }
    | '(' expr ')'          { $$ = expr_new(p, ZM_EXPR_PAREN, @$); $$->lhs = $2; $$ = bounded(p, $$); }
    | '!' member %prec NOT  { $$ = expr_new(p, ZM_EXPR_NOT, @$); $$->lhs = $2; $$ = bounded(p, $$); }
    | fname                 { $$ = expr_new(p, ZM_EXPR_REF, @$); $$->text = $1; }
    | fname '(' args ')'
        { $$ = expr_new(p, ZM_EXPR_CALL, @$); $$->text = $1; $$->name_span = SPAN(@1); $$->args = $3;
          $$ = bounded(p, $$); }
    | '[' items ']'         { $$ = expr_new(p, ZM_EXPR_ARRAY, @$); $$->args = $2; $$ = bounded(p, $$); }
    | '{' entries '}'       { $$ = expr_new(p, ZM_EXPR_OBJECT, @$); $$->args = $2; $$ = bounded(p, $$); }
    ;

literal
    : NUMBER        { $$ = expr_new(p, ZM_EXPR_NUMBER, @$); $$->text = $1; }
    | STRING        { $$ = expr_new(p, ZM_EXPR_STRING, @$); $$->text = $1.value; $$->raw = $1.raw; }
    | TRUE          { $$ = expr_new(p, ZM_EXPR_BOOL, @$); $$->boolean = true; }
    | FALSE         { $$ = expr_new(p, ZM_EXPR_BOOL, @$); $$->boolean = false; }
    ;

args
    : %empty                { $$ = NULL; }
    | arg_list              { $$ = $1; }
    ;

arg_list
    : arg                   { $$ = $1; }
    | arg_list ',' arg      { $$ = $1; APPEND(zm_arg, $$, $3); }
    ;

arg
    : expr
        { $$ = NEW(zm_arg); $$->value = $1; $$->span = SPAN(@$); }
    | rid ':' expr
        { $$ = NEW(zm_arg); $$->name = $1; $$->name_span = SPAN(@1); $$->value = $3; $$->span = SPAN(@$); }
    ;

items
    : %empty                { $$ = NULL; }
    | item_list             { $$ = $1; }
    ;

item_list
    : item                  { $$ = $1; }
    | item_list ',' item    { $$ = $1; APPEND(zm_arg, $$, $3); }
    ;

item
    : expr                  { $$ = NEW(zm_arg); $$->value = $1; $$->span = SPAN(@$); }
    ;

entries
    : %empty                { $$ = NULL; }
    | entry_list            { $$ = $1; }
    | entry_list ','        { $$ = $1; }
    ;

entry_list
    : entry                 { $$ = $1; }
    | entry_list ',' entry  { $$ = $1; APPEND(zm_arg, $$, $3); }
    ;

entry
    : rid ':' expr
        { $$ = NEW(zm_arg); $$->name = $1; $$->name_span = SPAN(@1); $$->value = $3; $$->span = SPAN(@$); }
    | STRING ':' expr
        { $$ = NEW(zm_arg); $$->name = $1.value; $$->name_raw = $1.raw; $$->name_span = SPAN(@1);
          $$->value = $3; $$->span = SPAN(@$); }
    ;

/* ---- names -------------------------------------------------------------- */

/* Names. An identifier reduces straight to the name it serves as (one
   reduction per name: the scanner's hottest path); the keywords ZenStack also
   accepts as names go through kw_name. */

/* Declaration names and references. */
rid
    : ID
    | kw_name
    | IN            { $$ = "in"; }
    ;

/* Config keys: not `in` (the scanner turns `in =` into an identifier). */
key
    : ID
    | kw_name
    ;

/* Field and enum-value names also accept type names, and the v3 keywords
   that were plain identifiers in v2. */
fname
    : ID
    | kw_name
    | IN            { $$ = "in"; }
    | BUILTIN_TYPE
    | EXPR_TYPE
    | UNSUPPORTED   { $$ = "Unsupported"; }
    | WITH          { $$ = "with"; }
    | PROCEDURE     { $$ = "procedure"; }
    | MUTATION      { $$ = "mutation"; }
    ;

kw_name
    : MODEL         { $$ = "model"; }
    | ENUM          { $$ = "enum"; }
    | ATTRIBUTE     { $$ = "attribute"; }
    | DATASOURCE    { $$ = "datasource"; }
    | PLUGIN        { $$ = "plugin"; }
    | ABSTRACT      { $$ = "abstract"; }
    | VIEW          { $$ = "view"; }
    | IMPORT        { $$ = "import"; }
    | TYPE          { $$ = "type"; }
    ;

%%

#include "lexer.h"

/* Human names for tokens in messages: `'model'` for keywords and punctuation,
   plain words for token classes. */
static void symbol_text(zm_buf *b, yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_YYEOF: zm_buf_puts(b, "end of file"); return;
    case YYSYMBOL_ID: case YYSYMBOL_NUMBER: case YYSYMBOL_STRING: case YYSYMBOL_DOC:
    case YYSYMBOL_FIELD_ATTR: case YYSYMBOL_MODEL_ATTR: case YYSYMBOL_INTERNAL_ATTR:
    case YYSYMBOL_BUILTIN_TYPE: case YYSYMBOL_EXPR_TYPE:
        zm_buf_puts(b, yysymbol_name(k));
        return;
    default: break;
    }
    const char *n = yysymbol_name(k);
    size_t len = strlen(n);
    if (len >= 2 && n[0] == '"' && n[len - 1] == '"') {
        n++;
        len -= 2;
    } else if (len >= 3 && n[0] == '\'' && n[len - 1] == '\'') {
        n++;
        len -= 2;
    }
    zm_buf_putc(b, '\'');
    zm_buf_append(b, n, len);
    zm_buf_putc(b, '\'');
}

static bool is_name_keyword(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_MODEL: case YYSYMBOL_ENUM: case YYSYMBOL_ATTRIBUTE: case YYSYMBOL_DATASOURCE:
    case YYSYMBOL_PLUGIN: case YYSYMBOL_ABSTRACT: case YYSYMBOL_IN: case YYSYMBOL_VIEW:
    case YYSYMBOL_IMPORT: case YYSYMBOL_TYPE: case YYSYMBOL_BUILTIN_TYPE: case YYSYMBOL_EXPR_TYPE:
    case YYSYMBOL_UNSUPPORTED: case YYSYMBOL_WITH: case YYSYMBOL_PROCEDURE: case YYSYMBOL_MUTATION:
        return true;
    default:
        return false;
    }
}

static bool is_continuation(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_OR: case YYSYMBOL_AND: case YYSYMBOL_EQ: case YYSYMBOL_NE: case YYSYMBOL_LE:
    case YYSYMBOL_GE: case YYSYMBOL_IN:
        return true;
    default: {
        /* Character tokens are named by their quoted character. */
        const char *n = yysymbol_name(k);
        return n[0] == '\'' && n[1] && strchr("<>.?!^[(", n[1]) && n[2] == '\'';
    }
    }
}

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, zm_parser *p)
{
    (void)scanner;
    p->syntax_errors++;
    if (p->lex_fatal) return 0;     /* already explained by the scanner */
    yysymbol_kind_t got = yypcontext_token(ctx);
    const ZM_YYLTYPE *loc = yypcontext_location(ctx);
    zm_buf b = ZM_BUF_INIT;

    zm_buf_puts(&b, "unexpected ");
    if (got == YYSYMBOL_YYEOF) {
        zm_buf_puts(&b, "end of file");
    } else {
        size_t len = loc->end - loc->start;
        const char *text = p->text + loc->start;
        switch (got) {
        case YYSYMBOL_ID: case YYSYMBOL_NUMBER: case YYSYMBOL_STRING: case YYSYMBOL_DOC:
        case YYSYMBOL_FIELD_ATTR: case YYSYMBOL_MODEL_ATTR: case YYSYMBOL_INTERNAL_ATTR:
            zm_buf_puts(&b, yysymbol_name(got));
            zm_buf_putc(&b, ' ');
            break;
        default: break;
        }
        if (len > 40) {
            len = 40;   /* cut at a character boundary, not inside one */
            while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80) len--;
        }
        zm_buf_putc(&b, '\'');
        zm_buf_append(&b, text, len);
        zm_buf_putc(&b, '\'');
    }

    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
    /* Keep the list short and useful: a name is listed once, not as every
       keyword that may serve as one, and operators that could continue an
       expression are left out when something else is expected too. */
    yysymbol_kind_t keep[YYNTOKENS];
    int shown = 0;
    bool names = false, other = false;
    for (int i = 0; i < n; i++) {
        if (expected[i] == YYSYMBOL_ID) names = true;
        if (!is_name_keyword(expected[i]) && !is_continuation(expected[i])) other = true;
    }
    for (int i = 0; i < n; i++) {
        yysymbol_kind_t k = expected[i];
        if (names && is_name_keyword(k)) continue;
        if (other && is_continuation(k)) continue;
        keep[shown++] = k;
    }
    if (shown > 0 && shown <= 5) {
        zm_buf_puts(&b, ", expected ");
        for (int i = 0; i < shown; i++) {
            if (i > 0) zm_buf_puts(&b, i == shown - 1 ? " or " : ", ");
            symbol_text(&b, keep[i]);
        }
    }
    zm_diag_error(p->diag, zm_parser_span(p, loc->start, loc->end), "%s", b.data);
    zm_buf_free(&b);
    return 0;
}

static void zm_yyerror(ZM_YYLTYPE *loc, void *scanner, zm_parser *p, const char *msg)
{
    (void)scanner;
    p->syntax_errors++;
    /* Bison says "memory exhausted" when its stack limit is reached. */
    if (strcmp(msg, "memory exhausted") == 0) msg = "nesting too deep";
    zm_diag_error(p->diag, zm_parser_span(p, loc->start, loc->end), "%s", msg);
}

zm_span zm_parser_span(const zm_parser *p, uint32_t start, uint32_t end)
{
    return (zm_span){p->file, start, end};
}

/* The value of hex digits raw[i..i+n), or -1. */
static long hex_value(const char *raw, size_t i, size_t len, size_t n)
{
    if (i + n > len) return -1;
    long v = 0;
    for (size_t k = 0; k < n; k++) {
        char c = raw[i + k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Code point `cp` as UTF-8 at out; the bytes written. */
static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string literal's value, as JavaScript (ZenStack) and Prisma read it:
   the one-letter escapes, \uXXXX (a surrogate pair joined into one
   character, a lone surrogate as U+FFFD) and any other escaped character
   as itself. A value cannot hold NUL (every name and default is a C
   string downstream, where it would cut the text short): *nul is set when
   an escape asks for one, and the caller reports it. UTF-8 of a \u escape
   is never longer than the six bytes of its source, so len + 1 suffices. */
char *zm_string_unescape(zm_arena *a, const char *raw, size_t len, bool *nul)
{
    char *out = zm_arena_alloc(a, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = raw[i];
        if (c == '\\' && i + 1 < len) {
            c = raw[++i];
            long cp;
            switch (c) {
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'v': c = '\v'; break;
            case '0': c = '\0'; break;
            case 'u':
                if ((cp = hex_value(raw, i + 1, len, 4)) < 0) break;   /* "\u" not followed by 4 digits: u */
                i += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && i + 2 < len && raw[i + 1] == '\\' && raw[i + 2] == 'u') {
                    long lo = hex_value(raw, i + 3, len, 4);
                    if (lo >= 0xDC00 && lo < 0xE000) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
                if (cp == 0) {
                    if (nul) *nul = true;
                    continue;
                }
                n += put_utf8(out + n, (unsigned long)cp);
                continue;
            default: break;     /* \" \' \\ and any other char: itself */
            }
            if (c == '\0') {
                if (nul) *nul = true;
                continue;
            }
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return out;
}

static zm_decl *reverse(zm_decl *d)
{
    zm_decl *prev = NULL;
    while (d) {
        zm_decl *next = d->next;
        d->next = prev;
        prev = d;
        d = next;
    }
    return prev;
}

zm_file *zm_parse(zm_arena *a, zm_diag_sink *d, uint32_t file,
                  const char *text, size_t len, bool keep_comments)
{
    zm_parser p = {0};
    p.arena = a;
    p.diag = d;
    p.file = file;
    p.text = text;
    p.len = len;
    p.keep_comments = keep_comments;
    p.comments_tail = &p.comments;
    p.result = ZM_NEW(a, zm_file);
    p.result->id = file;

    yyscan_t scanner;
    if (zm_yylex_init_extra(&p, &scanner) != 0) abort();
    YY_BUFFER_STATE buf = zm_yy_scan_buffer((char *)text, len + 2, scanner);
    if (!buf) abort();
    zm_yyparse(scanner, &p);
    zm_lexer_restore(scanner);
    zm_yy_delete_buffer(buf, scanner);
    zm_yylex_destroy(scanner);

    p.result->decls = reverse(p.result->decls);
    p.result->comments = p.comments;
    p.result->had_errors = p.syntax_errors > 0;
    return p.result;
}

const char *zm_token_name(int kind)
{
    return yysymbol_name(YYTRANSLATE(kind));
}

size_t zm_lex_all(zm_arena *a, zm_diag_sink *d, uint32_t file, const char *text, size_t len,
                  zm_token **out)
{
    zm_parser p = {0};
    p.arena = a;
    p.diag = d;
    p.file = file;
    p.text = text;
    p.len = len;
    p.comments_tail = &p.comments;

    yyscan_t scanner;
    if (zm_yylex_init_extra(&p, &scanner) != 0) abort();
    YY_BUFFER_STATE buf = zm_yy_scan_bytes(text, (int)len, scanner);
    size_t n = 0, cap = 64;
    zm_token *toks = malloc(cap * sizeof *toks);
    if (!toks) abort();
    for (;;) {
        ZM_YYSTYPE v;
        ZM_YYLTYPE l = {0, 0};
        memset(&v, 0, sizeof v);
        int k = zm_yylex(&v, &l, scanner);
        if (n == cap) {
            zm_token *t = realloc(toks, (cap *= 2) * sizeof *toks);
            if (!t) abort();
            toks = t;
        }
        toks[n].kind = k;
        toks[n].span = zm_parser_span(&p, l.start, l.end);
        toks[n].text = k == STRING ? v.str.value
                     : (k == ID || k == NUMBER || k == DOC || k == FIELD_ATTR || k == MODEL_ATTR ||
                        k == INTERNAL_ATTR || k == BUILTIN_TYPE || k == EXPR_TYPE) ? v.text : NULL;
        n++;
        if (k == ZM_YYEOF) break;
    }
    zm_yy_delete_buffer(buf, scanner);
    zm_yylex_destroy(scanner);
    *out = zm_arena_alloc(a, n * sizeof **out);
    memcpy(*out, toks, n * sizeof **out);
    free(toks);
    return n;
}
