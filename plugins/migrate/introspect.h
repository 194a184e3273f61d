/*
** introspect.h — a connected database read back into the relational
** schema: the SQL backend's zm_rel_introspect() (zmc/relational.h), whose
** catalog queries run on the host's connection (zmc/db.h).
**
**     char *error = NULL;
**     zm_rel_schema *live = zm_db_introspect(db, NULL, &error);
**     char *text = zm_rel_describe(live);
**
** Both sides are reached through the tables the host hands the engine
** (ZMC_PLUGIN); a test program links them directly.
*/
#ifndef ZM_DB_INTROSPECT_H
#define ZM_DB_INTROSPECT_H

#include "zmc/db.h"
#include "zmc/relational.h"

/* The database's schema: PostgreSQL's connection schema (the URL's
   ?schema=, "public" by default), SQLite's main database. When `like` (may
   be NULL) is a model with a PostgreSQL `schemas = [...]` list, the
   namespaces it lists instead, objects qualified with theirs as in the
   model. NULL with *error set (malloc'ed) if a catalog query failed. */
zm_rel_schema *zm_db_introspect(zm_db *db, const zm_rel_schema *like, char **error);

/* PostgreSQL multiSchema: read the given namespaces; `multi` qualifies
   objects with theirs (a datasource `schemas` list). SQLite ignores them. */
zm_rel_schema *zm_db_introspect_namespaces(zm_db *db, const char *const *namespaces, size_t count, bool multi,
                                           char **error);

/* The namespaces a database read as `like` covers: a multiSchema model's
   datasource `schemas` list, and any namespace its objects use that the
   list lacks. A NULL-ended array to free, or NULL (*n = 0) when `like` is
   not multiSchema; NULL with *n = SIZE_MAX when out of memory. */
const char **zm_db_namespaces_of(const zm_rel_schema *like, size_t *n);

/* What the database holds that `s` (read from it, with the same `like`)
   cannot: views, triggers, CHECK constraints (zm_rel_read_notes). 0, or -1
   with *error set. */
int zm_db_read_notes(zm_db *db, zm_rel_schema *s, const zm_rel_schema *like, char **error);

#endif
