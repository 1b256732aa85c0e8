/* SPDX-License-Identifier: MIT */
/* probe-linux-tree.c — a process's descendants on Linux: found to the last child, summed, and remembered per process. */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe-linux.h"
#include "procparse.h"
#include "sample.h"

/* Why records: a tree's figures are only true with each process known across samples. The sum
 * of the processes' own VmHWM is an upper bound of the tree's peak, never a peak; what can be
 * proven is one process's own mark rising above every sample of it. And a user who sees the
 * tree grow wants to know which child grows. Records are matched by PID and name, and a record
 * read through a kept fd (probe-linux-procs.c) is the previous one's process for sure: that fd
 * fails once its process is reaped, even if the PID is reused, and the newcomer then starts a
 * record of its own. Only processes past the fd budget (probe-linux.h), read by path, can still
 * be mistaken: a PID reused within one interval by a process of the same name there passes for
 * the old one. */

#define TREE_MAX 65536 /* descendants read at most per sample (bounds the cost); more are counted
                          as unreadable, never silently left out */

/* Test hook (tests/test_probe.c, weak reference): find descendants by scanning /proc/ * /stat
 * even where /proc/PID/task/TID/children exists, so the fallback path is exercised too. */
int mw__probe_linux_force_scan = 0;

/* ---- children lists --------------------------------------------------------------------------- */

/* A children file opened, read to the end (a seq_file: a page per read) and closed. */
static int read_to_end(int dir_fd, const char *path, mw__growbuf *b, size_t *len)
{
    int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mw__linux_map_errno(errno);
    int rc = mw__linux_read_list(fd, b, len);
    close(fd);
    return rc;
}

/* Call fn for each PID of a list in b (read with rc). */
static int each_listed(int rc, const mw__growbuf *b, size_t len, int (*fn)(void *, pid_t),
                       void *ctx)
{
    size_t pos = 0;
    int64_t kid;
    if (rc != 0)
        return 0; /* the thread or process ended meanwhile: no children from it */
    while (rc == 0 && mw__next_pid(b->p, len, &pos, &kid) == 1)
        rc = fn(ctx, (pid_t)kid);
    return rc;
}

int mw__linux_each_child(pid_t pid, mw__growbuf *b, int (*fn)(void *, pid_t), void *ctx,
                         int gone_err)
{
    /* A process's children hang off whichever of its threads forked them. */
    char path[300]; /* "/proc/PID/task", then "TID/children" with any d_name */
    snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
    DIR *d = opendir(path);
    if (!d)
        return gone_err ? mw__linux_map_errno(errno) : 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "%s/children", e->d_name);
        size_t len = 0;
        rc = read_to_end(dirfd(d), path, b, &len);
        rc = each_listed(rc, b, len, fn, ctx);
    }
    closedir(d);
    return rc;
}

/* ---- finding the tree ------------------------------------------------------------------------- */

static void *grow_array(void *arr, size_t elem, size_t cap)
{
    return realloc(arr, cap * elem);
}

/* Room for n + 1 kids. */
static int kids_reserve(mw__ptree *t)
{
    if (t->nkids < t->kids_cap)
        return 0;
    size_t cap = t->kids_cap ? t->kids_cap * 2 : 256;
    pid_t *k = grow_array(t->kids, sizeof(*k), cap);
    if (k)
        t->kids = k;
    pid_t *pp = k ? grow_array(t->kid_ppid, sizeof(*pp), cap) : NULL;
    if (pp)
        t->kid_ppid = pp;
    if (!k || !pp)
        return MW_ENOMEM;
    t->kids_cap = cap;
    return 0;
}

typedef struct finder {
    mw__probe *p;
    pid_t parent;
    uint32_t over; /* found past TREE_MAX: not read */
} finder;

static int add_kid(void *ctx, pid_t pid)
{
    finder *f = ctx;
    mw__ptree *t = &f->p->tree;
    if (pid == f->p->pid)
        return 0;
    int rc = mw__pidmap_put(&t->seen, pid, 0);
    if (rc <= 0)
        return rc; /* 0: already known (a list raced with a fork or a reparenting) */
    if (t->nkids == TREE_MAX) {
        f->over++; /* found, not read: and its own descendants are not even found */
        return 0;
    }
    rc = kids_reserve(t);
    if (rc != 0)
        return rc;
    t->kids[t->nkids] = pid;
    t->kid_ppid[t->nkids++] = f->parent;
    return 0;
}

/* Fallback without children files: every process's parent from /proc/ * /stat, then the
 * descendants of ours, breadth first, by passes over that table. */
static int scan_descendants(finder *f)
{
    DIR *d = opendir("/proc");
    if (!d)
        return mw__linux_map_errno(errno);
    pid_t(*tab)[2] = NULL; /* {pid, ppid} */
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        mw__proc_stat st;
        char path[300], text[4096];
        mw__growbuf b = {text, sizeof(text), 1};
        size_t len;
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "%s/stat", e->d_name);
        if (mw__linux_read_file(dirfd(d), path, &b, &len) != 0 ||
            mw__parse_stat(text, len, &st) != 0 || st.ppid == 0)
            continue; /* gone already, or a root of the process tree */
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            pid_t(*nt)[2] = grow_array(tab, sizeof(*tab), ncap);
            if (!nt) {
                rc = MW_ENOMEM;
                break;
            }
            tab = nt;
            cap = ncap;
        }
        tab[n][0] = (pid_t)st.pid;
        tab[n][1] = (pid_t)st.ppid;
        n++;
    }
    closedir(d);
    mw__ptree *t = &f->p->tree;
    for (size_t i = 0; rc == 0 && i <= t->nkids; i++) {
        f->parent = i == 0 ? f->p->pid : t->kids[i - 1];
        for (size_t j = 0; rc == 0 && j < n; j++)
            if (tab[j][1] == f->parent)
                rc = add_kid(f, tab[j][0]);
    }
    free(tab);
    return rc;
}

/* pid's children into the tree. A process with one thread has them all in that thread's list,
 * read directly, through k's kept fd when there is one; several threads each have a list
 * (opendir + one read per thread, opened each time). */
static int children_of(finder *f, pid_t pid, long threads, mw__kept *k)
{
    mw__probe *p = f->p;
    size_t len = 0;
    f->parent = pid;
    if (threads != 1)
        return mw__linux_each_child(pid, &p->buf, add_kid, f, 0);
    if (pid != p->pid) {
        int rc = mw__kept_children(&p->tree, pid, k, &p->buf, &len);
        return each_listed(rc, &p->buf, len, add_kid, f);
    }
    /* The watched process's own list, opened beside its status (bound to it), kept for good. */
    char path[48];
    snprintf(path, sizeof(path), "task/%ld/children", (long)pid);
    if (p->kids_fd < 0)
        p->kids_fd = openat(p->dir_fd, path, O_RDONLY | O_CLOEXEC);
    int rc = p->kids_fd >= 0 ? mw__linux_read_list(p->kids_fd, &p->buf, &len)
                             : read_to_end(p->dir_fd, path, &p->buf, &len);
    return each_listed(rc, &p->buf, len, add_kid, f);
}

/* ---- records ---------------------------------------------------------------------------------- */

/* What the records need from a status text, in one forward pass: the kernel writes Name first,
 * PPid a few lines on and Threads further down, so the scan stops as soon as it has what it
 * wants (threads only when the tree is walked). */
typedef struct status_ids {
    char name[16];
    long ppid, threads;
} status_ids;

static void status_ids_of(const char *text, size_t len, int want_threads, status_ids *ids)
{
    static const char *const keys[] = {"Name:", "PPid:", "Threads:"};
    int k = 0, kmax = want_threads ? 3 : 2;
    ids->name[0] = '\0';
    ids->ppid = ids->threads = 0;
    for (const char *p = text, *end = text + len; p < end && k < kmax;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        for (int i = k; i < kmax; i++) {
            size_t klen = strlen(keys[i]);
            if ((size_t)(eol - p) < klen || memcmp(p, keys[i], klen) != 0)
                continue;
            const char *v = p + klen;
            while (v < eol && (*v == '\t' || *v == ' '))
                v++;
            if (i == 0) {
                size_t n = (size_t)(eol - v) < sizeof(ids->name) - 1 ? (size_t)(eol - v)
                                                                    : sizeof(ids->name) - 1;
                memcpy(ids->name, v, n);
                ids->name[n] = '\0';
            } else {
                long x = 0;
                for (; v < eol && *v >= '0' && *v <= '9' && x < 100000000; v++)
                    x = x * 10 + (*v - '0');
                *(i == 1 ? &ids->ppid : &ids->threads) = x;
            }
            k = i + 1;
            break;
        }
        p = eol + 1;
    }
}

static int procs_reserve(mw__ptree *t)
{
    if (t->nprocs < t->procs_cap)
        return 0;
    size_t cap = t->procs_cap ? t->procs_cap * 2 : 16;
    mw_tree_process *a = grow_array(t->procs, sizeof(*a), cap);
    if (a)
        t->procs = a;
    mw_tree_process *b = a ? grow_array(t->prev, sizeof(*b), cap) : NULL;
    if (b)
        t->prev = b;
    mw__recside *c = b ? grow_array(t->side, sizeof(*c), cap) : NULL;
    if (c)
        t->side = c;
    mw__recside *d = c ? grow_array(t->prev_side, sizeof(*d), cap) : NULL;
    if (d)
        t->prev_side = d;
    if (!d)
        return MW_ENOMEM;
    t->procs_cap = cap;
    return 0;
}

/* One more record for this sample: a process read, its status text and stats, and its kept fds
 * (k: taken over; NULL: none). Returns where the fds are now kept. A record that cannot be
 * stored (out of memory) only loses the table row (and its fds: closed), never the sample. */
static mw__kept *add_record(mw__ptree *t, pid_t pid, pid_t ppid, const mw_stats *s,
                            const status_ids *ids, int reset_ok, mw__kept *k)
{
    if (procs_reserve(t) != 0) {
        if (k)
            mw__kept_close(t, k);
        return NULL;
    }
    mw__kept *kept = &t->side[t->nprocs].kept;
    *kept = k ? *k : (mw__kept){-1, -1, 0};
    mw_tree_process *r = &t->procs[t->nprocs];
    memset(r, 0, sizeof(*r));
    r->pid = pid;
    r->ppid = ppid;
    memcpy(r->name, ids->name, sizeof(r->name));
    r->rss = r->first_rss = r->max_rss = s->physical_size;
    r->hwm = s->peak_physical_size;
    r->valid = s->valid & MW_HAVE_HWM;
    /* After a reset the kernel's mark restarts at the RSS just read: compare with that. */
    t->side[t->nprocs].hwm_prev = reset_ok ? s->physical_size : s->peak_physical_size;
    t->nprocs++;
    return kept;
}

void mw__linux_tree_root(mw__probe *p, const mw_stats *root, const char *status, size_t len,
                         int reset_ok)
{
    mw__ptree *t = &p->tree;
    /* Records left by a sample that failed before mw__linux_tree_finish: their fds go. */
    for (size_t i = 0; i < t->nprocs; i++)
        mw__kept_close(t, &t->side[i].kept);
    t->nprocs = 0;
    status_ids ids;
    status_ids_of(status, len, (p->flags & MW__PROBE_TREE) != 0, &ids);
    t->root_threads = ids.threads;
    add_record(t, p->pid, (pid_t)ids.ppid, root, &ids, reset_ok, NULL);
    if (t->nprocs)
        t->procs[0].flags |= MW_PROC_ROOT;
}

/* Where pid's record of the previous sample is (1), if it had one. */
static int prev_index(const mw__ptree *t, pid_t pid, uint32_t *j)
{
    if (t->nprev <= 1) {
        *j = 0;
        return t->nprev == 1 && t->prev[0].pid == pid;
    }
    return mw__pidmap_get(&t->prev_at, pid, j);
}

/* Match this sample's records with the previous sample's, carry what is remembered, and prove
 * spikes: a process's VmHWM that rose since its previous sample (so the peak happened while
 * watched) and stands above every sample of it, this one included. Both are needed: after a
 * reset (--interval-peaks) the mark restarts low, and reclaim can lower RSS under an old mark.
 * A process seen for the first time proves nothing: its mark may predate the watch. The watched
 * process stays one record through an exec (its name changes; the probe's fd binds it). */
void mw__linux_tree_finish(mw__probe *p, uint32_t *flags)
{
    mw__ptree *t = &p->tree;
    int64_t now = 0;
    for (size_t i = 0; i < t->nprocs; i++) {
        mw_tree_process *r = &t->procs[i];
        uint32_t j;
        if (t->samples && !t->side[i].kept.fresh && prev_index(t, r->pid, &j) &&
            (strcmp(t->prev[j].name, r->name) == 0 ||
             (r->flags & t->prev[j].flags & MW_PROC_ROOT))) {
            const mw_tree_process *o = &t->prev[j];
            r->first_rss = o->first_rss;
            r->first_seen = o->first_seen;
            r->max_rss = o->max_rss > r->rss ? o->max_rss : r->rss;
            r->flags |= o->flags & MW_PROC_SPIKE;
            if ((r->valid & MW_HAVE_HWM) && r->hwm > t->prev_side[j].hwm_prev &&
                r->hwm > r->max_rss) {
                r->flags |= MW_PROC_SPIKE;
                *flags |= MW_SAMPLE_HWM_ROSE;
            }
        } else {
            if (!now)
                now = mw__now_ns();
            r->first_seen = mw__ns_to_ts(now);
        }
    }
    /* Processes not seen this sample left the tree: their fds go. This sample's records (and
     * the fds they took over) become the previous ones. */
    mw__kept_drop_unseen(t);
    mw__recside *ts = t->prev_side;
    t->prev_side = t->side;
    t->side = ts;
    mw_tree_process *tp = t->prev;
    t->prev = t->procs;
    t->procs = tp;
    t->nprev = t->nprocs;
    t->nprocs = 0;
    t->samples++;
    if (t->nprev <= 1)
        return; /* one process (the usual case without -c): prev_index needs no map */
    if (mw__pidmap_reset(&t->prev_at, t->nprev) != 0) {
        t->samples = 0; /* no map: the next sample starts the records afresh */
        return;
    }
    for (size_t i = 0; i < t->nprev; i++)
        if (mw__pidmap_put(&t->prev_at, t->prev[i].pid, (uint32_t)i) < 0) {
            t->samples = 0;
            return;
        }
}

/* ---- the sums --------------------------------------------------------------------------------- */

static int reset_kid_peak(pid_t pid)
{
    char path[48];
    snprintf(path, sizeof(path), "/proc/%ld/clear_refs", (long)pid);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    int r = fd < 0 ? mw__linux_map_errno(errno) : mw__linux_reset_peak_fd(fd);
    if (fd >= 0)
        close(fd);
    return r;
}

/* One descendant: its status into the sums and the records, then its children into the queue
 * (unless the scan found them all already). Its fds: the previous record's if it had any. */
/* Whether pid names a live process we may not see (kill 0 sends nothing: it only checks). */
static int still_there(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

static int read_kid(mw__probe *p, finder *f, size_t i, mw_stats *out, int *reset_err)
{
    mw__ptree *t = &p->tree;
    pid_t pid = t->kids[i];
    size_t len;
    mw_stats k;
    uint32_t j;
    mw__kept kept, *from = NULL;
    if (t->samples && prev_index(t, pid, &j))
        from = &t->prev_side[j].kept;
    int rc = mw__kept_status(t, pid, from, &kept, &p->buf, &len);
    int opened = rc == 0;
    if (rc == 0)
        rc = mw__parse_status(p->buf.p, len, &k, NULL);
    if (rc != 0)
        mw__kept_close(t, &kept); /* no record to keep them with */
    if (rc == MW_ENOPROC && !opened && still_there(pid)) {
        /* No status file, yet alive: /proc mounted with hidepid hides another user's. */
        out->nprocs_unreadable++;
        return 0;
    }
    if (rc == MW_ENOPROC)
        return 0; /* it exited (or is a zombie, holding no memory): not in the tree now */
    if (rc != 0) {
        out->nprocs_unreadable++; /* permission (hidepid), or a text we cannot parse */
        return p->use_scan ? 0 : children_of(f, pid, 0, NULL);
    }
    mw__stats_tree_add(out, &k);
    int reset_ok = 0;
    if (p->flags & MW__PROBE_RESET_PEAK) {
        /* Reset the children too, or their lifetime peaks would dominate the summed mark. */
        int r = reset_kid_peak(pid);
        reset_ok = r == 0;
        if (r != 0 && r != MW_ENOPROC && *reset_err == 0)
            *reset_err = r;
    }
    status_ids ids;
    status_ids_of(p->buf.p, len, !p->use_scan, &ids);
    mw__kept *kp = add_record(t, pid, t->kid_ppid[i], &k, &ids, reset_ok, &kept);
    if (p->use_scan)
        return 0;
    return children_of(f, pid, ids.threads, kp); /* the buffer is free again from here */
}

int mw__linux_tree_add(mw__probe *p, mw_stats *out, int *reset_err)
{
    mw__ptree *t = &p->tree;
    finder f = {p, p->pid, 0};
    int rc = mw__pidmap_reset(&t->seen, t->nkids); /* about as many as last time */
    t->nkids = 0;
    mw__kept_budget(t);
    if (rc == 0)
        rc = p->use_scan ? scan_descendants(&f) : children_of(&f, p->pid, t->root_threads, NULL);
    /* Breadth first: the queue grows behind i as each process's children are read. */
    for (size_t i = 0; rc == 0 && i < t->nkids; i++)
        rc = read_kid(p, &f, i, out, reset_err);
    out->nprocs_unreadable += f.over;
    return rc;
}

void mw__linux_tree_free(mw__ptree *t)
{
    for (size_t i = 0; i < t->nprocs; i++)
        mw__kept_close(t, &t->side[i].kept);
    mw__kept_drop_unseen(t);
    free(t->side);
    free(t->prev_side);
    free(t->kids);
    free(t->kid_ppid);
    free(t->seen.key);
    free(t->seen.val);
    free(t->procs);
    free(t->prev);
    free(t->prev_at.key);
    free(t->prev_at.val);
}

const mw_tree_process *mw__probe_processes(const mw__probe *p, size_t *n)
{
    *n = p ? p->tree.nprev : 0;
    return p ? p->tree.prev : NULL;
}
