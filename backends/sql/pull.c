/*
** pull.c — the ZModel side of a column read from a database, for `db pull`
** (zm_rel_column_zmodel_type, zm_rel_column_enum_values): the lowering's
** type mapping run backwards.
**
** Each flavour reads its own types (the flavour's zmodel_type hook, in
** dialects/<name>/pull.c); most do it from a table of {SQL type, scalar,
** native type} rows with sql_pull_from_table(), which leaves the native
** type out when the column has the type the scalar gets by default, as
** Prisma's introspection does (TEXT is `String`, VARCHAR(255) is `String
** @db.VarChar(255)`).
**
** The strings are allocated in the schema's arena: a const schema still
** owns what is read from it.
*/
#include <string.h>
#include <strings.h>

#include "sql.h"

const char *sql_pull_from_table(sql_arena *a, const sql_pull_row *rows, size_t n, const char *type,
                                const char *(*default_type)(const char *scalar), const char **native)
{
    *native = NULL;
    size_t base_len = strcspn(type, "(");
    while (base_len && type[base_len - 1] == ' ') base_len--;
    const char *args = strchr(type, '(');
    for (size_t i = 0; i < n; i++) {
        const sql_pull_row *r = &rows[i];
        if (strlen(r->sql) != base_len || strncasecmp(type, r->sql, base_len) != 0) continue;
        const char *dflt = default_type(r->scalar);
        if (dflt && strcasecmp(dflt, type) == 0) return r->scalar;
        if (args && r->no_args) return NULL;
        if (!r->native) return r->scalar;
        sql_sb b = {0};
        sb_add(&b, r->native);
        if (args) {
            /* (65,30) → (65, 30), as Prisma writes arguments */
            const char *close = strchr(args, ')');
            size_t len = close ? (size_t)(close - args) + 1 : strlen(args);
            for (size_t k = 0; k < len; k++) {
                if (args[k] == ' ') continue;
                sb_addc(&b, args[k]);
                if (args[k] == ',') sb_addc(&b, ' ');
            }
        } else if (r->implied_args) {
            sb_add(&b, r->implied_args);
        }
        *native = sb_keep(a, &b);
        return r->scalar;
    }
    return NULL;
}

const char *zm_rel_column_zmodel_type(const zm_rel_schema *s, const zm_rel_column *c, const char **native)
{
    const char *unused;
    if (!native) native = &unused;
    *native = NULL;
    if (!s || !c || c->enum_type || !s->flavor->zmodel_type) return NULL;
    return s->flavor->zmodel_type((sql_arena *)&s->arena, c, native);
}

size_t zm_rel_column_enum_values(const zm_rel_schema *s, const zm_rel_column *c, const char *const **values)
{
    if (values) *values = NULL;
    if (!s || !c || !s->flavor->inline_enum_values) return 0;
    const char *const *unused;
    return s->flavor->inline_enum_values((sql_arena *)&s->arena, c, values ? values : &unused);
}

const char *zm_rel_default_name(const zm_rel_schema *s, const char *table, const char *const *cols, size_t ncols,
                                const char *suffix)
{
    return sql_constraint_name((sql_arena *)&s->arena, table, cols, ncols, suffix, s->flavor->name_limit);
}
