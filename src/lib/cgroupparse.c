/* SPDX-License-Identifier: MIT */
/* cgroupparse.c — pure parsers of the cgroup texts: mountinfo, memory.* values, stat, events, oom_control. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"

/* Generic: no OS header, no I/O. The texts come from the kernel, but the parsers trust nothing:
 * every length is checked, a malformed line fails the whole text (MW_EINVAL), and the caller
 * (cgroup-linux.c) turns that into a system error. */

/* v1 writes its "no limit" as the page counter's maximum in bytes (LONG_MAX rounded down to a
 * page: 9223372036854771712 with 4 KiB pages, less with larger ones). No machine has 4 EiB. */
#define V1_UNLIMITED_FLOOR (1ull << 62)

/* Digits [p, end) as a u64. Returns 0, or MW_EINVAL (empty, not digits, overflow). */
static int parse_u64(const char *p, const char *end, uint64_t *v)
{
    if (p >= end)
        return MW_EINVAL;
    uint64_t x = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return MW_EINVAL;
        unsigned d = (unsigned)(*p - '0');
        if (x > (UINT64_MAX - d) / 10)
            return MW_EINVAL;
        x = x * 10 + d;
    }
    *v = x;
    return 0;
}

int mw__cg_parse_value(const char *text, size_t len, uint64_t *v)
{
    if (!text || !v)
        return MW_EINVAL;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    if (len == 3 && memcmp(text, "max", 3) == 0) {
        *v = MW__CG_UNLIMITED;
        return 0;
    }
    int rc = parse_u64(text, text + len, v);
    if (rc == 0 && *v >= V1_UNLIMITED_FLOOR)
        *v = MW__CG_UNLIMITED;
    return rc;
}

/* Calls fn(ctx, key, value) for each "key value" line; a line that is not that fails the text. */
typedef void (*kv_fn)(void *ctx, const char *key, size_t klen, uint64_t v);

static int each_kv(const char *text, size_t len, kv_fn fn, void *ctx)
{
    if (!text)
        return MW_EINVAL;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if (eol > p) {
            const char *sp = memchr(p, ' ', (size_t)(eol - p));
            uint64_t v;
            if (!sp || sp == p || parse_u64(sp + 1, eol, &v) != 0)
                return MW_EINVAL;
            fn(ctx, p, (size_t)(sp - p), v);
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

static int key_is(const char *key, size_t klen, const char *name)
{
    return strlen(name) == klen && memcmp(key, name, klen) == 0;
}

/* A stat line's name, the bit it sets and where its figure goes. */
typedef struct stat_key {
    const char *name;
    size_t len; /* of name: most lines match no key, and length is the cheap refusal */
    unsigned bit;
    size_t off;
} stat_key;

static void put(mw__cgroup_sample *s, const stat_key *k, uint64_t v)
{
    *(uint64_t *)(void *)((char *)s + k->off) = v;
    s->have |= k->bit;
}

#define KEY(name, bit, field) {name, sizeof(name) - 1, bit, offsetof(mw__cgroup_sample, field)}
#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

/* v2's kernel: the "kernel" line (5.18+) is the sum; before it, kernel_stack and slab are the
 * bulk of it. Collected apart and settled after the text (lines may come in any order). */
typedef struct v2_stat_ctx {
    mw__cgroup_sample *s;
    uint64_t stack, slab;
    int have_stack, have_slab;
} v2_stat_ctx;

static void v2_stat_line(void *ctx, const char *k, size_t kl, uint64_t v)
{
    static const stat_key map[] = {
        KEY("anon", MW__CG_ANON, anon),          KEY("file", MW__CG_FILE, file),
        KEY("kernel", MW__CG_KERNEL, kernel),    KEY("shmem", MW__CG_SHMEM, shmem),
        KEY("sock", MW__CG_SOCK, sock),          KEY("file_mapped", MW__CG_MAPPED, mapped),
    };
    v2_stat_ctx *c = ctx;
    for (size_t i = 0; i < NKEYS(map); i++)
        if (kl == map[i].len && memcmp(k, map[i].name, kl) == 0) {
            put(c->s, &map[i], v);
            return;
        }
    if (key_is(k, kl, "kernel_stack"))
        c->stack = v, c->have_stack = 1;
    else if (key_is(k, kl, "slab"))
        c->slab = v, c->have_slab = 1;
}

int mw__cg_parse_v2_stat(const char *text, size_t len, mw__cgroup_sample *s)
{
    if (!s)
        return MW_EINVAL;
    v2_stat_ctx c = {s, 0, 0, 0, 0};
    int rc = each_kv(text, len, v2_stat_line, &c);
    if (rc == 0 && !(s->have & MW__CG_KERNEL) && c.have_stack && c.have_slab) {
        s->kernel = c.stack + c.slab;
        s->have |= MW__CG_KERNEL;
    }
    return rc;
}

static void v2_events_line(void *ctx, const char *k, size_t kl, uint64_t v)
{
    static const stat_key map[] = {
        KEY("low", MW__CG_EV_LOW, ev_low), KEY("high", MW__CG_EV_HIGH, ev_high),
        KEY("max", MW__CG_EV_MAX, ev_max), KEY("oom", MW__CG_EV_OOM, ev_oom),
        KEY("oom_kill", MW__CG_OOM_KILL, oom_kill),
    };
    for (size_t i = 0; i < NKEYS(map); i++)
        if (kl == map[i].len && memcmp(k, map[i].name, kl) == 0) {
            put(ctx, &map[i], v);
            return;
        }
}

int mw__cg_parse_v2_events(const char *text, size_t len, mw__cgroup_sample *s)
{
    return s ? each_kv(text, len, v2_events_line, s) : MW_EINVAL;
}

/* v1: each figure has a local line and its total_ twin; the total wins, whichever comes first. */
typedef struct v1_stat_ctx {
    mw__cgroup_sample *s;
    unsigned from_total; /* bits set from a total_ line */
} v1_stat_ctx;

static void v1_stat_line(void *ctx, const char *k, size_t kl, uint64_t v)
{
    static const stat_key map[] = {
        KEY("rss", MW__CG_ANON, anon),     KEY("cache", MW__CG_FILE, file),
        KEY("shmem", MW__CG_SHMEM, shmem), KEY("mapped_file", MW__CG_MAPPED, mapped),
        KEY("swap", MW__CG_SWAP, swap),
    };
    v1_stat_ctx *c = ctx;
    int total = kl > 6 && memcmp(k, "total_", 6) == 0;
    if (total)
        k += 6, kl -= 6;
    for (size_t i = 0; i < NKEYS(map); i++)
        if (kl == map[i].len && memcmp(k, map[i].name, kl) == 0) {
            if (!total && (c->from_total & map[i].bit))
                return;
            put(c->s, &map[i], v);
            if (total)
                c->from_total |= map[i].bit;
            return;
        }
}

int mw__cg_parse_v1_stat(const char *text, size_t len, mw__cgroup_sample *s)
{
    v1_stat_ctx c = {s, 0};
    return s ? each_kv(text, len, v1_stat_line, &c) : MW_EINVAL;
}

static void v1_oom_line(void *ctx, const char *k, size_t kl, uint64_t v)
{
    mw__cgroup_sample *s = ctx;
    if (key_is(k, kl, "under_oom"))
        s->under_oom = v != 0, s->have |= MW__CG_UNDER_OOM;
    else if (key_is(k, kl, "oom_kill"))
        s->oom_kill = v, s->have |= MW__CG_OOM_KILL;
}

int mw__cg_parse_v1_oom(const char *text, size_t len, mw__cgroup_sample *s)
{
    return s ? each_kv(text, len, v1_oom_line, s) : MW_EINVAL;
}

/* ---- mountinfo ---------------------------------------------------------------------------- */

/* Field i (0-based, space-separated) of line [p, end) as [*fs, *fe). Returns 0 or -1. */
static int field(const char *p, const char *end, int i, const char **fs, const char **fe)
{
    for (; i > 0; i--) {
        p = memchr(p, ' ', (size_t)(end - p));
        if (!p)
            return -1;
        p++;
    }
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    *fs = p;
    *fe = sp ? sp : end;
    return 0;
}

/* The kernel escapes space, tab, newline and backslash in mount points as \ooo. */
static int unescape(const char *p, const char *end, char *out, size_t n)
{
    size_t o = 0;
    while (p < end) {
        char c = *p++;
        if (c == '\\' && end - p >= 3 && p[0] >= '0' && p[0] <= '3' && p[1] >= '0' &&
            p[1] <= '7' && p[2] >= '0' && p[2] <= '7') {
            c = (char)((p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0'));
            p += 3;
        }
        if (o + 1 >= n)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

/* Whether the comma-separated list [p, end) holds the word w. */
static int has_option(const char *p, const char *end, const char *w)
{
    size_t wl = strlen(w);
    while (p < end) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        const char *e = c ? c : end;
        if ((size_t)(e - p) == wl && memcmp(p, w, wl) == 0)
            return 1;
        p = c ? c + 1 : end;
    }
    return 0;
}

/* One line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS". */
static int mountinfo_line(const char *p, const char *end, mw__cg_mounts *out)
{
    const char *mp, *mpe, *sep = NULL;
    if (field(p, end, 4, &mp, &mpe) != 0)
        return MW_EINVAL;
    for (const char *q = mpe; q + 3 <= end; q++)
        if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
            sep = q + 3;
            break;
        }
    const char *ft, *fte, *so, *soe;
    if (!sep || field(sep, end, 0, &ft, &fte) != 0 || field(sep, end, 2, &so, &soe) != 0)
        return MW_EINVAL;
    size_t fl = (size_t)(fte - ft);
    if (fl == 7 && memcmp(ft, "cgroup2", 7) == 0) {
        if (!out->v2[0] && unescape(mp, mpe, out->v2, sizeof(out->v2)) != 0)
            return MW_EINVAL;
    } else if (fl == 6 && memcmp(ft, "cgroup", 6) == 0) {
        out->any_v1 = 1;
        if (!out->v1_memory[0] && has_option(so, soe, "memory") &&
            unescape(mp, mpe, out->v1_memory, sizeof(out->v1_memory)) != 0)
            return MW_EINVAL;
    }
    return 0;
}

int mw__cg_parse_mountinfo(const char *text, size_t len, mw__cg_mounts *out)
{
    if (!text || !out)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if (eol > p && mountinfo_line(p, eol, out) != 0)
            return MW_EINVAL;
        p = nl ? nl + 1 : end;
    }
    return 0;
}

/* ---- container IDs ------------------------------------------------------------------------ */

int mw__cg_id_prefix_match(const char *dirname, const char *spec)
{
    static const char *const runtimes[] = {"docker-", "libpod-", "crio-", "cri-containerd-"};
    if (!dirname || !spec || !*spec)
        return 0;
    size_t sl = strlen(spec);
    if (strncmp(dirname, spec, sl) == 0)
        return 1;
    for (size_t i = 0; i < NKEYS(runtimes); i++) {
        size_t rl = strlen(runtimes[i]);
        if (strncmp(dirname, runtimes[i], rl) == 0 && strncmp(dirname + rl, spec, sl) == 0)
            return 1;
    }
    return 0;
}

int mw__cg_fail(char *why, size_t n, int rc, const char *fmt, ...)
{
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return rc;
}
