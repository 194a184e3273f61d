/*
** file.c — writing output files safely (zmc/command.h).
*/
#include "zmc/command.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A symlink's final target (a relative link taken from the link's folder),
   malloc'ed; NULL when `path` is no symlink. Writing goes to the target,
   so that the link stays a link (a schema linked into several projects). */
static char *link_target(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) return NULL;
    char *real = realpath(path, NULL);
    if (real) return real;
    /* a dangling link: write where it points, creating the file */
    char buf[4096];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n <= 0) return NULL;
    buf[n] = '\0';
    const char *slash = strrchr(path, '/');
    if (buf[0] == '/' || !slash) return strdup(buf);
    size_t dir = (size_t)(slash - path) + 1, total = dir + (size_t)n + 1;
    char *joined = malloc(total);
    if (joined) snprintf(joined, total, "%.*s%s", (int)dir, path, buf);
    return joined;
}

static int write_atomic(const char *path, const char *text, size_t len, int links);

int zm_write_file_atomic(const char *path, const char *text, size_t len) { return write_atomic(path, text, len, 0); }

static int write_atomic(const char *path, const char *text, size_t len, int links)
{
    char *target = link_target(path);
    if (target && links >= 40) {    /* dangling links in a loop */
        free(target);
        errno = ELOOP;
        return -1;
    }
    if (target) {
        int rc = write_atomic(target, text, len, links + 1);
        int e = errno;
        free(target);
        errno = e;
        return rc;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp) return -1;
    snprintf(tmp, n + 16, "%s.zmcXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    struct stat st;
    if (stat(path, &st) == 0) fchmod(fd, st.st_mode & 07777);
    else {
        mode_t mask = umask(0);     /* a new file: what open() would have made */
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    FILE *f = fdopen(fd, "wb");
    int ok = f && fwrite(text, 1, len, f) == len;
    if (f) ok = (fclose(f) == 0) && ok;
    else close(fd);
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        int e = errno;
        unlink(tmp);
        errno = e;
    }
    free(tmp);
    return ok ? 0 : -1;
}
