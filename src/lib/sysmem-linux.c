/* SPDX-License-Identifier: MIT */
/* sysmem-linux.c — MemAvailable, a process's RLIMIT_AS and the OOM kill count from /proc (sysmem.h). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include "probe-linux.h"
#include "sysmem.h"

typedef int (*parse_fn)(const char *text, size_t len, uint64_t *v);

/* Read path whole (a few KiB; grown on the heap if a kernel ever makes it longer) and parse it;
 * a missing line is a kernel without that figure. */
static int read_parse(const char *path, parse_fn parse, uint64_t *v)
{
    char text[16384];
    mw__growbuf b = {text, sizeof(text), 1};
    size_t len;
    int rc = mw__linux_read_file(AT_FDCWD, path, &b, &len);
    if (rc == MW_ESYS) { /* longer than the stack buffer */
        b = (mw__growbuf){malloc(sizeof(text) * 2), sizeof(text) * 2, 0};
        rc = b.p ? mw__linux_read_file(AT_FDCWD, path, &b, &len) : MW_ENOMEM;
    }
    if (rc == 0 && parse(b.p, len, v) != 0)
        rc = MW_EUNSUPPORTED;
    if (b.p != text)
        free(b.p);
    return rc;
}

int mw__mem_available(uint64_t *bytes)
{
    *bytes = 0;
    int rc = read_parse("/proc/meminfo", mw__parse_meminfo_available, bytes);
    return rc == MW_ENOPROC ? MW_EUNSUPPORTED : rc; /* no /proc mounted */
}

int mw__rlimit_as(long pid, uint64_t *bytes)
{
    char path[64];
    *bytes = 0;
    if (pid <= 0)
        return MW_EINVAL;
    snprintf(path, sizeof(path), "/proc/%ld/limits", pid);
    return read_parse(path, mw__parse_limits_as, bytes);
}

int mw__oom_kills(uint64_t *count)
{
    *count = 0;
    int rc = read_parse("/proc/vmstat", mw__parse_vmstat_oom_kill, count);
    return rc == MW_ENOPROC ? MW_EUNSUPPORTED : rc;
}
