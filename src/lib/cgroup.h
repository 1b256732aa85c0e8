/* SPDX-License-Identifier: MIT */
/* cgroup.h — watch one memory cgroup (issue 18): find it, keep its files open, sample them; pure parsers. */
#ifndef MW_CGROUP_H
#define MW_CGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "memwatch.h"

/* Internal to the library (mw__ names, not exported). Cgroups are Linux's: cgroup-linux.c reads
 * them, cgroup-none.c answers MW_EUNSUPPORTED elsewhere; cgroupparse.c (generic, pure) turns
 * their texts into figures, so the parsers are tested on fixtures on any OS. */

#define MW__CG_PATH_MAX 4096
/* A limit that is not set: v2 "max", or v1's huge page-counter maximum. */
#define MW__CG_UNLIMITED UINT64_MAX

/* Which figures a sample holds: a missing one is unknown, never 0. */
enum {
    MW__CG_CURRENT = 1u << 0,   /* v2 memory.current, v1 memory.usage_in_bytes */
    MW__CG_PEAK = 1u << 1,      /* v2 memory.peak (kernel 5.19+), v1 memory.max_usage_in_bytes */
    MW__CG_LIMIT = 1u << 2,     /* v2 memory.max, v1 memory.limit_in_bytes (may be UNLIMITED) */
    MW__CG_HIGH = 1u << 3,      /* v2 memory.high (may be UNLIMITED) */
    MW__CG_ANON = 1u << 4,      /* v2 stat anon, v1 stat (total_)rss */
    MW__CG_FILE = 1u << 5,      /* v2 stat file, v1 stat (total_)cache */
    MW__CG_KERNEL = 1u << 6,    /* v2 stat kernel, or kernel_stack + slab on older kernels */
    MW__CG_SHMEM = 1u << 7,     /* v2 stat shmem, v1 stat (total_)shmem */
    MW__CG_SOCK = 1u << 8,      /* v2 stat sock */
    MW__CG_MAPPED = 1u << 9,    /* v1 stat (total_)mapped_file, v2 stat file_mapped */
    MW__CG_SWAP = 1u << 10,     /* v2 memory.swap.current, v1 stat (total_)swap */
    MW__CG_EV_LOW = 1u << 11,   /* v2 memory.events low */
    MW__CG_EV_HIGH = 1u << 12,  /* v2 memory.events high */
    MW__CG_EV_MAX = 1u << 13,   /* v2 memory.events max */
    MW__CG_EV_OOM = 1u << 14,   /* v2 memory.events oom */
    MW__CG_OOM_KILL = 1u << 15, /* v2 memory.events oom_kill, v1 memory.oom_control oom_kill */
    MW__CG_FAILCNT = 1u << 16,  /* v1 memory.failcnt */
    MW__CG_UNDER_OOM = 1u << 17 /* v1 memory.oom_control under_oom */
};

/* One reading of a memory cgroup. Sizes in bytes, events as the kernel's running counts. */
typedef struct mw__cgroup_sample {
    int version; /* 1 or 2 */
    unsigned have; /* MW__CG_* bits of the fields below that are known */
    uint64_t current, peak, limit, high;
    uint64_t anon, file, kernel, shmem, sock, mapped, swap;
    uint64_t ev_low, ev_high, ev_max, ev_oom, oom_kill, failcnt;
    int under_oom; /* v1: the cgroup is at its limit and its OOM handling is under way or held */
} mw__cgroup_sample;

/* Where a cgroup was found. */
typedef struct mw__cgroup_where {
    int version;                /* 1 or 2 */
    char path[MW__CG_PATH_MAX]; /* its directory */
} mw__cgroup_where;

/* The cgroup filesystems of a mountinfo text. */
typedef struct mw__cg_mounts {
    char v1_memory[MW__CG_PATH_MAX]; /* a `cgroup` mount with the memory option, or "" */
    char v2[MW__CG_PATH_MAX];        /* the `cgroup2` mount, or "" */
    int any_v1;                      /* some `cgroup` mount (of another controller) was seen */
} mw__cg_mounts;

/* ---- discovery and reading (cgroup-linux.c; cgroup-none.c: MW_EUNSUPPORTED) ----------------- */

/* Resolve spec to a memory cgroup directory:
 *   - an absolute path under a cgroup mount (else taken relative to the memory controller's
 *     mount, as /proc/PID/cgroup names it), or a relative path with a '/': under that mount;
 *   - a name: the directory of exactly that name (a systemd unit, `nginx.service`) found by
 *     walking the memory hierarchy; failing that, a container ID prefix: the directory whose
 *     name, less a runtime's `docker-` / `libpod-` / `crio-` / `cri-containerd-` and `.scope`,
 *     starts with spec. More than one match is an error that says how many.
 * root: "" or NULL for the real system; else a directory prepended to every mount point and
 * absolute spec (fixture trees). mountinfo: NULL for /proc/self/mountinfo.
 * On failure why (n bytes) gets one line saying so. Any thread; no state.
 * Errors: MW_EUNSUPPORTED (no cgroup mount; no memory controller; not Linux), MW_ENOPROC (no
 * such cgroup), MW_EINVAL (not a cgroup; an ambiguous name; NULL or empty spec), MW_EPERM,
 * MW_ENOMEM, MW_ESYS. */
int mw__cgroup_find(const char *spec, const char *root, const char *mountinfo,
                    mw__cgroup_where *out, char *why, size_t n);

typedef struct mw__cgroup mw__cgroup;

/* Open the memory files of the cgroup at w for repeated sampling: they stay open and each
 * mw__cgroup_read re-reads them with pread. The main figure's file (memory.current /
 * memory.usage_in_bytes) must open; the others are optional (their bits stay clear). Owned by
 * one thread at a time.
 * Errors: MW_ENOPROC (gone), MW_EINVAL (not a memory cgroup), MW_EPERM, MW_ENOMEM, MW_ESYS,
 * MW_EUNSUPPORTED; why as for find. */
int mw__cgroup_open(const mw__cgroup_where *w, mw__cgroup **out, char *why, size_t n);

/* Read every kept file into *out (cleared first). Errors: MW_ENOPROC (the cgroup was removed:
 * the watch ends), MW_EPERM, MW_ESYS, MW_ENOMEM, MW_EINVAL. */
int mw__cgroup_read(mw__cgroup *cg, mw__cgroup_sample *out);

/* Close and free. NULL is a no-op. */
void mw__cgroup_close(mw__cgroup *cg);

/* ---- a cgroup of memwatch's own (cgroup-linux-make.c; cgroup-none.c: MW_EUNSUPPORTED) --------
 * Launch mode's fresh cgroup (--new-cgroup): made, limited, joined by the command before exec,
 * emptied and removed at the end. Any thread; no state beyond the directory itself. */

/* Make a new, empty memory cgroup named memwatch-<pid>-<n>: v1 under the memory controller's
 * mount; v2 beside memwatch's own cgroup (its parent: a delegated subtree such as a user
 * session's app.slice) or else below it, wherever the memory controller is enabled for children
 * and memwatch may write. out->path is the new directory.
 * Errors: MW_EPERM (nowhere writable: not root, no delegated subtree), MW_EUNSUPPORTED (no
 * memory controller; not Linux), MW_ENOMEM, MW_ESYS; why as for find. */
int mw__cgroup_make(mw__cgroup_where *out, char *why, size_t n);

/* Cap the cgroup's memory at bytes, swap included (v1 memory.limit_in_bytes and
 * memory.memsw.limit_in_bytes where swap is accounted; v2 memory.max and memory.swap.max 0), so
 * that past it the kernel reclaims, then OOM-kills inside the cgroup.
 * Errors: MW_EINVAL (the kernel refused the value), MW_EPERM, MW_ENOPROC, MW_ESYS. */
int mw__cgroup_set_limit(const mw__cgroup_where *w, uint64_t bytes, char *why, size_t n);

/* Open the cgroup's cgroup.procs for writing (close-on-exec): a forked child writes "0" to it
 * (itself) before exec, so nothing it allocates escapes. Returns the fd, or MW_EPERM,
 * MW_ENOPROC, MW_ESYS. The caller closes it. */
int mw__cgroup_procs_open(const mw__cgroup_where *w);

/* SIGKILL every process in the cgroup, again until cgroup.procs reads empty or deadline_ms
 * passes (a fork in flight can add one). *killed (may be NULL) counts the signals sent.
 * Errors: MW_ESYS (still not empty at the deadline), MW_EPERM, MW_ENOPROC (the cgroup is gone). */
int mw__cgroup_kill_all(const mw__cgroup_where *w, int deadline_ms, unsigned *killed);

/* Remove the (empty) cgroup, retrying until deadline_ms while its last processes are reaped
 * (rmdir says EBUSY until then). A cgroup already gone is success.
 * Errors: MW_ESYS (still busy), MW_EPERM. */
int mw__cgroup_remove(const mw__cgroup_where *w, int deadline_ms);

/* ---- pure parsers (cgroupparse.c): text of len bytes, not NUL-terminated -------------------- */

/* The cgroup mounts in a /proc/PID/mountinfo text (mount points unescaped). Errors: MW_EINVAL. */
int mw__cg_parse_mountinfo(const char *text, size_t len, mw__cg_mounts *out);

/* One number, or "max" (v2) / a v1 value of 2^62 or more: *v = MW__CG_UNLIMITED.
 * Errors: MW_EINVAL (anything else). */
int mw__cg_parse_value(const char *text, size_t len, uint64_t *v);

/* v2 memory.stat into anon/file/kernel/shmem/sock/mapped (and their bits). Errors: MW_EINVAL. */
int mw__cg_parse_v2_stat(const char *text, size_t len, mw__cgroup_sample *s);
/* v2 memory.events into ev_low/ev_high/ev_max/ev_oom/oom_kill. Errors: MW_EINVAL. */
int mw__cg_parse_v2_events(const char *text, size_t len, mw__cgroup_sample *s);
/* v1 memory.stat into anon/file/shmem/mapped/swap, the hierarchical total_* lines preferred
 * (they count the cgroup's children, as usage_in_bytes does). Errors: MW_EINVAL. */
int mw__cg_parse_v1_stat(const char *text, size_t len, mw__cgroup_sample *s);
/* v1 memory.oom_control into under_oom and oom_kill (kernel 4.13+). Errors: MW_EINVAL. */
int mw__cg_parse_v1_oom(const char *text, size_t len, mw__cgroup_sample *s);

/* Write the one-line reason (printf format) into why (n bytes; NULL or 0: none) and return rc. */
int mw__cg_fail(char *why, size_t n, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Whether a directory name matches spec as a container ID prefix (see mw__cgroup_find). */
int mw__cg_id_prefix_match(const char *dirname, const char *spec);

#endif
