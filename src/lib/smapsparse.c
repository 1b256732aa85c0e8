/* SPDX-License-Identifier: MIT */
/* smapsparse.c — the /proc/PID/smaps parser and its hashed group table (pure: no I/O, fuzzed). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smapsparse.h"

/* Why a hash and a pool: 100,000 anonymous mappings make 100,000 groups; a linear search per
 * mapping would be 5e9 comparisons, and a malloc per name 100,000 calls. Here each mapping costs
 * one hash lookup and its name is copied once into one growing pool. */

const char *const mw__smaps_kind_names[MW__SMAPS_KINDS] = {"heap", "stack", "anon", "file", "other"};

#define NAME_MAX_BYTES 8192 /* a pathname is at most PATH_MAX (4096) plus " (deleted)" */

void mw__smaps_table_init(mw__smaps_table *t) { memset(t, 0, sizeof(*t)); }

void mw__smaps_table_free(mw__smaps_table *t)
{
    free(t->g);
    free(t->pool);
    free(t->slot);
    memset(t, 0, sizeof(*t));
}

/* Keep the allocations, drop the contents: a table parsed again reuses its memory. */
static void table_empty(mw__smaps_table *t)
{
    t->n = t->pool_len = t->mappings = 0;
    t->rss = 0;
    if (t->slot)
        memset(t->slot, 0, t->nslots * sizeof(*t->slot));
}

const char *mw__smaps_name(const mw__smaps_table *t, size_t i) { return t->pool + t->g[i].name; }

static uint64_t hash_name(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The slot holding name, or the empty slot where it would go. nslots > 0. */
static size_t slot_of(const mw__smaps_table *t, const char *name, size_t len)
{
    size_t mask = t->nslots - 1;
    for (size_t i = (size_t)hash_name(name, len) & mask;; i = (i + 1) & mask) {
        uint32_t s = t->slot[i];
        if (s == 0)
            return i;
        const char *other = t->pool + t->g[s - 1].name;
        if (strncmp(other, name, len) == 0 && other[len] == '\0')
            return i;
    }
}

long mw__smaps_find(const mw__smaps_table *t, const char *name)
{
    if (!t->nslots)
        return -1;
    uint32_t s = t->slot[slot_of(t, name, strlen(name))];
    return s ? (long)s - 1 : -1;
}

/* Double the slots (kept at most half full) and put every group back. */
static int rehash(mw__smaps_table *t)
{
    size_t ns = t->nslots ? t->nslots * 2 : 1024;
    uint32_t *slot = calloc(ns, sizeof(*slot));
    if (!slot)
        return MW_ENOMEM;
    free(t->slot);
    t->slot = slot;
    t->nslots = ns;
    for (size_t i = 0; i < t->n; i++) {
        const char *nm = t->pool + t->g[i].name;
        t->slot[slot_of(t, nm, strlen(nm))] = (uint32_t)(i + 1);
    }
    return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 256;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np)
        return MW_ENOMEM;
    *p = np;
    *cap = nc;
    return 0;
}

/* The group named name[0..len) (created empty, of kind, if new); its index in *at. */
static int group_of(mw__smaps_table *t, const char *name, size_t len, mw__smaps_kind kind,
                    size_t *at)
{
    if ((t->n + 1) * 2 > t->nslots && rehash(t) != 0)
        return MW_ENOMEM;
    size_t s = slot_of(t, name, len);
    if (t->slot[s]) {
        *at = t->slot[s] - 1;
        return 0;
    }
    if (t->pool_len + len + 1 > UINT32_MAX || t->n >= UINT32_MAX - 1)
        return MW_ENOMEM;
    if (grow((void **)&t->pool, &t->pool_cap, t->pool_len + len + 1, 1) != 0 ||
        grow((void **)&t->g, &t->cap, t->n + 1, sizeof(*t->g)) != 0)
        return MW_ENOMEM;
    mw__smaps_group *g = &t->g[t->n];
    memset(g, 0, sizeof(*g));
    g->name = (uint32_t)t->pool_len;
    g->kind = (uint8_t)kind;
    memcpy(t->pool + t->pool_len, name, len);
    t->pool[t->pool_len + len] = '\0';
    t->pool_len += len + 1;
    t->slot[s] = (uint32_t)(t->n + 1);
    *at = t->n++;
    return 0;
}

/* ---- lines ----------------------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex digits at s[*i..len) into *v (at least one, at most 16). */
static bool read_hex(const char *s, size_t len, size_t *i, uint64_t *v)
{
    size_t from = *i;
    uint64_t x = 0;
    while (*i < len && hexval(s[*i]) >= 0) {
        if (*i - from == 16)
            return false;
        x = x << 4 | (uint64_t)hexval(s[*i]);
        (*i)++;
    }
    *v = x;
    return *i > from;
}

/* One or more characters of class: hex (1), decimal (2), or "hex:hex" (3), then one blank. */
static bool skip_field(const char *s, size_t len, size_t *i, int cls)
{
    size_t from = *i;
    while (*i < len && s[*i] != ' ') {
        char c = s[*i];
        bool ok = cls == 2 ? (c >= '0' && c <= '9') : (hexval(c) >= 0 || (cls == 3 && c == ':'));
        if (!ok)
            return false;
        (*i)++;
    }
    if (*i == from || *i >= len)
        return *i > from && *i == len && cls == 2; /* the inode may end the line */
    (*i)++;
    return true;
}

int mw__smaps_parse_header(const char *s, size_t len, mw__smaps_header *h)
{
    size_t i = 0;
    memset(h, 0, sizeof(*h));
    if (!read_hex(s, len, &i, &h->start) || i >= len || s[i] != '-')
        return 0;
    i++;
    if (!read_hex(s, len, &i, &h->end) || i >= len || s[i] != ' ' || len - i < 6)
        return 0;
    i++;
    for (int k = 0; k < 4; k++)
        h->perms[k] = s[i + (size_t)k];
    i += 4;
    if (s[i++] != ' ')
        return 0;
    if (!skip_field(s, len, &i, 1) || !skip_field(s, len, &i, 3) || !skip_field(s, len, &i, 2))
        return 0;
    while (i < len && s[i] == ' ')
        i++; /* the kernel pads the pathname to a column */
    h->path = s + i;
    h->path_len = len - i;
    return 1;
}

static mw__smaps_kind kind_of(const char *p, size_t n)
{
    if (n == 0)
        return MW__SMAPS_ANON;
    if (n == 6 && memcmp(p, "[heap]", 6) == 0)
        return MW__SMAPS_HEAP;
    if ((n == 7 && memcmp(p, "[stack]", 7) == 0) || (n > 7 && memcmp(p, "[stack:", 7) == 0))
        return MW__SMAPS_STACK;
    if (p[0] == '/')
        return MW__SMAPS_FILE;
    /* glibc 2.41+ with glibc.mem.decorate_maps names thread stacks "[anon: glibc: pthread stack: TID]" */
    static const char ts[] = "pthread stack";
    if (n > 6 && memcmp(p, "[anon:", 6) == 0)
        for (size_t i = 6; i + sizeof(ts) - 1 <= n; i++)
            if (memcmp(p + i, ts, sizeof(ts) - 1) == 0)
                return MW__SMAPS_STACK;
    return MW__SMAPS_OTHER;
}

/* The wanted keys of a mapping's lines, as bits. */
enum { K_SIZE = 1, K_RSS = 2, K_PSS = 4 };

/* "Key:" at the line's start: which wanted key, 0 for any other line. */
static int key_of(const char *s, size_t len, size_t *val)
{
    static const struct { const char *k; size_t n; int bit; } keys[] = {
        {"Size:", 5, K_SIZE}, {"Rss:", 4, K_RSS}, {"Pss:", 4, K_PSS}};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (len >= keys[i].n && memcmp(s, keys[i].k, keys[i].n) == 0) {
            *val = keys[i].n;
            return keys[i].bit;
        }
    return 0;
}

/* "   1234 kB" at s[i..len) into bytes. */
static bool read_kb(const char *s, size_t len, size_t i, uint64_t *bytes)
{
    while (i < len && s[i] == ' ')
        i++;
    size_t from = i;
    uint64_t kb = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (kb > (UINT64_MAX - d) / 10)
            return false;
        kb = kb * 10 + d;
    }
    if (i == from || len - i != 3 || memcmp(s + i, " kB", 3) != 0 || kb > UINT64_MAX / 1024)
        return false;
    *bytes = kb * 1024;
    return true;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* The mapping being read: its group and the keys it has shown. */
typedef struct cur_map {
    bool open;
    size_t group;
    int seen;
} cur_map;

static int start_mapping(mw__smaps_table *t, const mw__smaps_header *h, cur_map *m)
{
    mw__smaps_kind kind = kind_of(h->path, h->path_len);
    char anon[32];
    const char *name = h->path;
    size_t n = h->path_len;
    if (kind == MW__SMAPS_ANON) {
        n = (size_t)snprintf(anon, sizeof(anon), "anon %llx", (unsigned long long)h->start);
        name = anon;
    }
    if (n > NAME_MAX_BYTES || memchr(name, '\0', n))
        return MW_EINVAL; /* the kernel escapes odd bytes; a NUL would cut the name short */
    m->open = true;
    m->seen = 0;
    t->mappings++;
    int rc = group_of(t, name, n, kind, &m->group);
    if (rc == 0) {
        mw__smaps_group *g = &t->g[m->group];
        g->mappings++;
        if (kind == MW__SMAPS_ANON) { /* one mapping per start: the diff matches these by range */
            g->start = h->start;
            g->end = h->end;
        }
    }
    return rc;
}

/* One "Key: N kB" line of the open mapping. */
static int add_line(mw__smaps_table *t, const char *s, size_t len, cur_map *m)
{
    size_t at;
    int k = key_of(s, len, &at);
    if (!k)
        return 0;
    uint64_t v;
    if ((m->seen & k) || !read_kb(s, len, at, &v))
        return MW_EINVAL;
    m->seen |= k;
    mw__smaps_group *g = &t->g[m->group];
    if (k == K_RSS) {
        g->rss = sat_add(g->rss, v);
        t->rss = sat_add(t->rss, v);
    } else if (k == K_PSS) {
        g->pss = sat_add(g->pss, v);
    } else {
        g->size = sat_add(g->size, v);
    }
    return 0;
}

static int parse_lines(const char *buf, size_t len, mw__smaps_table *t)
{
    cur_map m = {false, 0, 0};
    size_t pos = 0;
    if (len && buf[len - 1] != '\n')
        return MW_EINVAL; /* cut off mid-line */
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t n = (size_t)(nl - (buf + pos)); /* nl exists: the text ends in '\n' */
        const char *s = buf + pos;
        pos += n + 1;
        mw__smaps_header h;
        if (mw__smaps_parse_header(s, n, &h)) {
            if (m.open && !(m.seen & K_RSS))
                return MW_EINVAL;
            int rc = start_mapping(t, &h, &m);
            if (rc != 0)
                return rc;
        } else if (!m.open) {
            return MW_EINVAL; /* not smaps: its first line is a mapping */
        } else if (add_line(t, s, n, &m) != 0) {
            return MW_EINVAL;
        }
    }
    return m.open && !(m.seen & K_RSS) ? MW_EINVAL : 0; /* a torn last mapping */
}

int mw__smaps_parse(const char *buf, size_t len, mw__smaps_table *t)
{
    if (!t || (!buf && len))
        return MW_EINVAL;
    table_empty(t);
    int rc = parse_lines(buf, len, t);
    if (rc != 0)
        table_empty(t);
    return rc == MW_ENOMEM ? rc : rc ? MW_EINVAL : 0;
}
