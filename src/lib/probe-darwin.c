/* SPDX-License-Identifier: MIT */
/* probe-darwin.c — the macOS probe: libproc and Mach task_info, optionally for a process tree. */
#include "config.h"

#include <errno.h>
#include <libproc.h>
#include <mach/mach.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/proc.h> /* SIDL, SRUN, SSLEEP, SSTOP, SZOMB: the values of pbi_status */
#include <sys/proc_info.h>
#include <sys/resource.h>
#include <sys/sysctl.h>
#include <sys/types.h>
#include <unistd.h>

#include "probe.h"
#include "procparse.h"
#include "sample.h"

/* Where each figure comes from (Apple's <libproc.h>, <sys/proc_info.h>, <mach/task_info.h>,
 * <sys/resource.h>). Only this file includes macOS headers.
 *
 *  another process  proc_pidinfo(PROC_PIDTASKALLINFO): its proc_taskinfo (pti_resident_size ->
 *                   physical_size, pti_virtual_size -> virtual_size; the same struct that
 *                   PROC_PIDTASKINFO returns) together with its proc_bsdinfo (start time, status,
 *                   flags) from one look at one process, so a PID reused by a stranger can never
 *                   slip between the identity check and the sizes.
 *                   Peak: proc_pid_rusage(RUSAGE_INFO_V4) ri_lifetime_max_phys_footprint (the
 *                   field exists from rusage_info_v4 on, macOS 10.14; an older kernel refuses the
 *                   flavor with EINVAL and the peak is simply not reported).
 *  this process     task_info(mach_task_self(), MACH_TASK_BASIC_INFO): resident_size,
 *                   virtual_size and resident_size_max, a true RSS high-water mark like Linux
 *                   VmHWM. (No PID can be reused while we are alive to ask.)
 *
 * What the peak means differs: for another process it is the peak of the *footprint* (the dirty,
 * compressed and other memory the kernel charges to the process: what Activity Monitor's Memory
 * column shows), not of RSS. It still catches a spike that happened between two samples, but it
 * can sit below the RSS (clean shared pages count in RSS only) or above it (compressed pages count
 * in the footprint only). macOS has no interface to reset it, so MW__PROBE_RESET_PEAK reports
 * MW_EUNSUPPORTED with every sample (the sample itself is fine).
 *
 * shared_size is 0: these interfaces give no per-process figure for resident shared memory.
 * No anon/file/shmem/swap split and no virtual peak either: valid holds at most MW_HAVE_HWM.
 *
 * Errors: ESRCH -> MW_ENOPROC; EPERM (another user's process, or one the system protects) ->
 * MW_EPERM. A zombie, or a process already inside exit(), has no memory left: MW_ENOPROC. */

#ifndef KERN_PROCARGS2
#define KERN_PROCARGS2 49 /* <sys/sysctl.h> shows it only under __APPLE_API_UNSTABLE */
#endif

const char mw__probe_name[] = "darwin";

#define TREE_MAX 4096        /* descendants summed at most, to bound the cost per sample */
#define ARGS_MAX (4u << 20)  /* refuse an argument area above 4 MiB (KERN_ARGMAX is 1 MiB) */

struct mw__probe {
    pid_t pid;
    unsigned flags;
    int self;            /* pid is this process: task_info, whose peak is a real RSS peak */
    int no_rusage;       /* the kernel refused RUSAGE_INFO_V4: do not ask again */
    uint64_t start_time; /* microseconds since the epoch, from pbi_start_tvsec/tvusec */
    int *kids;           /* tree: descendants found this sample */
    size_t nkids, kids_cap;
    int *list;           /* tree: one proc_listchildpids answer */
    size_t list_cap;
};

static int map_errno(int e)
{
    switch (e) {
    case ESRCH: return MW_ENOPROC;
    case EPERM:
    case EACCES: return MW_EPERM;
    default: return MW_ESYS;
    }
}

/* proc_pidinfo returns the bytes it copied, or 0 with errno set (libproc turns the system call's
 * -1 into 0). Anything but the whole struct is an error. */
static int pidinfo(pid_t pid, int flavor, uint64_t arg, void *buf, int size)
{
    errno = 0;
    int n = proc_pidinfo(pid, flavor, arg, buf, size);
    if (n == size)
        return 0;
    return n <= 0 && errno != 0 ? map_errno(errno) : MW_ESYS;
}

static uint64_t start_of(const struct proc_bsdinfo *b)
{
    return (uint64_t)b->pbi_start_tvsec * 1000000u + (uint64_t)b->pbi_start_tvusec;
}

/* Sizes and identity of pid in one call. PROC_PIDTASKALLINFO never finds a zombie (ESRCH); a
 * process already inside exit() is tearing its memory down and counts as gone too. */
static int read_task(pid_t pid, struct proc_taskallinfo *ti)
{
    int rc = pidinfo(pid, PROC_PIDTASKALLINFO, 0, ti, (int)sizeof(*ti));
    if (rc == 0 && (ti->pbsd.pbi_status == SZOMB || (ti->pbsd.pbi_flags & PROC_FLAG_INEXIT)))
        rc = MW_ENOPROC;
    return rc;
}

/* This process, from its own Mach task. */
static int sample_self(mw_stats *out)
{
    mach_task_basic_info_data_t ti;
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    kern_return_t kr = task_info(mach_task_self(), MACH_TASK_BASIC_INFO, (task_info_t)&ti, &count);
    if (kr != KERN_SUCCESS)
        return MW_ESYS;
    out->virtual_size = ti.virtual_size;
    out->physical_size = ti.resident_size;
    out->peak_physical_size = ti.resident_size_max;
    out->valid = MW_HAVE_HWM;
    return 0;
}

/* Another process; *start (if non-NULL) gets its start time. The rusage call comes first: if the
 * PID changes hands between the two calls, the task call sees the new owner and the caller's
 * start-time check rejects the whole sample. A peak we may not read is left out, not an error. */
static int sample_other(mw__probe *p, pid_t pid, mw_stats *out, uint64_t *start)
{
    struct rusage_info_v4 ri;
    int have_peak = 0;
    if (!p->no_rusage) {
        if (proc_pid_rusage(pid, RUSAGE_INFO_V4, (rusage_info_t *)&ri) == 0)
            have_peak = 1;
        else if (errno == EINVAL)
            p->no_rusage = 1; /* before macOS 10.14: no V4 flavor */
    }
    struct proc_taskallinfo ti;
    int rc = read_task(pid, &ti);
    if (rc != 0)
        return rc;
    if (start)
        *start = start_of(&ti.pbsd);
    out->virtual_size = ti.ptinfo.pti_virtual_size;
    out->physical_size = ti.ptinfo.pti_resident_size;
    if (have_peak) {
        out->peak_physical_size = ri.ri_lifetime_max_phys_footprint;
        out->valid |= MW_HAVE_HWM;
    }
    return 0;
}

int mw__probe_open(pid_t pid, unsigned flags, mw__probe **out)
{
    if (!out || pid <= 0)
        return MW_EINVAL;
    *out = NULL;
    /* The task call also proves we may read this process: EPERM shows here, at open. */
    struct proc_taskallinfo ti;
    int rc = read_task(pid, &ti);
    if (rc != 0)
        return rc;
    mw__probe *p = calloc(1, sizeof(*p));
    if (!p)
        return MW_ENOMEM;
    p->pid = pid;
    p->flags = flags;
    p->self = pid == getpid();
    p->start_time = start_of(&ti.pbsd);
    *out = p;
    return 0;
}

/* The process is gone, or seems to be: is the number now someone else's? Zombies are looked up
 * too (arg 1), so a dead but unreaped process still says "exited", not "reused". */
static int gone_reason(const mw__probe *p)
{
    struct proc_bsdinfo b;
    if (pidinfo(p->pid, PROC_PIDTBSDINFO, 1, &b, (int)sizeof(b)) == 0 &&
        start_of(&b) != p->start_time)
        return MW_EREUSED;
    return MW_ENOPROC;
}

/* Grow the int array *arr of capacity *cap to hold at least want elements. */
static int grow(int **arr, size_t *cap, size_t want)
{
    if (want <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < want)
        ncap *= 2;
    int *np = realloc(*arr, ncap * sizeof(**arr));
    if (!np)
        return MW_ENOMEM;
    *arr = np;
    *cap = ncap;
    return 0;
}

/* The children of parent into p->list[0 .. *n). proc_listchildpids returns how many PIDs it
 * copied (0 when the parent is gone); a full buffer may mean more: grow and ask again. */
static int list_children(mw__probe *p, int parent, size_t *n)
{
    for (;;) {
        int rc = grow(&p->list, &p->list_cap, 64);
        if (rc != 0)
            return rc;
        int got = proc_listchildpids(parent, p->list, (int)(p->list_cap * sizeof(int)));
        size_t m = got > 0 ? (size_t)got : 0;
        if (m < p->list_cap || p->list_cap >= TREE_MAX) {
            *n = m < p->list_cap ? m : p->list_cap;
            return 0;
        }
        rc = grow(&p->list, &p->list_cap, p->list_cap * 2);
        if (rc != 0)
            return rc;
    }
}

static int add_kid(mw__probe *p, int pid)
{
    if (pid <= 0 || pid == p->pid || p->nkids == TREE_MAX)
        return 0;
    for (size_t i = 0; i < p->nkids; i++)
        if (p->kids[i] == pid)
            return 0;
    int rc = grow(&p->kids, &p->kids_cap, p->nkids + 1);
    if (rc == 0)
        p->kids[p->nkids++] = pid;
    return rc;
}

/* Tree mode: find the current descendants, breadth first, and add each one's memory to *out.
 * A child that exits, turns zombie or may not be read meanwhile is simply left out. */
static int add_descendants(mw__probe *p, mw_stats *out)
{
    p->nkids = 0;
    for (size_t i = 0; i <= p->nkids; i++) {
        size_t n;
        int rc = list_children(p, i == 0 ? (int)p->pid : p->kids[i - 1], &n);
        for (size_t j = 0; rc == 0 && j < n; j++)
            rc = add_kid(p, p->list[j]);
        if (rc != 0)
            return rc;
    }
    for (size_t i = 0; i < p->nkids; i++) {
        mw_stats k;
        memset(&k, 0, sizeof(k));
        if (sample_other(p, p->kids[i], &k, NULL) != 0)
            continue;
        mw__stats_tree_add(out, &k); /* fields macOS lacks are 0 in k: the sum keeps them 0 */
    }
    return 0;
}

int mw__probe_sample(mw__probe *p, mw_stats *out, int *peak_reset_err)
{
    if (!p || !out)
        return MW_EINVAL;
    if (peak_reset_err)
        *peak_reset_err = 0;
    memset(out, 0, sizeof(*out)); /* shared_size stays 0: no such figure on macOS */
    uint64_t start = p->start_time;
    int rc = p->self ? sample_self(out) : sample_other(p, p->pid, out, &start);
    if (rc == MW_ENOPROC)
        return gone_reason(p);
    if (rc != 0)
        return rc;
    if (start != p->start_time)
        return MW_EREUSED;
    out->nprocs = 1;
    if (p->flags & MW__PROBE_TREE) {
        rc = add_descendants(p, out);
        if (rc != 0)
            return rc;
    }
    if (peak_reset_err && (p->flags & MW__PROBE_RESET_PEAK))
        *peak_reset_err = MW_EUNSUPPORTED; /* no way to reset a high-water mark on macOS */
    return 0;
}

void mw__probe_close(mw__probe *p)
{
    if (!p)
        return;
    free(p->kids);
    free(p->list);
    free(p);
}

static char state_letter(uint32_t status)
{
    switch (status) {
    case SRUN: return 'R';
    case SSLEEP: return 'S';
    case SSTOP: return 'T';
    case SZOMB: return 'Z';
    default: return '?'; /* SIDL: being created by fork(), not yet anything */
    }
}

/* argv out of a KERN_PROCARGS2 area of len bytes: int argc, the executable path, NUL padding,
 * then argc NUL-terminated arguments, then the environment (never shown). Every step stops at
 * len, whatever argc claims. */
static void join_procargs(const char *buf, size_t len, char *out, size_t cap)
{
    int argc;
    if (len < sizeof(argc)) {
        mw__join_cmdline(NULL, 0, out, cap);
        return;
    }
    memcpy(&argc, buf, sizeof(argc));
    size_t i = sizeof(argc);
    while (i < len && buf[i] != '\0')
        i++; /* the executable path */
    while (i < len && buf[i] == '\0')
        i++; /* its padding */
    size_t from = i;
    for (int a = 0; a < argc && i < len; a++) {
        while (i < len && buf[i] != '\0')
            i++;
        if (i < len)
            i++; /* this argument's NUL */
    }
    mw__join_cmdline(buf + from, i - from, out, cap);
}

/* The command line of pid into out[cap]; left empty where the kernel will not tell (another
 * user's process, a zombie). Only running out of memory is an error. */
static int read_cmdline(pid_t pid, char *out, size_t cap)
{
    int mib[3] = {CTL_KERN, KERN_ARGMAX, 0};
    int argmax = 0;
    size_t len = sizeof(argmax);
    if (sysctl(mib, 2, &argmax, &len, NULL, 0) != 0 || argmax <= 0 || (unsigned)argmax > ARGS_MAX)
        return 0;
    char *buf = malloc((size_t)argmax);
    if (!buf)
        return MW_ENOMEM;
    mib[1] = KERN_PROCARGS2;
    mib[2] = (int)pid;
    len = (size_t)argmax;
    if (sysctl(mib, 3, buf, &len, NULL, 0) == 0)
        join_procargs(buf, len < (size_t)argmax ? len : (size_t)argmax, out, cap);
    free(buf);
    return 0;
}

int mw__probe_info(pid_t pid, mw_process_info *out)
{
    if (!out || pid <= 0)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    struct proc_bsdinfo b;
    int rc = pidinfo(pid, PROC_PIDTBSDINFO, 1 /* find zombies too */, &b, (int)sizeof(b));
    if (rc != 0)
        return rc;
    out->pid = pid;
    /* What proc_name() returns, without a second system call: the long name if the process has
     * one, else the 16-byte command name. Bounded by the field, terminated or not. */
    const char *name = b.pbi_name[0] ? b.pbi_name : b.pbi_comm;
    size_t name_max = b.pbi_name[0] ? sizeof(b.pbi_name) : sizeof(b.pbi_comm);
    mw__join_cmdline(name, strnlen(name, name_max), out->name, sizeof(out->name));
    out->state = state_letter(b.pbi_status);
    out->start_time = start_of(&b);
    if (b.pbi_status != SZOMB)
        rc = read_cmdline(pid, out->cmdline, sizeof(out->cmdline));
    return rc;
}

/* Not done on macOS yet (proc_listchildpids could list children; PR_SET_CHILD_SUBREAPER has no
 * equivalent): a launched command's escaped descendants are then not named. */
int mw__probe_adopt_orphans(void) { return MW_EUNSUPPORTED; }

int mw__probe_children(pid_t pid, pid_t *out, size_t cap)
{
    (void)pid;
    (void)out;
    (void)cap;
    return MW_EUNSUPPORTED;
}

/* No per-process records on macOS yet: the watcher describes the one process from its sample
 * (no tree table with -c). */
const mw_tree_process *mw__probe_processes(const mw__probe *p, size_t *n)
{
    (void)p;
    *n = 0;
    return NULL;
}

/* Not on macOS: it has no smaps_rollup, and no interface that divides shared pages among their
 * sharers (PSS). USS could come from proc_pid_rusage's ri_phys_footprint only loosely (it counts
 * compressed memory too), so it is not offered rather than offered as something else. */
int mw__probe_rollup(pid_t pid, mw__rollup *out)
{
    (void)pid;
    if (out)
        *out = (mw__rollup){0}; /* no stale figures behind a failed call */
    return MW_EUNSUPPORTED;
}

/* No /proc/PID/smaps here: "where it went" needs a per-mapping memory map, which this OS does
 * not give (on macOS, mach_vm_region_recurse could; not done yet). */
int mw__probe_smaps(pid_t pid, mw__smaps_table *out, mw__smaps_cost *cost)
{
    (void)pid;
    (void)out;
    if (cost)
        *cost = (mw__smaps_cost){0, 0, 0};
    return MW_EUNSUPPORTED;
}

/* Not done on macOS yet (proc_listallpids + proc_pidinfo could): the picker and -n NAME say they are not supported. */
int mw__probe_list_processes(int all_users, mw__proc_brief **list, size_t *n, size_t *cap)
{
    (void)all_users;
    (void)list;
    (void)cap;
    if (n)
        *n = 0;
    return MW_EUNSUPPORTED;
}

int mw__probe_cmdline(pid_t pid, uint64_t start_time, char *line, size_t n, char *argv0,
                      size_t n0)
{
    (void)pid;
    (void)start_time;
    if (line && n)
        *line = '\0';
    if (argv0 && n0)
        *argv0 = '\0';
    return MW_EUNSUPPORTED;
}
