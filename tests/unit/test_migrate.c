/*
** test_migrate.c — the migration engine's records (plugins/migrate):
** Prisma's slugs of migration names, folder names that sort last, SHA-256
** checksums and their line-ending tolerance, migration folders read in name
** order, migration_lock.toml.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migrate.h"

static char *slug(const char *name)
{
    zm_buf b = ZM_BUF_INIT;
    zm_migration_slug(name, &b);
    if (!b.data) zm_buf_puts(&b, "");
    return b.data;
}

/* The expectations are what `prisma migrate dev --create-only --name ...`
   (Prisma 6.19.3) named the folders. */
Test(slug, as_prisma_names_folders)
{
    static const char *const cases[][2] = {
        {"init", "init"},
        {"addUserTable", "add_user_table"},
        {"HTTPServer v2", "http_server_v2"},
        {"\xc3\x84rger \xc3\xbc" "ber \xc3\x96l \xc3\x9f", "aerger_ueber_oel_ss"},
        {"caf\xc3\xa9 cr\xc3\xa8me \xe2\x80\x93 \xc3\xb1", "cafe_creme_n"},
        {"x__y--z", "x_y_z"},
        {"  lead trail  ", "lead_trail"},
        {"\xe6\x97\xa5\xe6\x9c\xac", ""},
        {"ABC", "abc"},
        {"fooBAR baz9Qux", "foo_bar_baz9_qux"},
        {"a.b/c", "a_b_c"},
        {"Tom & Jerry", "tom_and_jerry"},
        {"APIs", "apis"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = slug(cases[i][0]);
        cr_expect_str_eq(got, cases[i][1], "slug of '%s'", cases[i][0]);
        free(got);
    }
    char long_name[400];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    char *got = slug(long_name);
    cr_expect_eq(strlen(got), 200);
    free(got);
}

Test(folder_name, sorts_after_the_existing_folders)
{
    zm_migration items[] = {{.name = "29990101000000_future"}, {.name = "20200101000000_past"}};
    zm_migrations m = {.items = items, .count = 2};
    char *name = zm_migration_folder_name("Next Step", &m);
    cr_expect_str_eq(name, "29990101000001_next_step");
    free(name);
    name = zm_migration_folder_name("", NULL);
    cr_expect_eq(strlen(name), 15);
    cr_expect_eq(name[14], '_', "no name: the timestamp and `_`, as Prisma");
    free(name);
}

Test(checksum, sha256_hex_and_line_endings)
{
    char hex[65];
    zm_sha256_hex("abc", 3, hex);
    cr_expect_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    zm_migration lf = {.script = "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n", .len = 50};
    zm_sha256_hex(lf.script, lf.len, lf.checksum);
    char crlf_sum[65];
    const char *crlf = "CREATE TABLE a (id INT);\r\nCREATE TABLE b (id INT);\r\n";
    zm_sha256_hex(crlf, strlen(crlf), crlf_sum);
    cr_expect(zm_checksum_matches(&lf, lf.checksum));
    cr_expect(zm_checksum_matches(&lf, crlf_sum), "a CRLF checkout of an LF file matches");
    zm_migration edited = {.script = "CREATE TABLE a (id INT);\n-- edit\n", .len = 33};
    zm_sha256_hex(edited.script, edited.len, edited.checksum);
    cr_expect_not(zm_checksum_matches(&edited, lf.checksum));
    cr_expect_not(zm_checksum_matches(&lf, NULL));
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

Test(folder, read_in_name_order_with_lock_file)
{
    char dir[] = "/tmp/zmc-test-migrate-XXXXXX";
    cr_assert(mkdtemp(dir));
    char path[512];
    const char *names[] = {"20260102000000_b", "20260101000000_a", "20260103000000_c"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        mkdir(path, 0777);
        snprintf(path, sizeof path, "%s/%s/migration.sql", dir, names[i]);
        write_text(path, names[i]);
    }
    snprintf(path, sizeof path, "%s/README.md", dir);   /* files are not migrations */
    write_text(path, "notes");
    cr_expect_null(zm_lock_file_provider(dir));
    cr_assert_eq(zm_lock_file_write(dir, "postgresql"), 0);
    char *provider = zm_lock_file_provider(dir);
    cr_expect_str_eq(provider, "postgresql");
    free(provider);

    zm_migrations m;
    char *error = NULL;
    cr_assert_eq(zm_migrations_read(dir, &m, &error), 0, "%s", error ? error : "");
    cr_assert_eq(m.count, 3);
    cr_expect_str_eq(m.items[0].name, "20260101000000_a");
    cr_expect_str_eq(m.items[2].name, "20260103000000_c");
    cr_expect_str_eq(m.items[1].script, "20260102000000_b");
    cr_expect_not_null(zm_migrations_find(&m, "20260103000000_c"));
    zm_migrations_free(&m);

    snprintf(path, sizeof path, "%s/20260104000000_empty", dir);    /* a folder without its file */
    mkdir(path, 0777);
    cr_expect_eq(zm_migrations_read(dir, &m, &error), -1);
    cr_expect(error && strstr(error, "20260104000000_empty"), "the error names the folder");
    free(error);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

Test(folder, missing_is_empty)
{
    zm_migrations m;
    char *error = NULL;
    cr_expect_eq(zm_migrations_read("/nonexistent/zmc/migrations", &m, &error), 0);
    cr_expect_eq(m.count, 0);
    zm_migrations_free(&m);
}
