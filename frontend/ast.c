/*
** ast.c — names of AST kinds and the S-expression dump used by tests.
**
** The dump leaves out locations and comments but keeps everything else, so
** two trees with the same dump are the same program; `zmc format` is checked
** against it (the formatted file must dump exactly like the original).
*/
#include "ast.h"

#include "zmc/buf.h"

const char *zm_decl_kind_name(zm_decl_kind k)
{
    switch (k) {
    case ZM_DECL_DATASOURCE: return "datasource";
    case ZM_DECL_GENERATOR: return "generator";
    case ZM_DECL_PLUGIN: return "plugin";
    case ZM_DECL_MODEL: return "model";
    case ZM_DECL_VIEW: return "view";
    case ZM_DECL_TYPE: return "type";
    case ZM_DECL_ENUM: return "enum";
    case ZM_DECL_FUNCTION: return "function";
    case ZM_DECL_ATTRIBUTE: return "attribute";
    case ZM_DECL_PROCEDURE: return "procedure";
    }
    return "?";
}

const char *zm_binop_text(zm_binop op)
{
    switch (op) {
    case ZM_OP_OR: return "||";
    case ZM_OP_AND: return "&&";
    case ZM_OP_EQ: return "==";
    case ZM_OP_NE: return "!=";
    case ZM_OP_LT: return "<";
    case ZM_OP_GT: return ">";
    case ZM_OP_LE: return "<=";
    case ZM_OP_GE: return ">=";
    case ZM_OP_IN: return "in";
    }
    return "?";
}

static void dump_string(zm_buf *b, const char *s)
{
    zm_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') zm_buf_printf(b, "\\%c", c);
        else if (c < 0x20) zm_buf_printf(b, "\\x%02x", c);
        else zm_buf_putc(b, (char)c);
    }
    zm_buf_putc(b, '"');
}

static void dump_expr(zm_buf *b, const zm_expr *e);

static void dump_args(zm_buf *b, const zm_arg *a)
{
    for (; a; a = a->next) {
        zm_buf_putc(b, ' ');
        if (a->name) {
            zm_buf_puts(b, "(: ");
            dump_string(b, a->name);
            zm_buf_putc(b, ' ');
            dump_expr(b, a->value);
            zm_buf_putc(b, ')');
        } else {
            dump_expr(b, a->value);
        }
    }
}

static void dump_expr(zm_buf *b, const zm_expr *e)
{
    if (!e) {
        zm_buf_puts(b, "()");
        return;
    }
    switch (e->kind) {
    case ZM_EXPR_NUMBER: zm_buf_printf(b, "(num %s)", e->text); return;
    case ZM_EXPR_STRING: zm_buf_puts(b, "(str "); dump_string(b, e->text); zm_buf_putc(b, ')'); return;
    case ZM_EXPR_BOOL: zm_buf_puts(b, e->boolean ? "(true)" : "(false)"); return;
    case ZM_EXPR_NULL: zm_buf_puts(b, "(null)"); return;
    case ZM_EXPR_THIS: zm_buf_puts(b, "(this)"); return;
    case ZM_EXPR_REF: zm_buf_printf(b, "(ref %s)", e->text); return;
    case ZM_EXPR_CALL:
        zm_buf_printf(b, "(call %s", e->text);
        dump_args(b, e->args);
        zm_buf_putc(b, ')');
        return;
    case ZM_EXPR_MEMBER:
        zm_buf_puts(b, "(. ");
        dump_expr(b, e->lhs);
        zm_buf_printf(b, " %s)", e->text);
        return;
    case ZM_EXPR_ARRAY:
        zm_buf_puts(b, "(array");
        dump_args(b, e->args);
        zm_buf_putc(b, ')');
        return;
    case ZM_EXPR_OBJECT:
        zm_buf_puts(b, "(object");
        dump_args(b, e->args);
        zm_buf_putc(b, ')');
        return;
    case ZM_EXPR_NOT:
        zm_buf_puts(b, "(! ");
        dump_expr(b, e->lhs);
        zm_buf_putc(b, ')');
        return;
    case ZM_EXPR_BINARY:
        zm_buf_printf(b, "(%s ", zm_binop_text(e->op));
        dump_expr(b, e->lhs);
        zm_buf_putc(b, ' ');
        dump_expr(b, e->rhs);
        zm_buf_putc(b, ')');
        return;
    case ZM_EXPR_PREDICATE:
        zm_buf_printf(b, "(%c[] ", (char)e->quant);
        dump_expr(b, e->lhs);
        if (e->text) zm_buf_printf(b, " (bind %s)", e->text);
        zm_buf_putc(b, ' ');
        dump_expr(b, e->rhs);
        zm_buf_putc(b, ')');
        return;
    case ZM_EXPR_PAREN:
        zm_buf_puts(b, "(paren ");
        dump_expr(b, e->lhs);
        zm_buf_putc(b, ')');
        return;
    }
}

static void dump_docs(zm_buf *b, const zm_doc *d)
{
    for (; d; d = d->next) {
        zm_buf_puts(b, " (doc ");
        dump_string(b, d->text);
        zm_buf_putc(b, ')');
    }
}

static void dump_attrs(zm_buf *b, const zm_attr *a)
{
    for (; a; a = a->next) {
        zm_buf_printf(b, " (%s%s", a->name, a->has_parens ? "()" : "");
        dump_args(b, a->args);
        zm_buf_putc(b, ')');
    }
}

static void dump_type(zm_buf *b, const zm_typeref *t)
{
    if (!t) return;
    zm_buf_printf(b, " (type %s", t->name);
    if (t->unsupported) {
        zm_buf_putc(b, ' ');
        dump_expr(b, t->unsupported);
    }
    if (t->list) zm_buf_puts(b, " []");
    if (t->optional) zm_buf_puts(b, " ?");
    zm_buf_putc(b, ')');
}

static void dump_names(zm_buf *b, const char *tag, const zm_name *n)
{
    if (!n) return;
    zm_buf_printf(b, " (%s", tag);
    for (; n; n = n->next) zm_buf_printf(b, " %s", n->text);
    zm_buf_putc(b, ')');
}

static void dump_params(zm_buf *b, const zm_param *p)
{
    for (; p; p = p->next) {
        zm_buf_printf(b, "\n    (param %s%s", p->positional ? "_ " : "", p->name);
        dump_docs(b, p->docs);
        dump_type(b, p->type);
        dump_attrs(b, p->attrs);
        zm_buf_putc(b, ')');
    }
}

void zm_ast_dump(const zm_file *f, zm_buf *b)
{
    zm_buf_puts(b, "(file");
    for (const zm_import *i = f->imports; i; i = i->next) {
        zm_buf_puts(b, "\n  (import ");
        dump_string(b, i->path);
        zm_buf_putc(b, ')');
    }
    for (const zm_decl *d = f->decls; d; d = d->next) {
        zm_buf_printf(b, "\n  (%s%s %s", d->is_mutation ? "mutation " : "",
                      zm_decl_kind_name(d->kind), d->name);
        if (d->is_abstract) zm_buf_puts(b, " abstract");
        dump_docs(b, d->docs);
        dump_names(b, "extends", d->extends);
        dump_names(b, "with", d->mixins);
        dump_params(b, d->params);
        if (d->result) dump_type(b, d->result);
        if (d->body) {
            zm_buf_puts(b, " (body ");
            dump_expr(b, d->body);
            zm_buf_putc(b, ')');
        }
        dump_attrs(b, d->attrs);
        for (const zm_member *m = d->members; m; m = m->next) {
            zm_buf_puts(b, "\n    (");
            switch (m->kind) {
            case ZM_MEMBER_FIELD: zm_buf_printf(b, "field %s", m->name); break;
            case ZM_MEMBER_ENUM_VALUE: zm_buf_printf(b, "value %s", m->name); break;
            case ZM_MEMBER_CONFIG: zm_buf_printf(b, "config %s", m->name); break;
            case ZM_MEMBER_ATTR: zm_buf_puts(b, "attr"); break;
            }
            dump_docs(b, m->docs);
            dump_type(b, m->type);
            if (m->value) {
                zm_buf_putc(b, ' ');
                dump_expr(b, m->value);
            }
            dump_attrs(b, m->attrs);
            zm_buf_putc(b, ')');
        }
        zm_buf_putc(b, ')');
    }
    zm_buf_puts(b, ")\n");
}
