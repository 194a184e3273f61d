/*
** test_format.c — the canonical layout printed by `zmc format`.
*/
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "compilation.h"
#include "format.h"

/* Format `src`; returns a malloc'ed string, or NULL on syntax errors. */
static char *fmt(const char *src)
{
    zm_options o = {.version = sizeof o, .keep_comments = 1, .skip_imports = 1};
    zm_compilation *c = zm_compilation_new(&o);
    char *result = NULL;
    if (zm_compilation_load_string(c, "t.zmodel", src, strlen(src)) == ZM_OK) {
        zm_file *f = zm_compilation_main(c);
        zm_buf b = ZM_BUF_INIT;
        zm_format_file(f, zm_sources_get(&c->sources, f->id), &c->arena, &b);
        zm_buf_puts(&b, "");
        result = b.data;
    }
    zm_compilation_free(c);
    return result;
}

/* Formatting must give `want`, and formatting `want` must give it again. */
static void check(const char *src, const char *want)
{
    char *once = fmt(src);
    cr_assert_not_null(once, "syntax error in test input");
    cr_assert_str_eq(once, want);
    char *twice = fmt(once);
    cr_assert_str_eq(twice, want, "not idempotent");
    free(once);
    free(twice);
}

Test(format, aligns_field_columns_and_reindents)
{
    check("model User {\n"
          "    id Int @id @default(autoincrement())\n"
          "\temail String @unique\n"
          "  posts Post[]\n"
          "  bio String?\n"
          "}\n",
          "model User {\n"
          "  id    Int     @id @default(autoincrement())\n"
          "  email String  @unique\n"
          "  posts Post[]\n"
          "  bio   String?\n"
          "}\n");
}

Test(format, blank_lines_split_alignment_and_collapse)
{
    check("model A {\n"
          "  id Int @id\n"
          "\n\n\n"
          "  longName String @unique\n"
          "\n"
          "  @@map(\"a\")\n"
          "}\n\n\n\n"
          "enum E { X Y @map(\"y\") }\n",
          "model A {\n"
          "  id Int @id\n"
          "\n"
          "  longName String @unique\n"
          "\n"
          "  @@map(\"a\")\n"
          "}\n"
          "\n"
          "enum E {\n"
          "  X\n"
          "  Y @map(\"y\")\n"
          "}\n");
}

Test(format, keeps_every_comment_in_place)
{
    check("// top\n"
          "datasource db { // header\n"
          "  provider = \"sqlite\" // trailing\n"
          "  // own line\n"
          "  url = env(\"DATABASE_URL\")\n"
          "} // closing\n"
          "/* block */\n"
          "model M {\n"
          "  /// doc\n"
          "  // between doc and field\n"
          "  id Int @id\n"
          "  // last\n"
          "}\n"
          "// end\n",
          "// top\n"
          "datasource db { // header\n"
          "  provider = \"sqlite\" // trailing\n"
          "  // own line\n"
          "  url      = env(\"DATABASE_URL\")\n"
          "} // closing\n"
          "\n"
          "/* block */\n"
          "model M {\n"
          "  /// doc\n"
          "  // between doc and field\n"
          "  id Int @id\n"
          "  // last\n"
          "}\n"
          "\n"
          "// end\n");
}

Test(format, expressions_are_printed_canonically)
{
    check("model M {\n"
          "  id Int @id\n"
          "  @@allow('read',auth()!=null&&(published||owner==auth()))\n"
          "  @@allow('all',   members?[u, u.id==auth().id] )\n"
          "  @@index([a(sort:Desc),b(ops:raw(\"x\"))],type:Gin)\n"
          "}\n",
          "model M {\n"
          "  id Int @id\n"
          "  @@allow('read', auth() != null && (published || owner == auth()))\n"
          "  @@allow('all', members?[u, u.id == auth().id])\n"
          "  @@index([a(sort: Desc), b(ops: raw(\"x\"))], type: Gin)\n"
          "}\n");
}

Test(format, multi_line_attributes_are_kept_as_written)
{
    check("model M {\n"
          "  id Int @id\n"
          "  @@allow('read',\n"
          "     a == b // why\n"
          "  )\n"
          "}\n",
          "model M {\n"
          "  id Int @id\n"
          "  @@allow('read',\n"
          "     a == b // why\n"
          "  )\n"
          "}\n");
}

Test(format, headers_imports_and_library_declarations)
{
    check("import './a';\nimport \"b\"\n"
          "abstract model Base { id Int @id }\n"
          "model M extends Base,Other { x Int }\n"
          "model N with A B extends C { y Int }\n"
          "function f(a: Int): Boolean {\n  a > 0\n} @@@expressionContext([DefaultValue])\n",
          "import './a'\n"
          "import \"b\"\n"
          "\n"
          "abstract model Base {\n"
          "  id Int @id\n"
          "}\n"
          "\n"
          "model M extends Base, Other {\n"
          "  x Int\n"
          "}\n"
          "\n"
          "model N with A, B extends C {\n"
          "  y Int\n"
          "}\n"
          "\n"
          "function f(a: Int): Boolean {\n  a > 0\n} @@@expressionContext([DefaultValue])\n");
}

Test(format, empty_file_and_empty_body)
{
    check("", "");
    check("model M {}", "model M {\n}\n");
}
