/*
** datasource.h — from a schema's `datasource` block to a database URL:
** the provider, `url = "..."` or `url = env("X")`, and `.env` files.
*/
#ifndef ZM_DATASOURCE_H
#define ZM_DATASOURCE_H

#include "zmc/db.h"
#include "zmc/ir.h"

/* Load a .env file into the environment; variables already set win.
   Returns 0, or -1 when the file cannot be read. */
int zm_dotenv_load(const char *path);

/* zm_datasource_url() is declared in zmc/db.h. */

#endif
