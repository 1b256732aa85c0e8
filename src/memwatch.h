/* SPDX-License-Identifier: MIT */
/* memwatch.h — libmemwatch's one public header: sample a process's memory, once or from a sampler thread. */
#ifndef MEMWATCH_H
#define MEMWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
/* struct timespec: POSIX's <sched.h> declares it whatever the feature-test macros, where glibc's
 * <time.h> hides it from a strict -std=c99 program that defines none. */
#include <sched.h>

#include "memwatch_version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every function that can fail returns 0 or one of these negative codes; mw_strerror() explains
 * them. The library never exits, aborts, or prints (except verbose logging, when asked). */
enum {
    MW_OK = 0,
    MW_EALREADY = -1,     /* the watcher is already running */
    MW_EUNSUPPORTED = -2, /* no memory probe for this operating system */
    MW_ENOPROC = -3,      /* no such process (or it has exited) */
    MW_EPERM = -4,        /* permission denied reading the process */
    MW_EINVAL = -5,       /* invalid argument */
    MW_ENOMEM = -6,       /* out of memory */
    MW_ESYS = -7,         /* other system error (errno is kept where useful) */
    MW_EREUSED = -8,      /* the PID now belongs to a different process */
    MW_ENODATA = -9,      /* no sample taken yet */
    MW_EKTHREAD = -10     /* a kernel thread: it has no user memory to watch */
};

/* ---- Structs that grow -------------------------------------------------------------------------
 * mw_config, mw_stats, mw_watcher_status and mw_run_summary gain fields at their end in later versions, without a
 * new soname. So the size of the caller's struct travels with each call that takes one: every such
 * function has a _sized variant given sizeof the caller's struct, and its plain name is a macro
 * passing sizeof of the struct this header declares. The library reads or writes only that many
 * bytes (arrays are strided by it): fields the caller's struct lacks are defaults when read, never
 * written; fields the library does not know are zeroed in an output struct, and must be zero in
 * an input one (else MW_EINVAL). Below the 0.1.0 layout (for mw_run_summary, the layout it came
 * with) a size is MW_EINVAL. The plain-named
 * functions themselves (what programs built before the macros, or a foreign-function interface,
 * call) keep the 0.2.0 layout for ever. Callbacks get the library's whole struct: a caller reads
 * its own prefix of it. mw_process_info, mw_tree_process and mw_leak_result do not grow. To call
 * or take a plain function itself, write (mw_name)(...): a name in parentheses is no macro call.
 * The macros are variadic so that a compound literal's commas pass through. */

/* Bits of mw_stats.valid: which optional fields this OS / process provided. */
#define MW_HAVE_ANON  (1u << 0) /* anon_size (Linux RssAnon) */
#define MW_HAVE_FILE  (1u << 1) /* file_size (Linux RssFile) */
#define MW_HAVE_SHMEM (1u << 2) /* shmem_size (Linux RssShmem) */
#define MW_HAVE_SWAP  (1u << 3) /* swap_size (Linux VmSwap) */
#define MW_HAVE_HWM   (1u << 4) /* peak_physical_size (Linux VmHWM, macOS lifetime max footprint) */
#define MW_HAVE_VPEAK (1u << 5) /* peak_virtual_size (Linux VmPeak) */
/* From /proc/PID/smaps_rollup, read on their own slower cadence (mw_config.pss_interval_ms): */
#define MW_HAVE_PSS       (1u << 6) /* pss_size (Pss) */
#define MW_HAVE_PSS_PARTS (1u << 7) /* pss_anon_size, pss_file_size, pss_shmem_size (newer kernels) */
#define MW_HAVE_USS       (1u << 8) /* uss_size (Private_Clean + Private_Dirty) */
#define MW_HAVE_SWAP_PSS  (1u << 9) /* swap_pss_size (SwapPss) */
/* From the memory cgroup watched (0.3.0; memwatch --cgroup): its figures, not the process's. */
#define MW_HAVE_CG_CURRENT (1u << 10) /* cg_current_size */
#define MW_HAVE_CG_PEAK    (1u << 11) /* cg_peak_size (cgroup v2 before Linux 5.19 has none) */
#define MW_HAVE_CG_LIMIT   (1u << 12) /* cg_limit (MW_CG_UNLIMITED when none is set) */
#define MW_HAVE_CG_HIGH    (1u << 13) /* cg_high (cgroup v2 only; MW_CG_UNLIMITED when none) */
#define MW_HAVE_CG_ANON    (1u << 14) /* cg_anon_size */
#define MW_HAVE_CG_FILE    (1u << 15) /* cg_file_size */
#define MW_HAVE_CG_KERNEL  (1u << 16) /* cg_kernel_size (cgroup v2 only) */
#define MW_HAVE_CG_SWAP    (1u << 17) /* cg_swap_size */
/* cg_limit and cg_high when the cgroup has no such limit ("max"). */
#define MW_CG_UNLIMITED UINT64_MAX

/* Bits of mw_stats.flags: events attached to a sample. */
#define MW_SAMPLE_HWM_ROSE (1u << 0) /* a peak above the samples happened since the previous one:
                                        with nprocs 1, peak_physical_size rose above every sample
                                        (with reset_peaks: above this interval's two samples, an
                                        interval peak); with several processes, one process's own
                                        mark rose above every sample of that process
                                        (mw_watcher_top_spike) */
#define MW_SAMPLE_MARK     (1u << 1) /* the user dropped a mark at this sample */
/* Events of the watched cgroup since the previous sample (MW_SAMPLE_CG_*: its counters rose): */
#define MW_SAMPLE_CG_OOM_KILL (1u << 2) /* a process of it was killed by the OOM killer */
#define MW_SAMPLE_CG_MAX      (1u << 3) /* it hit its limit (v2 memory.events max, v1 failcnt) */
#define MW_SAMPLE_CG_HIGH     (1u << 4) /* it went over memory.high and was throttled (v2) */

/* One sample of a process's memory. All sizes are in bytes.
 * shared_size is resident shared memory: on Linux RssFile + RssShmem (what top calls SHR);
 * 0 on macOS, which has no equivalent per-process figure.
 * With include_children each size is the sum over the processes read (nprocs of them): RSS and
 * the like count a page shared by several processes once per process; PSS divides it among
 * them, so a tree's PSS adds up. peak_* are then sums of each process's own high-water mark:
 * an upper bound of the tree's peak (over the processes seen), never a peak itself. */
typedef struct mw_stats {
    uint64_t virtual_size;     /* bytes (VmSize) */
    uint64_t physical_size;    /* bytes, resident (RSS, VmRSS) */
    uint64_t shared_size;      /* bytes, resident shared (RssFile + RssShmem) */
    struct timespec timestamp; /* CLOCK_MONOTONIC, when the sample was taken */
    uint64_t anon_size;          /* resident anonymous memory (RssAnon) */
    uint64_t file_size;          /* resident file-backed memory (RssFile) */
    uint64_t shmem_size;         /* resident shared memory (RssShmem) */
    uint64_t swap_size;          /* swapped out (VmSwap) */
    uint64_t peak_physical_size; /* kernel's RSS high-water mark (VmHWM) */
    uint64_t peak_virtual_size;  /* kernel's virtual-size high-water mark (VmPeak) */
    uint32_t valid;              /* MW_HAVE_* bits: which of the fields above are known */
    uint32_t flags;              /* MW_SAMPLE_* bits */
    uint32_t nprocs;             /* processes summed into this sample (1, or more with children) */
    /* Extensions in 0.2.0 (soname libmemwatch.so.1). */
    uint32_t nprocs_unreadable;  /* processes of the tree found but not readable (permission): not
                                    in the sums. A process that exited meanwhile is not counted */
    uint64_t pss_size;           /* proportional set size: each shared page divided among sharers */
    uint64_t pss_anon_size;      /* Pss_Anon */
    uint64_t pss_file_size;      /* Pss_File */
    uint64_t pss_shmem_size;     /* Pss_Shmem */
    uint64_t uss_size;           /* unique set size: Private_Clean + Private_Dirty */
    uint64_t swap_pss_size;      /* SwapPss: swap divided among sharers */
    struct timespec pss_timestamp; /* CLOCK_MONOTONIC, when the PSS figures above were read (the
                                      latest finished sweep; they are carried until the next) */
    /* Extensions in 0.3.0: the memory cgroup watched (memwatch --cgroup), with the process or
     * instead of one. Bytes, each known only with its MW_HAVE_CG_* bit; kept in KiB. */
    uint64_t cg_current_size;    /* v2 memory.current, v1 memory.usage_in_bytes: everything
                                    charged to it, page cache included */
    uint64_t cg_peak_size;       /* the kernel's peak of it (v2 memory.peak, v1
                                    memory.max_usage_in_bytes) */
    uint64_t cg_limit;           /* v2 memory.max, v1 memory.limit_in_bytes, or MW_CG_UNLIMITED */
    uint64_t cg_high;            /* v2 memory.high (throttling above it), or MW_CG_UNLIMITED */
    uint64_t cg_anon_size;       /* anonymous (v2 stat anon, v1 stat total_rss) */
    uint64_t cg_file_size;       /* page cache, shmem included (v2 stat file, v1 total_cache) */
    uint64_t cg_kernel_size;     /* kernel memory (v2 stat kernel, or kernel_stack + slab) */
    uint64_t cg_swap_size;       /* swapped out (v2 memory.swap.current, v1 stat total_swap) */
} mw_stats;

/* Sizes in MiB (mebibytes, 1 MiB = 1024 * 1024 = 1048576 bytes), not decimal MB (1000000
 * bytes): the names say "mb" for the seed API's sake. NULL gives 0. Any thread. */
double mw_stats_physical_mb(const mw_stats *s); /* physical_size (RSS) in MiB */
double mw_stats_virtual_mb(const mw_stats *s);  /* virtual_size in MiB */
double mw_stats_shared_mb(const mw_stats *s);   /* shared_size in MiB */

/* Sample this process (mw_get_memory_stats) or any process by PID, once, synchronously.
 * Fills *out, timestamp included. Any thread.
 * Errors: MW_EINVAL (NULL out, pid < 0), MW_ENOPROC (no such process, or a zombie),
 * MW_EPERM, MW_EUNSUPPORTED, MW_ESYS, MW_EKTHREAD (a kernel thread: no user memory). */
int mw_get_memory_stats(mw_stats *out);
int mw_get_process_memory_stats(pid_t pid, mw_stats *out);
/* The same, writing only out_size bytes of *out (see "Structs that grow"). */
int mw_get_process_memory_stats_sized(pid_t pid, mw_stats *out, size_t out_size);
#define mw_get_memory_stats(...) mw_get_process_memory_stats_sized(0, __VA_ARGS__, sizeof(mw_stats))
#define mw_get_process_memory_stats(...) \
    mw_get_process_memory_stats_sized(__VA_ARGS__, sizeof(mw_stats))

/* What a process is: its name, command line and state. */
typedef struct mw_process_info {
    pid_t pid;
    char name[64];       /* short command name: Linux comm, raw (the process chose its bytes:
                            escape it to print it); macOS escapes it as cmdline */
    char cmdline[1024];  /* arguments joined by spaces, controls escaped (\e, \x07, \u009b) so
                            it is safe to print, truncated; empty for kernel threads */
    char state;          /* 'R' running, 'S' sleeping, 'D' disk wait, 'T' stopped, 'Z' zombie, ... */
    uint64_t start_time; /* opaque start time (Linux: jiffies after boot); equal = same process */
} mw_process_info;

/* Describe a process. Any thread. Errors: MW_EINVAL, MW_ENOPROC, MW_EPERM, MW_EUNSUPPORTED, MW_ESYS. */
int mw_process_get_info(pid_t pid, mw_process_info *out);

/* ---- The watcher: a sampler thread filling a fixed-size ring buffer ---------------------------- */

typedef struct mw_watcher mw_watcher;

/* Called on the sampler thread after each sample, never with a lock held. The sample is borrowed
 * for the duration of the call. A callback may call any mw_watcher_* function except
 * mw_watcher_stop / mw_watcher_free on its own watcher (that would join itself: MW_EINVAL / no-op). */
typedef void (*mw_callback)(const mw_stats *s, void *user);

typedef struct mw_config {
    uint64_t interval_ms;     /* sampling interval, 1 .. 3600000 (default 1000) */
    size_t   history_size;    /* samples kept in the ring buffer, >= 1 (default 3600); older ones
                                 are merged into as many bytes again at most (mw_watcher_summary) */
    bool     verbose_logging; /* log each sample to stderr; stop() prints a summary */
    pid_t    pid;             /* 0 = this process */
    /* Extensions after the original four fields. */
    bool     include_children; /* sum the process and all its descendants, re-scanned each sample */
    bool     reset_peaks;      /* reset the kernel's RSS high-water mark after each sample so every
                                  interval's true peak is known (Linux clear_refs; changes what the
                                  target itself reads as its peak; needs owner or root) */
    uint64_t pss_interval_ms;  /* 0 = off; else read PSS/USS (Linux smaps_rollup, ~35 us to ~2 ms
                                  per process) on a thread of its own every this many ms, so it
                                  never delays a sample; each sample carries the latest figures */
} mw_config;

/* The defaults: 1000 ms, 3600 samples, not verbose, this process, everything else off.
 * Returned by value, so its layout is 0.2.0's for ever: mw_config_init is the growing way. */
mw_config mw_config_default(void);

/* Fill *cfg (cfg_size bytes of it) with the defaults. Any thread.
 * Errors: MW_EINVAL (NULL, or cfg_size below the 0.1.0 layout). */
int mw_config_init(mw_config *cfg);
int mw_config_init_sized(mw_config *cfg, size_t cfg_size);
#define mw_config_init(...) mw_config_init_sized(__VA_ARGS__, sizeof(mw_config))

/* Create a watcher (not started) into *out (NULL on failure). cfg is copied; NULL means defaults.
 * The process is not opened until mw_watcher_start. Caller owns *out: mw_watcher_free. Any thread.
 * Errors: MW_EINVAL (NULL out; interval or pss_interval_ms outside 1 .. 3600000, history_size 0,
 * pid < 0; a field this library does not know set; cfg_size below the 0.1.0 layout), MW_ENOMEM. */
int mw_watcher_create(const mw_config *cfg, mw_watcher **out);
int mw_watcher_create_sized(const mw_config *cfg, mw_watcher **out, size_t cfg_size);
#define mw_watcher_create(...) mw_watcher_create_sized(__VA_ARGS__, sizeof(mw_config))

/* The seed API's creation: mw_watcher_create, but NULL for any failure (a bad cfg and out of
 * memory alike: mw_watcher_create says which). Caller owns the result: mw_watcher_free. */
mw_watcher *mw_watcher_new(const mw_config *cfg);
mw_watcher *mw_watcher_new_sized(const mw_config *cfg, size_t cfg_size);
#define mw_watcher_new(...) mw_watcher_new_sized(__VA_ARGS__, sizeof(mw_config))

/* Stop (if running) and free. NULL is a no-op. Not from a callback of the same watcher. */
void mw_watcher_free(mw_watcher *w);

/* Add a callback (at most 16). Allowed while running; takes effect from the next sample.
 * Errors: MW_EINVAL (NULL), MW_ENOMEM (too many). */
int mw_watcher_add_callback(mw_watcher *w, mw_callback fn, void *user);

/* Open the process, take the first sample at once, then one per interval on a new thread.
 * That thread blocks every signal, so a signal sent to the process (SIGCHLD, SIGINT...) is
 * always delivered to one of the program's own threads; the caller's mask is left as it was.
 * Errors: MW_EALREADY (running), MW_ENOPROC, MW_EPERM, MW_EUNSUPPORTED, MW_ESYS, MW_EINVAL,
 * MW_EKTHREAD.
 * Starting again after a stop continues the same history. */
int mw_watcher_start(mw_watcher *w);

/* Stop and join the sampler: when it returns no callback is running or will run.
 * No-op if not running. Not from a callback of the same watcher (ignored there). */
void mw_watcher_stop(mw_watcher *w);

/* True from a successful start until stop, or until the sampler ended by itself
 * (the process exited: see mw_watcher_end_reason). Any thread. */
bool mw_watcher_is_running(const mw_watcher *w);

/* Change the interval; the sampler applies it at once (the pending wait is cut short).
 * Errors: MW_EINVAL (NULL, or interval outside 1 .. 3600000 ms). */
int mw_watcher_set_interval(mw_watcher *w, uint64_t interval_ms);

/* Copies of the latest sample, and of the sample with the highest RSS so far.
 * Errors: MW_EINVAL (NULL), MW_ENODATA (no sample yet). Any thread. */
int mw_watcher_current_stats(const mw_watcher *w, mw_stats *out);
int mw_watcher_max_stats(const mw_watcher *w, mw_stats *out);
/* The same, writing only out_size bytes of *out. Errors also MW_EINVAL for a size too small. */
int mw_watcher_current_stats_sized(const mw_watcher *w, mw_stats *out, size_t out_size);
int mw_watcher_max_stats_sized(const mw_watcher *w, mw_stats *out, size_t out_size);
#define mw_watcher_current_stats(...) mw_watcher_current_stats_sized(__VA_ARGS__, sizeof(mw_stats))
#define mw_watcher_max_stats(...) mw_watcher_max_stats_sized(__VA_ARGS__, sizeof(mw_stats))

/* Copy up to cap of the newest samples in the ring into buf, oldest first; returns how many.
 * The caller owns buf. Any thread. */
size_t mw_watcher_history(const mw_watcher *w, mw_stats *buf, size_t cap);
/* The same into an array of elements of elem_size bytes (0 copied for a size too small). */
size_t mw_watcher_history_sized(const mw_watcher *w, mw_stats *buf, size_t cap, size_t elem_size);
#define mw_watcher_history(...) mw_watcher_history_sized(__VA_ARGS__, sizeof(mw_stats))

/* Current RSS minus the first sample's RSS, in bytes (0 before two samples). Any thread. */
int64_t mw_watcher_memory_growth(const mw_watcher *w);

/* Why the sampler ended by itself: 0 while running or after mw_watcher_stop; MW_ENOPROC when the
 * process exited; MW_EREUSED if its PID was taken by another process; MW_EPERM / MW_ESYS if
 * sampling started failing. History is kept either way. */
int mw_watcher_end_reason(const mw_watcher *w);

/* Counters and settings, in one consistent copy. */
typedef struct mw_watcher_status {
    bool     running;
    int      end_reason;  /* as mw_watcher_end_reason */
    pid_t    pid;         /* the PID watched (resolved: never 0) */
    uint64_t interval_ms;
    size_t   capacity;    /* ring size */
    size_t   stored;      /* samples in the ring now */
    uint64_t samples;     /* samples taken since creation */
    uint64_t dropped;     /* samples overwritten in the ring (samples - stored) */
    int      peak_reset_error; /* with reset_peaks: why the last reset failed (0 = it worked) */
    /* Extensions in 0.2.0 (soname libmemwatch.so.1). */
    uint32_t pss_unreadable;   /* with pss_interval_ms: processes the latest PSS reading could not
                                  read (another user's, or non-dumpable). While any is, samples
                                  carry no PSS: a sum missing a process would not add up */
} mw_watcher_status;

/* Fill *out. Errors: MW_EINVAL. Any thread. */
int mw_watcher_get_status(const mw_watcher *w, mw_watcher_status *out);
/* The same, writing only out_size bytes of *out. Errors: MW_EINVAL (also a size too small). */
int mw_watcher_get_status_sized(const mw_watcher *w, mw_watcher_status *out, size_t out_size);
#define mw_watcher_get_status(...) \
    mw_watcher_get_status_sized(__VA_ARGS__, sizeof(mw_watcher_status))

/* Incremental read: copy samples with sequence number >= *seq (the first sample is 0), oldest
 * first, up to cap; returns how many were copied and advances *seq past them. Samples that were
 * already overwritten are skipped; the number skipped is added to *lost when lost is non-NULL.
 * Lets a reader keep its own copy of the whole capture without re-reading it. Any thread. */
size_t mw_watcher_history_since(const mw_watcher *w, uint64_t *seq, mw_stats *buf, size_t cap,
                                uint64_t *lost);
/* The same into an array of elements of elem_size bytes (0 copied for a size too small). */
size_t mw_watcher_history_since_sized(const mw_watcher *w, uint64_t *seq, mw_stats *buf, size_t cap,
                                      uint64_t *lost, size_t elem_size);
#define mw_watcher_history_since(...) mw_watcher_history_since_sized(__VA_ARGS__, sizeof(mw_stats))

/* One process of the watched tree, as the latest sample read it. */
typedef struct mw_tree_process {
    pid_t pid;
    pid_t ppid;
    char name[16];             /* its name as /proc/PID/status shows it (comm, the kernel escapes
                                  only backslash and newline; the process chose its bytes:
                                  escape to print) */
    uint64_t rss;              /* bytes now */
    uint64_t first_rss;        /* at the first sample that saw it */
    uint64_t max_rss;          /* highest sampled */
    uint64_t hwm;              /* the kernel's lifetime RSS high-water mark of this process */
    uint64_t pss;              /* latest PSS sweep (valid & MW_HAVE_PSS) */
    uint64_t uss;              /* latest PSS sweep (valid & MW_HAVE_USS) */
    struct timespec first_seen; /* CLOCK_MONOTONIC, the first sample that saw it */
    uint32_t valid;            /* MW_HAVE_* bits of the fields above (HWM, PSS, USS) */
    uint32_t flags;            /* MW_PROC_* bits */
} mw_tree_process;

#define MW_PROC_SPIKE (1u << 0) /* proven peak between samples: hwm rose, while watched, above
                                   every sample of this process */
#define MW_PROC_ROOT  (1u << 1) /* the watched process itself */

/* Copy the processes of the latest sample, largest RSS first, into out[0 .. cap); *count (if
 * non-NULL) receives how many there are, which may exceed cap. Without include_children that is
 * the one process. Returns how many were copied. The caller owns out. Any thread. */
size_t mw_watcher_get_processes(const mw_watcher *w, mw_tree_process *out, size_t cap,
                                size_t *count);

/* The largest proven peak between samples of any one process during the run (MW_PROC_SPIKE;
 * the process may have exited since). Errors: MW_EINVAL, MW_ENODATA (none proven). Any thread. */
int mw_watcher_top_spike(const mw_watcher *w, mw_tree_process *out);

/* ---- The whole run, summarised over any time range ---------------------------------------------
 * The ring keeps history_size samples at full resolution; the samples it overwrites are merged
 * into coarser buckets (each a run of consecutive samples, keeping per figure its first, last,
 * min and max with their times, and mean), in at most as many bytes again as the ring (at least about
 * 230 KiB), so the run's start is never forgotten. mw_watcher_summary reads both. */

/* One figure of mw_stats over the samples summarised. */
typedef struct mw_figure {
    uint64_t known;    /* samples that knew it (0: none did, and the rest is 0) */
    uint64_t first;    /* bytes, at the first of them */
    uint64_t last;     /* bytes, at the last of them */
    uint64_t min;      /* bytes, the lowest */
    uint64_t max;      /* bytes, the highest: min and max are exact, merged history included */
    struct timespec min_time; /* CLOCK_MONOTONIC, when min was (the first time) */
    struct timespec max_time; /* ... and max */
    double mean;       /* bytes, over the samples that knew it */
} mw_figure;

/* What mw_watcher_summary found. Grows at its end (see "Structs that grow"). */
typedef struct mw_run_summary {
    struct timespec first_time; /* CLOCK_MONOTONIC, the first sample summarised */
    struct timespec last_time;  /* ... and the last. With merged samples these may lie outside
                                   the range asked: a bucket is summarised whole or not at all */
    uint64_t samples;           /* samples summarised */
    uint64_t merged;            /* of those, how many came from merged buckets (0: every one at
                                   full resolution); min, max and its time stay exact, the
                                   range's edges are the buckets' */
    uint64_t max_merged;        /* the widest bucket, in samples (1 when merged is 0): the time
                                   resolution of the range's edges, in intervals */
    uint64_t spike_hwm;         /* the highest proven peak between samples of a single process
                                   (MW_SAMPLE_HWM_ROSE; peak_physical_size then), 0 if none */
    uint32_t valid;             /* MW_HAVE_* bits of the figures some sample knew */
    uint32_t flags;             /* OR of the samples' MW_SAMPLE_* bits */
    /* The figures, named as mw_stats's (peak_* are the kernel's marks, sampled). */
    mw_figure physical_size, virtual_size, shared_size, anon_size, file_size, shmem_size,
        swap_size, peak_physical_size, peak_virtual_size, pss_size, pss_anon_size, pss_file_size,
        pss_shmem_size, uss_size, swap_pss_size;
    /* The watched cgroup's (mw_stats's cg_*; a limit not set is MW_CG_UNLIMITED throughout). */
    mw_figure cg_current_size, cg_peak_size, cg_limit, cg_high, cg_anon_size, cg_file_size,
        cg_kernel_size, cg_swap_size;
} mw_run_summary;

/* Summarise the watcher's whole run (merged history and ring) over the samples taken in
 * [from, to] (CLOCK_MONOTONIC, as mw_stats.timestamp; NULL from: the run's start, NULL to: now),
 * into *out (out_size bytes of it). Read under the watcher's lock in one consistent copy, while
 * the sampler runs or not; no callback is called. O(samples in the ring + buckets). Any thread.
 * Should the merged history fail to allocate (out of memory), the run's older part is gone and
 * the summary starts at the ring: first_time says where it starts.
 * Errors: MW_EINVAL (NULL w or out, from after to, a tv_nsec outside 0 .. 999999999, a size too
 * small), MW_ENODATA (no sample in the range; *out is zeroed). */
int mw_watcher_summary(const mw_watcher *w, const struct timespec *from, const struct timespec *to,
                       mw_run_summary *out);
int mw_watcher_summary_sized(const mw_watcher *w, const struct timespec *from,
                             const struct timespec *to, mw_run_summary *out, size_t out_size);
#define mw_watcher_summary(...) mw_watcher_summary_sized(__VA_ARGS__, sizeof(mw_run_summary))

/* ---- Is it a leak? ------------------------------------------------------------------------------ */

/* The verdict of mw_leak_verdict. It follows the RSS floor (the lowest RSS in each window of the
 * run: what memory returns to after each collection or free), not every sample, so the sawtooth of
 * a garbage collector or an allocator's pools does not fool it; the method, its thresholds and
 * limits are in the README ("Is it a leak?"). */
enum {
    MW_LEAK_UNSURE = 0, /* not sure yet: too little data after the warm-up, or growth not
                           sustained or poorly fitted */
    MW_LEAK_NO = 1,     /* enough data, and the floor is flat (or falling) within the threshold */
    MW_LEAK_YES = 2     /* the floor grows, steadily, well fitted, above the noise threshold */
};

typedef struct mw_leak_result {
    int      verdict;       /* MW_LEAK_* */
    double   floor_slope;   /* bytes per second, least squares over the window floors (0 if none) */
    double   r2;            /* that fit's coefficient of determination, 0..1 */
    double   span_s;        /* seconds of history judged (after the warm-up) */
    double   warmup_s;      /* seconds skipped at the start */
    uint64_t floor_bytes;   /* the latest window's floor, bytes (0 if none) */
    unsigned windows;       /* windows the judged span was cut into (0 if none) */
    char     reason[96];    /* why, for a human: "floor +1.1 MiB/min over 12m, R² 0.93",
                               "floor flat (+0 B/min) over 3m", "warming up: 20s of 40s" (UTF-8) */
} mw_leak_result;

/* Judge n samples (oldest first, as mw_watcher_history gives them) by their physical_size and
 * timestamp. Fills *out; n == 0 gives MW_LEAK_UNSURE. O(n) time, O(n / 8) memory. Any thread.
 * Errors: MW_EINVAL (NULL out, or NULL samples with n > 0), MW_ENOMEM. */
int mw_leak_verdict(const mw_stats *samples, size_t n, mw_leak_result *out);
/* The same over an array of elements of elem_size bytes. Errors also MW_EINVAL for a size too
 * small. */
int mw_leak_verdict_sized(const mw_stats *samples, size_t n, mw_leak_result *out, size_t elem_size);
#define mw_leak_verdict(...) mw_leak_verdict_sized(__VA_ARGS__, sizeof(mw_stats))

/* The same over the watcher's whole run: its ring and, once the run is longer than the ring,
 * the merged history behind it (each merged bucket's lowest RSS and its time), as the dashboard
 * judges it. Judged under the watcher's lock (about 1 ms for 100,000 stored samples). Any
 * thread. Errors: MW_EINVAL, MW_ENOMEM. */
int mw_watcher_leak_verdict(const mw_watcher *w, mw_leak_result *out);

/* A static, human-readable string for an MW_E* code (or "unknown error"). Any thread. */
const char *mw_strerror(int err);

/* The version of the library running, e.g. "0.2.0" (MW_VERSION_STRING is the header's). */
const char *mw_version(void);

#ifdef __cplusplus
}
#endif
#endif /* MEMWATCH_H */
