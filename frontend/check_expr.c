/*
** check_expr.c — function calls and policy rules inside attributes.
**
** Calls: every required parameter gets an argument; a function declared with
** @@@expressionContext may only be called inside the attributes of those
** contexts (@default: DefaultValue; @@allow, @@deny, @allow, @@deny:
** AccessPolicy; @@index: Index; attributes marked @@@validation:
** ValidationRule); and the built-in functions' own rules (id-generator
** versions and formats, casing names, check() on a relation field and
** without cycles through the related models' policies, length() on strings
** and lists, regex() patterns as literals JavaScript compiles).
** Policies: the first argument names valid operations; before() appears only
** in "post-update" rules, and "create" rules reach no relation this side
** does not own (v3).
** Messages are ZenStack's.
*/
#include <stdlib.h>
#include <string.h>

#include "sema.h"

typedef struct checker {
    zm_compilation *c;
    int level;
} checker;

#define error(k, at, ...) zm_diag_error(&(k)->c->diag, (at), __VA_ARGS__)

static bool is_builtin(const zm_decl *fn, const char *name)
{
    return fn->file->is_stdlib && strcmp(fn->name, name) == 0;
}

static const char *context_of(const zm_attr *a)
{
    if (!a->decl) return NULL;
    if (zm_decl_attr(a->decl, "@@@validation")) return "ValidationRule";
    const char *n = a->decl->name;
    if (strcmp(n, "@default") == 0) return "DefaultValue";
    if (strcmp(n, "@@allow") == 0 || strcmp(n, "@@deny") == 0 || strcmp(n, "@allow") == 0 ||
        strcmp(n, "@deny") == 0)
        return "AccessPolicy";
    if (strcmp(n, "@@index") == 0) return "Index";
    return NULL;
}

static bool allowed_in(const zm_decl *fn, const char *context)
{
    const zm_attr *ctx = zm_decl_attr(fn, "@@@expressionContext");
    if (!ctx || !ctx->args || ctx->args->value->kind != ZM_EXPR_ARRAY) return false;
    for (const zm_arg *i = ctx->args->value->args; i; i = i->next)
        if (i->value->kind == ZM_EXPR_REF && strcmp(i->value->text, context) == 0) return true;
    return false;
}

/* The n-th argument (0-based), or NULL. */
static const zm_arg *nth(const zm_expr *call, int n)
{
    const zm_arg *a = call->args;
    while (a && n-- > 0) a = a->next;
    return a;
}

static bool number_arg(const zm_arg *a, long *out)
{
    if (!a || a->value->kind != ZM_EXPR_NUMBER) return false;
    *out = strtol(a->value->text, NULL, 10);
    return true;
}

/* An unescaped %s in s. */
static bool has_placeholder(const char *s)
{
    for (const char *p = s; (p = strstr(p, "%s")); p++)
        if (p == s || p[-1] != '\\') return true;
    return false;
}

static const zm_member *field_ref(const zm_expr *e)
{
    if ((e->kind == ZM_EXPR_REF || e->kind == ZM_EXPR_MEMBER) && e->member &&
        e->member->kind == ZM_MEMBER_FIELD)
        return e->member;
    return NULL;
}

/* The model a field reference or member access denotes, if any. */
static const zm_decl *related_model(const zm_expr *e)
{
    const zm_member *f = field_ref(e);
    const zm_decl *d = f ? f->type->decl : NULL;
    return d && d->kind == ZM_DECL_MODEL ? d : NULL;
}

/* A growable list of nodes (calls or models). */
typedef struct nodes {
    const void **items;         /* malloc'ed */
    size_t count, cap;
} nodes;

static void nodes_push(nodes *c, const void *e)
{
    if (c->count == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->items = realloc(c->items, c->cap * sizeof *c->items);
        if (!c->items) abort();
    }
    c->items[c->count++] = e;
}

static bool nodes_has(const nodes *c, const void *e)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->items[i] == e) return true;
    return false;
}

/* The check() calls in e, in ZenStack's (pre-)order. */
static void collect_checks(const zm_expr *e, nodes *out)
{
    if (!e) return;
    if (e->kind == ZM_EXPR_CALL && e->decl && is_builtin(e->decl, "check")) nodes_push(out, e);
    collect_checks(e->lhs, out);
    collect_checks(e->rhs, out);
    for (const zm_arg *a = e->args; a; a = a->next) collect_checks(a->value, out);
}

/* Does following check(field) through the policies of the related models
   come back to the model it starts from? The same walk as ZenStack's: a
   stack of calls, stopping at the first model seen twice. */
static bool check_cycle(const zm_expr *call)
{
    const zm_decl *start = related_model(call->args->value);
    nodes tasks = {0}, seen = {0};     /* check() calls to follow; models reached */
    bool cycle = false;
    nodes_push(&tasks, call);
    while (tasks.count) {
        const zm_expr *cur = tasks.items[--tasks.count];
        const zm_decl *model = cur->args ? related_model(cur->args->value) : NULL;
        if (!model) continue;
        if (nodes_has(&seen, model)) {
            cycle = model == start;
            break;
        }
        nodes_push(&seen, model);
        for (const zm_member *m = model->members; m; m = m->next) {
            if (m->kind != ZM_MEMBER_ATTR) continue;
            const zm_attr *a = m->attrs;
            if (strcmp(a->name, "@@allow") != 0 && strcmp(a->name, "@@deny") != 0) continue;
            if (a->args && a->args->next) collect_checks(a->args->next->value, &tasks);
        }
    }
    free(tasks.items);
    free(seen.items);
    return cycle;
}

static void check_builtin(checker *k, const zm_expr *e, const zm_decl *fn)
{
    const zm_arg *a0 = nth(e, 0), *a1 = nth(e, 1);
    long n;
    if (is_builtin(fn, "currentModel") || is_builtin(fn, "currentOperation")) {
        static const char *const casing[] = {"original", "upper", "lower", "capitalize", "uncapitalize"};
        if (a0 && a0->value->kind == ZM_EXPR_STRING) {
            bool ok = false;
            for (size_t i = 0; i < 5; i++) ok |= strcmp(a0->value->text, casing[i]) == 0;
            if (!ok)
                error(k, a0->span, "argument must be one of: \"original\", \"upper\", \"lower\", "
                                   "\"capitalize\", \"uncapitalize\"");
        }
    }
    if (is_builtin(fn, "uuid") || is_builtin(fn, "cuid") || is_builtin(fn, "nanoid") ||
        is_builtin(fn, "ulid")) {
        int index = 0;
        for (const zm_param *p = fn->params; p; p = p->next, index++) {
            if (strcmp(p->name, "format") != 0 || !zm_param_exists(fn, p, k->level)) continue;
            const zm_arg *f = nth(e, index);
            if (f && f->value->kind == ZM_EXPR_STRING && !has_placeholder(f->value->text))
                error(k, f->span, "argument must include \"%%s\"");
        }
    }
    if (is_builtin(fn, "uuid") && number_arg(a0, &n) && n != 4 && n != 7)
        error(k, a0->span, "first argument must be 4 or 7");
    if (is_builtin(fn, "cuid") && number_arg(a0, &n) && n != 1 && n != 2)
        error(k, a0->span, "first argument must be 1 or 2");
    if (is_builtin(fn, "nanoid") && number_arg(a0, &n) && n <= 0)
        error(k, a0->span, "first argument must be a positive number");
    if (is_builtin(fn, "check") && a0) {
        const zm_member *f = field_ref(a0->value);
        bool relation = a0->value->kind == ZM_EXPR_REF && f && related_model(a0->value);
        bool valid = relation && !f->type->list;
        if (!relation) error(k, a0->span, "argument must be a relation field");
        if (f && f->type->list) error(k, a0->span, "argument cannot be an array field");
        if (a1) {
            static const char *const ops[] = {"read", "create", "update", "delete"};
            bool ok = false;
            for (size_t i = 0; i < 4 && a1->value->kind == ZM_EXPR_STRING; i++)
                ok |= strcmp(a1->value->text, ops[i]) == 0;
            if (!ok) error(k, a1->span, "argument must be a \"read\", \"create\", \"update\", or \"delete\"");
            valid &= ok;
        }
        if (valid && check_cycle(e))
            error(k, e->span, "cyclic dependency detected when following the `check()` call");
    }
    if (is_builtin(fn, "length") && k->level == 3 && a0) {
        const zm_member *f = field_ref(a0->value);
        bool ok = f && !(f->type->decl && f->type->decl->kind == ZM_DECL_MODEL) &&
                  (f->type->list || (!f->type->decl && strcmp(f->type->name, "String") == 0));
        if (!ok) error(k, a0->span, "argument must be a string or list field");
    }
    if (is_builtin(fn, "regex") && k->level == 3 && a1) {
        zm_buf why = ZM_BUF_INIT;
        if (a1->value->kind != ZM_EXPR_STRING)
            error(k, a1->span, "second argument must be a string literal");
        else if (zm_js_regex_error(a1->value->text, &why))
            error(k, a1->span, "invalid regular expression: %s", why.data);
        zm_buf_free(&why);
    }
}

static bool is_auth_access(const zm_expr *e)
{
    while (e->kind == ZM_EXPR_MEMBER) e = e->lhs;
    return e->kind == ZM_EXPR_CALL && e->decl && is_builtin(e->decl, "auth");
}

/* v2: a value a policy predicate may compare with. */
static bool policy_operand(const zm_expr *e)
{
    bool enum_value = e->kind == ZM_EXPR_REF && e->member && e->member->kind == ZM_MEMBER_ENUM_VALUE;
    bool call = e->kind == ZM_EXPR_CALL && e->decl && e->decl->kind == ZM_DECL_FUNCTION;
    return e->kind == ZM_EXPR_NUMBER || e->kind == ZM_EXPR_STRING || e->kind == ZM_EXPR_BOOL ||
           enum_value || call || is_auth_access(e);
}

/* v2's rules for the predicate functions in policies and validation rules:
   the first argument is a field, the second something known before the query
   runs (a literal, an enum value, auth() data, a function call, or a list). */
static void check_policy_predicate(checker *k, const zm_expr *e, const zm_decl *fn)
{
    static const char *const names[] = {"contains", "search", "startsWith", "endsWith",
                                        "has", "hasEvery", "hasSome"};
    bool predicate = false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) predicate |= is_builtin(fn, names[i]);
    if (!predicate) return;
    const zm_arg *a0 = nth(e, 0), *a1 = nth(e, 1);
    if (a0 && !field_ref(a0->value)) error(k, a0->value->span, "first argument must be a field reference");
    if (!a1) return;
    bool ok = policy_operand(a1->value);
    if (!ok && a1->value->kind == ZM_EXPR_ARRAY) {
        ok = true;
        for (const zm_arg *i = a1->value->args; i; i = i->next) ok &= policy_operand(i->value);
    }
    if (!ok)
        error(k, a1->value->span, "second argument must be a literal, an enum, an expression starting "
                                  "with `auth().`, or an array of them");
}

static void check_call(checker *k, const zm_expr *e, const char *context)
{
    const zm_decl *fn = e->decl;
    if (!fn || fn->kind != ZM_DECL_FUNCTION) return;
    bool complete = true;
    int index = 0;
    for (const zm_param *p = fn->params; p; p = p->next) {
        if (!zm_param_exists(fn, p, k->level)) continue;
        if (!nth(e, index++) && !p->type->optional) {
            error(k, e->span, "missing argument for parameter \"%s\"", p->name);
            complete = false;
        }
    }
    if (!complete) return;
    if (context && !allowed_in(fn, context)) {
        error(k, e->span, "function \"%s\" is not allowed in the current context: %s", fn->name, context);
        return;
    }
    if (k->level == 2 && context &&
        (strcmp(context, "AccessPolicy") == 0 || strcmp(context, "ValidationRule") == 0))
        check_policy_predicate(k, e, fn);
    check_builtin(k, e, fn);
}

/* Visit every node of an expression; calls are checked, before() found. */
static void walk(checker *k, const zm_expr *e, const char *context, const zm_expr **before)
{
    if (!e) return;
    if (e->kind == ZM_EXPR_CALL) {
        if (!(e->args && e->args->name)) check_call(k, e, context);
        if (e->decl && is_builtin(e->decl, "before") && !*before) *before = e;
    }
    walk(k, e->lhs, context, before);
    walk(k, e->rhs, context, before);
    for (const zm_arg *a = e->args; a; a = a->next) walk(k, a->value, context, before);
}

/* Does any bare field reference in e satisfy pred? */
static bool any_field_ref(const zm_expr *e, bool (*pred)(const zm_member *))
{
    if (!e) return false;
    if ((e->kind == ZM_EXPR_REF || (e->kind == ZM_EXPR_CALL && e->args && e->args->name)) &&
        e->member && e->member->kind == ZM_MEMBER_FIELD && pred(e->member))
        return true;
    if (e->kind == ZM_EXPR_PREDICATE) return any_field_ref(e->lhs, pred);  /* condition: another model */
    if (any_field_ref(e->lhs, pred) || any_field_ref(e->rhs, pred)) return true;
    for (const zm_arg *a = e->args; a; a = a->next)
        if (any_field_ref(a->value, pred)) return true;
    return false;
}

static bool is_relation(const zm_member *f)
{
    return f->type && f->type->decl && f->type->decl->kind == ZM_DECL_MODEL;
}

static bool is_encrypted(const zm_member *f) { return zm_member_attr(f, "@encrypted") != NULL; }

static bool uses_future(const zm_expr *e)
{
    if (!e) return false;
    if (e->kind == ZM_EXPR_CALL && e->decl && is_builtin(e->decl, "future")) return true;
    if (uses_future(e->lhs) || uses_future(e->rhs)) return true;
    for (const zm_arg *a = e->args; a; a = a->next)
        if (uses_future(a->value)) return true;
    return false;
}

/* v3: does a rule reach a relation of `model` that this side does not own
   (no `fields:`)? In a "create" rule the row does not exist yet, so nothing
   can point to it. Fields inside a predicate over auth() data are not the
   model's. `auth_scope`: e sits in the condition of such a predicate. */
static bool non_owned_relation(const zm_expr *e, const zm_decl *model, bool auth_scope)
{
    if (!e) return false;
    if (e->kind == ZM_EXPR_REF && e->member && e->member->kind == ZM_MEMBER_FIELD &&
        e->member->owner == model && is_relation(e->member) && !auth_scope) {
        const zm_attr *rel = zm_member_attr(e->member, "@relation");
        bool owned = false;
        for (const zm_arg *a = rel ? rel->args : NULL; a; a = a->next)
            owned |= a->name && strcmp(a->name, "fields") == 0;
        if (!owned) return true;
    }
    if (e->kind == ZM_EXPR_PREDICATE) {
        /* The collection itself belongs to the enclosing scope; a deeper node
           of it, and the condition, to this predicate's. */
        bool inner = is_auth_access(e->lhs);
        return non_owned_relation(e->lhs, model, e->lhs->kind == ZM_EXPR_REF ? auth_scope : inner) ||
               non_owned_relation(e->rhs, model, inner);
    }
    if (non_owned_relation(e->lhs, model, auth_scope) || non_owned_relation(e->rhs, model, auth_scope))
        return true;
    for (const zm_arg *a = e->args; a; a = a->next)
        if (non_owned_relation(a->value, model, auth_scope)) return true;
    return false;
}

static void check_policy(checker *k, const zm_decl *d, const zm_attr *a, const zm_member *field,
                         const zm_expr *before)
{
    bool model_level = field == NULL;
    const zm_arg *kind = a->args;
    if (!kind || !a->decl) return;
    if (kind->value->kind != ZM_EXPR_STRING) {
        error(k, kind->span, "expects a string literal");
        return;
    }
    static const char *const model_v2[] = {"create", "read", "update", "delete", "all", NULL};
    static const char *const model_v3[] = {"create", "read", "update", "post-update", "delete", "all", NULL};
    static const char *const field_ops[] = {"read", "update", "all", NULL};
    const char *const *allowed = !model_level ? field_ops : k->level == 2 ? model_v2 : model_v3;

    /* A comma-separated list of operations, each trimmed. */
    bool post_update = false;
    const char *s = kind->value->text;
    while (*s) {
        const char *end = strchr(s, ',');
        if (!end) end = s + strlen(s);
        const char *b = s, *t = end;
        while (b < t && (*b == ' ' || *b == '\t')) b++;
        while (t > b && (t[-1] == ' ' || t[-1] == '\t')) t--;
        size_t len = (size_t)(t - b);
        bool ok = false;
        for (const char *const *c = allowed; *c; c++) ok |= strlen(*c) == len && strncmp(*c, b, len) == 0;
        if (len == 11 && strncmp(b, "post-update", 11) == 0) post_update = true;
        if (!ok) {
            zm_buf list = ZM_BUF_INIT;
            for (const char *const *c = allowed; *c; c++)
                zm_buf_printf(&list, "%s\"%s\"", c == allowed ? "" : ", ", *c);
            error(k, a->span, "Invalid policy rule kind: \"%.*s\", allowed: %s", (int)len, b, list.data);
            zm_buf_free(&list);
        }
        s = *end ? end + 1 : end;
    }
    if (before && k->level == 3 && !post_update) {
        if (model_level) error(k, before->span, "\"before()\" is only allowed in \"post-update\" policy rules");
        else error(k, before->span, "\"before()\" is not allowed in field-level policies");
    }
    const zm_expr *rule = a->args->next ? a->args->next->value : NULL;
    const char *ops = kind->value->text;
    if (k->level == 3 && model_level && rule && (strcmp(ops, "create") == 0 || strcmp(ops, "all") == 0) &&
        non_owned_relation(rule, d, false))
        error(k, rule->span, "non-owned relation fields are not allowed in \"create\" rules");
    if (k->level == 2 && rule && any_field_ref(rule, is_encrypted))
        error(k, rule->span, "Encrypted fields cannot be used in policy rules");
    if (model_level) return;
    if (k->level == 3) {
        if (is_relation(field))
            error(k, a->span, "Field-level policies are not allowed for relation fields.");
        if (zm_member_attr(field, "@computed"))
            error(k, a->span, "Field-level policies are not allowed for computed fields.");
    } else {
        const char *t = kind->value->text;
        if (is_relation(field) && (strstr(t, "update") || strstr(t, "all")))
            error(k, a->span, "Field-level policy rules with \"update\" or \"all\" kind are not allowed "
                              "for relation fields. Put rules on foreign-key fields instead.");
        if (rule && uses_future(rule))
            error(k, rule->span, "\"future()\" is not allowed in field-level policy rules");
    }
}

static void check_attr(checker *k, const zm_decl *d, const zm_attr *a, const zm_member *field)
{
    const char *context = context_of(a);
    const zm_expr *before = NULL;
    for (const zm_arg *arg = a->args; arg; arg = arg->next) walk(k, arg->value, context, &before);
    if (context && strcmp(context, "AccessPolicy") == 0) check_policy(k, d, a, field, before);
    if (a->decl && strcmp(a->decl->name, "@@validate") == 0 && a->args &&
        any_field_ref(a->args->value, is_relation))
        error(k, a->args->value->span, "`@@validate` condition cannot use relation fields");
}

void zm_check_expressions(zm_compilation *c, int level)
{
    checker k = {c, level};
    for (zm_file *f = c->files; f; f = f->next) {
        for (zm_decl *d = f->decls; d; d = d->next) {
            if (d->kind != ZM_DECL_MODEL && d->kind != ZM_DECL_VIEW && d->kind != ZM_DECL_TYPE &&
                d->kind != ZM_DECL_ENUM)
                continue;
            for (zm_member *m = d->members; m; m = m->next) {
                if (m->kind == ZM_MEMBER_ATTR) {
                    check_attr(&k, d, m->attrs, NULL);
                    continue;
                }
                for (const zm_attr *a = m->attrs; a; a = a->next)
                    check_attr(&k, d, a, m->kind == ZM_MEMBER_FIELD ? m : NULL);
            }
        }
    }
}
