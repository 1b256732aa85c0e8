/* SPDX-License-Identifier: MIT */
/* procparse.c — pure, single-pass parsers of /proc text: status, stat, smaps_rollup, cmdline, children. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "procparse.h"
#include "units.h"

/* Speed matters: the probe parses /proc/PID/status on every sample and the whole sample must cost
 * little more than the pread itself (~6.7 us). So: one pass, memchr to skip uninteresting lines,
 * a first-byte dispatch instead of string compares per line, no sscanf, and an early stop once
 * every wanted field has been seen (they all sit in the first half of the file). */

/* Parse decimal digits at *pp (at least one) into *out, advancing *pp past them.
 * Returns 0, or MW_EINVAL for no digit or a value that does not fit in 64 bits. */
static int parse_u64(const char **pp, const char *end, uint64_t *out)
{
    const char *p = *pp;
    uint64_t v = 0;
    if (p >= end || (unsigned)(*p - '0') > 9)
        return MW_EINVAL;
    do {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return MW_EINVAL;
        v = v * 10 + d;
        p++;
    } while (p < end && (unsigned)(*p - '0') <= 9);
    *pp = p;
    *out = v;
    return 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* True when [p, end) starts with the literal lit of length n. */
static int starts_with(const char *p, const char *end, const char *lit, size_t n)
{
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* The status fields we read, as bits of a "seen" mask. */
enum {
    F_STATE = 1u << 0,
    F_VMSIZE = 1u << 1,
    F_VMRSS = 1u << 2,
    F_RSSANON = 1u << 3,
    F_RSSFILE = 1u << 4,
    F_RSSSHMEM = 1u << 5,
    F_VMSWAP = 1u << 6,
    F_VMHWM = 1u << 7,
    F_VMPEAK = 1u << 8,
    F_ALL = (1u << 9) - 1
};

/* In a classify function over (p, end, klen): when the line is the key lit (colon included),
 * set *klen to its length and return what. Shared by the status and smaps_rollup parsers. */
#define KEY(lit, what)                                                                             \
    do {                                                                                           \
        if (starts_with(p, end, lit, sizeof(lit) - 1)) {                                           \
            *klen = sizeof(lit) - 1;                                                               \
            return what;                                                                           \
        }                                                                                          \
    } while (0)

/* Which field a line starting at p is (0 if none we want); *klen gets the key length, colon
 * included. Dispatches on the first bytes so that most lines cost one or two compares. */
static unsigned classify(const char *p, const char *end, size_t *klen)
{
    if (end - p < 4)
        return 0;
    if (p[0] == 'V' && p[1] == 'm') {
        KEY("VmSize:", F_VMSIZE);
        KEY("VmRSS:", F_VMRSS);
        KEY("VmSwap:", F_VMSWAP);
        KEY("VmHWM:", F_VMHWM);
        KEY("VmPeak:", F_VMPEAK);
    } else if (p[0] == 'R' && p[1] == 's' && p[2] == 's') {
        KEY("RssAnon:", F_RSSANON);
        KEY("RssFile:", F_RSSFILE);
        KEY("RssShmem:", F_RSSSHMEM);
    } else if (p[0] == 'S') {
        KEY("State:", F_STATE);
    }
    return 0;
}

/* Parse the value of a "Key:   1234 kB\n" line; p is just past the colon. On success *kb is the
 * count in kB and *pp points past the '\n'. */
static int parse_kb_count(const char **pp, const char *end, uint64_t *kb)
{
    const char *p = *pp;
    while (p < end && is_blank(*p))
        p++;
    if (parse_u64(&p, end, kb) != 0)
        return MW_EINVAL;
    /* The unit and the line end must be there: a number cut off at the end of the buffer is
     * rejected here rather than read as a smaller value. */
    if (!starts_with(p, end, " kB\n", 4))
        return MW_EINVAL;
    *pp = p + 4;
    return 0;
}

/* parse_kb_count in bytes, where bytes that do not fit in 64 bits are MW_EINVAL. */
static int parse_kb_line(const char **pp, const char *end, uint64_t *out)
{
    uint64_t kb;
    if (parse_kb_count(pp, end, &kb) != 0 || kb > UINT64_MAX / 1024)
        return MW_EINVAL;
    *out = kb * 1024;
    return 0;
}

int mw__parse_status(const char *buf, size_t len, mw_stats *out, char *state)
{
    if (!buf || !out)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    out->nprocs = 1;
    if (state)
        *state = 0;
    /* /proc text always ends with a newline: anything else was cut short. Checking it once here
     * lets the loop below treat every line as complete. */
    if (len == 0 || buf[len - 1] != '\n')
        return MW_EINVAL;

    const char *p = buf, *end = buf + len;
    unsigned seen = 0;
    char st = 0;
    while (p < end && seen != F_ALL) {
        size_t klen = 0;
        unsigned f = classify(p, end, &klen);
        if (f == 0) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl + 1; /* never NULL: buf[len - 1] == '\n' */
            continue;
        }
        if (seen & f)
            return MW_EINVAL; /* a field twice: not a status file */
        seen |= f;
        p += klen;
        if (f == F_STATE) {
            /* "State:\tR (running)": the letter is what we keep. */
            while (p < end && is_blank(*p))
                p++;
            if (p >= end || !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
                return MW_EINVAL;
            st = *p;
            p = (const char *)memchr(p, '\n', (size_t)(end - p)) + 1;
            continue;
        }
        uint64_t v;
        if (parse_kb_line(&p, end, &v) != 0)
            return MW_EINVAL;
        switch (f) {
        case F_VMSIZE: out->virtual_size = v; break;
        case F_VMRSS: out->physical_size = v; break;
        case F_RSSANON: out->anon_size = v; out->valid |= MW_HAVE_ANON; break;
        case F_RSSFILE: out->file_size = v; out->valid |= MW_HAVE_FILE; break;
        case F_RSSSHMEM: out->shmem_size = v; out->valid |= MW_HAVE_SHMEM; break;
        case F_VMSWAP: out->swap_size = v; out->valid |= MW_HAVE_SWAP; break;
        case F_VMHWM: out->peak_physical_size = v; out->valid |= MW_HAVE_HWM; break;
        default: out->peak_virtual_size = v; out->valid |= MW_HAVE_VPEAK; break;
        }
    }

    int rc = 0;
    if (!(seen & F_STATE))
        rc = MW_EINVAL;
    else if (!(seen & F_VMSIZE) != !(seen & F_VMRSS))
        rc = MW_EINVAL; /* a task with memory shows both; a kernel thread neither */
    else if (out->file_size > UINT64_MAX - out->shmem_size)
        rc = MW_EINVAL;
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        out->nprocs = 1;
        return rc;
    }
    out->shared_size = out->file_size + out->shmem_size;
    if (state)
        *state = st;
    /* A zombie (Z) or dead (X) task has released its memory: there is nothing to watch. */
    if (st == 'Z' || st == 'X')
        return MW_ENOPROC;
    return 0;
}

/* The smaps_rollup fields we read, as bits of a "seen" mask (and indexes into a kB array). */
enum {
    R_PSS, R_PSS_ANON, R_PSS_FILE, R_PSS_SHMEM, R_PRIV_CLEAN, R_PRIV_DIRTY, R_SWAP_PSS,
    R_COUNT /* none of them */
};
#define RBIT(i) (1u << (i))
#define R_PARTS (RBIT(R_PSS_ANON) | RBIT(R_PSS_FILE) | RBIT(R_PSS_SHMEM))
#define R_PRIVATE (RBIT(R_PRIV_CLEAN) | RBIT(R_PRIV_DIRTY))

/* Which rollup field a line starting at p is (R_COUNT if none we want); *klen as in classify.
 * "Pss:" must not match "Pss_Dirty:" (newer kernels): the colon is part of each key. */
static int classify_rollup(const char *p, const char *end, size_t *klen)
{
    if (starts_with(p, end, "Pss", 3)) {
        KEY("Pss:", R_PSS);
        KEY("Pss_Anon:", R_PSS_ANON);
        KEY("Pss_File:", R_PSS_FILE);
        KEY("Pss_Shmem:", R_PSS_SHMEM);
    } else if (starts_with(p, end, "Private_", 8)) {
        KEY("Private_Clean:", R_PRIV_CLEAN);
        KEY("Private_Dirty:", R_PRIV_DIRTY);
    } else {
        KEY("SwapPss:", R_SWAP_PSS);
    }
    return R_COUNT;
#undef KEY
}

/* kB to bytes, and a + b, capped at UINT64_MAX (see procparse.h for why rollup saturates). */
static uint64_t kb_to_bytes_sat(uint64_t kb)
{
    return kb > UINT64_MAX / 1024 ? UINT64_MAX : kb * 1024;
}
static uint64_t add_sat(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

int mw__parse_smaps_rollup(const char *buf, size_t len, mw__rollup *out)
{
    if (!buf || !out)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    /* Empty: the task has no mm (kernel thread, exiting). Cut off: it may lack lines we want. */
    if (len == 0 || buf[len - 1] != '\n')
        return MW_EINVAL;

    const char *p = buf, *end = buf + len;
    uint64_t kb[R_COUNT] = {0};
    unsigned seen = 0;
    while (p < end) {
        size_t klen = 0;
        int f = classify_rollup(p, end, &klen);
        if (f == R_COUNT) { /* the header, a line we do not use, or junk */
            p = (const char *)memchr(p, '\n', (size_t)(end - p)) + 1; /* buf[len - 1] == '\n' */
            continue;
        }
        if (seen & RBIT(f))
            return MW_EINVAL; /* a field twice: not a rollup */
        seen |= RBIT(f);
        p += klen;
        if (parse_kb_count(&p, end, &kb[f]) != 0)
            return MW_EINVAL;
    }
    if (!(seen & RBIT(R_PSS)))
        return MW_EINVAL;

    out->pss = kb_to_bytes_sat(kb[R_PSS]);
    out->have = MW_HAVE_PSS;
    if ((seen & R_PARTS) == R_PARTS) {
        out->pss_anon = kb_to_bytes_sat(kb[R_PSS_ANON]);
        out->pss_file = kb_to_bytes_sat(kb[R_PSS_FILE]);
        out->pss_shmem = kb_to_bytes_sat(kb[R_PSS_SHMEM]);
        out->have |= MW_HAVE_PSS_PARTS;
    }
    if ((seen & R_PRIVATE) == R_PRIVATE) {
        out->uss = add_sat(kb_to_bytes_sat(kb[R_PRIV_CLEAN]), kb_to_bytes_sat(kb[R_PRIV_DIRTY]));
        out->have |= MW_HAVE_USS;
    }
    if (seen & RBIT(R_SWAP_PSS)) {
        out->swap_pss = kb_to_bytes_sat(kb[R_SWAP_PSS]);
        out->have |= MW_HAVE_SWAP_PSS;
    }
    return 0;
}

/* Skip one blank-free token followed by a single space; 0 or MW_EINVAL. */
static int skip_field(const char **pp, const char *end)
{
    const char *p = *pp;
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    if (!sp || sp == p)
        return MW_EINVAL;
    *pp = sp + 1;
    return 0;
}

/* Parse a decimal field that must be followed by a space, or (last) by a newline or the end. */
static int parse_field_u64(const char **pp, const char *end, uint64_t *out, int last)
{
    const char *p = *pp;
    if (parse_u64(&p, end, out) != 0)
        return MW_EINVAL;
    if (p < end && *p == ' ') {
        *pp = p + 1;
        return 0;
    }
    /* A number that runs into the end of the buffer may have been cut off: reject it. Only a
     * final field followed by its newline is complete. */
    if (last && p < end && *p == '\n') {
        *pp = p + 1;
        return 0;
    }
    return MW_EINVAL;
}

int mw__parse_stat(const char *buf, size_t len, mw__proc_stat *out)
{
    if (!buf || !out)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    const char *p = buf, *end = buf + len;
    uint64_t v;

    /* "PID (comm) S PPID ...": the pid, then " (". */
    if (parse_u64(&p, end, &v) != 0 || v > INT32_MAX || !starts_with(p, end, " (", 2))
        return MW_EINVAL;
    out->pid = (int64_t)v;
    p += 2;

    /* comm may contain anything, ')' and spaces included; the fields after it are numbers and
     * one state letter, so the LAST ')' closes it. */
    const char *close = end;
    while (close > p && close[-1] != ')')
        close--;
    if (close == p)
        return MW_EINVAL;
    close--; /* at the ')' */
    size_t n = (size_t)(close - p);
    if (n >= sizeof(out->comm))
        n = sizeof(out->comm) - 1;
    memcpy(out->comm, p, n);
    out->comm[n] = '\0';

    /* ") S " */
    p = close + 1;
    if (end - p < 4 || p[0] != ' ' || p[2] != ' ' ||
        !((p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z')))
        return MW_EINVAL;
    out->state = p[1];
    p += 3;

    /* Field 4: ppid (0 for init and kernel threads' parent). */
    if (parse_field_u64(&p, end, &v, 0) != 0 || v > INT32_MAX)
        return MW_EINVAL;
    out->ppid = (int64_t)v;
    /* Fields 5..8 (pgrp .. tpgid) are not needed; some may be negative. */
    for (int field = 5; field <= 8; field++)
        if (skip_field(&p, end) != 0)
            return MW_EINVAL;
    /* Field 9: flags (PF_*), unsigned. */
    if (parse_field_u64(&p, end, &out->flags, 0) != 0)
        return MW_EINVAL;
    /* Fields 10..21 (minflt .. itrealvalue) are not needed. */
    for (int field = 10; field <= 21; field++)
        if (skip_field(&p, end) != 0)
            return MW_EINVAL;
    /* Field 22: starttime. */
    if (parse_field_u64(&p, end, &out->start_time, 1) != 0)
        return MW_EINVAL;
    /* Field 24: rss in pages, for the process list (a missing or odd one is not fatal: the
     * probe needs the fields above, the list only this one). */
    if (skip_field(&p, end) == 0 && parse_field_u64(&p, end, &out->rss_pages, 1) == 0)
        out->have_rss = 1;
    return 0;
}

size_t mw__join_cmdline(const char *buf, size_t len, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    if (!buf)
        len = 0;
    while (len > 0 && buf[len - 1] == '\0')
        len--; /* the terminator of the last argument */
    char joined[4096];
    if (len >= sizeof(joined))
        len = sizeof(joined) - 1;
    for (size_t i = 0; i < len; i++)
        joined[i] = buf[i] ? buf[i] : ' ';
    joined[len] = '\0';
    /* Any process may put a terminal's escape sequences in its arguments. */
    return strlen(mw__safe_text(out, cap, joined));
}

int mw__next_pid(const char *buf, size_t len, size_t *pos, int64_t *pid)
{
    if (!buf || !pos || !pid)
        return MW_EINVAL;
    const char *p = buf + (*pos < len ? *pos : len), *end = buf + len;
    while (p < end && (is_blank(*p) || *p == '\n'))
        p++;
    if (p == end) {
        *pos = len;
        return 0;
    }
    uint64_t v;
    if (parse_u64(&p, end, &v) != 0 || v == 0 || v > INT32_MAX)
        return MW_EINVAL;
    if (p < end && !is_blank(*p) && *p != '\n')
        return MW_EINVAL;
    *pos = (size_t)(p - buf);
    *pid = (int64_t)v;
    return 1;
}
