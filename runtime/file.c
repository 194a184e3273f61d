/*
** file.c — writing output files safely (zmc/command.h).
*/
#include "zmc/command.h"
#include "zmc/zmc.h"

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

/* A file read as a stream (a pipe, /dev/stdin) may say no more than this:
   /dev/zero given as a schema would otherwise be read until memory ran out. */
enum { MAX_STREAMED = 64 << 20 };

int zm_read_file(const char *path, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return errno == ENOENT || errno == ENOTDIR ? ZM_ENOTFOUND : ZM_EIO;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        fclose(f);
        errno = e;
        return ZM_EIO;
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return ZM_EIO;
    }
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
        if (n + 1 == cap) {
            if (cap > MAX_STREAMED) {
                fclose(f);
                free(buf);
                errno = EFBIG;
                return ZM_EIO;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) break;
            buf = p;
            cap *= 2;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        errno = EIO;
        return ZM_EIO;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return ZM_OK;
}
