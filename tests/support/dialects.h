/*
** dialects.h — the dialects a test needs, by name, through the one
** registry (runtime/dialect.c) that loads the dialect modules of the build
** tree: a test asks for "postgresql" exactly as zmc does.
*/
#ifndef ZM_TEST_DIALECTS_H
#define ZM_TEST_DIALECTS_H

#include <stdio.h>
#include <stdlib.h>

#include "dialect.h"

/* The dialect of `provider`, or NULL when none provides it. */
static inline const zmc_dialect *zm_test_dialect_or_null(const char *provider)
{
    char *error = NULL;
    const zmc_dialect *d = zm_dialect_find(provider ? provider : "", &error);
    free(error);
    return d;
}

/* The dialect of `provider`; a test that cannot have it stops. */
static inline const zmc_dialect *zm_test_dialect(const char *provider)
{
    char *error = NULL;
    const zmc_dialect *d = zm_dialect_find(provider, &error);
    if (!d) {
        fprintf(stderr, "test: no dialect %s: %s\n", provider, error ? error : "");
        abort();
    }
    return d;
}

#define DIALECT_SQLITE zm_test_dialect("sqlite")
#define DIALECT_POSTGRESQL zm_test_dialect("postgresql")
#define DIALECT_MYSQL zm_test_dialect("mysql")

#endif
