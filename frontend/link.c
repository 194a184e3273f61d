/*
** link.c — the link pass: every name used at declaration level is resolved.
**
** The standard library (stdlib.zmodel, embedded in the binary) is parsed
** into the compilation first; its declarations marked @@@zenstack(N) exist
** only at language level N. Then each declaration is registered by name, and
** field types, parameter types, attribute names and `extends`/`with` lists are
** looked up. A name is visible from a file if it is declared in that file, in
** a file it imports directly (not transitively, as in ZenStack), or in the
** standard library. Messages use ZenStack's linker wording, so tools and
** users that know it recognise them.
*/
#include <string.h>

#include "compilation.h"
#include "map.h"
#include "parse.h"
#include "sema.h"

extern const char zm_stdlib_text[];
extern const unsigned long zm_stdlib_text_len;

typedef zm_linker linker;

static const char *const BUILTIN_TYPES[] = {
    "String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes", NULL,
};

/* Types only parameters of functions and attributes may have. */
static const char *const PARAM_TYPES[] = {
    "Null", "Object", "Any", "Void", "Undefined", "Unsupported", "FieldReference",
    "TransitiveFieldReference", "ContextType", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0) return true;
    return false;
}

/* @@@zenstack(N) on a standard-library declaration: the one level it has. */
static int level_of(const zm_decl *d)
{
    for (const zm_attr *a = d->attrs; a; a = a->next)
        if (strcmp(a->name, "@@@zenstack") == 0 && a->args && a->args->value->kind == ZM_EXPR_NUMBER)
            return a->args->value->text[0] - '0';
    return 0;
}

static bool imports(const zm_file *from, const zm_file *f)
{
    for (const zm_import *i = from->imports; i; i = i->next)
        if (i->target == f) return true;
    return false;
}

static bool visible(const zm_file *from, const zm_decl *d)
{
    return d->file->is_stdlib || d->file->is_library || d->file == from || imports(from, d->file);
}

enum {
    K_MODEL = ZM_KIND(ZM_DECL_MODEL),
    K_TYPE = ZM_KIND(ZM_DECL_TYPE),
    K_ATTRIBUTE = ZM_KIND(ZM_DECL_ATTRIBUTE),
    K_TYPES = ZM_KINDS_TYPES
};

/* Declarations of the other language level are invisible, except to the
   standard library itself (which marks both levels' declarations). */
zm_decl *zm_link_lookup(linker *l, const zm_file *from, const char *name, unsigned kinds)
{
    for (zm_decl *d = zm_map_get(&l->names, name); d; d = d->same_name) {
        if (!(kinds & (1u << d->kind)) || !visible(from, d)) continue;
        if (d->level && d->level != l->level && !from->is_stdlib) continue;
        return d;
    }
    return NULL;
}

static void unresolved(linker *l, zm_span at, const char *what, const char *name)
{
    zm_diag_error(&l->c->diag, at, "Could not resolve reference to %s named '%s'.", what, name);
}

static void register_file(linker *l, zm_file *f)
{
    for (zm_decl *d = f->decls; d; d = d->next) {
        d->file = f;     /* members got their owner from the parser */
        if (f->is_stdlib) d->level = level_of(d);
        zm_decl *prev = zm_map_get(&l->names, d->name);
        for (zm_decl *p = prev; p; p = p->same_name) {
            if (!p->file->is_stdlib || f->is_stdlib) {
                zm_diag_error(&l->c->diag, d->name_span, "Duplicated declaration name \"%s\"",
                              d->name);
                break;
            }
        }
        d->same_name = prev;
        zm_map_put(&l->names, d->name, d);
    }
}

/* `@mydb.VarChar` with `datasource mydb`: Prisma names native types after
   the datasource, whatever it is called; the standard library declares
   them as `@db.*`. The declaration of such an attribute, or NULL. */
static zm_decl *native_alias(linker *l, const zm_file *f, const char *name)
{
    const char *dot = strchr(name, '.');
    if (name[0] != '@' || name[1] == '@' || !dot) return NULL;
    size_t n = (size_t)(dot - name - 1);
    for (const zm_file *g = l->c->files; g; g = g->next)
        for (const zm_decl *d = g->decls; d; d = d->next)
            if (d->kind == ZM_DECL_DATASOURCE && strlen(d->name) == n && strncmp(d->name, name + 1, n) == 0) {
                char *db = zm_arena_printf(&l->c->arena, "@db%s", dot);
                return zm_link_lookup(l, f, db, K_ATTRIBUTE);
            }
    return NULL;
}

static void link_attrs(linker *l, const zm_file *f, zm_attr *a)
{
    for (; a; a = a->next) {
        a->decl = zm_link_lookup(l, f, a->name, K_ATTRIBUTE);
        if (!a->decl) a->decl = native_alias(l, f, a->name);
        if (!a->decl) unresolved(l, a->name_span, "Attribute", a->name);
    }
}

static void link_type(linker *l, const zm_file *f, zm_typeref *t, bool param)
{
    if (!t || t->kind == ZM_TYPE_UNSUPPORTED) return;
    if (in_list(BUILTIN_TYPES, t->name) || (param && in_list(PARAM_TYPES, t->name))) return;
    t->decl = zm_link_lookup(l, f, t->name, K_TYPES);
    if (!t->decl) unresolved(l, t->name_span, "TypeDeclaration", t->name);
}

static void link_names(linker *l, const zm_file *f, zm_name *n, unsigned kinds, const char *what)
{
    for (; n; n = n->next) {
        n->decl = zm_link_lookup(l, f, n->text, kinds);
        if (!n->decl) unresolved(l, n->span, what, n->text);
    }
}

static void link_file(linker *l, zm_file *f)
{
    for (zm_decl *d = f->decls; d; d = d->next) {
        link_names(l, f, d->extends, K_MODEL, "DataModel");
        link_names(l, f, d->mixins, K_TYPE, "TypeDef");
        link_attrs(l, f, d->attrs);
        link_type(l, f, d->result, true);
        for (zm_param *p = d->params; p; p = p->next) {
            link_type(l, f, p->type, true);
            link_attrs(l, f, p->attrs);
        }
        for (zm_member *m = d->members; m; m = m->next) {
            link_type(l, f, m->type, false);
            link_attrs(l, f, m->attrs);
        }
    }
}

static zm_file *load_stdlib(zm_compilation *c)
{
    uint32_t id = zm_sources_add(&c->sources, &c->arena, "<stdlib>", zm_stdlib_text,
                                 (size_t)zm_stdlib_text_len);
    zm_source *src = zm_sources_get(&c->sources, id);
    zm_file *f = zm_parse(&c->arena, &c->diag, id, src->text, src->len, false);
    f->is_stdlib = true;
    return f;
}

/* What ZenStack's generate says of the merged schema: exactly one
   datasource, none an error (when asked: a module checked alone has none);
   and with v3 rules, a generator block is a leftover (v3 uses no Prisma
   client). */
static void check_datasource_present(zm_compilation *c, int level)
{
    bool any = false;
    const zm_file *entry = c->files;
    for (const zm_file *f = c->files; f; f = f->next) {
        if (f->is_library) continue;
        for (const zm_decl *d = f->decls; d; d = d->next) {
            any |= d->kind == ZM_DECL_DATASOURCE;
            if (d->kind == ZM_DECL_GENERATOR && level == 3)
                zm_diag_warning(&c->diag, d->span, "\"generator\" is not used by ZenStack and should be removed.");
        }
    }
    if (!any && entry && c->opts.require_datasource)
    {
        zm_span at = {.file = entry->id, .start = 0, .end = 0};
        zm_diag_error(&c->diag, at,
                      level == 2 ? "Model must define a datasource" : "schema must have a datasource declaration");
    }
}

int zm_compilation_check(zm_compilation *c)
{
    linker l = {c, c->opts.zenstack == 2 ? 2 : 3, {0}, NULL};
    zm_file *stdlib = l.stdlib = load_stdlib(c);
    if (stdlib->had_errors) {
        c->checked = -1;
        zm_map_free(&l.names);
        return ZM_ESCHEMA;
    }
    register_file(&l, stdlib);
    for (zm_file *f = c->files; f; f = f->next) register_file(&l, f);
    link_file(&l, stdlib);
    for (zm_file *f = c->files; f; f = f->next) link_file(&l, f);
    zm_resolve_expressions(&l);
    zm_map_free(&l.names);
    zm_check_attributes(c, l.level);
    zm_check_models(c, l.level);
    zm_check_expressions(c, l.level);
    zm_check_types(c, l.level);
    check_datasource_present(c, l.level);
    c->checked = c->diag.errors ? -1 : 1;
    if (c->checked == 1) {
        zm_check_names(c);
        if (c->diag.errors) c->checked = -1;
    }
    return c->diag.errors ? ZM_ESCHEMA : ZM_OK;
}
