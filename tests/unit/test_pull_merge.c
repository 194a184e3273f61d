/*
** test_pull_merge.c — db pull's merge of pulled declarations into a schema
** file (frontend/pull_merge.c), on texts, without a database.
*/
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "pull_merge.h"

static const char SCHEMA[] =
    "// my schema\n"
    "datasource db {\n"
    "  provider = \"sqlite\"\n"
    "  url      = \"file:./dev.db\"\n"
    "}\n"
    "\n"
    "/// People.\n"
    "model User {\n"
    "  id    Int     @id @default(autoincrement())\n"
    "  email String  @unique @email // checked\n"
    "  nick  String?\n"
    "  posts Post[]\n"
    "\n"
    "  @@allow('read', true)\n"
    "  @@index([email])\n"
    "}\n"
    "\n"
    "model Post {\n"
    "  id       Int  @id\n"
    "  author   User @relation(fields: [authorId], references: [id])\n"
    "  authorId Int\n"
    "}\n"
    "\n"
    "model Gone {\n"
    "  id Int @id\n"
    "}\n";

static char *merge(const char *pulled, bool force, const char *keep)
{
    zm_buf out = ZM_BUF_INIT;
    int rc = zm_pull_merge("schema.zmodel", SCHEMA, strlen(SCHEMA), pulled, strlen(pulled), force, keep, &out);
    cr_assert_eq(rc, 0);
    return out.data;
}

static const char USER_AND_POST[] =
    "model User {\n"
    "  id    Int     @id @default(autoincrement())\n"
    "  email String  @unique\n"
    "  age   Int     @default(0)\n"
    "  posts Post[]\n"
    "\n"
    "  @@index([email])\n"
    "}\n"
    "model Post {\n"
    "  id       Int  @id\n"
    "  author   User @relation(fields: [authorId], references: [id])\n"
    "  authorId Int\n"
    "}\n";

Test(pull_merge, keeps_what_the_database_cannot_know)
{
    char *out = merge(USER_AND_POST, false, NULL);
    cr_assert(strstr(out, "// my schema\n"));
    cr_assert(strstr(out, "/// People.\nmodel User {"));
    cr_assert(strstr(out, "@unique @email // checked"), "%s", out);
    cr_assert(strstr(out, "@@allow('read', true)"));
    cr_assert(strstr(out, "  posts Post[]\n  age   Int    @default(0)\n\n  @@allow"),
              "the new column goes after the last field:\n%s", out);
    cr_assert_null(strstr(out, "nick"), "a dropped column's field is removed");
    cr_assert_null(strstr(out, "model Gone"), "a dropped table's model is removed");
    free(out);
}

Test(pull_merge, a_changed_field_keeps_its_other_attributes)
{
    char *out = merge("model User {\n  id Int @id @default(autoincrement())\n  email String @unique @db.VarChar(80)\n"
                      "  posts Post[]\n}\nmodel Post {\n  id Int @id\n  author User @relation(fields: [authorId], "
                      "references: [id])\n  authorId Int\n}\n",
                      false, NULL);
    cr_assert(strstr(out, "  email String @unique @db.VarChar(80) @email // checked\n"), "%s", out);
    cr_assert_null(strstr(out, "@@index"), "an index the database does not have is removed");
    free(out);
}

Test(pull_merge, a_kept_model_stays_whole_and_gains_missing_fields)
{
    char *out = merge("model User {\n  Comment Comment[]\n}\nmodel Comment {\n  id Int @id\n  userId Int\n"
                      "  User User @relation(fields: [userId], references: [id])\n}\n",
                      false, "User\n");
    cr_assert(strstr(out, "  nick    String?\n"), "a kept model loses nothing:\n%s", out);
    cr_assert(strstr(out, "  Comment Comment[]\n"), "%s", out);
    cr_assert(strstr(out, "model Comment {"));
    free(out);
}

Test(pull_merge, force_replaces_models)
{
    char *out = merge("model Other {\n  id Int @id\n}\n", true, NULL);
    cr_assert(strstr(out, "datasource db {"));
    cr_assert(strstr(out, "model Other {"));
    cr_assert_null(strstr(out, "model User"));
    free(out);
}

Test(pull_merge, is_idempotent)
{
    char *once = merge(USER_AND_POST, false, NULL);
    zm_buf out = ZM_BUF_INIT;
    cr_assert_eq(zm_pull_merge("schema.zmodel", once, strlen(once), USER_AND_POST, strlen(USER_AND_POST), false, NULL,
                               &out),
                 0);
    cr_assert_str_eq(out.data, once);
    zm_buf_free(&out);
    free(once);
}

Test(pull_merge, a_file_with_syntax_errors_is_refused)
{
    zm_buf out = ZM_BUF_INIT;
    static const char bad[] = "model {\n";
    cr_redirect_stderr();
    cr_assert_eq(zm_pull_merge("bad.zmodel", bad, strlen(bad), "", 0, false, NULL, &out), -1);
    zm_buf_free(&out);
}

/* What replaces the last field or the last model attribute is not lost
   with it (it was inserted where the removed line ended, and dropped). */
Test(pull_merge, a_removed_last_member_keeps_what_comes_after_it)
{
    char *out = merge("model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n  nick String?\n"
                      "  fresh Int?\n  posts Post[]\n\n  @@index([nick], map: \"renamed\")\n}\n"
                      "model Post {\n  id Int @id\n  author User @relation(fields: [authorId], references: [id])\n"
                      "  authorId Int\n  extra String?\n}\n",
                      false, NULL);
    cr_assert(strstr(out, "  fresh Int?\n"), "a new field next to a removed last one is lost:\n%s", out);
    cr_assert(strstr(out, "@@index([nick], map: \"renamed\")"), "the new index is lost:\n%s", out);
    cr_assert_null(strstr(out, "@@index([email])"));
    free(out);
}

Test(pull_merge, a_dropped_last_column_and_a_new_one)
{
    static const char text[] = "model T {\n  id   Int     @id\n  a    String?\n  last String?\n}\n";
    static const char pulled[] = "model T {\n  id Int @id\n  a String?\n  fresh String?\n}\n";
    zm_buf out = ZM_BUF_INIT;
    cr_assert_eq(zm_pull_merge("t.zmodel", text, strlen(text), pulled, strlen(pulled), false, NULL, &out), 0);
    cr_assert(strstr(out.data, "fresh") && !strstr(out.data, "last"), "%s", out.data);
    zm_buf_free(&out);
}
