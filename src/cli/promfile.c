/* SPDX-License-Identifier: MIT */
/* promfile.c — --prom-textfile: rewrite a Prometheus textfile atomically every few seconds and at the end of a run. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "atomicfile.h"
#include "promtext.h"
#include "stats.h"

/* node_exporter reads the textfile whenever it is scraped: a rewrite must replace the whole file
 * at once (a temporary in the same directory, then rename), or a scrape can read half a file.
 * Every 5 s, a few scrapes' worth, or the sampling interval if that is longer (nothing new
 * comes in between). */
#define PROM_EVERY_NS 5000000000LL

struct app_promfile {
    char *path;
    dev_t dev;          /* the file as we last put it at path: only that one is ours to replace */
    ino_t ino;
    int64_t every_ns;
    int64_t next_ns;    /* when the next rewrite is due (0: at the first sample) */
    bool done;          /* the run's last rewrite is made */
    bool failed;        /* sticky: no rewrite after a failure (reported at the end) */
    bool reported;
    char err[512];
    char comm[64];      /* the process name last read */
    char text[MW__PROM_TEXT_MAX];
};

static int set_error(app_promfile *p, const char *cause)
{
    if (!p->failed)
        mw__file_error(p->err, sizeof(p->err), "write to", p->path, cause);
    p->failed = true;
    return MW_ESYS;
}

/* Put text at path through a temporary and a rename. Remembers the new file as ours. Without
 * sync, no fsync: a periodic rewrite must not stall the main loop on a busy disk (the rename keeps
 * it atomic for readers; see mw__atomicfile_no_sync); the placeholder and the run's last rewrite
 * are made durable. */
static int publish(app_promfile *p, const char *text, bool overwrite, bool sync)
{
    mw__atomicfile *f = NULL;
    int rc = mw__atomicfile_create(p->path, overwrite, &f);
    if (rc == 0 && !sync)
        mw__atomicfile_no_sync(f);
    if (rc == 0)
        rc = mw__atomicfile_write(f, text, strlen(text));
    if (rc == 0)
        rc = mw__atomicfile_commit(f);
    mw__atomicfile_destroy(f); /* keeps errno */
    struct stat st;
    if (rc != 0)
        return set_error(p, strerror(errno));
    if (lstat(p->path, &st) != 0)
        return set_error(p, strerror(errno));
    p->dev = st.st_dev;
    p->ino = st.st_ino;
    return 0;
}

/* Why path cannot be our textfile: something is there already (never followed or replaced). */
static void explain_existing(const struct stat *ls, char *why, size_t n)
{
    if (S_ISLNK(ls->st_mode))
        snprintf(why, n, "it is a symbolic link, and memwatch never writes through one; choose "
                         "another name");
    else if (S_ISREG(ls->st_mode))
        snprintf(why, n, "it exists, and memwatch only rewrites a textfile it created; remove it "
                         "or choose another name");
    else
        snprintf(why, n, "it is %s, not a regular file", mw__file_kind((unsigned)ls->st_mode));
}

int app_promfile_open(const app_options *o, app_promfile **out)
{
    *out = NULL;
    if (!o->prom_textfile)
        return 0;
    app_promfile *p = calloc(1, sizeof(*p));
    if (!p || !(p->path = strdup(o->prom_textfile))) {
        free(p);
        fprintf(stderr, "memwatch: --prom-textfile: out of memory\n");
        return APP_EXIT_RUNTIME;
    }
    /* The first creation follows the rules of every output file: a new file, no link. */
    struct stat ls;
    char why[256];
    if (lstat(p->path, &ls) == 0) {
        explain_existing(&ls, why, sizeof(why));
        set_error(p, why);
    } else {
        publish(p, "# memwatch: no sample yet\n", false, true);
    }
    if (p->failed) {
        fprintf(stderr, "memwatch: --prom-textfile: %s\n", p->err);
        app_promfile_free(p);
        return APP_EXIT_USAGE;
    }
    p->every_ns = (int64_t)o->interval_ms * 1000000 > PROM_EVERY_NS
                      ? (int64_t)o->interval_ms * 1000000 : PROM_EVERY_NS;
    size_t len = strlen(p->path);
    if (len < 5 || strcmp(p->path + len - 5, ".prom") != 0)
        fprintf(stderr, "memwatch: note: node_exporter's textfile collector reads only *.prom "
                        "files; it will not read %s\n", p->path);
    *out = p;
    return 0;
}

/* Whether the file at path is still the one we put there. */
static bool still_ours(const app_promfile *p)
{
    struct stat st;
    return lstat(p->path, &st) == 0 && st.st_dev == p->dev && st.st_ino == p->ino;
}

void app_promfile_discard(app_promfile *p)
{
    if (p && still_ours(p))
        unlink(p->path); /* a run that never started leaves nothing behind */
    app_promfile_free(p);
}

void app_promfile_free(app_promfile *p)
{
    if (!p)
        return;
    free(p->path);
    free(p);
}

/* The figures of the session now (final: the run is over). */
static void figures(app_session *s, bool final, mw__prom_figures *f)
{
    app_promfile *p = s->prom;
    const mw__capture *c = &s->cap;
    mw_process_info info;
    if (!s->target.gone && mw_process_get_info(s->target.pid, &info) == 0)
        snprintf(p->comm, sizeof(p->comm), "%s", info.name); /* it may have exec'd since */
    else if (!p->comm[0] && s->target.have_info)
        snprintf(p->comm, sizeof(p->comm), "%s", s->target.info.name);
    memset(f, 0, sizeof(*f));
    f->pid = s->target.pid;
    f->comm = p->comm;
    f->last = mw__ring_last(&c->ring);
    f->samples = c->all.n;
    f->running = !final && !app_session_ended(s) && !s->target.gone;
    if (!f->last)
        return;
    f->peak_rss = c->all.peak_rss.rss;
    f->last_sample_s = (double)mw__capture_wall_ns(c, f->last) / 1e9;
    /* The dashboard's trend: a least-squares line of RSS over the whole run, on at most ~1024
     * of the ring's samples and the tiers' buckets before them; fewer than three samples make
     * no trend. */
    uint64_t from = mw__ring_first(&c->ring), to = mw__ring_end(&c->ring);
    mw__trend tr;
    if (c->all.n >= 3 && mw__trend_fit_run(&c->ring, &c->tiers, INT64_MIN, INT64_MAX,
                                           (to - from) / 1024 + 1, MW__FIELD_RSS, &tr)) {
        f->have_trend = true;
        f->growth_bps = tr.slope;
    }
}

void app_promfile_tick(app_session *s, bool final)
{
    app_promfile *p = s->prom;
    if (!p || p->done || p->failed)
        return;
    int64_t now = mw__now_ns();
    if (!final && (mw__ring_end(&s->cap.ring) == 0 || now < p->next_ns))
        return;
    p->next_ns = now + p->every_ns;
    p->done = final;
    /* Someone else's file at our name (a link, a file put there since) is theirs: stop. */
    if (!still_ours(p)) {
        set_error(p, "the file was replaced or removed while memwatch rewrote it; it is no "
                     "longer rewritten");
        return;
    }
    mw__prom_figures f;
    figures(s, final, &f);
    if (mw__prom_format(p->text, sizeof(p->text), &f) == 0) {
        set_error(p, "the figures do not fit the buffer"); /* a bug: never with a 64-byte name */
        return;
    }
    publish(p, p->text, true, final);
}

bool app_promfile_report(const app_session *s)
{
    app_promfile *p = s->prom;
    if (!p || !p->failed)
        return false;
    if (!p->reported)
        fprintf(stderr, "memwatch: --prom-textfile: %s\n", p->err);
    p->reported = true;
    return true;
}
