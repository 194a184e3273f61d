/*
** pull_merge.h — `db pull` into an existing schema file: the models and
** enums read from the database merged into what the user wrote.
*/
#ifndef ZM_PULL_MERGE_H
#define ZM_PULL_MERGE_H

#include <stdbool.h>

#include "zmc/buf.h"

/* Merge `pulled` (ZModel text: the models and enums `db pull` wrote, named
   after the schema's own where it had them) into `text`, the schema file
   `name`, and print the result in `zmc format`'s layout into `out`.

   A model or enum of the file that the pull also has is edited in place:
   a field whose type and database attributes (@id, @unique, @default,
   @map, @db.*, @relation, @updatedAt) are unchanged is left as it was,
   byte for byte; a changed one gets the pulled type and database
   attributes and keeps every other attribute (@allow, @email, @omit, ...),
   its comments and its place; a new field goes after the model's last
   field; a scalar field whose column is gone is removed, and a relation
   field with it. Model attributes are treated alike: @@id, @@unique,
   @@index, @@fulltext, @@map, @@ignore and @@schema follow the database,
   @@allow, @@deny, @@validate, @@delegate and the rest stay. Models of the
   file the database no longer has are removed; abstract models, types,
   views, enums and everything else are kept. Pulled declarations the file
   lacks are appended. A model named in `keep` (NULL or names one per
   line: the models whose tables the database has as the schema says) keeps
   its text whole; only the pulled fields it lacks are added (the other
   side of a relation to a new table). With `force`, every model and enum
   of the file is dropped first and the pull's written in their place (the
   datasource, generators, plugins and imports stay).

   Returns 0; -1 after printing `name`'s syntax errors (or the pulled
   text's, a bug) to stderr. */
int zm_pull_merge(const char *name, const char *text, size_t len, const char *pulled, size_t pulled_len, bool force,
                  const char *keep, zm_buf *out);

#endif
