/* SPDX-License-Identifier: MIT */
/* probe.h — the narrow interface every OS backend implements: open a process, sample it, close it. */
#ifndef MW_PROBE_H
#define MW_PROBE_H

#include <sys/types.h>
#include "memwatch.h"
#include "smapsparse.h"

/* One backend per OS, chosen by configure (probe-linux.c, probe-darwin.c, probe-none.c).
 * Generic code includes only this header, never an OS header.
 * A probe is owned by one thread at a time (the sampler); it is not locked. */
typedef struct mw__probe mw__probe;

enum {
    MW__PROBE_TREE = 1u << 0,       /* sum the process and all its descendants */
    MW__PROBE_RESET_PEAK = 1u << 1  /* reset the RSS high-water mark after each sample */
};

/* The backend's name for messages: "linux", "darwin", "none". */
extern const char mw__probe_name[];

/* Open pid (must be > 0) for repeated sampling; remembers its start time so that a later reuse
 * of the PID is detected (MW_EREUSED) instead of silently watching a stranger.
 * Errors: MW_ENOPROC, MW_EPERM, MW_EUNSUPPORTED, MW_ENOMEM, MW_ESYS, MW_EINVAL. */
int mw__probe_open(pid_t pid, unsigned flags, mw__probe **out);

/* Take one sample into *out: sizes, valid bits, nprocs. Does not set timestamp or flags.
 * Errors: MW_ENOPROC (exited or zombie), MW_EREUSED, MW_EPERM, MW_ESYS.
 * With MW__PROBE_RESET_PEAK a failed reset (e.g. not permitted) is not an error: the sample is
 * still returned and *peak_reset_err (if non-NULL) says why. */
int mw__probe_sample(mw__probe *p, mw_stats *out, int *peak_reset_err);

/* Close and free. NULL is a no-op. */
void mw__probe_close(mw__probe *p);

/* The processes the latest successful mw__probe_sample read, in the order read (the watched one
 * first), with what the probe remembers of each across samples. Borrowed: valid until the next
 * sample or close, on the probe's thread. *n = 0 before a sample. */
const mw_tree_process *mw__probe_processes(const mw__probe *p, size_t *n);

/* smaps_rollup figures of one process, in bytes. have: the MW_HAVE_PSS / _PSS_PARTS / _USS /
 * _SWAP_PSS bits of the lines that were present. */
typedef struct mw__rollup {
    uint64_t pss, pss_anon, pss_file, pss_shmem, uss, swap_pss;
    unsigned have;
} mw__rollup;

/* Read pid's PSS/USS now (Linux /proc/PID/smaps_rollup: ~35 us to ~2 ms, growing with its
 * mappings and size, so callers keep it off the sampling path). Any thread: no probe state.
 * Errors: MW_ENOPROC, MW_EPERM, MW_EUNSUPPORTED (no such file: another OS or a kernel before
 * 4.14), MW_ENOMEM, MW_ESYS, MW_EINVAL. */
int mw__probe_rollup(pid_t pid, mw__rollup *out);

/* Describe pid: name, command line, state, start time. Same errors as open. */
int mw__probe_info(pid_t pid, mw_process_info *out);

/* For the program's launcher, which must end a command's whole tree and name what escaped it. */
/* Make this process adopt its orphaned descendants (Linux PR_SET_CHILD_SUBREAPER), so that one
 * whose parent died is reparented here, still found by mw__probe_children, not lost to init.
 * Returns 0, or MW_EUNSUPPORTED where the OS has no such thing. */
int mw__probe_adopt_orphans(void);
/* Up to cap children of pid into out; returns how many, or a negative MW_E* (MW_ENOPROC: pid is
 * gone; MW_EUNSUPPORTED). */
int mw__probe_children(pid_t pid, pid_t *out, size_t cap);

/* Where it went (issue 15): read pid's /proc/PID/smaps whole, now, and group its mappings into
 * *out (see smapsparse.h; emptied first, reused). Dear: the kernel walks every page table, tens
 * of MB of text for 100,000 mappings (read_ns says how long it took, group_ns the grouping), so
 * only on demand and off the sampling and drawing threads. Any thread: no probe state.
 * Errors: MW_ENOPROC (gone, a zombie, or it exited during the read: a torn read is never a
 * table), MW_EPERM (not ours to read), MW_EUNSUPPORTED (no smaps on this OS), MW_ENOMEM,
 * MW_ESYS, MW_EINVAL. *cost (may be NULL) is filled on success and failure alike. */
typedef struct mw__smaps_cost {
    int64_t read_ns, group_ns;
    size_t bytes; /* of smaps text read */
} mw__smaps_cost;
int mw__probe_smaps(pid_t pid, mw__smaps_table *out, mw__smaps_cost *cost);

/* The process picker and -n NAME (issue 17): every process at a glance, cheaply. */
typedef struct mw__proc_brief {
    pid_t pid;
    uint64_t start_time; /* as mw_process_info's: equal with the same pid = the same process */
    uint64_t rss;        /* resident bytes now */
    char name[64];       /* Linux comm, raw (the process chose its bytes: escape to print) */
} mw__proc_brief;

/* The processes of this user (all_users: everyone's), kernel threads and zombies left out, into
 * *list (grown with realloc; *cap its room; the caller frees), *n of them, in no set order.
 * One read per process (Linux: /proc/PID/stat, which holds name, start time and RSS), plus a
 * stat of its /proc directory for the owner; a process that ends during the walk is skipped.
 * Errors: MW_EUNSUPPORTED (no process list on this OS), MW_ENOMEM, MW_ESYS. */
int mw__probe_list_processes(int all_users, mw__proc_brief **list, size_t *n, size_t *cap);

/* pid's command line joined and escaped as mw_process_info's (line, cut to n), and the last
 * path component of its argv[0], raw (argv0, cut to n0), if start_time still matches (else
 * MW_ENOPROC: the PID is someone else's now). Empty for a process without arguments.
 * Errors: MW_ENOPROC, MW_EPERM, MW_EUNSUPPORTED, MW_ESYS, MW_EINVAL. */
int mw__probe_cmdline(pid_t pid, uint64_t start_time, char *line, size_t n, char *argv0,
                      size_t n0);

#endif
