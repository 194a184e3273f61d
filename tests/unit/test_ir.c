/*
** test_ir.c — the model IR through its public API (zmc/ir.h).
*/
#include <criterion/criterion.h>
#include <string.h>

#include "zmc/ir.h"
#include "zmc/zmc.h"

static zm_compilation *comp;

/* The IR of `src` at `level`; fails the test if the schema has errors. */
static const zm_ir *ir_of(const char *src, int level)
{
    zm_options o = {.version = sizeof o, .skip_imports = 1, .zenstack = level};
    comp = zm_compilation_new(&o);
    cr_assert_eq(zm_compilation_load_string(comp, "t.zmodel", src, strlen(src)), ZM_OK);
    if (zm_compilation_check(comp) != ZM_OK) zm_compilation_print_diagnostics(comp, stderr);
    const zm_ir *ir = zm_compilation_ir(comp);
    cr_assert_not_null(ir, "the schema should check cleanly");
    return ir;
}

static void teardown(void)
{
    zm_compilation_free(comp);
    comp = NULL;
}

TestSuite(ir, .fini = teardown);

static const zm_ir_field *field(const zm_ir *ir, const char *model, const char *name)
{
    const zm_ir_model *m = zm_ir_model_find(ir, model);
    cr_assert_not_null(m, "model %s", model);
    const zm_ir_field *f = zm_ir_model_field_find(m, name);
    cr_assert_not_null(f, "field %s.%s", model, name);
    return f;
}

static const char *field_names(const zm_ir_model *m, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < zm_ir_model_field_count(m); i++) {
        if (i) strncat(buf, ",", size - strlen(buf) - 1);
        strncat(buf, zm_ir_field_name(zm_ir_model_field_at(m, i)), size - strlen(buf) - 1);
    }
    return buf;
}

static const char *const blog =
    "datasource db { provider = \"postgresql\"\n url = env(\"DATABASE_URL\") }\n"
    "enum Role { USER ADMIN @map(\"admin\")\n @@map(\"role\") }\n"
    "model User {\n"
    "  id      Int      @id @default(autoincrement())\n"
    "  email   String   @unique @db.VarChar(255)\n"
    "  role    Role     @default(USER)\n"
    "  name    String   @default(\"anon\") @map(\"user_name\")\n"
    "  profile Profile?\n"
    "  posts   Post[]\n"
    "  tags    Tag[]\n"
    "  @@map(\"users\")\n"
    "}\n"
    "model Profile {\n"
    "  id     Int  @id\n"
    "  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)\n"
    "  userId Int  @unique\n"
    "}\n"
    "model Post {\n"
    "  id       Int      @id\n"
    "  at       DateTime @default(now())\n"
    "  author   User     @relation(fields: [authorId], references: [id])\n"
    "  authorId Int\n"
    "  @@index([authorId, at(sort: Desc)], map: \"post_idx\")\n"
    "  @@allow('read', author.role == ADMIN)\n"
    "}\n"
    "model Tag { id Int @id\n users User[] }\n";

Test(ir, relations_are_paired_both_ways)
{
    const zm_ir *ir = ir_of(blog, 3);
    const zm_ir_field *posts = field(ir, "User", "posts"), *author = field(ir, "Post", "author");
    const zm_ir_relation *r = zm_ir_field_relation(posts);
    cr_assert_not_null(r);
    cr_assert_eq(zm_ir_field_relation(author), r, "both sides share one relation");
    cr_assert_eq(zm_ir_relation_opposite(r, posts), author);
    cr_assert_eq(zm_ir_relation_opposite(r, author), posts);
    cr_assert_eq(zm_ir_relation_owner(r), author);
    cr_assert_eq(zm_ir_relation_kind_of(r), ZM_IR_ONE_TO_MANY);
    cr_assert_eq(zm_ir_relation_key_count(r), 1);
    cr_assert_eq(zm_ir_relation_field_at(r, 0), field(ir, "Post", "authorId"));
    cr_assert_eq(zm_ir_relation_reference_at(r, 0), field(ir, "User", "id"));
    cr_assert_null(zm_ir_relation_field_at(r, 1));
    cr_assert_eq(zm_ir_field_target(author), zm_ir_model_find(ir, "User"));

    const zm_ir_relation *one = zm_ir_field_relation(field(ir, "Profile", "user"));
    cr_assert_eq(zm_ir_relation_kind_of(one), ZM_IR_ONE_TO_ONE);
    cr_assert_eq(zm_ir_relation_on_delete(one), ZM_IR_ACTION_CASCADE);
    cr_assert_eq(zm_ir_relation_on_update(one), ZM_IR_ACTION_DEFAULT);
    cr_assert_str_eq(zm_ir_action_name(zm_ir_relation_on_delete(one)), "Cascade");

    const zm_ir_relation *m2m = zm_ir_field_relation(field(ir, "Tag", "users"));
    cr_assert_eq(zm_ir_relation_kind_of(m2m), ZM_IR_MANY_TO_MANY);
    cr_assert_null(zm_ir_relation_owner(m2m));
    cr_assert_eq(zm_ir_relation_opposite(m2m, field(ir, "Tag", "users")), field(ir, "User", "tags"));
}

Test(ir, fields_keys_and_indexes)
{
    const zm_ir *ir = ir_of(blog, 3);
    const zm_ir_model *user = zm_ir_model_find(ir, "User");
    cr_assert_str_eq(zm_ir_model_db_name(user), "users");
    const zm_ir_field *email = field(ir, "User", "email");
    cr_assert_eq(zm_ir_field_kind_of(email), ZM_IR_FIELD_SCALAR);
    cr_assert_eq(zm_ir_field_scalar(email), ZM_IR_STRING);
    cr_assert(zm_ir_field_is_unique(email));
    cr_assert_str_eq(zm_ir_field_native_type(email), "VarChar");
    cr_assert_eq(zm_ir_field_native_arg_count(email), 1);
    cr_assert_str_eq(zm_ir_expr_text(zm_ir_field_native_arg_at(email, 0)), "255");
    cr_assert_str_eq(zm_ir_field_db_name(field(ir, "User", "name")), "user_name");

    const zm_ir_index *pk = zm_ir_model_primary_key(user);
    cr_assert_eq(zm_ir_index_kind_of(pk), ZM_IR_PRIMARY);
    cr_assert_eq(zm_ir_index_field_at(pk, 0), field(ir, "User", "id"));
    cr_assert(zm_ir_field_is_id(field(ir, "User", "id")));
    cr_assert_eq(zm_ir_model_index_count(user), 1);
    cr_assert_eq(zm_ir_index_kind_of(zm_ir_model_index_at(user, 0)), ZM_IR_UNIQUE);

    const zm_ir_model *post = zm_ir_model_find(ir, "Post");
    const zm_ir_index *ix = zm_ir_model_index_at(post, 0);
    cr_assert_eq(zm_ir_index_kind_of(ix), ZM_IR_INDEX);
    cr_assert_str_eq(zm_ir_index_map(ix), "post_idx");
    cr_assert_eq(zm_ir_index_field_count(ix), 2);
    cr_assert_eq(zm_ir_index_sort_at(ix, 0), ZM_IR_SORT_DEFAULT);
    cr_assert_eq(zm_ir_index_sort_at(ix, 1), ZM_IR_SORT_DESC);
    cr_assert_eq(zm_ir_index_field_at(ix, 1), field(ir, "Post", "at"));
    cr_assert_null(zm_ir_model_index_at(post, 1));
}

Test(ir, defaults_are_typed_values_or_calls)
{
    const zm_ir *ir = ir_of(blog, 3);
    const zm_ir_expr *id = zm_ir_field_default(field(ir, "User", "id"));
    cr_assert_eq(zm_ir_expr_kind_of(id), ZM_IR_EXPR_CALL);
    cr_assert_str_eq(zm_ir_expr_text(id), "autoincrement");
    cr_assert_eq(zm_ir_expr_arg_count(id), 0);
    const zm_ir_expr *role = zm_ir_field_default(field(ir, "User", "role"));
    cr_assert_eq(zm_ir_expr_kind_of(role), ZM_IR_EXPR_REF);
    cr_assert_eq(zm_ir_expr_ref_kind(role), ZM_IR_REF_ENUM_VALUE);
    cr_assert_str_eq(zm_ir_expr_text(role), "USER");
    const zm_ir_expr *name = zm_ir_field_default(field(ir, "User", "name"));
    cr_assert_eq(zm_ir_expr_kind_of(name), ZM_IR_EXPR_STRING);
    cr_assert_str_eq(zm_ir_expr_text(name), "anon");
    cr_assert_null(zm_ir_field_default(field(ir, "User", "email")));
}

Test(ir, enums_and_datasource)
{
    const zm_ir *ir = ir_of(blog, 3);
    cr_assert_eq(zm_ir_enum_count(ir), 1);
    const zm_ir_enum *role = zm_ir_enum_find(ir, "Role");
    cr_assert_str_eq(zm_ir_enum_db_name(role), "role");
    cr_assert_eq(zm_ir_enum_value_count(role), 2);
    cr_assert_str_eq(zm_ir_enum_value_db_name(zm_ir_enum_value_at(role, 0)), "USER");
    cr_assert_str_eq(zm_ir_enum_value_db_name(zm_ir_enum_value_at(role, 1)), "admin");
    cr_assert_null(zm_ir_enum_value_at(role, 2));
    cr_assert_eq(zm_ir_field_enum(field(ir, "User", "role")), role);

    const zm_ir_config *ds = zm_ir_datasource(ir);
    cr_assert_str_eq(zm_ir_config_string(ds, "provider"), "postgresql");
    cr_assert_str_eq(zm_ir_config_env(ds, "url"), "DATABASE_URL");
    cr_assert_null(zm_ir_config_string(ds, "url"));
    cr_assert_null(zm_ir_config_value(ds, "shadowDatabaseUrl"));
}

Test(ir, policies_are_expression_trees)
{
    const zm_ir *ir = ir_of(blog, 3);
    const zm_ir_model *post = zm_ir_model_find(ir, "Post");
    cr_assert_eq(zm_ir_model_rule_count(post), 1);
    const zm_ir_rule *r = zm_ir_model_rule_at(post, 0);
    cr_assert_eq(zm_ir_rule_kind_of(r), ZM_IR_ALLOW);
    cr_assert_str_eq(zm_ir_rule_operations(r), "read");
    const zm_ir_expr *c = zm_ir_rule_condition(r);
    cr_assert_eq(zm_ir_expr_kind_of(c), ZM_IR_EXPR_BINARY);
    cr_assert_str_eq(zm_ir_expr_op(c), "==");
    const zm_ir_expr *lhs = zm_ir_expr_operand(c, 0);
    cr_assert_eq(zm_ir_expr_kind_of(lhs), ZM_IR_EXPR_MEMBER);
    cr_assert_str_eq(zm_ir_expr_text(lhs), "role");
    cr_assert_str_eq(zm_ir_expr_text(zm_ir_expr_operand(lhs, 0)), "author");
    cr_assert_eq(zm_ir_expr_ref_kind(zm_ir_expr_operand(c, 1)), ZM_IR_REF_ENUM_VALUE);
}

Test(ir, v2_abstract_bases_inline_in_zenstack_order)
{
    const zm_ir *ir = ir_of("datasource db { provider = \"sqlite\" }\n"
                            "abstract model A { a String\n @@allow('read', true) }\n"
                            "abstract model B { b Int }\n"
                            "abstract model C extends A { c Int\n @@map(\"c\") }\n"
                            "model M extends C, B { id Int @id\n m Int }\n",
                            2);
    cr_assert_null(zm_ir_model_find(ir, "A"), "abstract models are not listed");
    cr_assert_eq(zm_ir_model_count(ir), 1);
    const zm_ir_model *m = zm_ir_model_find(ir, "M");
    char buf[128];
    cr_assert_str_eq(field_names(m, buf, sizeof buf), "b,a,c,id,m");
    cr_assert_str_eq(zm_ir_field_origin(field(ir, "M", "a")), "A");
    cr_assert_str_eq(zm_ir_field_origin(field(ir, "M", "m")), "M");
    cr_assert_not(zm_ir_field_is_from_delegate(field(ir, "M", "a")));
    cr_assert_str_eq(zm_ir_model_db_name(m), "M", "@@map of a base is not inherited");
    cr_assert_eq(zm_ir_model_rule_count(m), 1);
    cr_assert_str_eq(zm_ir_rule_origin(zm_ir_model_rule_at(m, 0)), "A");
}

Test(ir, v3_mixins_then_delegate_base_then_own)
{
    const zm_ir *ir = ir_of("datasource db { provider = \"postgresql\"\n url = env(\"X\") }\n"
                            "type T { t DateTime @default(now()) }\n"
                            "type O with T { ownerId Int\n @@index([ownerId]) }\n"
                            "enum Kind { A B }\n"
                            "model Base with O { id Int @id\n kind Kind\n @@delegate(kind)\n"
                            "  @@unique([ownerId, kind]) }\n"
                            "model Sub extends Base { s String @unique }\n",
                            3);
    const zm_ir_model *base = zm_ir_model_find(ir, "Base"), *sub = zm_ir_model_find(ir, "Sub");
    char buf[128];
    cr_assert_str_eq(field_names(base, buf, sizeof buf), "t,ownerId,id,kind");
    cr_assert_str_eq(field_names(sub, buf, sizeof buf), "t,ownerId,id,kind,s");
    cr_assert_eq(zm_ir_model_kind_of(zm_ir_model_find(ir, "T")), ZM_IR_TYPE);

    cr_assert(zm_ir_model_is_delegate(base));
    cr_assert_eq(zm_ir_model_discriminator(base), zm_ir_model_field_find(base, "kind"));
    cr_assert_eq(zm_ir_model_base(sub), base);
    cr_assert_eq(zm_ir_model_sub_count(base), 1);
    cr_assert_eq(zm_ir_model_sub_at(base, 0), sub);
    cr_assert_not(zm_ir_model_is_delegate(sub));

    cr_assert(zm_ir_field_is_from_delegate(zm_ir_model_field_find(sub, "id")));
    cr_assert_not(zm_ir_field_is_from_delegate(zm_ir_model_field_find(sub, "s")));
    cr_assert_str_eq(zm_ir_field_origin(zm_ir_model_field_find(sub, "ownerId")), "O");
    /* The sub table is keyed like the base; the base's indexes stay with it. */
    cr_assert_eq(zm_ir_index_field_at(zm_ir_model_primary_key(sub), 0), zm_ir_model_field_find(sub, "id"));
    cr_assert_eq(zm_ir_model_index_count(base), 2);   /* @@index from the mixin, @@unique */
    cr_assert_eq(zm_ir_model_index_count(sub), 1);    /* its own @unique only */
    cr_assert_eq(zm_ir_index_field_at(zm_ir_model_index_at(sub, 0), 0), zm_ir_model_field_find(sub, "s"));
}

Test(ir, no_ir_for_a_schema_with_errors)
{
    zm_options o = {.version = sizeof o, .skip_imports = 1};
    const char *src = "model A { id Int @id\n b Nope }\n";
    comp = zm_compilation_new(&o);
    cr_assert_null(zm_compilation_ir(comp), "not checked yet");
    cr_assert_eq(zm_compilation_load_string(comp, "t.zmodel", src, strlen(src)), ZM_OK);
    cr_assert_eq(zm_compilation_check(comp), ZM_ESCHEMA);
    cr_assert_null(zm_compilation_ir(comp));
}

Test(ir, attributes_know_whether_prisma_keeps_them)
{
    const zm_ir *ir = ir_of("datasource db { provider = \"sqlite\" }\n"
                            "/// A user.\n"
                            "model User {\n"
                            "  /// The key.\n"
                            "  id    Int    @id @map(\"user_id\")\n"
                            "  email String @email @unique(map: \"u_email\")\n"
                            "}\n"
                            "enum E { A @map(\"a\")\n @@map(\"e\") }\n",
                            3);
    const zm_ir_field *email = field(ir, "User", "email");
    cr_assert_eq(zm_ir_field_attr_count(email), 2);
    const zm_ir_attr *is_email = zm_ir_field_attr_at(email, 0), *unique = zm_ir_field_attr_at(email, 1);
    cr_assert_str_eq(zm_ir_attr_name(is_email), "@email");
    cr_assert_not(zm_ir_attr_is_prisma(is_email), "a validation attribute is ZenStack's only");
    cr_assert(zm_ir_attr_is_prisma(unique));
    cr_assert_str_eq(zm_ir_attr_arg_label_at(unique, 0), "map");
    cr_assert_str_eq(zm_ir_attr_arg_name_at(unique, 0), "map");

    cr_assert_str_eq(zm_ir_model_comments(zm_ir_model_find(ir, "User")), "/// A user.");
    cr_assert_str_eq(zm_ir_model_docs(zm_ir_model_find(ir, "User")), "A user.");
    cr_assert_str_eq(zm_ir_field_comments(field(ir, "User", "id")), "/// The key.");
    cr_assert_null(zm_ir_field_comments(email));

    const zm_ir_enum *e = zm_ir_enum_find(ir, "E");
    cr_assert_eq(zm_ir_enum_attr_count(e), 1);
    cr_assert_str_eq(zm_ir_attr_name(zm_ir_enum_attr_at(e, 0)), "@@map");
    const zm_ir_enum_value *a = zm_ir_enum_value_at(e, 0);
    cr_assert_eq(zm_ir_enum_value_attr_count(a), 1);
    cr_assert(zm_ir_attr_is_prisma(zm_ir_enum_value_attr_at(a, 0)));
}

/* Plugins see the IR through a table: every entry is the function itself. */
Test(ir, the_plugin_table_holds_the_functions)
{
    cr_assert_eq(zm_ir_api_table.size, sizeof(zm_ir_api));
    cr_assert_eq(zm_ir_api_table.zm_ir_model_count, zm_ir_model_count);
    cr_assert_eq(zm_ir_api_table.zm_ir_attr_arg_label_at, zm_ir_attr_arg_label_at);
}
