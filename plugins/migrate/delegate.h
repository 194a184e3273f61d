/*
** delegate.h — the backend a database command runs on: zmc's own engine
** (sql, the default) or the Prisma CLI (prisma), chosen with --backend or
** the schema's `plugin migrate { provider = "migrate"  backend = "prisma" }`.
*/
#ifndef ZM_MIGRATE_DELEGATE_H
#define ZM_MIGRATE_DELEGATE_H

typedef enum zm_backend { ZM_BACKEND_SQL, ZM_BACKEND_PRISMA } zm_backend;

/* The backend of the command line argv ({"migrate", "dev", ...}): its
   --backend, else the schema's plugin block (the schema is compiled for
   that), else sql. Only migrate dev, deploy, reset, status, resolve and db
   push go to Prisma. Returns 0, or an exit status after printing why. */
int zm_backend_choose(const char *command, int argc, char **argv, zm_backend *out);

/* Remove --backend and its value from argv (NULL-terminated again); the
   new argc. */
int zm_backend_strip(int argc, char **argv);

/* Run the command line through the Prisma CLI: the schema compiled, turned
   into a Prisma schema by the `prisma` backend, and Prisma Migrate run on it
   (prisma_cli.h). Returns Prisma's exit status, or zmc's own. */
int zm_prisma_delegate(const char *command, int argc, char **argv);

#endif
