/*
** check_types.c — expression types, and the operators that need them.
**
** Every expression in an attribute argument gets a type the way ZenStack
** types it: a scalar (String, Int, Float, Boolean, DateTime, Null, Any,
** Object, Unsupported) or a declaration (model, type, enum), maybe a list,
** maybe nullable. BigInt counts as Int, Decimal as Float, Json and Bytes as
** Any; number literals are Int. Then the operators are checked: `&&` `||`
** want Booleans, `<` `>` `<=` `>=` numbers or DateTimes (DateTime only with
** DateTime), `==` `!=` comparable operands, `in` a scalar and a list, `!` a
** Boolean, and a collection predicate a list of models (or of a `type`, in
** typed JSON). In v2 a model-level rule covering "read" may not compare a
** field of another model with one of its own (`==`, `!=`, `in`, ordering).
** Messages are ZenStack's.
*/
#include <string.h>

#include "sema.h"

typedef enum scalar {
    T_NONE,         /* unknown: unresolved, or not worth typing */
    T_STRING, T_INT, T_FLOAT, T_BOOLEAN, T_DATETIME, T_NULL, T_ANY, T_OBJECT,
    T_UNSUPPORTED,  /* an Unsupported("...") field: comparable with nothing but Any */
    T_DECL          /* a model, type or enum: see decl */
} scalar;

typedef struct type {
    scalar s;
    const zm_decl *decl;
    bool list, nullable;
} type;

typedef struct checker {
    zm_compilation *c;
    int level;
    const char *attr;       /* the attribute being checked */
    const zm_decl *model;   /* the model or type whose body holds it */
    bool read_rule;         /* v2: a model-level @@allow/@@deny covering "read" */
} checker;

#define error(k, at, ...) zm_diag_error(&(k)->c->diag, (at), __VA_ARGS__)

static const type NONE = {T_NONE, NULL, false, false};

static scalar scalar_named(const char *n)
{
    static const struct { const char *name; scalar s; } map[] = {
        {"String", T_STRING}, {"Int", T_INT}, {"BigInt", T_INT}, {"Float", T_FLOAT},
        {"Decimal", T_FLOAT}, {"Boolean", T_BOOLEAN}, {"DateTime", T_DATETIME},
        {"Json", T_ANY}, {"Bytes", T_ANY}, {"Any", T_ANY}, {"Null", T_NULL},
        {"Object", T_OBJECT}, {"Unsupported", T_UNSUPPORTED},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].name, n) == 0) return map[i].s;
    return T_NONE;
}

static type of_typeref(const zm_typeref *t)
{
    if (!t) return NONE;
    type r = {T_NONE, NULL, t->list, t->optional};
    if (t->decl) {
        r.s = T_DECL;
        r.decl = t->decl;
    } else {
        r.s = t->kind == ZM_TYPE_UNSUPPORTED ? T_UNSUPPORTED : scalar_named(t->name);
    }
    return r;
}

static bool is_model(const type *t) { return t->s == T_DECL && t->decl->kind == ZM_DECL_MODEL; }

/* A bare reference to a field (`owner`; not `future().owner`), as ZenStack's
   isDataFieldReference. */
static bool is_field_ref(const zm_expr *e)
{
    return (e->kind == ZM_EXPR_REF || e->kind == ZM_EXPR_CALL) && e->member &&
           e->member->kind == ZM_MEMBER_FIELD;
}

static bool is_null(const zm_expr *e) { return e->kind == ZM_EXPR_NULL; }

/* ISO 8601 date or date-time, as a string literal may stand for a DateTime. */
static bool iso_datetime(const char *s)
{
    for (int i = 0; i < 10; i++) {
        char c = s[i];
        if (i == 4 || i == 7 ? c != '-' : !(c >= '0' && c <= '9')) return false;
    }
    return s[10] == '\0' || s[10] == 'T';
}

static bool assignable(scalar dst, scalar src, const zm_expr *src_expr)
{
    if (dst == T_DATETIME && src == T_STRING && src_expr && src_expr->kind == ZM_EXPR_STRING &&
        iso_datetime(src_expr->text))
        src = T_DATETIME;
    if (dst == T_ANY || src == T_ANY) return true;
    if (dst == T_FLOAT) return src == T_INT || src == T_FLOAT;
    return src == dst;
}

static type check(checker *k, const zm_expr *e);

/* A call of a function no declaration has (the linker reported it). */
static bool unresolved_call(const zm_expr *e)
{
    return e && e->kind == ZM_EXPR_CALL && !e->decl && !e->member && !e->param;
}

/* May a value of type src (the type of expression e) be passed for a
   parameter of type dst? As ZenStack decides: an unknown type on either side
   says nothing, a non-list Any takes anything, list-ness must match, a
   declared type (enum, model) only itself. */
static bool fits(type dst, type src, const zm_expr *e)
{
    if (src.s == T_NONE || dst.s == T_NONE) return true;
    if (dst.s == T_ANY && !dst.list) return true;
    if (src.s == T_ANY) return !src.list || src.list == dst.list;
    if (dst.list != src.list) return false;
    if (src.s == T_DECL || dst.s == T_DECL) return dst.s == T_ANY || (dst.s == T_DECL && dst.decl == src.decl);
    return assignable(dst.s, src.s, e);
}

/* Arguments of a call against the function's parameters (positional). */
static void check_call_args(checker *k, const zm_expr *e)
{
    const zm_arg *arg = e->args;
    for (const zm_param *p = e->decl->params; p && arg; p = p->next) {
        if (!zm_param_exists(e->decl, p, k->level)) continue;
        type dst = of_typeref(p->type);
        if (!fits(dst, check(k, arg->value), arg->value)) {
            error(k, arg->span, "argument is not assignable to parameter");
            return;
        }
        arg = arg->next;
    }
}

static bool is_auth_call(const zm_expr *e)
{
    return e->kind == ZM_EXPR_CALL && e->decl && e->decl->kind == ZM_DECL_FUNCTION &&
           e->decl->file->is_stdlib && strcmp(e->decl->name, "auth") == 0;
}

/* ZenStack's isNotModelFieldExpr: a value that needs no other model's row (a
   literal, an enum value, null, auth() or auth().x, or an array of them). */
static bool not_model_field(const zm_expr *e)
{
    switch (e->kind) {
    case ZM_EXPR_NUMBER: case ZM_EXPR_STRING: case ZM_EXPR_BOOL: case ZM_EXPR_NULL: return true;
    case ZM_EXPR_REF: return e->member && e->member->kind == ZM_MEMBER_ENUM_VALUE;
    case ZM_EXPR_CALL: return is_auth_call(e);
    case ZM_EXPR_MEMBER: return is_auth_call(e->lhs);
    case ZM_EXPR_ARRAY:
        for (const zm_arg *a = e->args; a; a = a->next)
            if (!not_model_field(a->value)) return false;
        return true;
    default: return false;
    }
}

/* Is d the model m or one it inherits from (whose fields v2 copies into m)? */
static bool inherits(const zm_decl *m, const zm_decl *d, int depth)
{
    if (m == d) return true;
    if (!m || depth > 32) return false;
    for (const zm_name *n = m->extends; n; n = n->next)
        if (inherits(n->decl, d, depth + 1)) return true;
    return false;
}

static bool foreign_member(const checker *k, const zm_expr *e)
{
    return e->kind == ZM_EXPR_MEMBER && e->member && e->member->kind == ZM_MEMBER_FIELD &&
           !inherits(k->model, e->member->owner, 0);
}

/* v2: a model-level rule that reads rows cannot compare a field of another
   model (`list.user.id == userId`) with one of this model: the query could
   not be pushed into a single WHERE. False after reporting. */
static bool cross_model_ok(checker *k, const zm_expr *e)
{
    if (!k->read_rule || !(foreign_member(k, e->lhs) || foreign_member(k, e->rhs))) return true;
    if (not_model_field(e->lhs) || not_model_field(e->rhs)) return true;
    error(k, e->span,
          "comparison between fields of different models is not supported in model-level \"read\" rules");
    return false;
}

static void check_binary(checker *k, const zm_expr *e, type l, type r)
{
    const zm_expr *le = e->lhs, *re = e->rhs;
    switch (e->op) {
    case ZM_OP_IN:
        if (l.s != T_NONE && (l.s == T_DECL ? l.decl->kind != ZM_DECL_ENUM : false))
            error(k, le->span, "left operand of \"in\" must be of scalar type");
        if (r.s != T_NONE && !r.list) error(k, re->span, "right operand of \"in\" must be an array");
        cross_model_ok(k, e);
        return;
    case ZM_OP_LT: case ZM_OP_GT: case ZM_OP_LE: case ZM_OP_GE: case ZM_OP_AND: case ZM_OP_OR: {
        if (l.list) {
            error(k, le->span, "operand cannot be an array");
            return;
        }
        if (r.list) {
            error(k, re->span, "operand cannot be an array");
            return;
        }
        bool order = e->op != ZM_OP_AND && e->op != ZM_OP_OR;
        type sides[2] = {l, r};
        const zm_expr *nodes[2] = {le, re};
        for (int i = 0; i < 2; i++) {
            scalar s = sides[i].s;
            /* v2 also reports an operand it could not type for want of its function */
            if (s == T_NONE && k->level == 2 && unresolved_call(nodes[i])) {
                error(k, nodes[i]->span, "invalid operand type for \"%s\" operator", zm_binop_text(e->op));
                return;
            }
            if (s == T_NONE) continue;
            bool ok = s == T_ANY || (order ? s == T_INT || s == T_FLOAT || s == T_DATETIME : s == T_BOOLEAN);
            if (!ok) {
                error(k, nodes[i]->span, "invalid operand type for \"%s\" operator", zm_binop_text(e->op));
                return;
            }
        }
        if ((l.s == T_DATETIME && r.s != T_NONE && r.s != T_DATETIME) ||
            (r.s == T_DATETIME && l.s != T_NONE && l.s != T_DATETIME))
            error(k, e->span, "incompatible operand types");
        if (order) cross_model_ok(k, e);
        return;
    }
    case ZM_OP_EQ: case ZM_OP_NE: {
        if (k->attr && strcmp(k->attr, "@@validate") == 0 &&
            ((is_field_ref(le) && is_null(re)) || (is_field_ref(re) && is_null(le))))
            return;
        bool known = l.s != T_NONE && r.s != T_NONE;
        if (known && l.list != r.list) {
            error(k, e->span, "incompatible operand types");
            return;
        }
        if (!cross_model_ok(k, e) || !known) return;
        if ((l.nullable && is_null(re)) || (r.nullable && is_null(le))) return;
        if (l.s != T_DECL && r.s != T_DECL) {
            if (!assignable(l.s, r.s, re) && !assignable(r.s, l.s, le))
                error(k, e->span, "incompatible operand types");
            return;
        }
        if (is_model(&l) && is_model(&r)) {
            if (l.decl != r.decl) error(k, e->span, "incompatible operand types");
            bool this_l = le->kind == ZM_EXPR_THIS, this_r = re->kind == ZM_EXPR_THIS;
            if ((is_field_ref(le) && (this_r || is_field_ref(re))) ||
                (is_field_ref(re) && (this_l || is_field_ref(le)))) {
                if (k->level == 2)
                    error(k, e->span, "comparison between model-typed fields are not supported");
                else
                    error(k, e->span, "comparison between models is not supported");
            }
        } else if ((is_model(&l) && !is_null(re)) || (is_model(&r) && !is_null(le))) {
            error(k, e->span, "incompatible operand types");
        }
        return;
    }
    }
}

static type check(checker *k, const zm_expr *e)
{
    switch (e->kind) {
    case ZM_EXPR_NUMBER: return (type){T_INT, NULL, false, false};
    case ZM_EXPR_STRING: return (type){T_STRING, NULL, false, false};
    case ZM_EXPR_BOOL: return (type){T_BOOLEAN, NULL, false, false};
    case ZM_EXPR_NULL: return (type){T_NULL, NULL, false, true};
    case ZM_EXPR_THIS:
        return e->denotes ? (type){T_DECL, e->denotes, false, false} : NONE;
    case ZM_EXPR_REF:
    case ZM_EXPR_CALL:
        if (k->level == 2 && unresolved_call(e)) {
            /* ZenStack 2's follow-on errors of an unknown function (v3 has none) */
            error(k, e->span, "function cannot be resolved");
            error(k, e->span, "Expression cannot be resolved");
        }
        if (e->kind == ZM_EXPR_CALL && e->decl && e->decl->kind == ZM_DECL_FUNCTION && !e->member)
            check_call_args(k, e);
        else if (e->kind == ZM_EXPR_CALL)
            for (const zm_arg *a = e->args; a; a = a->next) check(k, a->value);
        if (e->member && e->member->kind == ZM_MEMBER_FIELD) return of_typeref(e->member->type);
        if (e->member && e->member->kind == ZM_MEMBER_ENUM_VALUE)
            return (type){T_DECL, e->member->owner, false, false};
        if (e->param) return of_typeref(e->param->type);
        if (e->denotes && e->kind == ZM_EXPR_REF) {
            /* A predicate binding stands only before a member access. */
            error(k, e->span, "Collection predicate binding cannot be used without a member access");
            return NONE;
        }
        if (e->denotes) return (type){T_DECL, e->denotes, false, true};
        if (e->kind == ZM_EXPR_CALL && e->decl && e->decl->kind == ZM_DECL_FUNCTION) {
            if (e->decl->file->is_stdlib && strcmp(e->decl->name, "auth") == 0) return NONE;
            type t = of_typeref(e->decl->result);
            t.nullable = false;
            if (e->decl->file->is_stdlib && strcmp(e->decl->name, "length") == 0)
                t.s = k->level == 2 ? T_BOOLEAN : T_INT;
            return t;
        }
        return NONE;
    case ZM_EXPR_MEMBER: {
        type l = e->lhs->kind == ZM_EXPR_REF && e->lhs->denotes
                     ? (type){T_DECL, e->lhs->denotes, false, false}   /* a binding: x.field */
                     : check(k, e->lhs);
        if (!e->member) return NONE;
        type t = of_typeref(e->member->type);
        t.nullable = t.nullable || l.nullable;
        return t;
    }
    case ZM_EXPR_PREDICATE: {
        type l = check(k, e->lhs);
        check(k, e->rhs);
        if (l.s == T_NONE) return NONE;
        bool records = l.s == T_DECL && (l.decl->kind == ZM_DECL_MODEL || l.decl->kind == ZM_DECL_TYPE);
        if (!(records && l.list)) {
            error(k, e->span, "collection predicate can only be used on an array of model type");
            return NONE;
        }
        return (type){T_BOOLEAN, NULL, false, false};
    }
    case ZM_EXPR_ARRAY: {
        type t = {T_ANY, NULL, true, false};
        bool first = true;
        for (const zm_arg *a = e->args; a; a = a->next) {
            type i = check(k, a->value);
            if (first) {
                t = i;
                t.list = true;
                first = false;
            }
        }
        return t.s == T_NONE ? NONE : t;
    }
    case ZM_EXPR_OBJECT:
        for (const zm_arg *a = e->args; a; a = a->next) check(k, a->value);
        return (type){T_OBJECT, NULL, false, false};
    case ZM_EXPR_NOT: {
        type t = check(k, e->lhs);
        if (t.s != T_NONE && !(t.s == T_BOOLEAN || t.s == T_ANY) && k->level == 3)
            error(k, e->lhs->span, "operand of \"!\" must be of Boolean type");
        return (type){T_BOOLEAN, NULL, false, false};
    }
    case ZM_EXPR_PAREN:
        return check(k, e->lhs);
    case ZM_EXPR_BINARY: {
        type l = check(k, e->lhs), r = check(k, e->rhs);
        check_binary(k, e, l, r);
        return (type){T_BOOLEAN, NULL, false, false};
    }
    }
    return NONE;
}

/* String literals Prisma takes for a field type that is no string: a
   Decimal written as "1.50" (exact, where a number literal would go through
   a float), a DateTime or DateTime[] as ISO 8601 strings. `e` is one
   literal or a list of them. */
static bool string_for(bool decimal, const zm_expr *v)
{
    if (v->kind != ZM_EXPR_STRING) return false;
    if (!decimal) return iso_datetime(v->text);
    const char *t = v->text + (v->text[0] == '-' || v->text[0] == '+');
    size_t digits = strspn(t, "0123456789");
    if (t[digits] == '.') digits += 1 + strspn(t + digits + 1, "0123456789");
    return digits > 0 && t[digits] == '\0' && strcmp(t, ".") != 0;
}

static bool strings_for(const char *field_type, const zm_expr *e)
{
    bool decimal = strcmp(field_type, "Decimal") == 0;
    if (!decimal && strcmp(field_type, "DateTime") != 0) return false;
    if (e->kind != ZM_EXPR_ARRAY) return string_for(decimal, e);
    for (const zm_arg *i = e->args; i; i = i->next)
        if (!string_for(decimal, i->value)) return false;
    return true;
}

/* An attribute's arguments against its declared parameters. ContextType is
   the type of the field the attribute is on (JSON fields take JSON strings,
   which are not checked here). */
static void check_attr(checker *k, const zm_attr *a, const zm_member *field)
{
    k->attr = a->decl ? a->decl->name : NULL;
    bool reported = false;
    for (const zm_arg *arg = a->args; arg; arg = arg->next) {
        type src = check(k, arg->value);
        const zm_param *p = arg->param;
        if (!p || !p->type) continue;
        type dst = of_typeref(p->type);
        if (strcmp(p->type->name, "ContextType") == 0) {
            if (!field || !field->type || zm_member_attr(field, "@json") ||
                (!field->type->decl && strcmp(field->type->name, "Json") == 0))
                continue;
            dst = of_typeref(field->type);
            dst.nullable = false;
            if (!field->type->decl && strings_for(field->type->name, arg->value)) continue;
        }
        /* One report per attribute, but the later arguments are still typed:
           ZenStack checks their operators on its own. (v2 also takes an
           argument it could not type for want of its function as a misfit.) */
        if (!reported && (!fits(dst, src, arg->value) || (k->level == 2 && unresolved_call(arg->value)))) {
            error(k, arg->span, k->level == 2 ? "Value is not assignable to parameter" : "invalid argument type");
            reported = true;
        }
    }
}

/* v2: does model-level attribute a guard reads? Its `operation` literal, split
   at commas without trimming (as ZenStack does), lists "read" or "all". */
static bool guards_reads(const zm_attr *a)
{
    if (!a->decl || (strcmp(a->decl->name, "@@allow") != 0 && strcmp(a->decl->name, "@@deny") != 0))
        return false;
    for (const zm_arg *arg = a->args; arg; arg = arg->next) {
        if (!arg->param || strcmp(arg->param->name, "operation") != 0) continue;
        if (arg->value->kind != ZM_EXPR_STRING) return false;
        for (const char *s = arg->value->text;;) {
            size_t n = strcspn(s, ",");
            if ((n == 4 && strncmp(s, "read", 4) == 0) || (n == 3 && strncmp(s, "all", 3) == 0))
                return true;
            if (!s[n]) return false;
            s += n + 1;
        }
    }
    return false;
}

void zm_check_types(zm_compilation *c, int level)
{
    checker k = {c, level, NULL, NULL, false};
    for (zm_file *f = c->files; f; f = f->next) {
        for (zm_decl *d = f->decls; d; d = d->next) {
            if (d->kind != ZM_DECL_MODEL && d->kind != ZM_DECL_VIEW && d->kind != ZM_DECL_TYPE &&
                d->kind != ZM_DECL_ENUM)
                continue;
            k.model = d;
            for (zm_member *m = d->members; m; m = m->next) {
                k.read_rule = level == 2 && m->kind == ZM_MEMBER_ATTR && d->kind == ZM_DECL_MODEL &&
                              guards_reads(m->attrs);
                for (const zm_attr *a = m->attrs; a; a = a->next)
                    check_attr(&k, a, m->kind == ZM_MEMBER_FIELD ? m : NULL);
            }
        }
    }
}
