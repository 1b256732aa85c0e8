/* SPDX-License-Identifier: MIT */
/* probe-none.c — the "unsupported" probe: every call fails with MW_EUNSUPPORTED; the template for a new OS. */
#include "config.h"

#include <stddef.h>

#include "probe.h"

/* configure picks this file when it knows no probe for the host OS (or on --with-probe=none), so
 * the library, the program and the tests still build and say plainly that sampling is not
 * supported. To port memwatch to a new OS, copy this file to probe-<os>.c, give it its own
 * mw__probe_name, implement the functions below against probe.h (keep every OS header in
 * that one file), and add it to configure.ac and Makefile.am beside probe-linux.c. */

const char mw__probe_name[] = "none";

/* A real backend: remember the process (and its start time, to detect PID reuse), return a handle. */
int mw__probe_open(pid_t pid, unsigned flags, mw__probe **out)
{
    (void)pid;
    (void)flags;
    if (out)
        *out = NULL;
    return MW_EUNSUPPORTED;
}

/* A real backend: fill sizes (bytes), valid bits and nprocs; never the timestamp. */
int mw__probe_sample(mw__probe *p, mw_stats *out, int *peak_reset_err)
{
    (void)p;
    (void)out;
    if (peak_reset_err)
        *peak_reset_err = MW_EUNSUPPORTED;
    return MW_EUNSUPPORTED;
}

/* Nothing was ever opened, so there is nothing to free. */
void mw__probe_close(mw__probe *p) { (void)p; }

/* A real backend: adopt orphaned descendants if the OS can (else MW_EUNSUPPORTED, as here). */
int mw__probe_adopt_orphans(void) { return MW_EUNSUPPORTED; }

/* A real backend: the PIDs of pid's children. */
int mw__probe_children(pid_t pid, pid_t *out, size_t cap)
{
    (void)pid;
    (void)out;
    (void)cap;
    return MW_EUNSUPPORTED;
}

/* A real backend: name, command line, state and start time of any process. */
int mw__probe_info(pid_t pid, mw_process_info *out)
{
    (void)pid;
    (void)out;
    return MW_EUNSUPPORTED;
}

/* No probe, no processes: the watcher never gets a sample to describe. */
const mw_tree_process *mw__probe_processes(const mw__probe *p, size_t *n)
{
    (void)p;
    *n = 0;
    return NULL;
}

/* A real backend: PSS/USS (shared pages divided among their sharers) of any process, if the OS
 * tells them; else MW_EUNSUPPORTED, as here. */
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

/* No process list here: the picker and -n NAME say they are not supported. */
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
