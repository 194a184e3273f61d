/*
** test_module.c — the plugin loader (runtime/module.c) and the host's
** requests (runtime/host.c), with fixture modules built by the test suite
** (unit/fixtures/): a good backend, one without a descriptor, two for other
** ABI versions, one with an unresolved symbol, and a text file named .so.
**
** Every failure must say what went wrong in its own words, so the tests
** check the message text, not just that loading failed.
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "module.h"
#include "zmc/ir.h"
#include "zmc/zmc.h"

#define FIX ZM_FIXTURE_DIR

static char *error;
static zm_module *mod;
static zm_compilation *comp;
static char tmp[64];

static void setup(void)
{
    unsetenv("ZMC_PLUGIN_PATH");
    strcpy(tmp, "/tmp/zmc-test-module-XXXXXX");
    cr_assert_not_null(mkdtemp(tmp));
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(path);
        else unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void teardown(void)
{
    zm_module_unload(mod);
    mod = NULL;
    free(error);
    error = NULL;
    zm_compilation_free(comp);
    comp = NULL;
    remove_tree(tmp);
}

TestSuite(module, .init = setup, .fini = teardown);
TestSuite(request, .init = setup, .fini = teardown);

/* Load `what`, expecting failure with a message containing each of the
   NULL-terminated fragments. */
static void expect_failure(const char *what, ...)
{
    mod = zm_module_load(what, &error);
    cr_assert_null(mod, "%s should not load", what);
    cr_assert_not_null(error, "%s: no message", what);
    va_list ap;
    va_start(ap, what);
    for (const char *s; (s = va_arg(ap, const char *));)
        cr_expect_not_null(strstr(error, s), "message for %s:\n  %s\nlacks \"%s\"", what, error, s);
    va_end(ap);
    cr_expect_null(strchr(error, '\n'), "one line: %s", error);
}

/* ---- the loader ------------------------------------------------------------ */

Test(module, loads_a_good_backend_by_path)
{
    mod = zm_module_load(FIX "/good.so", &error);
    cr_assert_not_null(mod, "%s", error);
    cr_expect_null(error);
    const zmc_plugin *p = zm_module_plugin(mod);
    cr_expect_str_eq(p->name, "good");
    cr_expect_eq(p->kind, ZMC_PLUGIN_BACKEND);
    cr_expect_eq(p->abi_major, ZMC_PLUGIN_ABI_MAJOR);
    cr_expect_not_null(p->emit);
    cr_expect_str_eq(zm_module_path(mod), FIX "/good.so");
}

Test(module, loads_by_name_through_ZMC_PLUGIN_PATH)
{
    setenv("ZMC_PLUGIN_PATH", "/nonexistent/zmc-a::" FIX, 1);
    mod = zm_module_load("good", &error);
    cr_assert_not_null(mod, "%s", error);
    cr_expect_str_eq(zm_module_path(mod), FIX "/good.so");
}

/* A bare file name is a path in the current folder, not a library name for
   the dynamic linker to look up. */
Test(module, loads_a_bare_file_name_from_the_current_folder)
{
    cr_assert_eq(chdir(FIX), 0);
    mod = zm_module_load("good.so", &error);
    cr_assert_not_null(mod, "%s", error);
    cr_expect_str_eq(zm_module_plugin(mod)->name, "good");
}

Test(module, loads_twice_and_unloads_in_any_order)
{
    zm_module *a = zm_module_load(FIX "/good.so", &error);
    cr_assert_not_null(a, "%s", error);
    zm_module *b = zm_module_load(FIX "/good.so", &error);
    cr_assert_not_null(b, "%s", error);
    cr_expect_eq(zm_module_plugin(a), zm_module_plugin(b));
    zm_module_unload(a);
    cr_expect_str_eq(zm_module_plugin(b)->name, "good");
    zm_module_unload(b);
}

Test(module, not_found_lists_the_places_searched)
{
    setenv("ZMC_PLUGIN_PATH", "/nonexistent/zmc-a:/nonexistent/zmc-b", 1);
    expect_failure("nope", "cannot find plugin \"nope\": looked for ",
                   "/nonexistent/zmc-a/nope.so, /nonexistent/zmc-b/nope.so, ",
                   ZM_MODULE_BUILD_DIR "/nope.so", ZM_MODULE_INSTALL_DIR "/nope.so", NULL);
    /* in the search order */
    cr_expect_lt(strstr(error, "zmc-b/nope.so"), strstr(error, ZM_MODULE_BUILD_DIR "/nope.so"));
    cr_expect_lt(strstr(error, ZM_MODULE_BUILD_DIR "/"), strstr(error, ZM_MODULE_INSTALL_DIR "/nope.so"));
}

Test(module, a_missing_path_says_no_such_file)
{
    expect_failure(FIX "/absent.so", "cannot load plugin " FIX "/absent.so: no such file", NULL);
}

Test(module, no_descriptor)
{
    expect_failure(FIX "/nodesc.so",
                   FIX "/nodesc.so is not a zmc plugin: it has no zmc_plugin_descriptor symbol", NULL);
}

Test(module, newer_abi_major_names_both_versions)
{
    char want[128];
    snprintf(want, sizeof want, "was built for zmc plugin ABI %d.0, but this zmc supports ABI %d.%d",
             ZMC_PLUGIN_ABI_MAJOR + 1, ZMC_PLUGIN_ABI_MAJOR, ZMC_PLUGIN_ABI_MINOR);
    expect_failure(FIX "/abi_major.so", FIX "/abi_major.so ", want, NULL);
}

Test(module, newer_abi_minor_names_both_versions)
{
    char want[128];
    snprintf(want, sizeof want, "was built for zmc plugin ABI %d.%d, but this zmc supports ABI %d.%d",
             ZMC_PLUGIN_ABI_MAJOR, ZMC_PLUGIN_ABI_MINOR + 1, ZMC_PLUGIN_ABI_MAJOR,
             ZMC_PLUGIN_ABI_MINOR);
    expect_failure(FIX "/abi_minor.so", want, NULL);
}

/* libltdl binds lazily: without a check at load time this module would load
   and then kill the process when emit() first calls the missing function. */
Test(module, unresolved_symbol_gives_the_dynamic_linkers_reason)
{
    expect_failure(FIX "/undefined.so", "cannot load plugin " FIX "/undefined.so: ",
                   "undefined symbol: zmc_fixture_missing_function", NULL);
}

Test(module, not_a_shared_object)
{
    expect_failure(FIX "/notelf.so", "cannot load plugin " FIX "/notelf.so: ", "invalid ELF header",
                   NULL);
}

static void collect(const char *dir, void *ctx)
{
    char *buf = ctx;
    strcat(buf, dir);
    strcat(buf, ";");
}

Test(module, search_path_order)
{
    setenv("ZMC_PLUGIN_PATH", "/x:/y", 1);
    char buf[4096] = "";
    zm_module_search_path(collect, buf);
    cr_expect_str_eq(buf, "/x;/y;" ZM_MODULE_BUILD_DIR ";" ZM_MODULE_INSTALL_DIR ";");
}

/* ---- requests ---------------------------------------------------------------- */

static const zm_ir *ir_of(const char *src)
{
    zm_options o = {.version = sizeof o, .skip_imports = 1, .zenstack = 3};
    comp = zm_compilation_new(&o);
    cr_assert_eq(zm_compilation_load_string(comp, "t.zmodel", src, strlen(src)), ZM_OK);
    cr_assert_eq(zm_compilation_check(comp), ZM_OK);
    const zm_ir *ir = zm_compilation_ir(comp);
    cr_assert_not_null(ir);
    return ir;
}

static const char *const schema =
    "datasource db { provider = \"sqlite\"\n url = \"file:./dev.db\" }\n"
    "model A { id Int @id }\nmodel B { id Int @id }\n";

/* Options as "key=value" pairs, NULL-terminated. */
static const char *pairs_option(void *ctx, const char *key)
{
    for (const char *const *p = ctx; *p; p++) {
        size_t n = strlen(key);
        if (strncmp(*p, key, n) == 0 && (*p)[n] == '=') return *p + n + 1;
    }
    return NULL;
}

typedef struct run_result {
    int rc;
    char diag[1024];
    char wrote[1024];
} run_result;

static void note_wrote(const char *path, void *ctx)
{
    strcat(ctx, path);
    strcat(ctx, ";");
}

/* Run the good fixture with `options` writing to `output` (NULL: its
   default, under the project folder tmp). */
static run_result run_good(const char *output, const char *const *options)
{
    mod = zm_module_load(FIX "/good.so", &error);
    cr_assert_not_null(mod, "%s", error);
    const zmc_plugin *p = zm_module_plugin(mod);
    static const char *const none[] = {NULL};
    run_result res = {0};
    FILE *diag = fmemopen(res.diag, sizeof res.diag - 1, "w");
    cr_assert_not_null(diag);
    setvbuf(diag, NULL, _IONBF, 0);
    zm_request r = {
        .emit = {.ir = ir_of(schema), .schema_path = "t.zmodel", .output = output},
        .plugin_name = p->name,
        .project_dir = tmp,
        .option = pairs_option,
        .option_ctx = (void *)(options ? options : none),
        .diag = diag,
    };
    void *state = NULL;
    cr_assert_eq(p->init(zm_host_services(&zm_ir_api_table), &state), 0);
    res.rc = zm_request_run(&r, p, state, note_wrote, res.wrote);
    zm_request_free(&r);
    fclose(diag);
    return res;
}

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

Test(request, writes_the_output_by_rename_and_leaves_no_temporary)
{
    char out[128], dir[128];
    snprintf(dir, sizeof dir, "%s/sub", tmp);
    snprintf(out, sizeof out, "%s/sub/models.txt", tmp);
    mkdir(dir, 0777);
    put(out, "old\n");
    struct stat before, after;
    cr_assert_eq(stat(out, &before), 0);

    run_result res = run_good(out, NULL);
    cr_assert_eq(res.rc, 0, "%s", res.diag);
    cr_expect_str_eq(res.diag, "");
    cr_expect_str_eq(slurp(out), "A\nB\n");
    cr_assert_eq(stat(out, &after), 0);
    cr_expect_neq(before.st_ino, after.st_ino, "replaced by a new file, not rewritten in place");
    cr_expect_eq(count_entries(dir), 1, "no temporary file left behind");
    char want[256];
    snprintf(want, sizeof want, "%s;", out);
    cr_expect_str_eq(res.wrote, want);
}

Test(request, makes_missing_folders_and_resolves_relative_outputs)
{
    static const char *const opts[] = {"second=extra/second.txt", NULL};
    char out[128], second[128];
    snprintf(out, sizeof out, "%s/deep/er/models.txt", tmp);
    snprintf(second, sizeof second, "%s/deep/er/extra/second.txt", tmp);
    run_result res = run_good(out, opts);
    cr_assert_eq(res.rc, 0, "%s", res.diag);
    cr_expect_str_eq(slurp(out), "A\nB\n");
    cr_expect_str_eq(slurp(second), "second\n", "relative to the request's output");
}

Test(request, default_output_goes_to_the_project_folder)
{
    char out[128];
    snprintf(out, sizeof out, "%s/models.txt", tmp);
    run_result res = run_good(NULL, NULL);
    cr_assert_eq(res.rc, 0, "%s", res.diag);
    cr_expect_str_eq(slurp(out), "A\nB\n");
}

Test(request, an_error_writes_nothing)
{
    static const char *const opts[] = {"fail=true", "second=second.txt", NULL};
    char out[128];
    snprintf(out, sizeof out, "%s/models.txt", tmp);
    put(out, "old\n");
    run_result res = run_good(out, opts);
    cr_expect_eq(res.rc, -1);
    cr_expect_str_eq(res.diag, "zmc: good: error: failing on purpose\n");
    cr_expect_str_eq(slurp(out), "old\n", "the existing file is untouched");
    cr_expect_eq(count_entries(tmp), 1, "no other file written");
    cr_expect_str_eq(res.wrote, "");
}

Test(request, a_failure_without_a_message_is_reported_and_writes_nothing)
{
    static const char *const opts[] = {"status=3", NULL};
    run_result res = run_good(NULL, opts);
    cr_expect_eq(res.rc, -1);
    cr_expect_str_eq(res.diag, "zmc: good: error: failed without saying why (status 3)\n");
    cr_expect_eq(count_entries(tmp), 0);
}

Test(request, an_unwritable_output_is_an_error)
{
    char out[128];
    snprintf(out, sizeof out, "%s/file/models.txt", tmp);
    char file[128];
    snprintf(file, sizeof file, "%s/file", tmp);
    put(file, "a file where a folder should be\n");
    run_result res = run_good(out, NULL);
    cr_expect_eq(res.rc, -1);
    char want[256];
    snprintf(want, sizeof want, "zmc: good: error: cannot write %s: ", out);
    cr_expect_eq(strncmp(res.diag, want, strlen(want)), 0, "%s", res.diag);
}
