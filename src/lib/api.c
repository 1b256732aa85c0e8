/* SPDX-License-Identifier: MIT */
/* api.c — the public one-shot calls: sizes in MB, sample a process once, describe a process. */
#include "config.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "memwatch.h"
#include "probe.h"

/* These go straight to the probe (open, sample, close) and share nothing with the watcher, so any
 * thread may call them at any time. pid 0 means this process: the probe itself wants a real PID. */

#define MIB 1048576.0

double mw_stats_physical_mb(const mw_stats *s) { return s ? (double)s->physical_size / MIB : 0.0; }
double mw_stats_virtual_mb(const mw_stats *s) { return s ? (double)s->virtual_size / MIB : 0.0; }
double mw_stats_shared_mb(const mw_stats *s) { return s ? (double)s->shared_size / MIB : 0.0; }

int mw_get_process_memory_stats(pid_t pid, mw_stats *out)
{
    if (!out || pid < 0)
        return MW_EINVAL;
    memset(out, 0, sizeof(*out));
    mw__probe *p;
    int rc = mw__probe_open(pid ? pid : getpid(), 0, &p);
    if (rc != 0)
        return rc;
    rc = mw__probe_sample(p, out, NULL);
    mw__probe_close(p);
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &out->timestamp);
    out->flags = 0;
    out->nprocs = 1;
    return 0;
}

int mw_get_memory_stats(mw_stats *out) { return mw_get_process_memory_stats(0, out); }

int mw_process_get_info(pid_t pid, mw_process_info *out)
{
    if (!out || pid < 0)
        return MW_EINVAL;
    return mw__probe_info(pid ? pid : getpid(), out);
}
