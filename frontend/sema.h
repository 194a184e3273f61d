/*
** sema.h — the passes after parsing, and what they share.
**
** link.c resolves names at declaration level; check_attr.c checks every
** attribute application against its declaration. Both report into the
** compilation's diagnostic sink and keep going, so one run reports all.
*/
#ifndef ZM_SEMA_H
#define ZM_SEMA_H

#include "compilation.h"

/* The internal attribute `name` (e.g. "@@@once") on declaration d, if any. */
const zm_attr *zm_decl_attr(const zm_decl *d, const char *name);

/* Check every attribute application in the user's files at `level`. */
void zm_check_attributes(zm_compilation *c, int level);

#endif
