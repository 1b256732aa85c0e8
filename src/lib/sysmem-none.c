/* SPDX-License-Identifier: MIT */
/* sysmem-none.c — no /proc on this OS: the machine's and a process's ceilings are unknown (MW_EUNSUPPORTED). */
#include "config.h"

#include "sysmem.h"

/* macOS has neither MemAvailable nor an OOM killer count that memwatch could read cheaply; the
 * time to a limit and the OOM line are then simply not said. */

int mw__mem_available(uint64_t *bytes)
{
    *bytes = 0;
    return MW_EUNSUPPORTED;
}

int mw__rlimit_as(long pid, uint64_t *bytes)
{
    (void)pid;
    *bytes = 0;
    return MW_EUNSUPPORTED;
}

int mw__oom_kills(uint64_t *count)
{
    *count = 0;
    return MW_EUNSUPPORTED;
}
