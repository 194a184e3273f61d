/*
** datasource.h — from a schema's `datasource` block to a database URL:
** the provider, `url = "..."` or `url = env("X")`, and `.env` files.
*/
#ifndef ZM_DATASOURCE_H
#define ZM_DATASOURCE_H

#include "zmc/db.h"
#include "zmc/ir.h"

/* zm_datasource_url() and zm_dotenv_load() are declared in zmc/db.h. */

#endif
