/*
** prisma_cli.h — migrations through the Prisma backend: run the real
** Prisma CLI (6.x) on the Prisma schema compiled from the ZModel, as
** ZenStack's own CLI does.
**
**   zmc migrate dev -n init       ->  prisma migrate dev --schema <dir>/~schema.XXXXXX.prisma
**                                       --name init --skip-generate --skip-seed
**
** The schema text goes to a temporary file next to the zmodel (so Prisma's
** migrations folder is <zmodel folder>/migrations, as zmc's own), Prisma
** runs with zmc's terminal, and the file is removed afterwards, also when
** zmc is interrupted. Choosing the backend and compiling the schema are
** the caller's.
*/
#ifndef ZM_PRISMA_CLI_H
#define ZM_PRISMA_CLI_H

#include <stddef.h>

/* Prisma's arguments, without the program: argv[argc] is NULL. Every
   string is owned (malloc'ed); release with zm_prisma_args_free. */
typedef struct zm_prisma_args {
    char **argv;
    size_t argc;
} zm_prisma_args;

/* zmc's words -> Prisma's argv (pure; no I/O). words[0] is "migrate" or
   "db", words[1] the subcommand, then the options as the user typed them
   (`--name x`, `--name=x`, `-n x`). `--schema`, `--zenstack` and
   `--backend` are zmc's and are dropped (so are reset's --skip-seed and
   --skip-generate, always passed); schema_file is passed as --schema.
   The options come out in one order (schema first, Prisma's --skip-*
   last), a repeated one once with its last value, a value starting with
   `-` joined as `--name=-x` (Prisma would take it for an option).
   Returns 0 and fills *out; or 2 (usage) with *error malloc'ed (when
   error is not NULL): an option zmc knows but Prisma cannot honour (named,
   "not available with the Prisma backend"), an unknown argument, a
   missing value, `migrate diff` (never delegated), an unknown command. */
int zm_prisma_map_args(int nwords, char **words, const char *schema_file, zm_prisma_args *out, char **error);
void zm_prisma_args_free(zm_prisma_args *a);

/* Where the Prisma CLI is: $ZMC_PRISMA (a path to an executable), else
   node_modules/.bin/prisma in the current folder or any parent (what
   `npx prisma` runs, found without npx so that nothing is downloaded),
   else `prisma` on PATH. A malloc'ed path, or NULL (also when ZMC_PRISMA
   is set but names no executable file: an explicit choice is not
   second-guessed). */
char *zm_prisma_find(void);

typedef struct zm_prisma_run_opts {
    const char *zmodel_path;    /* the temporary schema goes to this file's folder */
    const char *prisma_schema;  /* the Prisma schema text */
    size_t prisma_schema_len;
    int nwords;                 /* zmc's words, as for zm_prisma_map_args */
    char **words;
    const char *command;        /* "zmc migrate dev": the prefix of messages */
} zm_prisma_run_opts;

/* Map the words, write the temporary schema (<zmodel folder>/~schema.
   XXXXXX.prisma, unique per process), run Prisma with zmc's stdin, stdout
   and stderr in zmc's process group (and PRISMA_HIDE_UPDATE_MESSAGE=1
   unless set, as ZenStack runs it), wait, remove the file. One run at a
   time: the signal handler's state is the process's.
   Returns Prisma's exit status (128+S when a signal S killed it), or zmc's
   own: 2 usage (zm_prisma_map_args), 3 no Prisma CLI (one error naming
   how to install it), cannot write the file or start Prisma. Messages are
   `<command>: error: ...` lines on stderr.
   Interrupts: SIGTERM and SIGHUP sent to zmc go on to Prisma; SIGINT from
   the terminal reaches both already, one sent to zmc alone by a process
   goes on too. zmc still waits for Prisma and removes the file, restores
   the signal dispositions it found, and then dies of the signal itself
   (default disposition), so that its caller sees why it stopped. A signal
   zmc ignored on entry stays ignored, for zmc and Prisma. */
int zm_prisma_run(const zm_prisma_run_opts *o);

#endif
