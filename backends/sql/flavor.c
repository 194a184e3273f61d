/*
** flavor.c — the SQL flavours this backend writes, found by the name a
** dialect gives (zmc/dialect.h's sql_flavor): the table is the only place
** that lists them.
*/
#include <string.h>

#include "sql.h"

static const sql_flavor *const FLAVORS[] = {&sql_flavor_sqlite, &sql_flavor_postgresql, &sql_flavor_mysql};

const sql_flavor *sql_flavor_of(const zmc_dialect *d)
{
    if (!d || !d->sql_flavor) return NULL;
    for (size_t i = 0; i < sizeof FLAVORS / sizeof FLAVORS[0]; i++)
        if (strcmp(FLAVORS[i]->name, d->sql_flavor) == 0) return FLAVORS[i];
    return NULL;
}
