/*
** introspect.h — a connected database read back into the relational
** schema (zmc/relational.h's zm_rel_introspect over runtime/db's drivers).
**
**     char *error = NULL;
**     zm_rel_schema *live = zm_db_introspect(db, &error);
**     char *text = zm_rel_describe(live);
**
** The schema is built by backends/sql's zm_sql library (plugin mode): a
** program calling these defines zmc_plugin_ir if it also lowers schemas;
** introspection alone makes no IR call.
*/
#ifndef ZM_DB_INTROSPECT_H
#define ZM_DB_INTROSPECT_H

#include "db.h"
#include "zmc/relational.h"

/* The database's schema: PostgreSQL's connection schema (the URL's
   ?schema=, "public" by default), SQLite's main database. NULL with *error
   set (malloc'ed) if a catalog query failed. */
zm_rel_schema *zm_db_introspect(zm_db *db, char **error);

/* PostgreSQL multiSchema: read the given namespaces; `multi` qualifies
   objects with theirs (a datasource `schemas` list). SQLite ignores them. */
zm_rel_schema *zm_db_introspect_namespaces(zm_db *db, const char *const *namespaces, size_t count, bool multi,
                                           char **error);

#endif
