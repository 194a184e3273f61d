/*
** replay.c — runs the fuzz target over saved inputs without libFuzzer, so the
** regression seeds in tests/fuzz/seeds are checked by every test run (and
** under the sanitizers in CI), not only when someone fuzzes.
**
**   fuzz_replay DIR|FILE...
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compilation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replay_file(const char *path)
{
    char *text;
    size_t len;
    if (zm_read_file(path, &text, &len) != ZM_OK) {
        fprintf(stderr, "fuzz_replay: cannot read %s\n", path);
        exit(1);
    }
    LLVMFuzzerTestOneInput((const uint8_t *)text, len); /* traps on a finding */
    free(text);
    return 1;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *e;
            while (d && (e = readdir(d))) {
                if (e->d_name[0] == '.') continue;
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
                n += replay_file(path);
            }
            if (d) closedir(d);
        } else {
            n += replay_file(argv[i]);
        }
    }
    if (n == 0) {
        fputs("fuzz_replay: no inputs\n", stderr);
        return 1;
    }
    printf("fuzz.seeds: %zu passed, 0 failed\n", n);
    return 0;
}
