/* SPDX-License-Identifier: MIT */
/* procparse.h — pure parsers of Linux /proc text (status, stat, smaps_rollup, ...): no I/O, fuzzed. */
#ifndef MW_PROCPARSE_H
#define MW_PROCPARSE_H

#include <stddef.h>
#include <stdint.h>
#include "memwatch.h"
#include "probe.h" /* mw__rollup */

/* Everything here is plain C over a (buf, len) byte range: buf need NOT be NUL-terminated and
 * nothing at or past buf[len] is ever read. No OS headers, so it compiles (and is fuzzed) on every
 * platform; only probe-linux.c feeds it real /proc text. Owned by the probe engineer. */

/* Parse the text of /proc/PID/status into *out (sizes in BYTES: the kernel's kB * 1024).
 *   VmSize -> virtual_size       VmRSS -> physical_size
 *   RssAnon -> anon_size         RssFile -> file_size         RssShmem -> shmem_size
 *   VmSwap -> swap_size          VmHWM -> peak_physical_size  VmPeak -> peak_virtual_size
 *   shared_size = RssFile + RssShmem: resident shared memory, what top calls SHR.
 * out->valid gets the MW_HAVE_* bit of each optional field present; nprocs is set to 1;
 * timestamp and flags are zeroed (the caller's job). *state (if non-NULL) gets the State letter.
 * Returns:
 *   0            a process with memory, or a kernel thread (no Vm* lines: all sizes 0, valid 0);
 *   MW_ENOPROC   a zombie or dead task (State Z or X): it has no memory left to report;
 *   MW_EINVAL    not a complete status file: no State line, text not ending in '\n' (cut off),
 *                a malformed or overflowing number, VmSize without VmRSS (or the reverse).
 * Overflow policy: a kB value whose byte count does not fit in 64 bits is MW_EINVAL (never
 * saturated: a wrong huge number would look like a real, enormous process), and so is a
 * RssFile + RssShmem sum that overflows. Single pass; fields after VmSwap are not examined. */
int mw__parse_status(const char *buf, size_t len, mw_stats *out, char *state);

/* Parse the text of /proc/PID/smaps_rollup into *out (sizes in BYTES: the kernel's kB * 1024).
 *   Pss -> pss (MW_HAVE_PSS)       SwapPss -> swap_pss (MW_HAVE_SWAP_PSS)
 *   Pss_Anon, Pss_File, Pss_Shmem -> pss_anon, pss_file, pss_shmem (MW_HAVE_PSS_PARTS, only when
 *     all three are there: kernels 4.14 to 5.x print none of them)
 *   Private_Clean + Private_Dirty -> uss (MW_HAVE_USS, only when both are there)
 * A field whose bit is not set is 0. The first line (the "[rollup]" VMA header) and every other
 * line are ignored. Returns:
 *   0            at least a Pss line, and every line read is well formed;
 *   MW_EINVAL    empty text (a task without memory: the reader decides what that means), no Pss
 *                line, text not ending in '\n' (cut off), a wanted key twice, a wanted key without
 *                a "N kB" value, or digits that do not fit in 64 bits.
 * Overflow policy (unlike mw__parse_status): a kB count whose bytes do not fit, and the USS sum,
 * saturate at UINT64_MAX. These figures are summed over a tree, where a cap reads as "huge" and
 * one odd process must not blank the sweep; the kernel never prints such numbers anyway. */
int mw__parse_smaps_rollup(const char *buf, size_t len, mw__rollup *out);

/* What /proc/PID/stat tells us (the fields the probe needs). */
typedef struct mw__proc_stat {
    int64_t pid;         /* field 1 */
    char comm[64];       /* field 2 without the parentheses; cut to fit, always NUL-terminated */
    char state;          /* field 3 */
    int64_t ppid;        /* field 4 */
    uint64_t flags;      /* field 9: the kernel's PF_* bits (MW__PF_KTHREAD) */
    uint64_t start_time; /* field 22: clock ticks after boot */
    uint64_t rss_pages;  /* field 24: resident pages, when have_rss */
    int have_rss;
} mw__proc_stat;

/* PF_KTHREAD in /proc/PID/stat's flags: the task is a kernel thread. Its status file has no Vm*
 * lines, so without this bit it would look like a process using 0 bytes. */
#define MW__PF_KTHREAD 0x00200000u

/* Parse /proc/PID/stat text. The command name may itself contain spaces and ')', so it is taken
 * between the first '(' and the LAST ')'. Returns 0 or MW_EINVAL (missing or malformed fields,
 * fewer than 22 fields, overflow, negative pid/ppid). */
int mw__parse_stat(const char *buf, size_t len, mw__proc_stat *out);

/* Turn /proc/PID/cmdline (arguments separated and ended by NUL) into one line in out[cap]:
 * arguments joined by single spaces, trailing NULs dropped, made safe for a terminal as
 * mw__safe_text does (ESC shows as \e, other controls as \xHH / \uHHHH), cut to fit without
 * splitting a UTF-8 sequence or an escape. Only the first 4095 bytes of buf are read. Always NUL-terminates when cap > 0.
 * Returns the length written (excluding the NUL). */
size_t mw__join_cmdline(const char *buf, size_t len, char *out, size_t cap);

/* Read the next PID from a blank-separated list of decimal PIDs (/proc/PID/task/TID/children),
 * starting at *pos and advancing it. Returns 1 with *pid set, 0 at the end of the list, or
 * MW_EINVAL on anything that is not a positive decimal number that fits in 31 bits. */
int mw__next_pid(const char *buf, size_t len, size_t *pos, int64_t *pid);

#endif
