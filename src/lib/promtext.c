/* SPDX-License-Identifier: MIT */
/* promtext.c — format a run's current figures as Prometheus text exposition (metric names, HELP, TYPE, escaped labels). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "fixedfmt.h"
#include "jsonstr.h"
#include "promtext.h"

/* The figures a sample gives, each a gauge in bytes. Why a table of its own and not a column of
 * fields.h: only some fields make sense as a fleet's series, and their names follow
 * Prometheus's conventions (base unit suffix), not the CSV's. */
static const struct {
    mw__field field;
    const char *name;
    const char *help;
} sample_metrics[] = {
    {MW__FIELD_ANON, "memwatch_resident_anonymous_memory_bytes",
     "Resident anonymous memory (RssAnon) as last sampled."},
    {MW__FIELD_FILE, "memwatch_resident_file_memory_bytes",
     "Resident file-backed memory (RssFile) as last sampled."},
    {MW__FIELD_SHMEM, "memwatch_resident_shmem_memory_bytes",
     "Resident shared memory (RssShmem: tmpfs, shared anonymous) as last sampled."},
    {MW__FIELD_SWAP, "memwatch_swap_memory_bytes", "Memory swapped out (VmSwap) as last sampled."},
    {MW__FIELD_PSS, "memwatch_proportional_memory_bytes",
     "Proportional set size (PSS: shared pages divided among their sharers), last read (--pss)."},
    {MW__FIELD_USS, "memwatch_unique_memory_bytes",
     "Unique set size (USS: pages no other process maps), last read (--pss)."},
};

typedef struct out {
    char *p, *end;
    bool full;
    const char *labels;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...)
{
    if (o->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(o->p, (size_t)(o->end - o->p), fmt, ap);
    va_end(ap);
    if (w < 0 || w >= o->end - o->p)
        o->full = true;
    else
        o->p += w;
}

/* One metric: HELP, TYPE, then its one series with the target's labels. */
static void metric(out *o, const char *name, const char *type, const char *help, const char *value)
{
    put(o, "# HELP %s %s\n# TYPE %s %s\n%s{%s} %s\n", name, help, name, type, name, o->labels,
        value);
}

static void gauge_u64(out *o, const char *name, const char *help, uint64_t v)
{
    char num[24];
    snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
    metric(o, name, "gauge", help, num);
}

char *mw__prom_label_value(char *buf, size_t n, const char *comm)
{
    size_t k = 0, left = strlen(comm);
    for (const unsigned char *s = (const unsigned char *)comm; *s && k + 3 < n;) {
        size_t len = mw__utf8_len(s, left);
        if (*s == '\\' || *s == '"' || *s == '\n') {
            buf[k++] = '\\';
            buf[k++] = *s == '\n' ? 'n' : (char)*s;
        } else if (len == 0) {
            buf[k++] = '?'; /* Prometheus takes UTF-8 only; a name's stray byte stays visible */
        } else if (k + len < n) {
            memcpy(buf + k, s, len);
            k += len;
        } else {
            break;
        }
        s += len ? len : 1;
        left -= len ? len : 1;
    }
    if (n)
        buf[k < n ? k : n - 1] = '\0';
    return buf;
}

static void sample_figures(out *o, const mw__prom_figures *f)
{
    const mw__sample *s = f->last;
    gauge_u64(o, "memwatch_resident_memory_bytes",
              "Resident set size (RSS) of the watched process (with -c its tree's sum), as last "
              "sampled.", s->rss);
    gauge_u64(o, "memwatch_virtual_memory_bytes",
              "Virtual memory size (VSZ) of the watched process (with -c its tree's sum), as last "
              "sampled.", s->vsz);
    gauge_u64(o, "memwatch_peak_resident_memory_bytes",
              "Highest RSS among memwatch's samples (a sampled peak: a spike between two "
              "samples is not in it).", f->peak_rss);
    for (size_t i = 0; i < sizeof(sample_metrics) / sizeof(sample_metrics[0]); i++)
        if (mw__field_known(sample_metrics[i].field, s->valid))
            gauge_u64(o, sample_metrics[i].name, sample_metrics[i].help,
                      mw__sample_field(s, sample_metrics[i].field));
    if (f->have_trend && isfinite(f->growth_bps)) {
        char num[MW__FIXED_MAX];
        mw__fixed_format(num, sizeof(num), f->growth_bps, 3); /* not %f: no decimal comma */
        metric(o, "memwatch_growth_bytes_per_second", "gauge",
               "Least-squares slope of RSS over the samples memwatch keeps (the dashboard's "
               "trend); absent until a line can be fitted.", num);
    }
}

size_t mw__prom_format(char *buf, size_t n, const mw__prom_figures *f)
{
    char comm[4 * 64 + 1], labels[sizeof(comm) + 48];
    mw__prom_label_value(comm, sizeof(comm), f->comm ? f->comm : "");
    snprintf(labels, sizeof(labels), "pid=\"%ld\",comm=\"%s\"", (long)f->pid, comm);
    out o = {buf, buf + n, n == 0, labels};
    if (f->last)
        sample_figures(&o, f);
    char num[48];
    snprintf(num, sizeof(num), "%llu", (unsigned long long)f->samples);
    metric(&o, "memwatch_samples_total", "counter", "Samples memwatch has taken of the process.",
           num);
    if (f->last) {
        mw__fixed_format(num, sizeof(num), f->last_sample_s, 3);
        metric(&o, "memwatch_last_sample_timestamp_seconds", "gauge",
               "Unix time of the newest sample.", num);
    }
    metric(&o, "memwatch_target_running", "gauge",
           "1 while memwatch watches the running process; 0 in the last rewrite, when the run "
           "has ended.", f->running ? "1" : "0");
    return o.full ? 0 : (size_t)(o.p - buf);
}
