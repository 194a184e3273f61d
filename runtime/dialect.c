/*
** dialect.c — dialects by provider name or URL scheme (dialect.h).
**
** The fast path loads dialect_<name>.so; an alias or a scheme that is not
** a module's name is matched by loading every dialect_*.so of the plugin
** folders, in search order, the first one found for a provider winning
** (so $ZMC_PLUGIN_PATH can replace a built-in dialect).
*/
#define _GNU_SOURCE 1
#include "dialect.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "zmc/buf.h"

enum { MAX_DIALECTS = 32 };

typedef struct loaded {
    const zmc_dialect *dialect;
    const zmc_db_driver *driver;
    zm_module *module, *driver_module;
} loaded;

static loaded registry[MAX_DIALECTS];
static size_t nregistry;
static bool scanned;

static char *message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    return s;
}

bool zm_dialect_named(const zmc_dialect *d, const char *name)
{
    if (!d || !name) return false;
    if (strcmp(d->provider, name) == 0) return true;
    for (const char *const *a = d->aliases; a && *a; a++)
        if (strcmp(*a, name) == 0) return true;
    return false;
}

bool zm_dialect_has(const zmc_dialect *d, unsigned f) { return d && (d->features & f) == f; }

static bool has_scheme(const zmc_dialect *d, const char *scheme)
{
    for (const char *const *s = d->url_schemes; s && *s; s++)
        if (strcmp(*s, scheme) == 0) return true;
    return false;
}

static loaded *registered(const char *provider)
{
    for (size_t i = 0; i < nregistry; i++)
        if (zm_dialect_named(registry[i].dialect, provider)) return &registry[i];
    return NULL;
}

/* A dialect module checked for what this host reads of it. */
static const zmc_dialect *check(zm_module *m, char **error)
{
    const zmc_plugin *p = zm_module_plugin(m);
    const char *path = zm_module_path(m);
    if (p->kind != ZMC_PLUGIN_DIALECT || p->size < offsetof(zmc_plugin, dialect) + sizeof p->dialect ||
        !p->dialect) {
        *error = message("%s is not a zmc dialect (its descriptor has no dialect)", path);
        return NULL;
    }
    const zmc_dialect *d = p->dialect;
    if (d->abi_major != ZMC_DIALECT_ABI_MAJOR || d->abi_minor > ZMC_DIALECT_ABI_MINOR) {
        *error = message("%s was built for zmc dialect ABI %u.%u, but this zmc supports %d.%d", path,
                         (unsigned)d->abi_major, (unsigned)d->abi_minor, ZMC_DIALECT_ABI_MAJOR,
                         ZMC_DIALECT_ABI_MINOR);
        return NULL;
    }
    if (d->size < offsetof(zmc_dialect, reserved_prefix) + sizeof d->reserved_prefix || !d->provider || !d->display_name ||
        !d->sql_flavor || !d->driver_module || !d->param_prefix || !d->url_schemes || !d->migrations_table ||
        !d->migrations_table_exists || !d->now_sql || !d->timestamp_text) {
        *error = message("%s has a malformed dialect descriptor (a required field is missing)", path);
        return NULL;
    }
    return d;
}

/* Load module `name` as a dialect and register it (unless its provider is
   known already). NULL with *error set when it is not one. */
static const zmc_dialect *load(const char *name, char **error)
{
    zm_module *m = zm_module_load(name, error);
    if (!m) return NULL;
    const zmc_dialect *d = check(m, error);
    if (!d) {
        zm_module_unload(m);
        return NULL;
    }
    loaded *known = registered(d->provider);
    if (known) {
        zm_module_unload(m);
        return known->dialect;
    }
    if (nregistry == MAX_DIALECTS) {
        zm_module_unload(m);
        *error = message("too many dialects loaded");
        return NULL;
    }
    registry[nregistry++] = (loaded){.dialect = d, .module = m};
    return d;
}

static void scan_dir(const char *dir, void *ctx)
{
    (void)ctx;
    DIR *dp = opendir(dir);
    if (!dp) return;
    for (struct dirent *e; (e = readdir(dp));) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "dialect_", 8) != 0 || n < 12 || strcmp(e->d_name + n - 3, ".so") != 0) continue;
        char *path = message("%s/%s", dir, e->d_name), *error = NULL;
        if (path) load(path, &error);
        free(path);
        free(error);
    }
    closedir(dp);
}

/* Every dialect module of the plugin folders, once. */
static void scan(void)
{
    if (scanned) return;
    scanned = true;
    zm_module_search_path(scan_dir, NULL);
}

const zmc_dialect *zm_dialect_find(const char *provider, char **error)
{
    *error = NULL;
    if (!provider || !*provider) {
        *error = message("the datasource names no provider");
        return NULL;
    }
    loaded *known = registered(provider);
    if (known) return known->dialect;
    if (strspn(provider, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(provider)) {
        char *name = message("dialect_%s", provider), *why = NULL;
        const zmc_dialect *d = name ? load(name, &why) : NULL;
        free(name);
        if (d && zm_dialect_named(d, provider)) return d;
        if (!d && why && !strstr(why, "cannot find plugin")) {
            *error = why;       /* there, but broken: say why */
            return NULL;
        }
        free(why);
    }
    scan();
    known = registered(provider);
    if (known) return known->dialect;
    char *list = zm_dialect_list();
    *error = message("no database dialect for the provider \"%s\": zmc knows %s (a dialect is the module "
                     "dialect_<provider>.so of the plugin folders, $ZMC_PLUGIN_PATH first)",
                     provider, list && *list ? list : "none");
    free(list);
    return NULL;
}

const zmc_dialect *zm_dialect_for_scheme(const char *scheme, char **error)
{
    *error = NULL;
    for (size_t i = 0; i < nregistry; i++)
        if (has_scheme(registry[i].dialect, scheme)) return registry[i].dialect;
    scan();
    for (size_t i = 0; i < nregistry; i++)
        if (has_scheme(registry[i].dialect, scheme)) return registry[i].dialect;
    zm_buf b = ZM_BUF_INIT;
    for (size_t i = 0; i < nregistry; i++)
        for (const char *const *s = registry[i].dialect->url_schemes; s && *s; s++)
            zm_buf_printf(&b, "%s`%s%s` (%s)", b.len ? ", " : "", *s,
                          registry[i].dialect->url_form == ZMC_URL_FILE ? ":" : "://",
                          registry[i].dialect->display_name);
    *error = message("the URL must start with a protocol zmc knows: %s; not `%s`", b.data ? b.data : "none",
                     scheme);
    zm_buf_free(&b);
    return NULL;
}

const zmc_db_driver *zm_dialect_driver(const zmc_dialect *d, char **error)
{
    *error = NULL;
    loaded *l = NULL;
    for (size_t i = 0; i < nregistry && !l; i++)
        if (registry[i].dialect == d) l = &registry[i];
    if (!l) {
        *error = message("the %s dialect was not loaded by the dialect registry", d->display_name);
        return NULL;
    }
    if (l->driver) return l->driver;
    zm_module *m = zm_module_load(d->driver_module, error);
    if (!m) return NULL;
    const zmc_plugin *p = zm_module_plugin(m);
    const zmc_db_driver *drv = p->kind == ZMC_PLUGIN_DRIVER &&
                                       p->size >= offsetof(zmc_plugin, driver) + sizeof p->driver
                                   ? p->driver
                                   : NULL;
    free(*error);
    *error = NULL;
    if (!drv) {
        *error = message("%s is not a zmc database driver (its descriptor has no driver)", zm_module_path(m));
    } else if (drv->abi_major != ZMC_DIALECT_ABI_MAJOR || drv->abi_minor > ZMC_DIALECT_ABI_MINOR ||
               drv->size < offsetof(zmc_db_driver, cancel_free) + sizeof drv->cancel_free || !drv->connect ||
               !drv->close || !drv->execute || !drv->query || !drv->lock || !drv->unlock || !drv->reset) {
        *error = message("%s has a malformed or incompatible driver descriptor", zm_module_path(m));
        drv = NULL;
    }
    if (!drv) {
        zm_module_unload(m);
        return NULL;
    }
    /* The driver's client library stays mapped when the module is unloaded:
       libmariadb and libpq keep global state (character sets, the SSL
       library's) that their unloading would leave dangling, and the leak
       checkers must still read its stacks at exit. */
    void *pin = dlopen(zm_module_path(m), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    (void)pin;      /* RTLD_NODELETE: never closed */
    l->driver = drv;
    l->driver_module = m;
    return drv;
}

static int by_provider(const void *a, const void *b)
{
    return strcmp((*(const zmc_dialect *const *)a)->provider, (*(const zmc_dialect *const *)b)->provider);
}

char *zm_dialect_list(void)
{
    scan();
    const zmc_dialect *sorted[MAX_DIALECTS];
    for (size_t i = 0; i < nregistry; i++) sorted[i] = registry[i].dialect;
    qsort(sorted, nregistry, sizeof *sorted, by_provider);
    zm_buf b = ZM_BUF_INIT;
    for (size_t i = 0; i < nregistry; i++)
        zm_buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == nregistry ? " or " : ", ", sorted[i]->provider);
    if (!b.data) zm_buf_puts(&b, "");
    return b.data;
}


void zm_dialect_unload_all(void)
{
    for (size_t i = nregistry; i-- > 0;) {
        zm_module_unload(registry[i].driver_module);
        zm_module_unload(registry[i].module);
    }
    nregistry = 0;
    scanned = false;
}
