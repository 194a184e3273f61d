/*
** file.c — writing output files safely (see file.h).
*/
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int zm_write_file_atomic(const char *path, const char *text, size_t len)
{
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
