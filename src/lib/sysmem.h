/* SPDX-License-Identifier: MIT */
/* sysmem.h — the machine's and a process's memory ceilings and the OOM killer's count: readers and pure parsers. */
#ifndef MW_SYSMEM_H
#define MW_SYSMEM_H

#include <stddef.h>
#include <stdint.h>

#include "memwatch.h"

/* Internal to the library (mw__ names). Linux reads /proc (sysmem-linux.c); elsewhere every
 * reader answers MW_EUNSUPPORTED (sysmem-none.c). The parsers (sysmemparse.c) are generic, so
 * they are tested on fixture texts on any OS. Each reader opens, reads and closes one small
 * file (~10 µs): callers read them at most about once a second. */

/* No limit set (RLIMIT_AS "unlimited"). */
#define MW__LIMIT_NONE UINT64_MAX

/* MemAvailable of /proc/meminfo, bytes. Any thread. Errors: MW_EUNSUPPORTED (not Linux, or a
 * kernel before 3.14 without the line), MW_EPERM, MW_ESYS. */
int mw__mem_available(uint64_t *bytes);
/* The soft RLIMIT_AS of process pid ("Max address space" of /proc/PID/limits), bytes, or
 * MW__LIMIT_NONE. Any thread. Errors: MW_ENOPROC, MW_EPERM, MW_EUNSUPPORTED, MW_ESYS. */
int mw__rlimit_as(long pid, uint64_t *bytes);
/* The machine's count of OOM kills so far (oom_kill of /proc/vmstat, kernel 4.13+). Any thread.
 * Errors: MW_EUNSUPPORTED (not Linux, or an older kernel), MW_EPERM, MW_ESYS. */
int mw__oom_kills(uint64_t *count);

/* ---- pure parsers: text of len bytes, not NUL-terminated; MW_EINVAL when the line is missing */
int mw__parse_meminfo_available(const char *text, size_t len, uint64_t *bytes);
int mw__parse_limits_as(const char *text, size_t len, uint64_t *bytes);
int mw__parse_vmstat_oom_kill(const char *text, size_t len, uint64_t *count);

#endif
