/*
** test_parser.c — the ZModel grammar (frontend/parser.y), through the
** compilation API and the S-expression dump of ast.c.
**
** Covers operator precedence and associativity, collection predicates and
** their v3 bindings, attribute arguments, keywords used as names, every kind
** of declaration, doc comments, field types, syntax-error messages and
** recovery (rendered with file:line:col, source line and caret), and the
** spans of declarations, members, attributes and expressions.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "compilation.h"
#include "zmc/buf.h"
#include "zmc/zmc.h"

/* ---- helpers ------------------------------------------------------------ */

/* Parse `src` as t.zmodel, without following imports. */
static zm_compilation *load(const char *src, int *rc)
{
    zm_options o = {.version = sizeof o, .skip_imports = 1};
    zm_compilation *c = zm_compilation_new(&o);
    cr_assert_not_null(c);
    int r = zm_compilation_load_string(c, "t.zmodel", src, strlen(src));
    if (rc) *rc = r;
    return c;
}

/* All diagnostics of a compilation as printed for users (malloc'ed). */
static char *printed(zm_compilation *c)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_not_null(m);
    zm_compilation_print_diagnostics(c, m);
    fclose(m);
    return text;
}

static char *dump_of(zm_compilation *c)
{
    zm_buf b = ZM_BUF_INIT;
    zm_ast_dump(zm_compilation_main(c), &b);
    char *s = strdup(b.data);
    zm_buf_free(&b);
    return s;
}

/* The dump of `src`, which must parse without any diagnostic. */
static char *dump(const char *src)
{
    int rc;
    zm_compilation *c = load(src, &rc);
    char *d = printed(c);
    cr_assert_eq(rc, ZM_OK, "unexpected errors in «%s»:\n%s", src, d);
    cr_assert_str_empty(d, "unexpected diagnostics:\n%s", d);
    cr_assert_not(zm_compilation_main(c)->had_errors);
    free(d);
    char *s = dump_of(c);
    zm_compilation_free(c);
    return s;
}

/* The dump of what is left of `src` after error recovery. */
static char *dump_partial(const char *src)
{
    zm_compilation *c = load(src, NULL);
    char *s = dump_of(c);
    zm_compilation_free(c);
    return s;
}

/* The printed diagnostics of `src`, which must have errors; *errors gets
   their number. */
static char *diags(const char *src, size_t *errors)
{
    int rc;
    zm_compilation *c = load(src, &rc);
    cr_assert_eq(rc, ZM_ESCHEMA, "«%s» should not parse", src);
    cr_assert(zm_compilation_main(c)->had_errors, "had_errors not set for «%s»", src);
    if (errors) *errors = zm_compilation_error_count(c);
    char *s = printed(c);
    zm_compilation_free(c);
    return s;
}

/* The dump of one expression, taken from the body of a function. */
static char *expr(const char *e)
{
    static const char head[] = "(file\n  (function f (type Any) (body ";
    static const char tail[] = ")))\n";
    size_t n = strlen(e) + 64;
    char *src = malloc(n);
    snprintf(src, n, "function f(): Any { %s }", e);
    char *d = dump(src);
    free(src);
    size_t len = strlen(d);
    cr_assert(len > sizeof head + sizeof tail && strncmp(d, head, sizeof head - 1) == 0 &&
              strcmp(d + len - (sizeof tail - 1), tail) == 0, "unexpected dump: %s", d);
    d[len - (sizeof tail - 1)] = '\0';
    memmove(d, d + sizeof head - 1, strlen(d + sizeof head - 1) + 1);
    return d;
}

#define expect_expr(e, want)                                            \
    do {                                                                \
        char *got_ = expr(e);                                           \
        cr_expect_str_eq(got_, want, "expression «%s»", e);             \
        free(got_);                                                     \
    } while (0)

#define expect_dump(src, want)                                          \
    do {                                                                \
        char *got_ = dump(src);                                         \
        cr_expect_str_eq(got_, want);                                   \
        free(got_);                                                     \
    } while (0)

/* `src` has exactly one error, whose printed form is `want`. */
#define expect_error(src, want)                                         \
    do {                                                                \
        size_t n_;                                                      \
        char *got_ = diags(src, &n_);                                   \
        cr_expect_eq(n_, 1, "%zu errors:\n%s", n_, got_);               \
        cr_expect_str_eq(got_, want);                                   \
        free(got_);                                                     \
    } while (0)

/* The message of the only error of `src` (between "error: " and the end of
   its first line). */
static char *message(const char *src)
{
    size_t n;
    char *d = diags(src, &n);
    cr_assert_eq(n, 1, "%zu errors:\n%s", n, d);
    char *m = strstr(d, ": error: ");
    cr_assert_not_null(m, "%s", d);
    m += strlen(": error: ");
    char *nl = strchr(m, '\n');
    cr_assert_not_null(nl);
    char *s = strndup(m, (size_t)(nl - m));
    free(d);
    return s;
}

#define expect_message(src, want)                                       \
    do {                                                                \
        char *got_ = message(src);                                      \
        cr_expect_str_eq(got_, want, "message for «%s»", src);          \
        free(got_);                                                     \
    } while (0)

/* The span covers the first `n` bytes of the first occurrence of `needle` in
   `src` (the needle may carry context after the spanned text). */
static void expect_span_n(zm_span sp, const char *src, const char *needle, size_t n)
{
    const char *at = strstr(src, needle);
    cr_assert_not_null(at, "«%s» not in the source", needle);
    uint32_t start = (uint32_t)(at - src), end = start + (uint32_t)n;
    cr_expect_eq(sp.start, start, "«%s»: start %u, want %u", needle, sp.start, start);
    cr_expect_eq(sp.end, end, "«%s»: end %u, want %u", needle, sp.end, end);
    cr_expect_eq(sp.file, 0);
}

/* The span covers exactly the first occurrence of `text` in `src`. */
static void expect_span(zm_span sp, const char *src, const char *text)
{
    expect_span_n(sp, src, text, strlen(text));
}

static size_t count_lines_with(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* ---- precedence and associativity ---------------------------------------- */

Test(parser, or_and_same_level)
{
    expect_expr("a || b && c", "(&& (|| (ref a) (ref b)) (ref c))");
    expect_expr("a && b || c", "(|| (&& (ref a) (ref b)) (ref c))");
}

Test(parser, equality_binds_tighter_than_logical)
{
    expect_expr("a == b && c", "(&& (== (ref a) (ref b)) (ref c))");
    expect_expr("a && b != c", "(&& (ref a) (!= (ref b) (ref c)))");
    expect_expr("a || b == c || d", "(|| (|| (ref a) (== (ref b) (ref c))) (ref d))");
}

Test(parser, comparison_binds_tighter_than_equality)
{
    expect_expr("a < b == c > d", "(== (< (ref a) (ref b)) (> (ref c) (ref d)))");
    expect_expr("a != b >= c", "(!= (ref a) (>= (ref b) (ref c)))");
    expect_expr("a <= b == c", "(== (<= (ref a) (ref b)) (ref c))");
}

Test(parser, in_is_the_tightest_binary_operator)
{
    expect_expr("a in b < c", "(< (in (ref a) (ref b)) (ref c))");
    expect_expr("a > b in c", "(> (ref a) (in (ref b) (ref c)))");
    expect_expr("a == b in c && d", "(&& (== (ref a) (in (ref b) (ref c))) (ref d))");
}

Test(parser, binary_operators_are_left_associative)
{
    expect_expr("a && b && c", "(&& (&& (ref a) (ref b)) (ref c))");
    expect_expr("a || b || c", "(|| (|| (ref a) (ref b)) (ref c))");
    expect_expr("a == b != c", "(!= (== (ref a) (ref b)) (ref c))");
    expect_expr("a < b < c", "(< (< (ref a) (ref b)) (ref c))");
    expect_expr("a <= b >= c > d", "(> (>= (<= (ref a) (ref b)) (ref c)) (ref d))");
    expect_expr("a in b in c", "(in (in (ref a) (ref b)) (ref c))");
}

Test(parser, not_applies_to_a_member_access)
{
    expect_expr("!a.b", "(! (. (ref a) b))");
    expect_expr("!a.b.c", "(! (. (. (ref a) b) c))");
    expect_expr("!f().x", "(! (. (call f) x))");
}

Test(parser, not_then_predicate)
{
    expect_expr("!a?[p]", "(?[] (! (ref a)) (ref p))");
}

Test(parser, not_binds_tighter_than_binary)
{
    expect_expr("!a == b", "(== (! (ref a)) (ref b))");
    expect_expr("!a && !b", "(&& (! (ref a)) (! (ref b)))");
    expect_expr("!!a", "(! (! (ref a)))");
    expect_expr("!(a || b)", "(! (paren (|| (ref a) (ref b))))");
}

Test(parser, parentheses_are_kept)
{
    expect_expr("(a || b) && (c)", "(&& (paren (|| (ref a) (ref b))) (paren (ref c)))");
    expect_expr("a || (b && c)", "(|| (ref a) (paren (&& (ref b) (ref c))))");
    expect_expr("((a))", "(paren (paren (ref a)))");
    expect_expr("(a).b", "(. (paren (ref a)) b)");
}

/* ---- collection predicates ------------------------------------------------ */

Test(parser, collection_predicates)
{
    expect_expr("items?[p]", "(?[] (ref items) (ref p))");
    expect_expr("items![p]", "(![] (ref items) (ref p))");
    expect_expr("items^[p == 1]", "(^[] (ref items) (== (ref p) (num 1)))");
}

Test(parser, predicate_bindings)
{
    expect_expr("items?[x, x.price > 0]", "(?[] (ref items) (bind x) (> (. (ref x) price) (num 0)))");
    expect_expr("items![it, it.ok]", "(![] (ref items) (bind it) (. (ref it) ok))");
    expect_expr("items^[x, x in y]", "(^[] (ref items) (bind x) (in (ref x) (ref y)))");
    /* A keyword that can be a name can be a binding. */
    expect_expr("items?[model, model.a]", "(?[] (ref items) (bind model) (. (ref model) a))");
}

Test(parser, predicate_on_member_and_nested)
{
    expect_expr("a.b?[c.d]", "(?[] (. (ref a) b) (. (ref c) d))");
    expect_expr("a?[b?[c]]", "(?[] (ref a) (?[] (ref b) (ref c)))");
    expect_expr("this.posts?[published && author == auth()]",
                "(?[] (. (this) posts) (&& (ref published) (== (ref author) (call auth))))");
}

Test(parser, predicate_binds_tighter_than_in)
{
    expect_expr("c in a?[b]", "(in (ref c) (?[] (ref a) (ref b)))");
    expect_expr("a?[b] in c", "(in (?[] (ref a) (ref b)) (ref c))");
    expect_expr("a?[b] && c![d]", "(&& (?[] (ref a) (ref b)) (![] (ref c) (ref d)))");
}

Test(parser, predicates_chain)
{
    expect_expr("a?[b]?[c]", "(?[] (?[] (ref a) (ref b)) (ref c))");
    expect_expr("a?[b]![x, c]", "(![] (?[] (ref a) (ref b)) (bind x) (ref c))");
}

/* ---- primaries and literals ------------------------------------------------ */

Test(parser, literals)
{
    expect_expr("[1, -2, +3, 1.50, \"s\", 'q', true, false, null, this]",
                "(array (num 1) (num -2) (num +3) (num 1.50) (str \"s\") (str \"q\") (true) "
                "(false) (null) (this))");
}

Test(parser, string_values_are_unescaped)
{
    expect_expr("'it\\'s' == \"a\\\"b\\\\c\"", "(== (str \"it's\") (str \"a\\\"b\\\\c\"))");
}

Test(parser, arrays_and_objects)
{
    expect_expr("[]", "(array)");
    expect_expr("{}", "(object)");
    expect_expr("[[a], [b, c]]", "(array (array (ref a)) (array (ref b) (ref c)))");
    expect_expr("{a: 1, \"b-c\": [x], in: {d: true},}",
                "(object (: \"a\" (num 1)) (: \"b-c\" (array (ref x))) (: \"in\" (object (: \"d\" (true)))))");
}

Test(parser, calls_and_members)
{
    expect_expr("auth()", "(call auth)");
    expect_expr("auth().id", "(. (call auth) id)");
    expect_expr("f(a, b: 1, c)", "(call f (ref a) (: \"b\" (num 1)) (ref c))");
    expect_expr("now() > future().at", "(> (call now) (. (call future) at))");
    expect_expr("String(x)", "(call String (ref x))");
}

Test(parser, member_names_may_be_keywords_and_type_names)
{
    expect_expr("a.in", "(. (ref a) in)");
    expect_expr("this.model.type", "(. (. (this) model) type)");
    expect_expr("a.String.with", "(. (. (ref a) String) with)");
}

Test(parser, references_may_be_keywords_and_type_names)
{
    expect_expr("model == Int", "(== (ref model) (ref Int))");
    expect_expr("view && Unsupported", "(&& (ref view) (ref Unsupported))");
}

Test(parser, array_has_no_trailing_comma)
{
    expect_error("function f(): Any { [a,] }",
                 "t.zmodel:1:24: error: unexpected ']'\n"
                 " 1 | function f(): Any { [a,] }\n"
                 "   |                        ^\n");
}

Test(parser, there_is_no_unary_minus)
{
    expect_message("function f(): Any { -x }", "unexpected character '-'");
}

/* ---- attributes ------------------------------------------------------------ */

Test(parser, attribute_arguments_positional_and_named)
{
    expect_dump("model M {\n"
                "  b Int @relation(fields: [a], references: [id], onDelete: Cascade)\n"
                "  c Int @default(value: 1)\n"
                "}",
                "(file\n"
                "  (model M\n"
                "    (field b (type Int) (@relation() (: \"fields\" (array (ref a))) "
                "(: \"references\" (array (ref id))) (: \"onDelete\" (ref Cascade))))\n"
                "    (field c (type Int) (@default() (: \"value\" (num 1))))))\n");
}

Test(parser, default_with_a_call)
{
    expect_dump("model M { at DateTime @default(now()) @updatedAt }",
                "(file\n"
                "  (model M\n"
                "    (field at (type DateTime) (@default() (call now)) (@updatedAt))))\n");
}

Test(parser, index_with_field_arguments)
{
    expect_dump("model M { @@index([a(sort: Desc), b(ops: raw(\"gin\"))], type: Gin) }",
                "(file\n"
                "  (model M\n"
                "    (attr (@@index() (array (call a (: \"sort\" (ref Desc))) "
                "(call b (: \"ops\" (call raw (str \"gin\"))))) (: \"type\" (ref Gin))))))\n");
}

Test(parser, attribute_with_and_without_parentheses)
{
    const char *src = "model M { a Int @id b Int @id() @@ignore @@ignore() }";
    expect_dump(src, "(file\n"
                     "  (model M\n"
                     "    (field a (type Int) (@id))\n"
                     "    (field b (type Int) (@id()))\n"
                     "    (attr (@@ignore))\n"
                     "    (attr (@@ignore()))))\n");
    zm_compilation *c = load(src, NULL);
    zm_member *m = zm_compilation_main(c)->decls->members;
    cr_expect_not(m->attrs->has_parens);
    cr_expect_null(m->attrs->args);
    cr_expect(m->next->attrs->has_parens);
    cr_expect_null(m->next->attrs->args);
    cr_expect_not(m->next->next->attrs->has_parens);
    cr_expect(m->next->next->next->attrs->has_parens);
    zm_compilation_free(c);
}

Test(parser, dotted_attribute_names_and_levels)
{
    const char *src = "model M { a String @db.VarChar(255) @graphql.name(\"x\")\n"
                      "  @@prisma.passthrough(\"y\") }\n"
                      "function f(): Any {} @@@x.y(1)";
    expect_dump(src, "(file\n"
                     "  (model M\n"
                     "    (field a (type String) (@db.VarChar() (num 255)) (@graphql.name() (str \"x\")))\n"
                     "    (attr (@@prisma.passthrough() (str \"y\"))))\n"
                     "  (function f (type Any) (@@@x.y() (num 1))))\n");
    zm_compilation *c = load(src, NULL);
    zm_decl *d = zm_compilation_main(c)->decls;
    cr_expect_eq(d->members->attrs->level, ZM_ATTR_FIELD);
    cr_expect_str_eq(d->members->attrs->name, "@db.VarChar");
    cr_expect_eq(d->members->next->attrs->level, ZM_ATTR_MODEL);
    cr_expect_eq(d->next->attrs->level, ZM_ATTR_INTERNAL);
    cr_expect_str_eq(d->next->attrs->name, "@@@x.y");
    zm_compilation_free(c);
}

Test(parser, named_argument_names_may_be_keywords)
{
    expect_dump("model M { @@index([a], type: Hash, map: \"m\") }",
                "(file\n"
                "  (model M\n"
                "    (attr (@@index() (array (ref a)) (: \"type\" (ref Hash)) (: \"map\" (str \"m\"))))))\n");
}

Test(parser, policy_attribute)
{
    expect_dump("model M { @@allow('read', auth() != null && this.public) @@deny('all', false) }",
                "(file\n"
                "  (model M\n"
                "    (attr (@@allow() (str \"read\") (&& (!= (call auth) (null)) (. (this) public))))\n"
                "    (attr (@@deny() (str \"all\") (false)))))\n");
}

/* ---- keywords as names ------------------------------------------------------- */

Test(parser, keywords_as_field_names)
{
    expect_dump("model M {\n"
                "  model String\n  type Int\n  view Int\n  in Int\n  String String\n"
                "  with Int\n  enum Int\n  abstract Int\n  import Int\n  datasource Int\n"
                "  plugin Int\n  attribute Int\n  Unsupported Int\n  procedure Int\n"
                "  mutation Int\n  Null Int\n  Void Int\n  Any Int\n"
                "}",
                "(file\n"
                "  (model M\n"
                "    (field model (type String))\n    (field type (type Int))\n"
                "    (field view (type Int))\n    (field in (type Int))\n"
                "    (field String (type String))\n    (field with (type Int))\n"
                "    (field enum (type Int))\n    (field abstract (type Int))\n"
                "    (field import (type Int))\n    (field datasource (type Int))\n"
                "    (field plugin (type Int))\n    (field attribute (type Int))\n"
                "    (field Unsupported (type Int))\n    (field procedure (type Int))\n"
                "    (field mutation (type Int))\n    (field Null (type Int))\n"
                "    (field Void (type Int))\n    (field Any (type Int))))\n");
}

Test(parser, keywords_as_declaration_and_type_names)
{
    expect_dump("model view { x in y model? z type[] }\n"
                "view model { a Int }\n"
                "type in { a Int }\n"
                "enum type { A }\n"
                "datasource import { provider = \"x\" }\n",
                "(file\n"
                "  (model view\n"
                "    (field x (type in))\n"
                "    (field y (type model ?))\n"
                "    (field z (type type [])))\n"
                "  (view model\n"
                "    (field a (type Int)))\n"
                "  (type in\n"
                "    (field a (type Int)))\n"
                "  (enum type\n"
                "    (value A))\n"
                "  (datasource import\n"
                "    (config provider (str \"x\"))))\n");
}

Test(parser, enum_values_may_be_type_names_and_keywords)
{
    expect_dump("enum E { String Int Null Object model in with }",
                "(file\n"
                "  (enum E\n"
                "    (value String)\n    (value Int)\n    (value Null)\n    (value Object)\n"
                "    (value model)\n    (value in)\n    (value with)))\n");
}

Test(parser, reserved_words_are_not_declaration_names)
{
    expect_error("model String { id Int }",
                 "t.zmodel:1:7: error: unexpected 'String', expected identifier\n"
                 " 1 | model String { id Int }\n"
                 "   |       ^~~~~~\n");
    expect_message("model with { id Int }", "unexpected 'with', expected identifier");
    expect_message("enum this { A }", "unexpected 'this', expected identifier");
    expect_message("type extends { a Int }", "unexpected 'extends', expected identifier");
}

Test(parser, reserved_words_are_not_field_names)
{
    expect_message("model M { true Int }",
                   "unexpected 'true', expected identifier, doc comment, model attribute or '}'");
    expect_message("model M { id Int\n  this Int }",
                   "unexpected 'this', expected identifier, doc comment, field attribute, model attribute or '}'");
}

/* ---- declarations ------------------------------------------------------------ */

Test(parser, datasource_with_env)
{
    expect_dump("datasource db {\n"
                "  provider = \"postgresql\"\n"
                "  url = env(\"DATABASE_URL\")\n"
                "  extensions = [pg_trgm, postgis(version: \"3\")]\n"
                "}",
                "(file\n"
                "  (datasource db\n"
                "    (config provider (str \"postgresql\"))\n"
                "    (config url (call env (str \"DATABASE_URL\")))\n"
                "    (config extensions (array (ref pg_trgm) (call postgis (: \"version\" (str \"3\")))))))\n");
}

Test(parser, generator)
{
    expect_dump("generator client { provider = \"prisma-client-js\" previewFeatures = [\"a\", 'b'] }",
                "(file\n"
                "  (generator client\n"
                "    (config provider (str \"prisma-client-js\"))\n"
                "    (config previewFeatures (array (str \"a\") (str \"b\")))))\n");
}

Test(parser, plugin_with_object_and_array_values)
{
    expect_dump("plugin trpc {\n"
                "  provider = '@zenstackhq/trpc'\n"
                "  options = { a: 1, \"b\": [true, null], c: { d: -1.5 } }\n"
                "  list = [1, 2]\n"
                "  flag = false\n"
                "}",
                "(file\n"
                "  (plugin trpc\n"
                "    (config provider (str \"@zenstackhq/trpc\"))\n"
                "    (config options (object (: \"a\" (num 1)) (: \"b\" (array (true) (null))) "
                "(: \"c\" (object (: \"d\" (num -1.5))))))\n"
                "    (config list (array (num 1) (num 2)))\n"
                "    (config flag (false))))\n");
}

Test(parser, abstract_model_extends_several)
{
    const char *src = "abstract model Base extends A, B { id Int }";
    expect_dump(src, "(file\n"
                     "  (model Base abstract (extends A B)\n"
                     "    (field id (type Int))))\n");
    zm_compilation *c = load(src, NULL);
    zm_decl *d = zm_compilation_main(c)->decls;
    cr_expect_eq(d->kind, ZM_DECL_MODEL);
    cr_expect(d->is_abstract);
    cr_expect_null(d->mixins);
    expect_span_n(d->extends->span, src, "A, B", 1);
    expect_span_n(d->extends->next->span, src, "B {", 1);
    zm_compilation_free(c);
}

Test(parser, model_with_mixins_comma_optional)
{
    expect_dump("model C with A B { x Int }\nmodel D with A, B C { x Int }",
                "(file\n"
                "  (model C (with A B)\n"
                "    (field x (type Int)))\n"
                "  (model D (with A B C)\n"
                "    (field x (type Int))))\n");
}

Test(parser, with_and_extends_in_both_orders)
{
    const char *src = "model D with A, B extends E { x Int }\n"
                      "model F extends E with A B { x Int }\n"
                      "model G extends E { x Int }";
    expect_dump(src, "(file\n"
                     "  (model D (extends E) (with A B)\n"
                     "    (field x (type Int)))\n"
                     "  (model F (extends E) (with A B)\n"
                     "    (field x (type Int)))\n"
                     "  (model G (extends E)\n"
                     "    (field x (type Int))))\n");
    zm_compilation *c = load(src, NULL);
    zm_decl *d = zm_compilation_main(c)->decls;
    cr_expect(d->with_first);
    cr_expect_not(d->next->with_first);
    cr_expect_not(d->next->next->with_first);
    zm_compilation_free(c);
}

Test(parser, extends_and_with_need_a_name)
{
    expect_message("model M extends { id Int }", "unexpected '{', expected identifier");
    expect_message("model M with { id Int }", "unexpected '{', expected identifier");
}

Test(parser, empty_bodies)
{
    expect_dump("model M {}\nview V {}\ntype T {}\ndatasource d {}\ngenerator g {}\nplugin p {}",
                "(file\n  (model M)\n  (view V)\n  (type T)\n  (datasource d)\n  (generator g)\n  (plugin p))\n");
}

Test(parser, view)
{
    expect_dump("view UserInfo { id Int @unique\n  name String }",
                "(file\n"
                "  (view UserInfo\n"
                "    (field id (type Int) (@unique))\n"
                "    (field name (type String))))\n");
}

Test(parser, type_with_mixins)
{
    expect_dump("type T with A { x Int @@map(\"t\") }\ntype U with A B { y Int }",
                "(file\n"
                "  (type T (with A)\n"
                "    (field x (type Int))\n"
                "    (attr (@@map() (str \"t\"))))\n"
                "  (type U (with A B)\n"
                "    (field y (type Int))))\n");
}

Test(parser, enum_with_map)
{
    expect_dump("enum Role {\n  USER @map(\"user\")\n  ADMIN\n  @@map(\"roles\")\n  GUEST\n}",
                "(file\n"
                "  (enum Role\n"
                "    (value USER (@map() (str \"user\")))\n"
                "    (value ADMIN)\n"
                "    (attr (@@map() (str \"roles\")))\n"
                "    (value GUEST)))\n");
}

Test(parser, enum_needs_an_item)
{
    expect_error("enum E { }",
                 "t.zmodel:1:10: error: unexpected '}', expected identifier, doc comment or model attribute\n"
                 " 1 | enum E { }\n"
                 "   |          ^\n");
}

Test(parser, function_with_body_and_expression_context)
{
    expect_dump("function f(a: String, b: Int[]?, c: Any): Boolean {\n"
                "  a == \"x\"\n"
                "} @@@expressionContext([DefaultValue, AccessPolicy])",
                "(file\n"
                "  (function f\n"
                "    (param a (type String))\n"
                "    (param b (type Int [] ?))\n"
                "    (param c (type Any)) (type Boolean) (body (== (ref a) (str \"x\"))) "
                "(@@@expressionContext() (array (ref DefaultValue) (ref AccessPolicy)))))\n");
}

Test(parser, function_without_body_or_parameters)
{
    const char *src = "function g(): Any {} @@@x @@@y()";
    expect_dump(src, "(file\n  (function g (type Any) (@@@x) (@@@y())))\n");
    zm_compilation *c = load(src, NULL);
    zm_decl *d = zm_compilation_main(c)->decls;
    cr_expect_eq(d->kind, ZM_DECL_FUNCTION);
    cr_expect_null(d->body);
    cr_expect_null(d->params);
    cr_expect_str_eq(d->result->name, "Any");
    zm_compilation_free(c);
}

Test(parser, function_types_may_be_expression_types_and_models)
{
    expect_dump("function f(a: Null, b: Object, c: User[], d: Unsupported, e: Void): Undefined {}",
                "(file\n"
                "  (function f\n"
                "    (param a (type Null))\n"
                "    (param b (type Object))\n"
                "    (param c (type User []))\n"
                "    (param d (type Unsupported))\n"
                "    (param e (type Void)) (type Undefined)))\n");
}

Test(parser, attribute_declarations)
{
    const char *src =
        "attribute @id(map: String?, _ length: Int?) @@@prisma\n"
        "attribute @@index(_ fields: FieldReference[], type: ContextType?) @@@prisma @@@supportTypeDef\n"
        "attribute @@@targetField(_ name: TransitiveFieldReference[])\n"
        "attribute @db.VarChar(_ x: Int @@@deprecated(\"no\"))\n"
        "attribute @@ignore()\n";
    expect_dump(src, "(file\n"
                     "  (attribute @id\n"
                     "    (param map (type String ?))\n"
                     "    (param _ length (type Int ?)) (@@@prisma))\n"
                     "  (attribute @@index\n"
                     "    (param _ fields (type FieldReference []))\n"
                     "    (param type (type ContextType ?)) (@@@prisma) (@@@supportTypeDef))\n"
                     "  (attribute @@@targetField\n"
                     "    (param _ name (type TransitiveFieldReference [])))\n"
                     "  (attribute @db.VarChar\n"
                     "    (param _ x (type Int) (@@@deprecated() (str \"no\"))))\n"
                     "  (attribute @@ignore))\n");
    zm_compilation *c = load(src, NULL);
    zm_decl *d = zm_compilation_main(c)->decls;
    cr_expect_eq(d->kind, ZM_DECL_ATTRIBUTE);
    cr_expect_not(d->params->positional);
    cr_expect(d->params->next->positional);
    expect_span(d->name_span, src, "@id");
    expect_span(d->params->next->span, src, "_ length: Int?");
    expect_span(d->params->next->name_span, src, "length");
    zm_compilation_free(c);
}

Test(parser, procedures)
{
    const char *src = "procedure p(a: Int, b: String?): Void\n"
                      "mutation procedure q(): User[] @@@x\n"
                      "procedure r(): Int";
    expect_dump(src, "(file\n"
                     "  (procedure p\n"
                     "    (param a (type Int))\n"
                     "    (param b (type String ?)) (type Void))\n"
                     "  (mutation procedure q (type User []) (@@@x))\n"
                     "  (procedure r (type Int)))\n");
    zm_compilation *c = load(src, NULL);
    zm_decl *d = zm_compilation_main(c)->decls;
    cr_expect_eq(d->kind, ZM_DECL_PROCEDURE);
    cr_expect_not(d->is_mutation);
    cr_expect_eq(d->next->kind, ZM_DECL_PROCEDURE);
    cr_expect(d->next->is_mutation);
    expect_span(d->span, src, "procedure p(a: Int, b: String?): Void");
    expect_span(d->next->span, src, "mutation procedure q(): User[] @@@x");
    zm_compilation_free(c);
}

Test(parser, imports_with_and_without_semicolon)
{
    const char *src = "import \"a\"\nimport './b.zmodel';\nimport \"c\";\nmodel M {}";
    expect_dump(src, "(file\n"
                     "  (import \"a\")\n"
                     "  (import \"./b.zmodel\")\n"
                     "  (import \"c\")\n"
                     "  (model M))\n");
    zm_compilation *c = load(src, NULL);
    zm_import *i = zm_compilation_main(c)->imports;
    cr_expect_not(i->semicolon);
    cr_expect_str_eq(i->raw, "\"a\"");
    expect_span(i->span, src, "import \"a\"");
    cr_expect(i->next->semicolon);
    cr_expect_str_eq(i->next->path, "./b.zmodel");
    cr_expect_str_eq(i->next->raw, "'./b.zmodel'");
    expect_span(i->next->span, src, "import './b.zmodel';");
    cr_expect(i->next->next->semicolon);
    cr_expect_null(i->next->next->next);
    zm_compilation_free(c);
}

Test(parser, imports_come_first)
{
    expect_error("model M {}\nimport \"x\"",
                 "t.zmodel:2:1: error: unexpected 'import'\n"
                 " 2 | import \"x\"\n"
                 "   | ^~~~~~\n");
}

Test(parser, declarations_keep_source_order)
{
    zm_compilation *c = load("enum A { X }\nmodel B {}\ntype C {}\nview D {}\n"
                             "function E(): Any {}\nattribute @F()\nprocedure G(): Int\n"
                             "datasource H {}\ngenerator I {}\nplugin J {}", NULL);
    static const zm_decl_kind want[] = {ZM_DECL_ENUM, ZM_DECL_MODEL, ZM_DECL_TYPE, ZM_DECL_VIEW,
                                        ZM_DECL_FUNCTION, ZM_DECL_ATTRIBUTE, ZM_DECL_PROCEDURE,
                                        ZM_DECL_DATASOURCE, ZM_DECL_GENERATOR, ZM_DECL_PLUGIN};
    static const char *names[] = {"A", "B", "C", "D", "E", "@F", "G", "H", "I", "J"};
    size_t i = 0;
    for (zm_decl *d = zm_compilation_main(c)->decls; d; d = d->next, i++) {
        cr_assert_lt(i, 10);
        cr_expect_eq(d->kind, want[i], "declaration %zu", i);
        cr_expect_str_eq(d->name, names[i]);
    }
    cr_expect_eq(i, 10);
    zm_compilation_free(c);
}

Test(parser, whole_model_on_one_line)
{
    expect_dump("model User { id Int @id posts Post[] @@map(\"u\") } enum E { A B }",
                "(file\n"
                "  (model User\n"
                "    (field id (type Int) (@id))\n"
                "    (field posts (type Post []))\n"
                "    (attr (@@map() (str \"u\"))))\n"
                "  (enum E\n"
                "    (value A)\n"
                "    (value B)))\n");
}

Test(parser, empty_file)
{
    expect_dump("", "(file)\n");
    expect_dump("  // nothing\n/* here */\n", "(file)\n");
}

/* ---- field types ------------------------------------------------------------- */

Test(parser, field_types)
{
    const char *src = "model M {\n  a Int[]\n  b String?\n  c Unsupported(\"circle\")\n"
                      "  d Unsupported('x')?\n  e Post\n  f Int[]?\n}";
    expect_dump(src, "(file\n"
                     "  (model M\n"
                     "    (field a (type Int []))\n"
                     "    (field b (type String ?))\n"
                     "    (field c (type Unsupported (str \"circle\")))\n"
                     "    (field d (type Unsupported (str \"x\") ?))\n"
                     "    (field e (type Post))\n"
                     "    (field f (type Int [] ?))))\n");
    zm_compilation *c = load(src, NULL);
    zm_member *m = zm_compilation_main(c)->decls->members;
    cr_expect_eq(m->type->kind, ZM_TYPE_NAMED);
    cr_expect(m->type->list);
    cr_expect_not(m->type->optional);
    expect_span(m->type->span, src, "Int[]");
    expect_span(m->type->name_span, src, "Int");
    m = m->next;
    cr_expect(m->type->optional);
    cr_expect_not(m->type->list);
    expect_span(m->type->span, src, "String?");
    m = m->next;
    cr_expect_eq(m->type->kind, ZM_TYPE_UNSUPPORTED);
    cr_expect_str_eq(m->type->name, "Unsupported");
    cr_expect_eq(m->type->unsupported->kind, ZM_EXPR_STRING);
    cr_expect_str_eq(m->type->unsupported->text, "circle");
    expect_span(m->type->span, src, "Unsupported(\"circle\")");
    zm_compilation_free(c);
}

Test(parser, field_needs_a_type)
{
    expect_error("model M {\n  id Int\n  name\n}",
                 "t.zmodel:4:1: error: unexpected '}', expected identifier\n"
                 " 4 | }\n"
                 "   | ^\n");
}

Test(parser, type_suffixes_do_not_repeat)
{
    expect_message("model M { a Int[][] }", "unexpected '[', expected identifier, doc comment, "
                                            "field attribute, model attribute or '}'");
    expect_message("model M { a String?? }", "unexpected '?', expected identifier, doc comment, "
                                             "field attribute, model attribute or '}'");
    expect_message("model M { a Int?[] }", "unexpected '[', expected identifier, doc comment, "
                                           "field attribute, model attribute or '}'");
    size_t n;
    char *d = diags("function f(a: Int[][]): Int {}", &n);
    cr_expect_eq(n, 1);
    free(d);
}

/* ---- doc comments ------------------------------------------------------------ */

Test(parser, doc_comments_attach_to_the_next_item)
{
    expect_dump("/// a model\n/// second line\nmodel M {\n"
                "  /// the id\n  id Int\n"
                "  /// attr doc\n  @@map(\"x\")\n}\n"
                "/// e\nenum E {\n  /// v\n  A\n}\n"
                "/// fn\nfunction f(\n  /// param\n  a: Int\n): Int {}\n"
                "/// at\nattribute @a(/// ap\n _ x: Int)\n",
                "(file\n"
                "  (model M (doc \"/// a model\") (doc \"/// second line\")\n"
                "    (field id (doc \"/// the id\") (type Int))\n"
                "    (attr (doc \"/// attr doc\") (@@map() (str \"x\"))))\n"
                "  (enum E (doc \"/// e\")\n"
                "    (value A (doc \"/// v\")))\n"
                "  (function f (doc \"/// fn\")\n"
                "    (param a (doc \"/// param\") (type Int)) (type Int))\n"
                "  (attribute @a (doc \"/// at\")\n"
                "    (param _ x (doc \"/// ap\") (type Int))))\n");
}

Test(parser, doc_comments_on_config_declarations_and_fields)
{
    const char *src = "/// ds\ndatasource db {\n  /// p\n  provider = \"x\"\n}\n"
                      "/// pl\nplugin p { /// q\n q = 1 }";
    zm_compilation *c = load(src, NULL);
    cr_assert_not(zm_compilation_main(c)->had_errors);
    zm_decl *d = zm_compilation_main(c)->decls;
    cr_assert_not_null(d->docs);
    cr_expect_str_eq(d->docs->text, "/// ds");
    cr_assert_not_null(d->members->docs);
    cr_expect_str_eq(d->members->docs->text, "/// p");
    expect_span(d->members->span, src, "/// p\n  provider = \"x\"");
    cr_expect_str_eq(d->next->docs->text, "/// pl");
    cr_expect_str_eq(d->next->members->docs->text, "/// q");
    zm_compilation_free(c);
}

Test(parser, trailing_doc_comment_belongs_to_the_next_field)
{
    expect_dump("model M {\n  a String /// note\n  b Int\n}",
                "(file\n"
                "  (model M\n"
                "    (field a (type String))\n"
                "    (field b (doc \"/// note\") (type Int))))\n");
}

Test(parser, doc_comment_text_is_verbatim)
{
    expect_dump("//// four\n///   spaced  \r\nmodel M {}",
                "(file\n"
                "  (model M (doc \"//// four\") (doc \"///   spaced  \")))\n");
}

Test(parser, stray_doc_comment_before_closing_brace)
{
    const char *src = "model M {\n  id Int\n  /// stray\n}";
    expect_error(src, "t.zmodel:4:1: error: unexpected '}', expected identifier, doc comment or model attribute\n"
                      " 4 | }\n"
                      "   | ^\n");
    char *d = dump_partial(src);
    cr_expect_str_eq(d, "(file\n  (model M\n    (field id (type Int))))\n");
    free(d);
}

Test(parser, stray_doc_comment_at_end_of_file)
{
    expect_message("model M { id Int }\n/// trailing", "unexpected end of file");
}

Test(parser, plain_comments_are_not_docs)
{
    expect_dump("// c\n/* b */\nmodel M {\n  // c\n  id Int // c\n}",
                "(file\n  (model M\n    (field id (type Int))))\n");
}

Test(parser, comments_are_recorded_only_when_asked)
{
    const char *src = "// top\r\nmodel M { /* in\nside */ id Int /// doc\n  x Int // end\n}";
    zm_options o = {.version = sizeof o, .keep_comments = 1, .skip_imports = 1};
    zm_compilation *c = zm_compilation_new(&o);
    cr_assert_eq(zm_compilation_load_string(c, "t.zmodel", src, strlen(src)), ZM_OK);
    zm_comment *k = zm_compilation_main(c)->comments;
    cr_assert_not_null(k);
    cr_expect_str_eq(k->text, "// top");
    cr_expect_not(k->block);
    expect_span(k->span, src, "// top");
    k = k->next;
    cr_assert_not_null(k);
    cr_expect_str_eq(k->text, "/* in\nside */");
    cr_expect(k->block);
    expect_span(k->span, src, "/* in\nside */");
    k = k->next;
    cr_assert_not_null(k);
    cr_expect_str_eq(k->text, "// end");
    cr_expect_null(k->next, "a doc comment is not a comment");
    zm_compilation_free(c);

    c = load(src, NULL);
    cr_expect_null(zm_compilation_main(c)->comments);
    zm_compilation_free(c);
}

/* ---- syntax errors and recovery ----------------------------------------------- */

Test(parser, message_expected_list)
{
    expect_error("model M { id Int @default(a String) }",
                 "t.zmodel:1:29: error: unexpected 'String', expected ')', ':' or ','\n"
                 " 1 | model M { id Int @default(a String) }\n"
                 "   |                             ^~~~~~\n");
}

Test(parser, message_misspelled_keyword)
{
    expect_error("modle User {\n  id Int\n}",
                 "t.zmodel:1:1: error: unexpected identifier 'modle'\n"
                 " 1 | modle User {\n"
                 "   | ^~~~~\n");
}

Test(parser, messages_name_the_token)
{
    expect_message("datasource db { provider \"x\" }", "unexpected string '\"x\"', expected '='");
    expect_message("function f(a String): Int {}", "unexpected 'String', expected ':'");
    expect_message("model M { a Int @default(1 2) }", "unexpected number '2', expected ')' or ','");
    expect_message("model M { a Int @default(1.5e3) }",
                   "unexpected identifier 'e3', expected ')' or ','");
    expect_message("model M { id Int } }", "unexpected '}'");
    expect_message("model M { a Int @id @@map(\"x\") b Int @unique }\n"
                   "enum E { A @@@x }",
                   "unexpected internal attribute '@@@x', expected identifier, doc comment, "
                   "field attribute, model attribute or '}'");
    expect_message("model M { @id }", "unexpected field attribute '@id', expected identifier, "
                                      "doc comment, model attribute or '}'");
    expect_message("model M { a Int @default(a < ) }", "unexpected ')'");
}

Test(parser, long_token_text_is_cut_at_40_bytes)
{
    expect_message("datasource db { provider \"0123456789012345678901234567890123456789\" }",
                   "unexpected string '\"012345678901234567890123456789012345678', expected '='");
}

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
              : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0) return 0;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80) return 0;
    }
    return 1;
}

Test(parser, cut_token_text_stays_valid_utf8)
{
    char *m = message("datasource db { provider \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\" }");
    cr_expect(valid_utf8(m), "invalid UTF-8 in «%s»", m);
    free(m);
}

Test(parser, independent_errors_each_reported_once)
{
    const char *src = "model A {\n"
                      "  id Int @id\n"
                      "  name String @default(\n"
                      "  age Int\n"
                      "}\n"
                      "\n"
                      "model B {\n"
                      "  id Int @id\n"
                      "  x\n"
                      "}\n"
                      "\n"
                      "enum C { A B }\n"
                      "\n"
                      "modle D { id Int }\n"
                      "\n"
                      "model E {\n"
                      "  id Int @id\n"
                      "}\n";
    size_t n;
    char *d = diags(src, &n);
    cr_expect_eq(n, 3);
    cr_expect_str_eq(d, "t.zmodel:4:7: error: unexpected 'Int', expected ')', ':' or ','\n"
                        " 4 |   age Int\n"
                        "   |       ^~~\n"
                        "t.zmodel:10:1: error: unexpected '}', expected identifier\n"
                        " 10 | }\n"
                        "    | ^\n"
                        "t.zmodel:14:1: error: unexpected identifier 'modle'\n"
                        " 14 | modle D { id Int }\n"
                        "    | ^~~~~\n");
    free(d);
    /* What parsed is kept around the mistakes. */
    d = dump_partial(src);
    cr_expect_str_eq(d, "(file\n"
                        "  (model A\n"
                        "    (field id (type Int) (@id)))\n"
                        "  (model B\n"
                        "    (field id (type Int) (@id)))\n"
                        "  (enum C\n"
                        "    (value A)\n"
                        "    (value B))\n"
                        "  (model E\n"
                        "    (field id (type Int) (@id))))\n");
    free(d);
}

Test(parser, errors_in_several_declaration_kinds)
{
    const char *src = "datasource db { provider \"x\" }\n"
                      "function f(a String): Int {}\n"
                      "model M { a Int @default(1 2) }\n"
                      "enum E { }\n"
                      "model N { ok Int }\n";
    size_t n;
    char *d = diags(src, &n);
    cr_expect_eq(n, 4);
    cr_expect_eq(count_lines_with(d, ": error: "), 4);
    cr_expect(strstr(d, "t.zmodel:1:26: error: unexpected string '\"x\"', expected '='\n") != NULL, "%s", d);
    cr_expect(strstr(d, "t.zmodel:2:14: error: unexpected 'String', expected ':'\n") != NULL, "%s", d);
    cr_expect(strstr(d, "t.zmodel:3:28: error: unexpected number '2', expected ')' or ','\n") != NULL, "%s", d);
    cr_expect(strstr(d, "t.zmodel:4:10: error: unexpected '}', expected identifier, doc comment or model attribute\n") != NULL, "%s", d);
    free(d);
    d = dump_partial(src);
    cr_expect(strstr(d, "  (model N\n    (field ok (type Int))))\n") != NULL, "%s", d);
    free(d);
}

Test(parser, lexical_error_is_reported_once_and_parsing_goes_on)
{
    const char *src = "model M {\n  a Int #\n  b String\n}";
    expect_error(src, "t.zmodel:2:9: error: unexpected character '#'\n"
                      " 2 |   a Int #\n"
                      "   |         ^\n");
    /* The bad character is skipped and the rest is parsed. */
    char *d = dump_partial(src);
    cr_expect_str_eq(d, "(file\n"
                        "  (model M\n"
                        "    (field a (type Int))\n"
                        "    (field b (type String))))\n");
    free(d);
}

Test(parser, unterminated_string_stops_without_more_errors)
{
    expect_error("model M { a String @default(\"abc }\nmodel N { id Int }",
                 "t.zmodel:1:29: error: unterminated string\n"
                 " 1 | model M { a String @default(\"abc }\n"
                 "   |                             ^\n");
}

Test(parser, unterminated_comment_stops_without_more_errors)
{
    expect_error("model M {\n  a Int /* oops\n}",
                 "t.zmodel:2:9: error: unterminated comment\n"
                 " 2 |   a Int /* oops\n"
                 "   |         ^~\n");
}

Test(parser, error_count_and_return_code)
{
    int rc;
    zm_compilation *c = load("model A { x }\nmodel B { y }\nmodel C { z Int }", &rc);
    cr_expect_eq(rc, ZM_ESCHEMA);
    cr_expect_eq(zm_compilation_error_count(c), 2);
    cr_expect_eq(zm_compilation_warning_count(c), 0);
    cr_expect(zm_compilation_main(c)->had_errors);
    zm_compilation_free(c);

    c = load("model A { x Int }", &rc);
    cr_expect_eq(rc, ZM_OK);
    cr_expect_eq(zm_compilation_error_count(c), 0);
    cr_expect_not(zm_compilation_main(c)->had_errors);
    zm_compilation_free(c);
}

Test(parser, missing_closing_brace)
{
    expect_message("model M {\n  id Int\n",
                   "unexpected end of file, expected identifier, doc comment, field attribute, "
                   "model attribute or '}'");
}

Test(parser, eof_error_points_at_end_of_file)
{
    expect_error("model M {",
                 "t.zmodel:1:10: error: unexpected end of file, expected identifier, doc comment, "
                 "model attribute or '}'\n"
                 " 1 | model M {\n"
                 "   |          ^\n");
    expect_error("model M {}\n/// x",
                 "t.zmodel:2:6: error: unexpected end of file\n"
                 " 2 | /// x\n"
                 "   |      ^\n");
}

/* ---- spans ------------------------------------------------------------------ */

Test(parser, field_span_starts_at_its_first_doc_comment)
{
    const char *src = "model M {\n  /// one\n  /// two\n  id Int @id @default(1)\n  name String\n}";
    zm_compilation *c = load(src, NULL);
    zm_member *m = zm_compilation_main(c)->decls->members;
    expect_span(m->span, src, "/// one\n  /// two\n  id Int @id @default(1)");
    expect_span(m->name_span, src, "id");
    expect_span(m->docs->span, src, "/// one");
    expect_span(m->docs->next->span, src, "/// two");
    expect_span(m->next->span, src, "name String");
    expect_span(m->next->name_span, src, "name");
    zm_compilation_free(c);
}

Test(parser, field_span_without_docs_starts_at_its_name)
{
    const char *src = "model M { a Int\n  b Post[]? @relation(\"x\") }";
    zm_compilation *c = load(src, NULL);
    zm_member *m = zm_compilation_main(c)->decls->members;
    expect_span(m->span, src, "a Int");
    expect_span(m->next->span, src, "b Post[]? @relation(\"x\")");
    expect_span(m->next->type->span, src, "Post[]?");
    zm_compilation_free(c);
}

Test(parser, declaration_spans)
{
    const char *src = "/// doc\nmodel M {\n  id Int\n}\n\n"
                      "abstract model A { x Int }\n"
                      "enum E { X }\n"
                      "function f(): Int {} @@@x(1)\n"
                      "function g(): Int {}\n"
                      "datasource db { provider = \"x\" }\n";
    zm_compilation *c = load(src, NULL);
    zm_decl *d = zm_compilation_main(c)->decls;
    expect_span(d->span, src, "/// doc\nmodel M {\n  id Int\n}");
    expect_span(d->name_span, src, "M");
    d = d->next;
    expect_span(d->span, src, "abstract model A { x Int }");
    expect_span_n(d->name_span, src, "A {", 1);
    d = d->next;
    expect_span(d->span, src, "enum E { X }");
    d = d->next;
    expect_span(d->span, src, "function f(): Int {} @@@x(1)");
    expect_span(d->attrs->span, src, "@@@x(1)");
    expect_span(d->attrs->name_span, src, "@@@x");
    expect_span_n(d->result->span, src, "Int {} @@@x", 3);
    d = d->next;
    expect_span(d->span, src, "function g(): Int {}");
    d = d->next;
    expect_span(d->span, src, "datasource db { provider = \"x\" }");
    expect_span(d->members->span, src, "provider = \"x\"");
    expect_span(d->members->value->span, src, "\"x\"");
    zm_compilation_free(c);
}

Test(parser, attribute_spans)
{
    const char *src = "model M {\n  id Int @id @default(autoincrement())\n  /// d\n  @@index([id], type: Hash)\n}";
    zm_compilation *c = load(src, NULL);
    zm_member *m = zm_compilation_main(c)->decls->members;
    zm_attr *a = m->attrs;
    expect_span(a->span, src, "@id");
    expect_span(a->name_span, src, "@id");
    expect_span(a->next->span, src, "@default(autoincrement())");
    expect_span(a->next->name_span, src, "@default");
    expect_span(a->next->args->span, src, "autoincrement()");
    zm_member *ma = m->next;
    cr_expect_eq(ma->kind, ZM_MEMBER_ATTR);
    expect_span(ma->span, src, "/// d\n  @@index([id], type: Hash)");
    expect_span(ma->attrs->span, src, "@@index([id], type: Hash)");
    zm_arg *named = ma->attrs->args->next;
    cr_expect_str_eq(named->name, "type");
    expect_span(named->span, src, "type: Hash");
    expect_span_n(named->name_span, src, "type:", 4);
    zm_compilation_free(c);
}

Test(parser, expression_spans)
{
    const char *src = "model M { @@allow('all', !a.b && items?[x, x.v > 1] || (c)) }";
    zm_compilation *c = load(src, NULL);
    zm_expr *e = zm_compilation_main(c)->decls->members->attrs->args->next->value;
    cr_assert_eq(e->kind, ZM_EXPR_BINARY);
    cr_expect_eq(e->op, ZM_OP_OR);
    expect_span(e->span, src, "!a.b && items?[x, x.v > 1] || (c)");
    zm_expr *and = e->lhs;
    expect_span(and->span, src, "!a.b && items?[x, x.v > 1]");
    expect_span(and->lhs->span, src, "!a.b");
    expect_span(and->lhs->lhs->span, src, "a.b");
    expect_span_n(and->lhs->lhs->name_span, src, "b &&", 1);
    zm_expr *pred = and->rhs;
    cr_assert_eq(pred->kind, ZM_EXPR_PREDICATE);
    cr_expect_eq(pred->quant, ZM_PRED_SOME);
    cr_expect_str_eq(pred->text, "x");
    expect_span(pred->span, src, "items?[x, x.v > 1]");
    expect_span_n(pred->name_span, src, "x,", 1);
    expect_span(pred->rhs->span, src, "x.v > 1");
    expect_span(e->rhs->span, src, "(c)");
    cr_expect_eq(e->rhs->kind, ZM_EXPR_PAREN);
    zm_compilation_free(c);
}

Test(parser, enum_value_and_param_spans)
{
    const char *src = "enum E {\n  /// v\n  A @map(\"a\")\n  B\n}\nfunction f(/// p\n a: Int[], b: String): Int {}";
    zm_compilation *c = load(src, NULL);
    zm_decl *d = zm_compilation_main(c)->decls;
    expect_span(d->members->span, src, "/// v\n  A @map(\"a\")");
    expect_span_n(d->members->name_span, src, "A @", 1);
    expect_span_n(d->members->next->span, src, "B\n}", 1);
    zm_param *p = d->next->params;
    expect_span(p->span, src, "/// p\n a: Int[]");
    expect_span(p->type->span, src, "Int[]");
    expect_span(p->next->span, src, "b: String");
    zm_compilation_free(c);
}
