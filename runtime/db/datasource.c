/*
** datasource.c — the database a schema names (datasource.h).
**
** As Prisma: `url` is a literal or env("X"); `.env` in the working
** directory, then next to the schema, fill in what the environment lacks;
** the URL's protocol must match the provider. ZenStack v3 schemas may
** leave `url` out: then DATABASE_URL is used, as `zen migrate` does.
*/
#include "datasource.h"

#include "dialect.h"
#include "zmc/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char **error, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    *error = strdup(buf);
    return -1;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

int zm_datasource_url(const zm_ir *ir, const char *schema_path, const char *key, zm_db_url *out,
                      char **error)
{
    memset(out, 0, sizeof *out);
    *error = NULL;
    if (!key) key = "url";
    const zm_ir_config *ds = zm_ir_datasource(ir);
    if (!ds) return fail(error, "the schema has no datasource block");
    const char *provider = zm_ir_config_string(ds, "provider");
    const zmc_dialect *dialect = zm_dialect_find(provider ? provider : "", error);
    if (!dialect) return -1;

    char *dir = dir_of(schema_path);
    zm_dotenv_load(".env");
    if (dir) {
        size_t n = strlen(dir) + 6;
        char *env = malloc(n);
        if (env) {
            snprintf(env, n, "%s/.env", dir);
            zm_dotenv_load(env);
            free(env);
        }
    }

    const char *text = zm_ir_config_string(ds, key), *var = zm_ir_config_env(ds, key);
    int rc = 0;
    if (!text && !var && !zm_ir_config_value(ds, key)) {
        if (strcmp(key, "url") != 0) {
            free(dir);
            return 1;
        }
        var = "DATABASE_URL";   /* ZenStack v3: the URL is the application's */
    }
    if (var) {
        text = getenv(var);
        if (!text) rc = fail(error, "Environment variable not found: %s (the datasource's %s)", var, key);
        else if (!*text) rc = fail(error, "Environment variable %s (the datasource's %s) is empty", var, key);
    } else if (!text) {
        rc = fail(error, "the datasource's %s must be a string or env(\"NAME\")", key);
    }
    if (rc == 0 && zm_db_url_parse(text, dir, out, error) != 0) rc = -1;
    if (rc == 0 && out->dialect != dialect) {
        zm_db_url_free(out);
        zm_buf schemes = ZM_BUF_INIT;
        for (const char *const *sch = dialect->url_schemes; *sch; sch++)
            zm_buf_printf(&schemes, "%s`%s%s`", schemes.len ? (sch[1] ? ", " : " or ") : "", *sch,
                          dialect->url_form == ZMC_URL_FILE ? ":" : "://");
        rc = fail(error, "the datasource's %s must start with the protocol %s for provider \"%s\"", key,
                  schemes.data ? schemes.data : "?", provider);
        zm_buf_free(&schemes);
    }
    if (rc != 0 && *error && var) {
        /* A parse error may quote the URL: mask it. */
        char *masked = zm_db_mask_passwords(*error);
        if (masked) {
            free(*error);
            *error = masked;
        }
    }
    free(dir);
    return rc;
}
