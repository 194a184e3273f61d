/*
** module.c — loading zmc plugins with GNU libltdl (see module.h).
**
** libltdl opens the module; when it fails it says little more than "file not
** found", and it binds lazily, so a file that exists is first opened with
** dlopen(RTLD_NOW): dlerror() gives the real reason (a missing library, an
** undefined symbol, a wrong ELF class) before anything is called.
*/
#define _GNU_SOURCE 1
#include "module.h"

#include <dlfcn.h>
#include <ltdl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zmc/buf.h"

#ifndef ZMC_BUILD_MODULE_DIRS
#define ZMC_BUILD_MODULE_DIRS ""
#endif
#ifndef ZMC_INSTALL_MODULE_DIR
#define ZMC_INSTALL_MODULE_DIR ""
#endif

struct zm_module {
    lt_dlhandle handle;
    const zmc_plugin *plugin;
    char *path;
};

static int ltdl_users;

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

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Each folder of a colon-separated list. */
static void each_dir(const char *list, void (*visit)(const char *dir, void *ctx), void *ctx)
{
    while (list && *list) {
        const char *end = strchr(list, ':');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        if (n) {
            char *dir = strndup(list, n);
            if (dir) visit(dir, ctx);
            free(dir);
        }
        list = end ? end + 1 : NULL;
    }
}

/* <the folder of the running zmc>/../<libdir>/zmc: the modules of an
   installed tree that was moved (a package unpacked elsewhere, `cmake
   --install --prefix`), found wherever it now is. */
static void beside_executable(void (*visit)(const char *dir, void *ctx), void *ctx)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return;
    *slash = '\0';
    char *dir = message("%s/../%s", exe, ZMC_INSTALL_MODULE_RELDIR);
    /* only where it is, and is not the configured folder (searched next) */
    char *real = dir ? realpath(dir, NULL) : NULL, *installed = realpath(ZMC_INSTALL_MODULE_DIR, NULL);
    struct stat st;
    if (real && stat(real, &st) == 0 && S_ISDIR(st.st_mode) && (!installed || strcmp(real, installed) != 0))
        visit(real, ctx);
    free(real);
    free(installed);
    free(dir);
}

void zm_module_search_path(void (*visit)(const char *dir, void *ctx), void *ctx)
{
    each_dir(getenv("ZMC_PLUGIN_PATH"), visit, ctx);
    each_dir(ZMC_BUILD_MODULE_DIRS, visit, ctx);
    beside_executable(visit, ctx);
    each_dir(ZMC_INSTALL_MODULE_DIR, visit, ctx);
}

typedef struct finder {
    const char *name;
    char *found;
    zm_buf tried;
} finder;

static void try_dir(const char *dir, void *ctx)
{
    finder *f = ctx;
    if (f->found) return;
    char *path = message("%s/%s.so", dir, f->name);
    if (!path) return;
    if (is_file(path)) {
        f->found = path;
        return;
    }
    zm_buf_printf(&f->tried, "%s%s", f->tried.len ? ", " : "", path);
    free(path);
}

static zm_module *open_path(const char *path, char **error)
{
    if (!is_file(path)) {
        *error = message("cannot load plugin %s: no such file", path);
        return NULL;
    }
    /* A name without '/' would be looked up as a library, not in the
       current folder. */
    char *dotted = strchr(path, '/') ? NULL : message("./%s", path);
    const char *file = dotted ? dotted : path;
    /* libltdl binds lazily (RTLD_LAZY): a missing function would show only
       when first called, killing zmc. Bind every symbol now, and keep the
       object loaded until libltdl holds its own reference; dlerror() also
       gives the real reason when it does not load. */
    dlerror();
    void *now = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!now) {
        const char *why = dlerror();
        size_t n = strlen(file);        /* it starts "FILE: ", which we say already */
        if (why && strncmp(why, file, n) == 0 && strncmp(why + n, ": ", 2) == 0) why += n + 2;
        *error = message("cannot load plugin %s: %s", path, why ? why : "unknown error");
        free(dotted);
        return NULL;
    }
    lt_dlhandle h = lt_dlopen(file);
    dlclose(now);
    free(dotted);
    if (!h) {
        const char *why = lt_dlerror();
        *error = message("cannot load plugin %s: %s", path, why ? why : "unknown error");
        return NULL;
    }
    const zmc_plugin *p = lt_dlsym(h, "zmc_plugin_descriptor");
    if (!p) {
        *error = message("%s is not a zmc plugin: it has no zmc_plugin_descriptor symbol", path);
        lt_dlclose(h);
        return NULL;
    }
    if (p->abi_major != ZMC_PLUGIN_ABI_MAJOR || p->abi_minor > ZMC_PLUGIN_ABI_MINOR) {
        *error = message("%s was built for zmc plugin ABI %u.%u, but this zmc supports ABI %d.%d",
                         path, (unsigned)p->abi_major, (unsigned)p->abi_minor, ZMC_PLUGIN_ABI_MAJOR,
                         ZMC_PLUGIN_ABI_MINOR);
        lt_dlclose(h);
        return NULL;
    }
    /* ABI 1.0 descriptors end with emit: anything shorter is not one. */
    if (p->size < offsetof(zmc_plugin, emit) + sizeof p->emit) {
        *error = message("%s has a malformed zmc_plugin_descriptor (%zu bytes, at least %zu expected)",
                         path, p->size, offsetof(zmc_plugin, emit) + sizeof p->emit);
        lt_dlclose(h);
        return NULL;
    }
    zm_module *m = calloc(1, sizeof *m);
    char *copy = strdup(path);
    if (!m || !copy) {
        free(m);
        free(copy);
        lt_dlclose(h);
        *error = message("out of memory");
        return NULL;
    }
    m->handle = h;
    m->plugin = p;
    m->path = copy;
    return m;
}

zm_module *zm_module_load(const char *name_or_path, char **error)
{
    *error = NULL;
    if (ltdl_users++ == 0 && lt_dlinit() != 0) {
        ltdl_users--;
        *error = message("cannot initialise libltdl: %s", lt_dlerror());
        return NULL;
    }
    zm_module *m = NULL;
    size_t n = strlen(name_or_path);
    if (strchr(name_or_path, '/') || (n > 3 && strcmp(name_or_path + n - 3, ".so") == 0)) {
        m = open_path(name_or_path, error);
    } else {
        finder f = {name_or_path, NULL, ZM_BUF_INIT};
        zm_module_search_path(try_dir, &f);
        if (f.found) m = open_path(f.found, error);
        else
            *error = message("cannot find plugin \"%s\": looked for %s", name_or_path,
                             f.tried.len ? f.tried.data : "it in no folder (set ZMC_PLUGIN_PATH)");
        free(f.found);
        zm_buf_free(&f.tried);
    }
    if (!m && --ltdl_users == 0) lt_dlexit();
    return m;
}

const zmc_plugin *zm_module_plugin(const zm_module *m) { return m->plugin; }
const char *zm_module_path(const zm_module *m) { return m->path; }

void zm_module_unload(zm_module *m)
{
    if (!m) return;
    lt_dlclose(m->handle);
    free(m->path);
    free(m);
    if (--ltdl_users == 0) lt_dlexit();
}
