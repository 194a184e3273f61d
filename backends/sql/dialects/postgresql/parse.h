/*
** parse.h — the PostgreSQL driver's analyse() (parse.c): a script's
** statements as PostgreSQL's own parser reads them.
*/
#ifndef ZM_PG_PARSE_H
#define ZM_PG_PARSE_H

#include "zmc/dialect.h"

zm_db_status pg_analyse(const char *script, zmc_sql_analysis **out, zm_db_error *err);
void pg_analysis_free(zmc_sql_analysis *a);

#endif
