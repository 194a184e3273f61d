/*
** file.h — writing output files safely.
*/
#ifndef ZM_FILE_H
#define ZM_FILE_H

#include <stddef.h>

/* Replace `path` with `len` bytes of `text` atomically: write a temporary
   file in the same folder, then rename it over the target, so a reader (or a
   crash) never sees half a file. An existing file keeps its permissions.
   Returns 0, or -1 with errno set. */
int zm_write_file_atomic(const char *path, const char *text, size_t len);

#endif
