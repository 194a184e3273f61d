/*
** print.h — the Prisma schema ZenStack writes for a ZModel schema.
**
** zm_prisma_print() walks the model IR (zmc/ir.h, nothing else of zmc) and
** writes the schema.prisma that ZenStack's Prisma generator would write at
** the IR's language level: v2 (zenstack 2.22) or v3 (@zenstackhq/sdk 3.8).
** With `format` set, columns are aligned as `prisma format` aligns them.
*/
#ifndef ZM_PRISMA_PRINT_H
#define ZM_PRISMA_PRINT_H

#include <stddef.h>

#include "zmc/ir.h"

typedef struct zm_prisma_options {
    int format;     /* 1: align columns exactly as `prisma format` */
} zm_prisma_options;

/* Write the schema through `write` (called with pieces of the text, in
   order). Returns 0, or -1 if memory ran out (nothing written then). */
int zm_prisma_print(const zm_ir *ir, const zm_prisma_options *opt,
                    void (*write)(void *ctx, const char *s, size_t n), void *ctx);

#endif
