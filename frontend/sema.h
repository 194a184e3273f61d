/*
** sema.h — the passes after parsing, and what they share.
**
** link.c resolves names at declaration level and resolve.c those inside
** expressions; check_attr.c checks every attribute application against its
** declaration, check_model.c the structure of models and the datasource. Both report into the
** compilation's diagnostic sink and keep going, so one run reports all.
*/
#ifndef ZM_SEMA_H
#define ZM_SEMA_H

#include "compilation.h"

#include "map.h"

/* The link pass's state, shared with expression resolution. */
typedef struct zm_linker {
    zm_compilation *c;
    int level;              /* 2 or 3 */
    zm_map names;           /* name -> newest zm_decl, chained by same_name */
    zm_file *stdlib;
} zm_linker;

/* Kinds of declaration to look for, as a mask. */
#define ZM_KIND(k) (1u << (k))
#define ZM_KINDS_TYPES \
    (ZM_KIND(ZM_DECL_MODEL) | ZM_KIND(ZM_DECL_VIEW) | ZM_KIND(ZM_DECL_TYPE) | ZM_KIND(ZM_DECL_ENUM))

/* The declaration `name` of one of `kinds` visible from file `from`. */
zm_decl *zm_link_lookup(zm_linker *l, const zm_file *from, const char *name, unsigned kinds);

/* Resolve the names inside attribute arguments and function bodies. */
void zm_resolve_expressions(zm_linker *l);

/* The internal attribute `name` (e.g. "@@@once") on declaration d, if any. */
const zm_attr *zm_decl_attr(const zm_decl *d, const char *name);

/* The attribute `name` (e.g. "@relation") on field or enum value m, if any. */
const zm_attr *zm_member_attr(const zm_member *m, const char *name);

/* True if parameter p of declaration d exists at `level` (a parameter may be
   limited to one level by @@@zenstackParams). */
bool zm_param_exists(const zm_decl *d, const zm_param *p, int level);

/* Check function calls and policy rules inside attributes (check_expr.c). */
void zm_check_expressions(zm_compilation *c, int level);

/* Type expressions and check operators (check_types.c). */
void zm_check_types(zm_compilation *c, int level);
/* Database names against the datasource's identifier limit (check_names.c);
   on the IR, so only once everything else passed. */
void zm_check_names(zm_compilation *c);

/* Check every attribute application in the user's files at `level`. */
void zm_check_attributes(zm_compilation *c, int level);

/* True if model d carries @@delegate (a polymorphic base). */
bool zm_is_delegate(const zm_decl *d);

/* NULL if `pattern` compiles as a JavaScript RegExp; else V8's message
   ("Invalid regular expression: /.../: ..."), written into `message`. */
const char *zm_js_regex_error(const char *pattern, zm_buf *message);

/* Check models, fields and the datasource (check_model.c). */
void zm_check_models(zm_compilation *c, int level);

#endif
