/*
** gen_schema.c — deterministic generator of synthetic ZModel schemas for the
** benchmarks (bench/run.sh).
**
**   zmc_gen_schema N [SEED] [--provider sqlite|postgresql] [--prisma | --zenstack3 | --prisma-compatible]
**
** writes one schema with a datasource, a generator, N models and N/10 enums
** to stdout, about 1 KB per model. The same N, seed and options always give
** the same bytes: every random choice comes from a xorshift64* stream seeded
** from (seed, model, purpose), never from rand() or the clock.
**
** Shape: model 0 is `User` (the auth() model). About one model in ten is
** "owned" (owner relation to User, `published`, owner/member policies), and
** half of those are followed by a `<Model>Member` join model so that
** `members?[user == auth()]` is well typed. Other models point to 0-2 earlier
** models. Every relation gets its opposite list field on the target, so the
** schema is meant to pass ZenStack's semantic checks, not only the parser.
**
** --prisma writes the Prisma subset of the same schema (no policies, no
** validation attributes) for timing `prisma validate` on equal input;
** --zenstack3 adds the `plugin policy` block that ZenStack v3 needs.
** On SQLite, @db.VarChar(255) passes ZenStack v2 (`zenstack check`) but is an
** error for Prisma ("Native type VarChar is not supported for sqlite
** connector") and ZenStack v3 ("cannot be used with the sqlite provider"), so
** --prisma and --zenstack3 leave it out there; scalar lists (`String[]`) are
** generated for postgresql only, for the same reason. --prisma-compatible
** keeps the ZModel (v2, policies and validation) but leaves @db.VarChar out on
** SQLite too, so that the Prisma schema ZenStack (or zmc's prisma backend)
** writes from it is valid for Prisma (bench/sql.sh). On postgresql it changes
** nothing.
*/
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ PRNG */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

/* One independent stream per (seed, item, purpose), so the relation plan and
   the field text of a model do not depend on each other's draw counts. */
static rng rng_for(uint64_t seed, uint64_t item, uint64_t purpose)
{
    rng r = {splitmix64(seed ^ splitmix64(item * 4 + purpose))};
    if (r.s == 0) r.s = 0x2545F4914F6CDD1Du; /* xorshift must not start at 0 */
    return r;
}

static uint64_t next_u64(rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Du;
}

/* Uniform in [0, n); the modulo bias is irrelevant for n this small. */
static unsigned below(rng *r, unsigned n) { return (unsigned)((next_u64(r) >> 32) % n); }

static bool chance(rng *r, unsigned percent) { return below(r, 100) < percent; }

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ words */

/* Model, enum, field and value words are disjoint sets, and generated names
   add distinct suffixes, so no two names in one scope can collide:
   models Word<i>, fields word<k> (k = ordinal in the model), relation fields
   word<i> / author / owner / user, FKs <relation>Id, opposite fields
   <source>s or members. */
static const char *const model_words[] = {
    "Account", "Invoice", "Order", "Project", "Ticket", "Comment", "Article", "Product",
    "Category", "Tag", "Team", "Workspace", "Document", "Folder", "Payment", "Shipment",
    "Review", "Event", "Booking", "Course", "Lesson", "Asset", "Report", "Contract",
    "Customer", "Vendor", "Warehouse", "Campaign", "Message", "Channel", "Survey", "Task",
};
static const char *const enum_words[] = {
    "Status", "Kind", "Level", "Phase", "Tier", "Mode", "Priority", "Visibility",
    "Stage", "Audience", "Region", "Currency",
};
static const char *const value_words[] = {
    "DRAFT", "ACTIVE", "ARCHIVED", "PENDING", "DONE", "FAILED", "LOW", "MEDIUM", "HIGH",
    "PUBLIC", "PRIVATE", "INTERNAL", "NORTH", "SOUTH", "EAST", "WEST", "BASIC", "PRO",
};
static const char *const string_words[] = {"title", "name", "slug", "label", "summary", "note",
                                           "code", "handle", "subject", "body", "color", "url"};
static const char *const int_words[] = {"count", "rank", "position", "quantity", "score", "age",
                                        "views", "retries"};
static const char *const bigint_words[] = {"total", "bytes", "sequence", "ledger"};
static const char *const float_words[] = {"ratio", "weight", "latitude", "longitude", "rating"};
static const char *const decimal_words[] = {"price", "amount", "balance", "fee", "tax"};
static const char *const bool_words[] = {"active", "archived", "featured", "verified", "pinned"};
static const char *const date_words[] = {"startsAt", "endsAt", "dueAt", "seenAt", "closedAt"};
static const char *const json_words[] = {"metadata", "settings", "payload", "extra"};
static const char *const bytes_words[] = {"avatar", "blob", "digest", "thumbnail"};
static const char *const enum_field_words[] = {"status", "kind", "level", "phase", "tier"};
static const char *const doc_phrases[] = {
    "Synthetic entity for the zmc benchmarks; the shape follows typical SaaS schemas.",
    "Owned by a user; readable by signed-in users once published.",
    "Keep in sync with the billing service (see the integration notes in the wiki).",
    "Soft-deleted rows stay for audit and are purged by the nightly job.",
    "Generated: do not rely on field meanings, only on the syntax they exercise.",
    "Shown in the admin dashboard; changes here need a data migration.",
};

/* ------------------------------------------------------------------ plan */

typedef enum { K_USER, K_PLAIN, K_OWNED, K_MEMBER } kind;

typedef struct model {
    kind kind;
    bool string_id;     /* String @id @default(uuid()) instead of Int autoincrement */
    bool with_members;  /* K_OWNED followed by its K_MEMBER join model */
    unsigned word;
} model;

typedef struct edge {
    unsigned src, dst;
    bool optional;      /* optional relation (FK nullable, onDelete: SetNull) */
    bool members;       /* the Member -> owned-model edge: opposite field is `members` */
    int next_in;        /* next edge into dst, in source order */
} edge;

typedef struct plan {
    unsigned n, nenums;
    model *models;
    edge *edges;
    size_t nedges, capedges;
    int *in_head, *in_tail;   /* incoming edges per model */
    unsigned *enum_start, *enum_count, *enum_word;
    bool postgres, prisma;
    bool native_types;  /* emit @db.VarChar (see the header comment) */
    uint64_t seed;
} plan;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fputs("zmc_gen_schema: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static void add_edge(plan *p, unsigned src, unsigned dst, bool optional, bool members)
{
    if (p->nedges == p->capedges) {
        p->capedges = p->capedges ? p->capedges * 2 : 1024;
        p->edges = realloc(p->edges, p->capedges * sizeof *p->edges);
        if (!p->edges) {
            fputs("zmc_gen_schema: out of memory\n", stderr);
            exit(1);
        }
    }
    int id = (int)p->nedges++;
    p->edges[id] = (edge){src, dst, optional, members, -1};
    /* Sources are planned in increasing order, so appending keeps source order. */
    if (p->in_tail[dst] < 0) p->in_head[dst] = id;
    else p->edges[p->in_tail[dst]].next_in = id;
    p->in_tail[dst] = id;
}

static bool has_edge(const plan *p, unsigned src, unsigned dst)
{
    for (size_t e = p->nedges; e-- > 0 && p->edges[e].src == src;)
        if (p->edges[e].dst == dst) return true;
    return false;
}

static void make_plan(plan *p)
{
    p->models = xcalloc(p->n, sizeof *p->models);
    p->in_head = xcalloc(p->n, sizeof *p->in_head);
    p->in_tail = xcalloc(p->n, sizeof *p->in_tail);
    for (unsigned i = 0; i < p->n; i++) p->in_head[i] = p->in_tail[i] = -1;

    for (unsigned i = 0; i < p->n; i++) {
        rng r = rng_for(p->seed, i, 0);
        model *m = &p->models[i];
        m->word = below(&r, COUNT(model_words));
        if (i == 0) {
            m->kind = K_USER;
            continue;
        }
        if (p->models[i - 1].with_members) {
            m->kind = K_MEMBER;
            add_edge(p, i, i - 1, false, true);
            add_edge(p, i, 0, false, false);
            continue;
        }
        m->string_id = chance(&r, 30);
        m->kind = chance(&r, 10) ? K_OWNED : K_PLAIN;
        if (m->kind == K_OWNED) {
            m->with_members = i + 1 < p->n && chance(&r, 50);
            add_edge(p, i, 0, false, false);
        }
        unsigned want = below(&r, 100), nrel = want < 30 ? 0 : want < 75 ? 1 : 2;
        for (unsigned k = 0; k < nrel; k++) {
            unsigned dst = below(&r, i);
            /* One relation per (source, target) pair: no relation names needed. */
            if (has_edge(p, i, dst)) continue;
            add_edge(p, i, dst, chance(&r, 35), false);
        }
    }

    p->nenums = p->n / 10 ? p->n / 10 : 1;
    p->enum_start = xcalloc(p->nenums, sizeof *p->enum_start);
    p->enum_count = xcalloc(p->nenums, sizeof *p->enum_count);
    p->enum_word = xcalloc(p->nenums, sizeof *p->enum_word);
    for (unsigned j = 0; j < p->nenums; j++) {
        rng r = rng_for(p->seed, j, 3);
        p->enum_word[j] = below(&r, COUNT(enum_words));
        p->enum_start[j] = below(&r, COUNT(value_words));
        p->enum_count[j] = 3 + below(&r, 4);
    }
}

static void free_plan(plan *p)
{
    free(p->models);
    free(p->edges);
    free(p->in_head);
    free(p->in_tail);
    free(p->enum_start);
    free(p->enum_count);
    free(p->enum_word);
}

/* ------------------------------------------------------------------ names */

enum { NAME_MAX_LEN = 96 };

static void model_name(const plan *p, unsigned i, char *out)
{
    if (i == 0) {
        strcpy(out, "User");
    } else if (p->models[i].kind == K_MEMBER) {
        model_name(p, i - 1, out);
        strcat(out, "Member");
    } else {
        snprintf(out, NAME_MAX_LEN, "%s%u", model_words[p->models[i].word], i);
    }
}

static void lcfirst(char *s)
{
    if (s[0] >= 'A' && s[0] <= 'Z') s[0] = (char)(s[0] - 'A' + 'a');
}

/* lowercase with `_` before each inner capital and the number: Invoice12Member -> invoice_12_member */
static void snake(const char *in, char *out)
{
    size_t o = 0;
    for (size_t i = 0; in[i] && o + 3 < NAME_MAX_LEN; i++) {
        char c = in[i];
        bool upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
        bool prev_digit = i > 0 && in[i - 1] >= '0' && in[i - 1] <= '9';
        if (i > 0 && (upper || (digit && !prev_digit))) out[o++] = '_';
        out[o++] = upper ? (char)(c - 'A' + 'a') : c;
    }
    out[o] = '\0';
}

/* The relation field of edge e on its source model. */
static void relation_field(const plan *p, const edge *e, char *out)
{
    if (e->dst == 0) {
        kind k = p->models[e->src].kind;
        strcpy(out, k == K_OWNED ? "owner" : k == K_MEMBER ? "user" : "author");
        return;
    }
    model_name(p, e->dst, out);
    lcfirst(out);
}

static void enum_name(const plan *p, unsigned j, char *out)
{
    snprintf(out, NAME_MAX_LEN, "%s%u", enum_words[p->enum_word[j]], j);
}

static const char *enum_value(const plan *p, unsigned j, unsigned v)
{
    return value_words[(p->enum_start[j] + v) % COUNT(value_words)];
}

/* ------------------------------------------------------------------ output */

typedef enum {
    T_STRING, T_INT, T_BIGINT, T_FLOAT, T_DECIMAL, T_BOOL, T_DATETIME, T_JSON, T_BYTES, T_ENUM
} ftype;

static const char *const builtin_names[] = {"String", "Int", "BigInt", "Float", "Decimal",
                                            "Boolean", "DateTime", "Json", "Bytes", NULL};

/* Relative weights of the scalar types, in ftype order. */
static const unsigned type_weights[] = {30, 12, 5, 7, 5, 10, 10, 5, 3, 13};

static ftype pick_type(rng *r)
{
    unsigned total = 0;
    for (size_t t = 0; t < COUNT(type_weights); t++) total += type_weights[t];
    unsigned x = below(r, total);
    for (size_t t = 0; t < COUNT(type_weights); t++) {
        if (x < type_weights[t]) return (ftype)t;
        x -= type_weights[t];
    }
    return T_STRING;
}

static const char *pick(rng *r, const char *const *words, size_t n) { return words[below(r, (unsigned)n)]; }

/* A field line: name and type padded to columns, like a formatted schema. */
static void field_line(const char *name, const char *type, const char *attrs, const char *comment)
{
    if (attrs[0] || comment) printf("  %-16s %-18s", name, type);
    else printf("  %-16s %s", name, type);
    if (attrs[0]) printf(" %s", attrs);
    if (comment) printf(" // %s", comment);
    putchar('\n');
}

typedef struct indexable {
    char names[16][NAME_MAX_LEN];
    unsigned n;
} indexable;

static void emit_enum(const plan *p, unsigned j)
{
    rng r = rng_for(p->seed, j, 2);
    char name[NAME_MAX_LEN], mapped[NAME_MAX_LEN];
    enum_name(p, j, name);
    if (chance(&r, 50)) printf("/// %s\n", pick(&r, doc_phrases, COUNT(doc_phrases)));
    printf("enum %s {\n", name);
    for (unsigned v = 0; v < p->enum_count[j]; v++) {
        const char *val = enum_value(p, j, v);
        if (chance(&r, 20)) {
            char low[NAME_MAX_LEN];
            size_t k = 0;
            for (; val[k] && k + 1 < sizeof low; k++) low[k] = (char)(val[k] - 'A' + 'a');
            low[k] = '\0';
            printf("  %-16s @map(\"%s\")\n", val, low);
        } else {
            printf("  %s\n", val);
        }
    }
    if (chance(&r, 30)) {
        snake(name, mapped);
        printf("\n  @@map(\"%s\")\n", mapped);
    }
    printf("}\n\n");
}

static void emit_scalar(const plan *p, rng *r, unsigned k, indexable *idx)
{
    char name[NAME_MAX_LEN], type[NAME_MAX_LEN], attrs[256] = "";
    const char *comment = NULL;
    ftype t = pick_type(r);
    bool optional = chance(r, 25);
    bool list = p->postgres && (t == T_STRING || t == T_INT) && chance(r, 6);
    size_t a = 0;
#define ATTR(...) (a += (size_t)snprintf(attrs + a, sizeof attrs - a, __VA_ARGS__))
#define SEP() (a ? ATTR(" ") : 0)

    switch (t) {
    case T_STRING: {
        unsigned v = below(r, 100);
        const char *w = pick(r, string_words, COUNT(string_words));
        if (v < 12 && !list) {
            w = "email";
            if (!p->prisma) ATTR("@email");
            if (chance(r, 50)) { SEP(); ATTR("@unique"); }
        } else if (v < 22 && !list) {
            ATTR("@unique");
        } else if (v < 38) {
            if (!p->prisma) ATTR("@length(1, 100)");
        } else if (v < 52 && !list) {
            ATTR("@default(\"%s\")", pick(r, string_words, COUNT(string_words)));
        } else if (v < 68) {
            if (p->native_types) ATTR("@db.VarChar(255)");
        }
        snprintf(name, sizeof name, "%s%u", w, k);
        break;
    }
    case T_INT:
        snprintf(name, sizeof name, "%s%u", pick(r, int_words, COUNT(int_words)), k);
        if (!list && chance(r, 40)) ATTR("@default(0)");
        break;
    case T_BIGINT:
        snprintf(name, sizeof name, "%s%u", pick(r, bigint_words, COUNT(bigint_words)), k);
        if (chance(r, 30)) ATTR("@default(0)");
        break;
    case T_FLOAT:
        snprintf(name, sizeof name, "%s%u", pick(r, float_words, COUNT(float_words)), k);
        if (chance(r, 30)) ATTR("@default(1.5)");
        break;
    case T_DECIMAL:
        snprintf(name, sizeof name, "%s%u", pick(r, decimal_words, COUNT(decimal_words)), k);
        break;
    case T_BOOL:
        snprintf(name, sizeof name, "%s%u", pick(r, bool_words, COUNT(bool_words)), k);
        if (chance(r, 70)) ATTR("@default(%s)", chance(r, 50) ? "true" : "false");
        break;
    case T_DATETIME:
        snprintf(name, sizeof name, "%s%u", pick(r, date_words, COUNT(date_words)), k);
        if (chance(r, 50)) ATTR("@default(now())");
        break;
    case T_JSON:
        snprintf(name, sizeof name, "%s%u", pick(r, json_words, COUNT(json_words)), k);
        optional = true;
        break;
    case T_BYTES:
        snprintf(name, sizeof name, "%s%u", pick(r, bytes_words, COUNT(bytes_words)), k);
        optional = true;
        break;
    case T_ENUM: {
        unsigned j = below(r, p->nenums);
        snprintf(name, sizeof name, "%s%u", pick(r, enum_field_words, COUNT(enum_field_words)), k);
        enum_name(p, j, type);
        if (chance(r, 50)) ATTR("@default(%s)", enum_value(p, j, 0));
        break;
    }
    }
    if (t != T_ENUM) strcpy(type, builtin_names[t]);
    if (list) {
        strcat(type, "[]");
        optional = false;   /* Type[]? is an error */
    } else if (optional) {
        strcat(type, "?");
    }
    if (chance(r, 15)) {
        char col[NAME_MAX_LEN];
        snake(name, col);
        SEP();
        ATTR("@map(\"%s\")", col);
    }
    if (chance(r, 10)) comment = "legacy column, see migration notes";
    if (chance(r, 25)) printf("  /// %s\n", pick(r, doc_phrases, COUNT(doc_phrases)));
    if (chance(r, 4)) printf("  // %s\n", "grouped with the fields below");
    field_line(name, type, attrs, comment);
    if (!list && t != T_JSON && t != T_BYTES && t != T_FLOAT && t != T_DECIMAL && idx->n < 16)
        strcpy(idx->names[idx->n++], name);
#undef ATTR
#undef SEP
}

/* Relation field + FK of an edge, on the source model. */
static void emit_relation(const plan *p, const edge *e)
{
    char field[NAME_MAX_LEN], fk[NAME_MAX_LEN + 2], target[NAME_MAX_LEN], type[NAME_MAX_LEN + 1];
    char attrs[320];
    relation_field(p, e, field);
    snprintf(fk, sizeof fk, "%sId", field);
    model_name(p, e->dst, target);
    snprintf(type, sizeof type, "%s%s", target, e->optional ? "?" : "");
    snprintf(attrs, sizeof attrs, "@relation(fields: [%s], references: [id], onDelete: %s)", fk,
             e->optional ? "SetNull" : "Cascade");
    field_line(field, type, attrs, NULL);
    const char *fktype = p->models[e->dst].string_id ? (e->optional ? "String?" : "String")
                                                     : (e->optional ? "Int?" : "Int");
    field_line(fk, fktype, "", NULL);
}

static void emit_model(const plan *p, unsigned i)
{
    rng r = rng_for(p->seed, i, 1);
    const model *m = &p->models[i];
    char name[NAME_MAX_LEN], mapped[NAME_MAX_LEN];
    model_name(p, i, name);
    indexable idx = {.n = 0};

    if (chance(&r, 80)) printf("/// %s\n", pick(&r, doc_phrases, COUNT(doc_phrases)));
    if (chance(&r, 40)) printf("/// Model %u of %u.\n", i, p->n);
    if (chance(&r, 10)) printf("// NOTE: split %s when it grows further\n", name);
    printf("model %s {\n", name);
    if (m->string_id) field_line("id", "String", "@id @default(uuid())", NULL);
    else field_line("id", "Int", "@id @default(autoincrement())", NULL);

    /* This model's own relations: edges are stored in source order. */
    size_t first = 0, last, hi = p->nedges;
    while (first < hi) {
        size_t mid = (first + hi) / 2;
        if (p->edges[mid].src < i) first = mid + 1;
        else hi = mid;
    }
    for (last = first; last < p->nedges && p->edges[last].src == i;) last++;
    unsigned nrel = (unsigned)(last - first);

    bool published = false, timestamps = false;
    char owned_field[NAME_MAX_LEN] = "";
    if (m->kind == K_MEMBER) {
        /* A join model: make_plan adds the owned-model edge first, then the User edge. */
        emit_relation(p, &p->edges[first]);
        emit_relation(p, &p->edges[first + 1]);
        relation_field(p, &p->edges[first], owned_field);
        field_line("role", "String", "@default(\"member\")", NULL);
        field_line("createdAt", "DateTime", "@default(now())", NULL);
        /* Other models may point here too; those come after the join edges. */
        for (size_t e = first + 2; e < last; e++) emit_relation(p, &p->edges[e]);
    } else {
        unsigned fixed = 1;
        if (m->kind == K_USER) {
            fixed += 2;
            field_line("email", "String", p->prisma ? "@unique" : "@unique @email", NULL);
            field_line("name", "String?", p->prisma ? "" : "@length(1, 100)", NULL);
        }
        published = m->kind == K_OWNED || chance(&r, 30);
        timestamps = chance(&r, 60);
        fixed += 2 * nrel + (published ? 1 : 0) + (timestamps ? 2 : 0);
        unsigned total = 6 + below(&r, 10); /* 6-15 fields before the opposite relation fields */
        unsigned nscalar = total > fixed + 2 ? total - fixed : 2;

        for (unsigned k = 1; k <= nscalar; k++) emit_scalar(p, &r, k, &idx);
        for (size_t e = first; e < last; e++) emit_relation(p, &p->edges[e]);
        if (published) field_line("published", "Boolean", "@default(false)", NULL);
        if (timestamps) {
            field_line("createdAt", "DateTime", "@default(now())", NULL);
            field_line("updatedAt", "DateTime", "@updatedAt", NULL);
        }
    }

    /* Opposite sides of the relations that point here. */
    for (int e = p->in_head[i]; e >= 0; e = p->edges[e].next_in) {
        char src[NAME_MAX_LEN], field[NAME_MAX_LEN + 1], type[NAME_MAX_LEN + 2];
        model_name(p, p->edges[e].src, src);
        if (p->edges[e].members) strcpy(field, "members");
        else {
            snprintf(field, sizeof field, "%ss", src);
            lcfirst(field);
        }
        snprintf(type, sizeof type, "%s[]", src);
        field_line(field, type, "", NULL);
    }

    /* Model attributes. */
    bool blank = false;
#define MODEL_ATTR(...) ((blank ? 0 : putchar('\n')), blank = true, printf("  " __VA_ARGS__))
    if (m->kind == K_MEMBER) {
        MODEL_ATTR("@@unique([%sId, userId])\n", owned_field);
        MODEL_ATTR("@@index([userId])\n");
        if (!p->prisma) {
            MODEL_ATTR("@@allow('read', user == auth())\n");
            MODEL_ATTR("@@allow('all', %s.owner == auth())\n", owned_field);
        }
        printf("}\n\n");
        return;
    }
    if (idx.n >= 2 && chance(&r, 50)) MODEL_ATTR("@@index([%s, %s])\n", idx.names[0], idx.names[1]);
    if (nrel && chance(&r, 40)) {
        char field[NAME_MAX_LEN];
        relation_field(p, &p->edges[first], field);
        MODEL_ATTR("@@index([%sId])\n", field);
    }
    if (idx.n >= 3 && chance(&r, 20))
        MODEL_ATTR("@@unique([%s, %s])\n", idx.names[idx.n - 1], idx.names[idx.n - 2]);
    if (m->kind != K_USER && chance(&r, 25)) {
        snake(name, mapped);
        MODEL_ATTR("@@map(\"%s\")\n", mapped);
    }
    if (!p->prisma) {
        if (m->kind == K_USER) {
            MODEL_ATTR("@@allow('read', auth() != null)\n");
            MODEL_ATTR("@@allow('all', auth() == this)\n");
        } else if (m->kind == K_OWNED) {
            MODEL_ATTR("@@allow('create', auth() != null)\n");
            MODEL_ATTR("@@allow('read', auth() != null && published)\n");
            if (m->with_members) MODEL_ATTR("@@allow('update', owner == auth() || members?[user == auth()])\n");
            else MODEL_ATTR("@@allow('update', owner == auth())\n");
        } else {
            if (published && chance(&r, 60)) MODEL_ATTR("@@allow('read', auth() != null && published)\n");
            if (chance(&r, 40)) MODEL_ATTR("@@allow('all', auth() != null)\n");
        }
        if (chance(&r, 20)) MODEL_ATTR("@@deny('delete', true)\n");
    }
#undef MODEL_ATTR
    printf("}\n\n");
}

static void usage(void)
{
    fputs("usage: zmc_gen_schema N [SEED] [--provider sqlite|postgresql]\n"
          "                      [--prisma | --zenstack3 | --prisma-compatible]\n"
          "Writes a synthetic ZModel schema with N models and N/10 enums to stdout.\n"
          "  --prisma             the Prisma subset (no access policies or validation attributes)\n"
          "  --zenstack3          add the `plugin policy` block ZenStack v3 needs for @@allow/@@deny\n"
          "  --prisma-compatible  ZModel v2 without what Prisma rejects for the provider\n"
          "                       (@db.VarChar on sqlite), so its Prisma schema is valid\n",
          stderr);
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s[0] || s[0] == '-') return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end) return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    plan p = {.seed = 1};
    const char *provider = "sqlite";
    uint64_t n = 0;
    int positional = 0;
    bool zenstack3 = false, compatible = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--prisma") == 0) {
            p.prisma = true;
        } else if (strcmp(argv[i], "--zenstack3") == 0) {
            zenstack3 = true;
        } else if (strcmp(argv[i], "--prisma-compatible") == 0) {
            compatible = true;
        } else if (strcmp(argv[i], "--provider") == 0 && i + 1 < argc) {
            provider = argv[++i];
            if (strcmp(provider, "sqlite") != 0 && strcmp(provider, "postgresql") != 0) {
                usage();
                return 2;
            }
        } else if (positional == 0 && parse_u64(argv[i], &n)) {
            positional++;
        } else if (positional == 1 && parse_u64(argv[i], &p.seed)) {
            positional++;
        } else {
            usage();
            return 2;
        }
    }
    if (positional == 0 || n == 0 || n > 10000000) {
        usage();
        return 2;
    }
    p.n = (unsigned)n;
    p.postgres = strcmp(provider, "postgresql") == 0;
    p.native_types = p.postgres || (!p.prisma && !zenstack3 && !compatible);
    make_plan(&p);

    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    printf("// Synthetic %s schema from zmc_gen_schema: %u models, %u enums, seed %llu.\n",
           p.prisma ? "Prisma" : "ZModel", p.n, p.nenums, (unsigned long long)p.seed);
    printf("// Regenerate with: zmc_gen_schema %u %llu%s%s%s%s\n\n", p.n, (unsigned long long)p.seed,
           p.postgres ? " --provider postgresql" : "", p.prisma ? " --prisma" : "",
           zenstack3 && !p.prisma ? " --zenstack3" : "",
           compatible && !p.prisma && !zenstack3 && !p.postgres ? " --prisma-compatible" : "");
    printf("datasource db {\n  provider = \"%s\"\n  url      = %s\n}\n\n", provider,
           p.postgres ? "env(\"DATABASE_URL\")" : "\"file:./dev.db\"");
    printf("generator client {\n  provider = \"prisma-client-js\"\n}\n\n");
    /* ZenStack v3 moved @@allow/@@deny into a plugin; v2 has them built in. */
    if (zenstack3 && !p.prisma) printf("plugin policy {\n  provider = \"@zenstackhq/plugin-policy\"\n}\n\n");

    /* Enums are spread through the models (enum j before model 10j+5); the
       fields may name any enum, so some references point forward. */
    unsigned next_enum = 0;
    for (unsigned i = 0; i < p.n; i++) {
        if (i % 10 == 5 && next_enum < p.nenums) emit_enum(&p, next_enum++);
        emit_model(&p, i);
    }
    while (next_enum < p.nenums) emit_enum(&p, next_enum++);

    fflush(stdout);
    int rc = ferror(stdout) ? 1 : 0;
    free_plan(&p);
    return rc;
}
