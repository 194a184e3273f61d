/*
** dialect.h — finding a database's dialect (zmc/dialect.h) by provider
** name or URL scheme, and its driver.
**
** A dialect is the module dialect_<provider> of the plugin folders (see
** module.h), loaded through the plugin loader with its ABI checked, once:
** descriptors stay loaded for the process's lifetime. An alias ("postgres")
** or a URL scheme ("file") is matched against every dialect module found.
*/
#ifndef ZM_DIALECT_H
#define ZM_DIALECT_H

#include <stdbool.h>

#include "zmc/dialect.h"

/* The dialect of a provider name or alias; NULL with *error set
   (malloc'ed) when no module provides it. */
const zmc_dialect *zm_dialect_find(const char *provider, char **error);
/* The dialect whose url_schemes hold `scheme` ("file", "postgres"). */
const zmc_dialect *zm_dialect_for_scheme(const char *scheme, char **error);
/* The dialect's driver, its module loaded on first use. */
const zmc_db_driver *zm_dialect_driver(const zmc_dialect *d, char **error);

/* Does the dialect have feature flag `f` (ZMC_DIALECT_*)? */
bool zm_dialect_has(const zmc_dialect *d, unsigned f);
/* Is `name` the dialect's provider or one of its aliases? */
bool zm_dialect_named(const zmc_dialect *d, const char *name);

/* "sqlite, postgresql or mysql": the providers of the dialect modules
   found, for messages. Malloc'ed. */
char *zm_dialect_list(void);

/* Unload every dialect and driver loaded (at exit: their descriptors are
   gone afterwards). */
void zm_dialect_unload_all(void);

#endif
