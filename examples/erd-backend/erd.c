/*
** erd.c — a third-party zmc backend: the schema as a Mermaid `erDiagram`.
**
** Built out of tree against the installed SDK (see Makefile and README.md);
** it links against nothing of zmc: the model IR comes through the host's
** table (ZMC_PLUGIN), files go out through the host's output services.
**
** What it draws:
**   - an entity per model and view (composite types and enums are not
**     tables), named by the model name, or by the database name with the
**     option `names = "db"`;
**   - a column per stored field: relation fields are drawn as relationships
**     instead, @computed fields are not stored, and fields a delegate base
**     passes down live in the base's table (but the shared id is shown);
**     the type is the ZModel type (`[]` for lists), the keys are PK (part of
**     the primary key), FK (part of a foreign key) and UK (@unique), and
**     the comment says "optional" for an optional field;
**   - a relationship per relation, once, with the referenced model on the
**     left and the model holding the foreign key on the right; each end's
**     cardinality comes from the field pointing at it (list: zero or more,
**     optional: zero or one, required: exactly one); a delegate base and
**     each model extending it are joined one to zero-or-one.
**
** The output is the request's path (--output, or the plugin block's
** `output`), else erd.mmd in the project folder.
*/
#include <stdlib.h>
#include <string.h>

#include <zmc/plugin.h>

ZMC_PLUGIN_IR;

typedef struct erd {
    const zmc_host *host;
    bool db_names;                      /* names = "db" */
    const zm_ir_relation **drawn;       /* relations already drawn */
    size_t ndrawn, cap;
} erd;

static int init(const zmc_host *host, void **state)
{
    zmc_plugin_ir = host->ir;
    erd *e = calloc(1, sizeof *e);
    if (!e) {
        host->error(NULL, "out of memory");
        return 1;
    }
    e->host = host;
    *state = e;
    return 0;
}

static void fini(void *state)
{
    erd *e = state;
    free(e->drawn);
    free(e);
}

static bool is_entity(const zm_ir_model *m)
{
    return m && zm_ir_model_kind_of(m) != ZM_IR_TYPE;
}

static const char *entity_name(const erd *e, const zm_ir_model *m)
{
    return e->db_names ? zm_ir_model_db_name(m) : zm_ir_model_name(m);
}

/* A column of the model's table: stored, not a relation, not the delegate
   base's (except the primary key, which the sub's table repeats). */
static bool is_column(const zm_ir_field *f)
{
    if (zm_ir_field_kind_of(f) == ZM_IR_FIELD_RELATION || zm_ir_field_is_computed(f)) return false;
    return !zm_ir_field_is_from_delegate(f) || zm_ir_field_is_id(f);
}

/* Part of a foreign key the model holds. */
static bool is_foreign_key(const zm_ir_model *m, const zm_ir_field *f)
{
    for (size_t i = 0; i < zm_ir_model_field_count(m); i++) {
        const zm_ir_field *rf = zm_ir_model_field_at(m, i);
        if (zm_ir_field_kind_of(rf) != ZM_IR_FIELD_RELATION) continue;
        const zm_ir_relation *r = zm_ir_field_relation(rf);
        const zm_ir_field *owner = r ? zm_ir_relation_owner(r) : NULL;
        if (!owner || zm_ir_field_model(owner) != zm_ir_field_model(rf)) continue;
        for (size_t k = 0; k < zm_ir_relation_key_count(r); k++) {
            const zm_ir_field *key = zm_ir_relation_field_at(r, k);
            if (key == f || (key && strcmp(zm_ir_field_name(key), zm_ir_field_name(f)) == 0))
                return true;
        }
    }
    return false;
}

static void print_entity(erd *e, zmc_output *out, const zm_ir_model *m)
{
    const zmc_host *h = e->host;
    size_t columns = 0;
    for (size_t i = 0; i < zm_ir_model_field_count(m); i++) {
        const zm_ir_field *f = zm_ir_model_field_at(m, i);
        if (!is_column(f)) continue;
        if (columns++ == 0) h->output_printf(out, "    %s {\n", entity_name(e, m));
        h->output_printf(out, "        %s%s %s", zm_ir_field_type_name(f),
                         zm_ir_field_is_list(f) ? "[]" : "",
                         e->db_names ? zm_ir_field_db_name(f) : zm_ir_field_name(f));
        const char *keys[3];
        int n = 0;
        if (zm_ir_field_is_id(f)) keys[n++] = "PK";
        if (is_foreign_key(m, f)) keys[n++] = "FK";
        if (zm_ir_field_is_unique(f)) keys[n++] = "UK";
        for (int k = 0; k < n; k++) h->output_printf(out, "%s%s", k ? ", " : " ", keys[k]);
        if (zm_ir_field_is_optional(f) && !zm_ir_field_is_list(f))
            h->output_printf(out, " \"optional\"");
        h->output_printf(out, "\n");
    }
    if (columns) h->output_printf(out, "    }\n");
    else h->output_printf(out, "    %s\n", entity_name(e, m));     /* an entity without columns */
}

/* How many of the entity `f` points at go with one of the other:
   the left marker (`left`) or the right one. NULL f: unknown, many. */
static const char *marker(const zm_ir_field *f, bool left)
{
    if (!f || zm_ir_field_is_list(f)) return left ? "}o" : "o{";
    if (zm_ir_field_is_optional(f)) return left ? "|o" : "o|";
    return "||";
}

static bool remember(erd *e, const zm_ir_relation *r)
{
    for (size_t i = 0; i < e->ndrawn; i++)
        if (e->drawn[i] == r) return false;
    if (e->ndrawn == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 16;
        const zm_ir_relation **d = realloc(e->drawn, cap * sizeof *d);
        if (!d) return false;
        e->drawn = d, e->cap = cap;
    }
    e->drawn[e->ndrawn++] = r;
    return true;
}

/* `L <lm>--<rm> R : "label"`: lm is how many L per R (from R's field to L),
   rm how many R per L (from L's field to R). */
static void print_relation(erd *e, zmc_output *out, const zm_ir_field *f)
{
    const zm_ir_relation *r = zm_ir_field_relation(f);
    if (!r || !remember(e, r)) return;
    const zm_ir_field *owner = zm_ir_relation_owner(r);
    const zm_ir_field *lf, *rf;         /* L's field to R, R's field to L */
    if (owner) {
        rf = owner;
        lf = zm_ir_relation_opposite(r, owner);
    } else {
        lf = zm_ir_relation_side(r, 0);
        rf = zm_ir_relation_side(r, 1);
    }
    const zm_ir_model *L = lf ? zm_ir_field_model(lf) : zm_ir_field_target(rf);
    const zm_ir_model *R = rf ? zm_ir_field_model(rf) : zm_ir_field_target(lf);
    if (!is_entity(L) || !is_entity(R)) return;
    const char *label = zm_ir_relation_name(r);
    if (!label) label = zm_ir_field_name(owner ? owner : lf);
    e->host->output_printf(out, "    %s %s--%s %s : \"%s\"\n", entity_name(e, L), marker(rf, true),
                           marker(lf, false), entity_name(e, R), label);
}

static int emit(void *state, const zmc_emit *req)
{
    erd *e = state;
    const zmc_host *h = e->host;
    const char *names = h->option(req, "names");
    if (names && strcmp(names, "db") != 0 && strcmp(names, "model") != 0) {
        h->error(req, "names = \"%s\": expected \"model\" or \"db\"", names);
        return 1;
    }
    e->db_names = names && strcmp(names, "db") == 0;
    e->ndrawn = 0;

    zmc_output *out = h->output_open(req, req->output ? NULL : "erd.mmd");
    if (!out) return 1;
    h->output_printf(out, "erDiagram\n");
    const zm_ir *ir = req->ir;
    for (size_t i = 0; i < zm_ir_model_count(ir); i++) {
        const zm_ir_model *m = zm_ir_model_at(ir, i);
        if (is_entity(m)) print_entity(e, out, m);
    }
    for (size_t i = 0; i < zm_ir_model_count(ir); i++) {
        const zm_ir_model *m = zm_ir_model_at(ir, i);
        if (!is_entity(m)) continue;
        const zm_ir_model *base = zm_ir_model_base(m);
        if (base)
            h->output_printf(out, "    %s ||--o| %s : \"extends\"\n", entity_name(e, base),
                             entity_name(e, m));
        for (size_t j = 0; j < zm_ir_model_field_count(m); j++) {
            const zm_ir_field *f = zm_ir_model_field_at(m, j);
            if (zm_ir_field_kind_of(f) == ZM_IR_FIELD_RELATION && !zm_ir_field_is_from_delegate(f))
                print_relation(e, out, f);
        }
    }
    return 0;
}

ZMC_PLUGIN_EXPORT const zmc_plugin zmc_plugin_descriptor = {
    ZMC_PLUGIN_HEADER(ZMC_PLUGIN_BACKEND, "erd", "1.0.0",
                      "the schema as a Mermaid entity-relationship diagram (erd.mmd)"),
    .init = init,
    .fini = fini,
    .emit = emit,
};
