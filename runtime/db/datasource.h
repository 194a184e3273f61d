/*
** datasource.h — from a schema's `datasource` block to a database URL:
** the provider, `url = "..."` or `url = env("X")`, and `.env` files.
*/
#ifndef ZM_DATASOURCE_H
#define ZM_DATASOURCE_H

#include "db.h"
#include "zmc/ir.h"

/* Load a .env file into the environment; variables already set win.
   Returns 0, or -1 when the file cannot be read. */
int zm_dotenv_load(const char *path);

/* The URL of the schema's datasource (or, with `key`, another of its
   entries such as "shadowDatabaseUrl"), parsed. Loads `.env` from the
   working directory and from the schema's folder first. A relative SQLite
   path is taken from the schema's folder. Errors say which entry and which
   variable; they never contain a password. Returns 0, 1 when the entry is
   absent and optional (`key` other than "url"), or -1 with *error set
   (malloc'ed). */
int zm_datasource_url(const zm_ir *ir, const char *schema_path, const char *key, zm_db_url *out,
                      char **error);

#endif
