/*
** pull_merge.c — `db pull` into an existing schema file (pull_merge.h).
**
** Both texts are parsed (comments kept, imports not read) and the file is
** edited as text: each change is a replacement of a byte range of the
** file, so whatever the pull does not touch (comments, policies, field
** order, blank lines) stays as the user wrote it. The edited text is then
** parsed again and printed by the formatter, which aligns the columns.
*/
#define _GNU_SOURCE 1
#include "pull_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "compilation.h"
#include "format.h"

typedef struct edit {
    uint32_t start, end;
    size_t seq;                 /* the order it was made in: two insertions at one place keep it */
    char *text;                 /* malloc'ed */
} edit;

typedef struct merge {
    const char *old, *new_;     /* the file's text and the pulled text */
    size_t old_len;
    zm_file *old_file, *new_file;
    edit *edits;
    size_t nedits, cap;
    bool oom;
} merge;

static void add_edit(merge *m, uint32_t start, uint32_t end, const char *text, size_t len)
{
    if (m->nedits == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        edit *e = realloc(m->edits, cap * sizeof *e);
        if (!e) {
            m->oom = true;
            return;
        }
        m->edits = e, m->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        m->oom = true;
        return;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    m->edits[m->nedits] = (edit){start, end, m->nedits, copy};
    m->nedits++;
}

/* ---- reading the trees ------------------------------------------------------------------ */

static bool is_scalar_name(const char *t)
{
    static const char *const names[] = {"String", "Boolean", "Int",   "BigInt",     "Float", "Decimal",
                                        "DateTime", "Json",  "Bytes", "Unsupported"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(t, names[i]) == 0) return true;
    return false;
}

static zm_decl *find_decl(zm_file *f, zm_decl_kind kind, const char *name)
{
    for (zm_decl *d = f ? f->decls : NULL; d; d = d->next)
        if (d->kind == kind && d->name && strcmp(d->name, name) == 0) return d;
    return NULL;
}

/* A type that holds no relation: a scalar, an enum or a type of either text. */
static bool is_column_type(const merge *m, const zm_typeref *t)
{
    if (!t || t->kind == ZM_TYPE_UNSUPPORTED || is_scalar_name(t->name)) return true;
    return find_decl(m->old_file, ZM_DECL_ENUM, t->name) || find_decl(m->new_file, ZM_DECL_ENUM, t->name) ||
           find_decl(m->old_file, ZM_DECL_TYPE, t->name);
}

static zm_member *find_member(zm_decl *d, zm_member_kind kind, const char *name)
{
    for (zm_member *x = d ? d->members : NULL; x; x = x->next)
        if (x->kind == kind && x->name && strcmp(x->name, name) == 0) return x;
    return NULL;
}

/* Attributes that say what the database holds, which a pull rewrites. */
static bool is_db_attr(const zm_attr *a)
{
    static const char *const names[] = {"@id",      "@unique", "@default", "@map",     "@relation", "@updatedAt",
                                        "@@id",     "@@unique", "@@index", "@@fulltext", "@@map",   "@@ignore",
                                        "@@schema"};
    if (strncmp(a->name, "@db.", 4) == 0) return true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(a->name, names[i]) == 0) return true;
    return false;
}

/* A default the database cannot hold (uuid(), cuid(), auth().id, ...): the
   user's, kept when the pull has none. */
static bool is_app_default(const zm_attr *a)
{
    if (strcmp(a->name, "@default") != 0 || !a->args || !a->args->value) return false;
    const zm_expr *e = a->args->value;
    if (e->kind != ZM_EXPR_CALL) return e->kind == ZM_EXPR_MEMBER || e->kind == ZM_EXPR_REF;
    const char *fn = e->text ? e->text : "";
    return strcmp(fn, "autoincrement") != 0 && strcmp(fn, "now") != 0 && strcmp(fn, "dbgenerated") != 0;
}

static bool has_attr(const zm_attr *list, const char *name)
{
    for (const zm_attr *a = list; a; a = a->next)
        if (strcmp(a->name, name) == 0) return true;
    return false;
}

/* The text of a span without blanks: how two attributes are compared. */
static void squeezed(const char *text, zm_span s, zm_buf *out)
{
    bool quoted = false;
    for (uint32_t i = s.start; i < s.end; i++) {
        char c = text[i];
        if (c == '"' && (i == s.start || text[i - 1] != '\\')) quoted = !quoted;
        if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) continue;
        zm_buf_putc(out, c);
    }
    zm_buf_putc(out, '\n');
}

/* The database attributes of a field or model as one comparable text. */
static void db_attrs_key(const char *text, const zm_attr *list, bool keep_app_default, zm_buf *out)
{
    for (const zm_attr *a = list; a; a = a->next)
        if (is_db_attr(a) && !(keep_app_default && is_app_default(a))) squeezed(text, a->span, out);
}

/* ---- spans ---------------------------------------------------------------------------------- */

/* Where a member or declaration starts, its `///` lines included. (Not
   span.start: the span of a node whose `///` list is empty starts where
   the token before it ended, on the line before.) */
static uint32_t member_start(const zm_member *x)
{
    if (x->docs) return x->docs->span.start;
    return x->kind == ZM_MEMBER_ATTR && x->attrs ? x->attrs->span.start : x->name_span.start;
}

static uint32_t decl_start(const char *text, const zm_decl *d)
{
    if (d->docs) return d->docs->span.start;
    uint32_t at = d->name_span.start;
    while (at > 0 && text[at - 1] != '\n') at--;     /* back over `model ` */
    return at;
}

/* [start, end) widened to whole lines: from the line's start, through its newline. */
static void whole_lines(const char *text, size_t len, uint32_t *start, uint32_t *end)
{
    while (*start > 0 && (text[*start - 1] == ' ' || text[*start - 1] == '\t')) (*start)--;
    while (*end < len && text[*end] != '\n') (*end)++;
    if (*end < len) (*end)++;
}

static void remove_range(merge *m, uint32_t start, uint32_t end)
{
    whole_lines(m->old, m->old_len, &start, &end);
    add_edit(m, start, end, "", 0);
}

static void put_span(zm_buf *b, const char *text, zm_span s) { zm_buf_append(b, text + s.start, s.end - s.start); }

/* ---- fields ------------------------------------------------------------------------------------ */

/* A field as the pull writes it, with the user's other attributes. */
static void field_text(merge *m, const zm_member *old, const zm_member *pulled, bool keep_app_default, zm_buf *out)
{
    zm_buf_puts(out, pulled->name);
    zm_buf_putc(out, ' ');
    put_span(out, m->new_, pulled->type->span);
    for (const zm_attr *a = pulled->attrs; a; a = a->next) {
        zm_buf_putc(out, ' ');
        put_span(out, m->new_, a->span);
    }
    for (const zm_attr *a = old ? old->attrs : NULL; a; a = a->next) {
        if (is_db_attr(a) && !(keep_app_default && is_app_default(a))) continue;
        zm_buf_putc(out, ' ');
        put_span(out, m->old, a->span);
    }
}

static bool same_field(merge *m, const zm_member *old, const zm_member *pulled, bool keep_app_default)
{
    zm_buf a = ZM_BUF_INIT, b = ZM_BUF_INIT;
    squeezed(m->old, old->type->span, &a);
    squeezed(m->new_, pulled->type->span, &b);
    db_attrs_key(m->old, old->attrs, keep_app_default, &a);
    db_attrs_key(m->new_, pulled->attrs, false, &b);
    bool same = a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
    zm_buf_free(&a);
    zm_buf_free(&b);
    return same;
}

/* Names of `fields: [...]` of a field's @relation. */
static bool relation_uses_removed(const zm_member *f, zm_decl *pulled_model)
{
    for (const zm_attr *a = f->attrs; a; a = a->next) {
        if (strcmp(a->name, "@relation") != 0) continue;
        for (const zm_arg *g = a->args; g; g = g->next) {
            if (!g->name || strcmp(g->name, "fields") != 0 || !g->value || g->value->kind != ZM_EXPR_ARRAY) continue;
            for (const zm_arg *x = g->value->args; x; x = x->next)
                if (x->value && x->value->kind == ZM_EXPR_REF && x->value->text &&
                    !find_member(pulled_model, ZM_MEMBER_FIELD, x->value->text))
                    return true;
        }
    }
    return false;
}

/* Does a removal already recorded cover member x? */
static bool removed(const merge *m, const zm_member *x)
{
    uint32_t at = member_start(x);
    for (size_t i = 0; i < m->nedits; i++)
        if (!m->edits[i].text[0] && m->edits[i].start <= at && at < m->edits[i].end) return true;
    return false;
}

/* The end of a declaration's last member of `kind` (any kind: -1) that
   stays, or just after its `{` when it has none: where new members go.
   (Not the end of a removed one: what is inserted there goes with it.)
   Call it once the removals are recorded. */
static uint32_t insert_point(const merge *m, const zm_decl *d, int kind)
{
    uint32_t at = 0;
    for (const zm_member *x = d->members; x; x = x->next)
        if ((kind < 0 || (int)x->kind == kind) && x->span.end > at && !removed(m, x)) at = x->span.end;
    if (at) return at;
    const char *brace = memchr(m->old + d->name_span.end, '{', d->span.end - d->name_span.end);
    return brace ? (uint32_t)(brace - m->old) + 1 : d->span.end - 1;
}

static void add_missing_fields(merge *m, zm_decl *old, zm_decl *pulled);

static void merge_model(merge *m, zm_decl *old, zm_decl *pulled)
{
    for (zm_member *pf = pulled->members; pf; pf = pf->next) {
        if (pf->kind != ZM_MEMBER_FIELD) continue;
        zm_member *of = find_member(old, ZM_MEMBER_FIELD, pf->name);
        if (!of) continue;
        bool keep_default = !has_attr(pf->attrs, "@default");
        if (same_field(m, of, pf, keep_default)) continue;
        zm_buf text = ZM_BUF_INIT;
        field_text(m, of, pf, keep_default, &text);
        add_edit(m, of->name_span.start, of->span.end, text.data ? text.data : "", text.len);
        zm_buf_free(&text);
    }
    for (zm_member *of = old->members; of; of = of->next) {
        if (of->kind != ZM_MEMBER_FIELD || find_member(pulled, ZM_MEMBER_FIELD, of->name)) continue;
        bool gone;
        if (is_column_type(m, of->type)) gone = !has_attr(of->attrs, "@computed");
        else gone = relation_uses_removed(of, pulled) ||
                    (!find_decl(m->new_file, ZM_DECL_MODEL, of->type->name) &&
                     find_decl(m->old_file, ZM_DECL_MODEL, of->type->name) &&
                     !find_decl(m->old_file, ZM_DECL_MODEL, of->type->name)->is_abstract);
        if (gone) remove_range(m, member_start(of), of->span.end);
    }

    /* model attributes: the database's follow the pull, the others stay */
    zm_buf keys = ZM_BUF_INIT, more = ZM_BUF_INIT;
    for (zm_member *x = pulled->members; x; x = x->next)
        if (x->kind == ZM_MEMBER_ATTR && x->attrs) squeezed(m->new_, x->attrs->span, &keys);
    zm_buf old_keys = ZM_BUF_INIT;
    for (zm_member *x = old->members; x; x = x->next) {
        if (x->kind != ZM_MEMBER_ATTR || !x->attrs || !is_db_attr(x->attrs)) continue;
        zm_buf k = ZM_BUF_INIT;
        squeezed(m->old, x->attrs->span, &k);
        squeezed(m->old, x->attrs->span, &old_keys);
        bool kept = keys.data && k.data && strstr(keys.data, k.data) != NULL;
        zm_buf_free(&k);
        if (!kept) remove_range(m, member_start(x), x->span.end);
    }
    for (zm_member *x = pulled->members; x; x = x->next) {
        if (x->kind != ZM_MEMBER_ATTR || !x->attrs) continue;
        zm_buf k = ZM_BUF_INIT;
        squeezed(m->new_, x->attrs->span, &k);
        bool present = old_keys.data && k.data && strstr(old_keys.data, k.data) != NULL;
        zm_buf_free(&k);
        if (present) continue;
        zm_buf_puts(&more, "\n  ");
        put_span(&more, m->new_, x->attrs->span);
    }
    add_missing_fields(m, old, pulled);   /* the removals are known now */
    if (more.len) {
        uint32_t at = insert_point(m, old, -1);
        add_edit(m, at, at, more.data, more.len);
    }
    zm_buf_free(&keys);
    zm_buf_free(&old_keys);
    zm_buf_free(&more);
}

static void merge_enum(merge *m, zm_decl *old, zm_decl *pulled)
{
    zm_buf added = ZM_BUF_INIT;
    for (zm_member *pv = pulled->members; pv; pv = pv->next) {
        if (pv->kind != ZM_MEMBER_ENUM_VALUE || find_member(old, ZM_MEMBER_ENUM_VALUE, pv->name)) continue;
        zm_buf_puts(&added, "\n  ");
        put_span(&added, m->new_, pv->span);
    }
    for (zm_member *ov = old->members; ov; ov = ov->next)
        if (ov->kind == ZM_MEMBER_ENUM_VALUE && !find_member(pulled, ZM_MEMBER_ENUM_VALUE, ov->name))
            remove_range(m, member_start(ov), ov->span.end);
    if (added.len) {
        uint32_t at = insert_point(m, old, ZM_MEMBER_ENUM_VALUE);
        add_edit(m, at, at, added.data, added.len);
    }
    zm_buf_free(&added);
}

/* ---- the whole file -------------------------------------------------------------------------------- */

static int by_start(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static zm_compilation *parse(const char *name, const char *text, size_t len, bool imports)
{
    zm_options o = {.version = sizeof o, .keep_comments = 1, .skip_imports = !imports};
    zm_compilation *c = zm_compilation_new(&o);
    if (c && zm_compilation_load_string(c, name, text, len) != ZM_OK) {
        zm_compilation_print_diagnostics(c, stderr);
        zm_compilation_free(c);
        return NULL;
    }
    return c;
}

/* Is `name` a line of `keep`? */
static bool kept(const char *keep, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = keep; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0) return true;
        if (!end) break;
        p = end + 1;
    }
    return false;
}

/* The pulled fields a model lacks, appended after its last field (all a
   kept model gets). */
static void add_missing_fields(merge *m, zm_decl *old, zm_decl *pulled)
{
    zm_buf added = ZM_BUF_INIT;
    for (zm_member *pf = pulled->members; pf; pf = pf->next) {
        if (pf->kind != ZM_MEMBER_FIELD || find_member(old, ZM_MEMBER_FIELD, pf->name)) continue;
        zm_buf_puts(&added, "\n  ");
        field_text(m, NULL, pf, false, &added);
    }
    if (added.len) {
        uint32_t at = insert_point(m, old, ZM_MEMBER_FIELD);
        add_edit(m, at, at, added.data, added.len);
    }
    zm_buf_free(&added);
}

int zm_pull_merge(const char *name, const char *text, size_t len, const char *pulled, size_t pulled_len, bool force,
                  const char *keep, zm_buf *out)
{
    zm_compilation *oc = parse(name, text, len, true), *nc = oc ? parse("<db pull>", pulled, pulled_len, false) : NULL;
    if (!oc || !nc) {
        zm_compilation_free(oc);
        return -1;
    }
    merge m = {.old = zm_sources_get(&oc->sources, zm_compilation_main(oc)->id)->text, .old_len = len,
               .new_ = zm_sources_get(&nc->sources, zm_compilation_main(nc)->id)->text,
               .old_file = zm_compilation_main(oc), .new_file = zm_compilation_main(nc)};
    zm_buf appended = ZM_BUF_INIT;
    for (zm_decl *d = m.old_file->decls; d; d = d->next) {
        bool table = d->kind == ZM_DECL_MODEL && !d->is_abstract;
        bool dropped = force ? (d->kind == ZM_DECL_MODEL || d->kind == ZM_DECL_VIEW || d->kind == ZM_DECL_ENUM ||
                                d->kind == ZM_DECL_TYPE)
                             : table && !find_decl(m.new_file, ZM_DECL_MODEL, d->name);
        if (dropped) remove_range(&m, decl_start(m.old, d), d->span.end);
    }
    for (zm_decl *p = m.new_file->decls; p; p = p->next) {
        zm_decl *old = force ? NULL : find_decl(m.old_file, p->kind, p->name);
        /* declared in an imported file, which the pull does not edit */
        bool elsewhere = false;
        for (zm_file *f = m.old_file->next; f && !old && !elsewhere; f = f->next)
            elsewhere = !f->is_stdlib && find_decl(f, p->kind, p->name) != NULL;
        if (elsewhere) continue;
        if (old && p->kind == ZM_DECL_MODEL && !old->is_abstract && kept(keep, p->name)) add_missing_fields(&m, old, p);
        else if (old && p->kind == ZM_DECL_MODEL && !old->is_abstract) merge_model(&m, old, p);
        else if (old && p->kind == ZM_DECL_ENUM) merge_enum(&m, old, p);
        else if (!old) {
            zm_buf_puts(&appended, "\n");
            zm_span s = {p->span.file, decl_start(m.new_, p), p->span.end};
            put_span(&appended, m.new_, s);
            zm_buf_puts(&appended, "\n");
        }
    }
    /* the pull's comments outside declarations (a view it does not
       describe), once */
    for (const zm_comment *c = m.new_file->comments; c; c = c->next) {
        bool inside = false;
        for (const zm_decl *p = m.new_file->decls; p && !inside; p = p->next)
            inside = c->span.start >= decl_start(m.new_, p) && c->span.end <= p->span.end;
        zm_buf line = ZM_BUF_INIT;
        put_span(&line, m.new_, c->span);
        bool present = line.data && memmem(m.old, len, line.data, line.len) != NULL;
        if (!inside && !present) {
            zm_buf_puts(&appended, "\n");
            zm_buf_append(&appended, line.data, line.len);
            zm_buf_puts(&appended, "\n");
        }
        zm_buf_free(&line);
    }
    if (appended.len) add_edit(&m, (uint32_t)len, (uint32_t)len, appended.data, appended.len);
    zm_buf_free(&appended);

    /* apply the edits; a range inside one already applied (a field of a
       removed model) is dropped */
    if (m.nedits) qsort(m.edits, m.nedits, sizeof *m.edits, by_start);
    zm_buf merged = ZM_BUF_INIT;
    uint32_t at = 0;
    for (size_t i = 0; i < m.nedits; i++) {
        edit *e = &m.edits[i];
        if (e->start < at) continue;
        zm_buf_append(&merged, m.old + at, e->start - at);
        zm_buf_puts(&merged, e->text);
        at = e->end;
    }
    zm_buf_append(&merged, m.old + at, len - at);
    for (size_t i = 0; i < m.nedits; i++) free(m.edits[i].text);
    free(m.edits);
    zm_compilation_free(nc);
    zm_compilation_free(oc);

    int rc = -1;
    zm_compilation *fc = m.oom ? NULL : parse(name, merged.data ? merged.data : "", merged.len, false);
    if (fc) {
        zm_file *f = zm_compilation_main(fc);
        zm_format_file(f, zm_sources_get(&fc->sources, f->id), &fc->arena, out);
        zm_compilation_free(fc);
        rc = 0;
    }
    zm_buf_free(&merged);
    return rc;
}
