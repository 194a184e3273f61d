/*
** module.h — loading zmc plugins (shared objects) with GNU libltdl.
**
** A plugin is found by, in order: an explicit path (anything with a '/' or
** ending in ".so"), then NAME.so in each folder of $ZMC_PLUGIN_PATH
** (colon-separated), the build tree's module folders, and the installed
** module folder. It is accepted only if it exports `zmc_plugin_descriptor`
** with an ABI this host supports. Every failure has its own message.
*/
#ifndef ZM_MODULE_H
#define ZM_MODULE_H

#include "zmc/plugin.h"

typedef struct zm_module zm_module;

/* Load a plugin by name ("prisma") or path. On failure returns NULL and sets
   *error to a malloc'ed one-line message (the caller frees it). */
zm_module *zm_module_load(const char *name_or_path, char **error);
const zmc_plugin *zm_module_plugin(const zm_module *m);
const char *zm_module_path(const zm_module *m);
void zm_module_unload(zm_module *m);

/* The folders searched for a plugin name, for messages and `--list`:
   calls `visit` with each in order. */
void zm_module_search_path(void (*visit)(const char *dir, void *ctx), void *ctx);

#endif
