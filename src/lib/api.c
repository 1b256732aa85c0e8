/* SPDX-License-Identifier: MIT */
/* api.c — the public one-shot calls: sizes in MB, sample a process once, describe a process. */
#include "config.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "memwatch.h"
#include "probe.h"
#include "sized.h"

/* These go straight to the probe (open, sample, close) and share nothing with the watcher, so any
 * thread may call them at any time. pid 0 means this process: the probe itself wants a real PID. */

#define MIB 1048576.0

double mw_stats_physical_mb(const mw_stats *s) { return s ? (double)s->physical_size / MIB : 0.0; }
double mw_stats_virtual_mb(const mw_stats *s) { return s ? (double)s->virtual_size / MIB : 0.0; }
double mw_stats_shared_mb(const mw_stats *s) { return s ? (double)s->shared_size / MIB : 0.0; }

int mw_get_process_memory_stats_sized(pid_t pid, mw_stats *out, size_t out_size)
{
    if (!out || pid < 0 || out_size < MW__STATS_SIZE_MIN)
        return MW_EINVAL;
    mw_stats st;
    memset(&st, 0, sizeof(st));
    mw__probe *p;
    int rc = mw__probe_open(pid ? pid : getpid(), 0, &p);
    if (rc == 0) {
        rc = mw__probe_sample(p, &st, NULL);
        mw__probe_close(p);
    }
    if (rc != 0) {
        memset(&st, 0, sizeof(st));
    } else {
        clock_gettime(CLOCK_MONOTONIC, &st.timestamp);
        st.flags = 0;
        st.nprocs = 1;
    }
    mw__copy_out(out, out_size, &st, sizeof(st));
    return rc;
}

int(mw_get_process_memory_stats)(pid_t pid, mw_stats *out)
{
    return mw_get_process_memory_stats_sized(pid, out, MW__STATS_SIZE_1);
}

int(mw_get_memory_stats)(mw_stats *out) { return mw_get_process_memory_stats_sized(0, out, MW__STATS_SIZE_1); }

int mw_process_get_info(pid_t pid, mw_process_info *out)
{
    if (!out || pid < 0)
        return MW_EINVAL;
    return mw__probe_info(pid ? pid : getpid(), out);
}
