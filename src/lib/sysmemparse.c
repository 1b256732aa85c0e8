/* SPDX-License-Identifier: MIT */
/* sysmemparse.c — pure parsers of /proc/meminfo, /proc/PID/limits and /proc/vmstat lines (sysmem.h). */
#include "config.h"

#include <string.h>

#include "sysmem.h"

/* The line of text starting with key (at a line start), its rest in *rest / *rlen. */
static int find_line(const char *text, size_t len, const char *key, const char **rest, size_t *rlen)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (end - i >= kl && memcmp(text + i, key, kl) == 0) {
            *rest = text + i + kl;
            *rlen = end - i - kl;
            return 0;
        }
        i = end + 1;
    }
    return MW_EINVAL;
}

/* A decimal number after blanks, then blanks; *used is how far it reached. */
static int number(const char *s, size_t len, uint64_t *v, size_t *used)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t d = i;
    uint64_t x = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        if (x > (UINT64_MAX - 9) / 10)
            return MW_EINVAL;
        x = x * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == d)
        return MW_EINVAL;
    *v = x;
    *used = i;
    return 0;
}

int mw__parse_meminfo_available(const char *text, size_t len, uint64_t *bytes)
{
    const char *r;
    size_t rl, used;
    uint64_t kb;
    if (find_line(text, len, "MemAvailable:", &r, &rl) != 0 || number(r, rl, &kb, &used) != 0 ||
        kb > UINT64_MAX / 1024)
        return MW_EINVAL;
    *bytes = kb * 1024; /* the kernel's "kB" are KiB */
    return 0;
}

int mw__parse_limits_as(const char *text, size_t len, uint64_t *bytes)
{
    const char *r;
    size_t rl, used;
    if (find_line(text, len, "Max address space", &r, &rl) != 0)
        return MW_EINVAL;
    size_t i = 0;
    while (i < rl && r[i] == ' ')
        i++;
    if (rl - i >= 9 && memcmp(r + i, "unlimited", 9) == 0) {
        *bytes = MW__LIMIT_NONE;
        return 0;
    }
    return number(r, rl, bytes, &used);
}

int mw__parse_vmstat_oom_kill(const char *text, size_t len, uint64_t *count)
{
    const char *r;
    size_t rl, used;
    if (find_line(text, len, "oom_kill ", &r, &rl) != 0)
        return MW_EINVAL;
    return number(r, rl, count, &used);
}
