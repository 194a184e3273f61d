/*
** compilation.c — loading a schema and its imports.
**
** `import "path"` is resolved like ZenStack does: relative to the importing
** file (or absolute), with `.zmodel` appended when missing; a bare package
** path (`pkg/schema`) is also looked up in node_modules folders from the
** importing file's folder upwards. A file already loaded is not loaded again,
** so import cycles are harmless. A missing import is reported at the import.
*/
#include "compilation.h"
#include "ir_impl.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parse.h"
#include "zmc/buf.h"

zm_compilation *zm_compilation_new(const zm_options *opts)
{
    zm_compilation *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    /* a caller built against an older header passes a shorter struct: the
       fields it does not know stay zero */
    if (opts) memcpy(&c->opts, opts, opts->version && opts->version < sizeof *opts ? opts->version : sizeof *opts);
    zm_arena_init(&c->arena);
    zm_diag_init(&c->diag, &c->arena, &c->sources, (size_t)(c->opts.max_errors > 0 ? c->opts.max_errors : 100));
    c->files_tail = &c->files;
    return c;
}

void zm_compilation_free(zm_compilation *c)
{
    if (!c) return;
    zm_ir_free(c->ir);
    zm_diag_free(&c->diag);
    zm_sources_free(&c->sources);
    free(c->keys);
    zm_arena_free(&c->arena);
    free(c);
}

zm_file *zm_compilation_main(zm_compilation *c) { return c->files; }

size_t zm_compilation_error_count(const zm_compilation *c) { return c->diag.errors; }

size_t zm_compilation_warning_count(const zm_compilation *c) { return c->diag.warnings; }

void zm_compilation_print_diagnostics(zm_compilation *c, FILE *out)
{
    zm_buf b = ZM_BUF_INIT;
    zm_diag_render(&c->diag, &b);
    if (b.len) fwrite(b.data, 1, b.len, out);
    zm_buf_free(&b);
}

/* The file loaded under `key`, if any. */
static zm_file *loaded_file(zm_compilation *c, const char *key)
{
    for (zm_file *f = c->files; f; f = f->next)
        if (f->id < c->nkeys && c->keys[f->id] && strcmp(c->keys[f->id], key) == 0) return f;
    return NULL;
}

static void remember(zm_compilation *c, uint32_t id, const char *key)
{
    if (id >= c->capkeys) {
        size_t cap = c->capkeys ? c->capkeys * 2 : 8;
        while (cap <= id) cap *= 2;
        const char **k = realloc(c->keys, cap * sizeof *k);
        if (!k) abort();
        memset(k + c->capkeys, 0, (cap - c->capkeys) * sizeof *k);
        c->keys = k;
        c->capkeys = cap;
    }
    c->keys[id] = key;
    if (id >= c->nkeys) c->nkeys = id + 1;
}

/* Canonical name of a file for "loaded already?" checks. */
static const char *canonical(zm_compilation *c, const char *path)
{
    char buf[PATH_MAX];
    if (realpath(path, buf)) return zm_arena_strdup(&c->arena, buf);
    return zm_arena_strdup(&c->arena, path);
}

static void load_imports(zm_compilation *c, zm_file *f, const char *path, int depth);

/* Parse a source text already adopted into the source table. */
static zm_file *parse_source(zm_compilation *c, uint32_t id, const char *key)
{
    remember(c, id, key);
    zm_source *src = zm_sources_get(&c->sources, id);
    zm_file *f = zm_parse(&c->arena, &c->diag, id, src->text, src->len, c->opts.keep_comments != 0);
    *c->files_tail = f;
    c->files_tail = &f->next;
    return f;
}

/* Read a file straight into the arena (followed by two NUL bytes, as the
   scanner wants), so a big schema is never copied. Returns a source id, or
   a negative ZM_E* code with errno set. */
static int64_t read_source(zm_compilation *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return errno == ENOENT || errno == ENOTDIR ? ZM_ENOTFOUND : ZM_EIO;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        fclose(f);
        if (e == 0) {
            /* Not a regular file (a pipe, say): read it however long it is. */
            char *text;
            size_t len;
            int rc = zm_read_file(path, &text, &len);
            if (rc != ZM_OK) return rc;
            uint32_t id = zm_sources_add(&c->sources, &c->arena, path, text, len);
            free(text);
            return id;
        }
        errno = e;
        return ZM_EIO;
    }
    size_t len = (size_t)st.st_size;
    char *text = zm_arena_alloc(&c->arena, len + 2);
    size_t got = fread(text, 1, len, f);
    int err = ferror(f);
    fclose(f);
    if (err || got != len) {
        errno = err ? EIO : EAGAIN;     /* the file changed while being read */
        return ZM_EIO;
    }
    return zm_sources_adopt(&c->sources, &c->arena, path, text, len);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *dir_of(zm_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return zm_arena_strdup(a, ".");
    if (slash == path) return zm_arena_strdup(a, "/");
    return zm_arena_strndup(a, path, (size_t)(slash - path));
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Resolve an import; returns the path to load, or NULL with `tried` set to
   the main candidate for the error message. */
static const char *resolve_import(zm_compilation *c, const char *from, const char *spec,
                                  const char **tried)
{
    zm_arena *a = &c->arena;
    const char *name = ends_with(spec, ".zmodel") ? spec : zm_arena_printf(a, "%s.zmodel", spec);
    const char *dir = dir_of(a, from);
    const char *rel = name;
    while (rel[0] == '.' && rel[1] == '/') rel += 2;
    const char *cand = name[0] == '/' || strcmp(dir, ".") == 0
                           ? rel
                           : zm_arena_printf(a, "%s/%s", dir, rel);
    *tried = cand;
    if (is_file(cand)) return cand;
    if (spec[0] == '.' || spec[0] == '/') return NULL;
    /* A package path: node_modules/<spec> from here up to the root. */
    char *d = zm_arena_strdup(a, dir);
    for (;;) {
        const char *p = zm_arena_printf(a, "%s/node_modules/%s", d, name);
        if (is_file(p)) return p;
        char *slash = strrchr(d, '/');
        if (!slash || strcmp(d, "/") == 0 || strcmp(d, ".") == 0) break;
        if (slash == d) d[1] = '\0';
        else *slash = '\0';
    }
    return NULL;
}

enum { MAX_IMPORT_DEPTH = 256 };

static void load_imports(zm_compilation *c, zm_file *f, const char *path, int depth)
{
    for (zm_import *imp = f->imports; imp; imp = imp->next) {
        const char *tried = NULL;
        const char *target = resolve_import(c, path, imp->path, &tried);
        if (!target) {
            const char *want = ends_with(imp->path, ".zmodel")
                                   ? imp->path
                                   : zm_arena_printf(&c->arena, "%s.zmodel", imp->path);
            struct stat st;
            /* There, but unreadable as a file: say why (a symlink loop, no
               permission, a folder) rather than "cannot find". */
            if (stat(tried, &st) != 0 && errno != ENOENT && errno != ENOTDIR)
                zm_diag_error(&c->diag, imp->span, "cannot read model file \"%s\": %s", tried, strerror(errno));
            else if (stat(tried, &st) == 0 && !S_ISREG(st.st_mode))
                zm_diag_error(&c->diag, imp->span, "cannot read model file \"%s\": %s", tried,
                              S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
            else
                zm_diag_error(&c->diag, imp->span, "Cannot find model file %s (looked for %s)", want,
                              tried);
            continue;
        }
        const char *key = canonical(c, target);
        zm_file *seen = loaded_file(c, key);
        if (seen) {
            imp->target = seen;
            continue;
        }
        if (depth >= MAX_IMPORT_DEPTH) {
            zm_diag_error(&c->diag, imp->span, "imports nested too deeply (more than %d levels)",
                          MAX_IMPORT_DEPTH);
            continue;
        }
        int64_t id = read_source(c, target);
        if (id < 0) {
            zm_diag_error(&c->diag, imp->span, "cannot read model file \"%s\": %s", target,
                          strerror(errno));
            continue;
        }
        zm_file *g = parse_source(c, (uint32_t)id, key);
        imp->target = g;
        load_imports(c, g, target, depth + 1);
    }
}

/* The plugin.zmodel a plugin block's provider ships, or NULL: a path
   (relative to the schema declaring it) that is the file itself or a
   folder holding it, or a package found in node_modules from that folder
   up, as ZenStack finds plugins. Most plugins ship none. */
static const char *plugin_library(zm_compilation *c, const char *from, const char *provider)
{
    zm_arena *a = &c->arena;
    if (strncmp(provider, "@core/", 6) == 0 || !*provider) return NULL;
    const char *dir = dir_of(a, from);
    if (provider[0] == '.' || provider[0] == '/') {
        const char *base = provider[0] == '/' ? provider : zm_arena_printf(a, "%s/%s", dir, provider);
        if (ends_with(base, ".zmodel")) return is_file(base) ? base : NULL;
        const char *p = zm_arena_printf(a, "%s/plugin.zmodel", base);
        return is_file(p) ? p : NULL;
    }
    char *d = zm_arena_strdup(a, dir);
    for (;;) {
        static const char *const places[] = {"plugin.zmodel", "dist/plugin.zmodel"};
        for (size_t i = 0; i < 2; i++) {
            const char *p = zm_arena_printf(a, "%s/node_modules/%s/%s", d, provider, places[i]);
            if (is_file(p)) return p;
        }
        char *slash = strrchr(d, '/');
        if (!slash || strcmp(d, "/") == 0 || strcmp(d, ".") == 0) break;
        if (slash == d) d[1] = '\0';
        else *slash = '\0';
    }
    return NULL;
}

/* Every plugin block's library, loaded once, after the schema's files. */
static void load_plugin_libraries(zm_compilation *c)
{
    for (zm_file *f = c->files; f; f = f->next) {
        if (f->is_library) continue;
        const char *from = zm_sources_get(&c->sources, f->id)->path;
        for (zm_decl *d = f->decls; d; d = d->next) {
            if (d->kind != ZM_DECL_PLUGIN) continue;
            const zm_member *provider = NULL;
            for (const zm_member *m = d->members; m && !provider; m = m->next)
                if (m->kind == ZM_MEMBER_CONFIG && strcmp(m->name, "provider") == 0) provider = m;
            if (!provider || !provider->value || provider->value->kind != ZM_EXPR_STRING) continue;
            const char *path = plugin_library(c, from, provider->value->text);
            if (!path) continue;
            const char *key = canonical(c, path);
            if (loaded_file(c, key)) continue;
            int64_t id = read_source(c, path);
            if (id < 0) {
                zm_diag_error(&c->diag, provider->value->span, "cannot read the plugin's \"%s\": %s", path,
                              strerror(errno));
                continue;
            }
            zm_file *g = parse_source(c, (uint32_t)id, key);
            g->is_library = true;
        }
    }
}

static int finish_load(zm_compilation *c, zm_file *f, const char *name)
{
    if (!c->opts.skip_imports) {
        load_imports(c, f, name, 0);
        load_plugin_libraries(c);
    }
    return c->diag.errors ? ZM_ESCHEMA : ZM_OK;
}

/* The key that identifies the entry file; only imports need it resolved. */
static const char *entry_key(zm_compilation *c, const char *name)
{
    return c->opts.skip_imports ? zm_arena_strdup(&c->arena, name) : canonical(c, name);
}

int zm_compilation_load_string(zm_compilation *c, const char *name, const char *text, size_t len)
{
    uint32_t id = zm_sources_add(&c->sources, &c->arena, name, text, len);
    return finish_load(c, parse_source(c, id, entry_key(c, name)), name);
}

int zm_compilation_load_file(zm_compilation *c, const char *path)
{
    int64_t id = read_source(c, path);
    if (id < 0) {
        zm_diag_error(&c->diag, ZM_NO_SPAN, "cannot read schema file '%s': %s", path,
                      strerror(errno));
        return (int)id;
    }
    return finish_load(c, parse_source(c, (uint32_t)id, entry_key(c, path)), path);
}
