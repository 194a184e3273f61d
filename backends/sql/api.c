/*
** api.c — the SQL backend's functions as tables (zmc/relational.h,
** zmc/diff.h), which its module's descriptor hands to other modules.
*/
#include "zmc/diff.h"
#include "zmc/relational.h"

const zm_rel_api zm_rel_api_table = {
    .size = sizeof(zm_rel_api),
#define ZM_REL_API_ENTRY(f) .f = f,
    ZM_REL_API_FUNCTIONS(ZM_REL_API_ENTRY)
#undef ZM_REL_API_ENTRY
};

const zm_diff_api zm_diff_api_table = {
    .size = sizeof(zm_diff_api),
#define ZM_DIFF_API_ENTRY(f) .f = f,
    ZM_DIFF_API_FUNCTIONS(ZM_DIFF_API_ENTRY)
#undef ZM_DIFF_API_ENTRY
};
