/* SPDX-License-Identifier: MIT */
/* cgroup-linux-find.c — find a memory cgroup: from the mounts in mountinfo, by path, unit name or container ID prefix. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "probe-linux.h"

/* Linux-only (cgroups are), so it may include OS headers; the text parsing is cgroupparse.c's.
 * Every mount point and absolute spec is prefixed with root, so a fixture tree under
 * tests/fixtures/cgroup-v* with its own mountinfo drives the same code as the live system. */

#define WALK_DEPTH_MAX 64 /* systemd nests a few levels, containers a few more */

/* a + b into out (n bytes); 0, or -1 when it does not fit. */
static int join(char *out, size_t n, const char *a, const char *b)
{
    int k = snprintf(out, n, "%s%s", a, b);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* Whether path is dir or below it, textually (both already normalised). */
static int is_under(const char *path, const char *dir)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    return dl > 0 && strncmp(path, dir, dl) == 0 &&
           (path[dl] == '\0' || path[dl] == '/' || dl == 1);
}

/* Whether the v2 hierarchy at dir offers the memory controller (its cgroup.controllers). */
static int v2_has_memory(const char *dir)
{
    char path[MW__CG_PATH_MAX + 32], text[1024];
    if (snprintf(path, sizeof(path), "%s/cgroup.controllers", dir) >= (int)sizeof(path))
        return 0;
    mw__growbuf b = {text, sizeof(text) - 1, 1};
    size_t len;
    if (mw__linux_read_file(AT_FDCWD, path, &b, &len) != 0)
        return 0;
    text[len] = '\0';
    for (char *save, *w = strtok_r(text, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
        if (strcmp(w, "memory") == 0)
            return 1;
    return 0;
}

/* The hierarchies, prefixed with root: v1 memory (or ""), v2 (or ""), v2_mem: v2 has memory. */
typedef struct hier {
    char v1[MW__CG_PATH_MAX], v2[MW__CG_PATH_MAX];
    int v2_mem;
} hier;

static int read_mounts(const char *root, const char *mountinfo, hier *h, char *why, size_t n)
{
    const char *mi = mountinfo ? mountinfo : "/proc/self/mountinfo";
    mw__growbuf b = {malloc(16384), 16384, 0};
    if (!b.p)
        return MW_ENOMEM;
    size_t len;
    int rc = mw__linux_read_file(AT_FDCWD, mi, &b, &len);
    mw__cg_mounts *m = malloc(sizeof(*m));
    if (rc == 0 && !m)
        rc = MW_ENOMEM;
    if (rc == 0 && mw__cg_parse_mountinfo(b.p, len, m) != 0)
        rc = mw__cg_fail(why, n, MW_ESYS, "cannot make sense of %s", mi);
    free(b.p);
    if (rc == MW_ENOPROC || rc == MW_EPERM)
        rc = mw__cg_fail(why, n, rc == MW_EPERM ? MW_EPERM : MW_ESYS, "cannot read %s", mi);
    if (rc != 0) {
        free(m);
        return rc;
    }
    h->v1[0] = h->v2[0] = '\0';
    if ((m->v1_memory[0] && join(h->v1, sizeof(h->v1), root, m->v1_memory) != 0) ||
        (m->v2[0] && join(h->v2, sizeof(h->v2), root, m->v2) != 0))
        rc = mw__cg_fail(why, n, MW_EINVAL, "the root directory's name is too long");
    h->v2_mem = h->v2[0] && v2_has_memory(h->v2);
    if (rc == 0 && !m->v1_memory[0] && !m->v2[0] && !m->any_v1)
        rc = mw__cg_fail(why, n, MW_EUNSUPPORTED, "no cgroup filesystem is mounted (%s)", mi);
    else if (rc == 0 && !h->v1[0] && !h->v2_mem)
        rc = mw__cg_fail(why, n, MW_EUNSUPPORTED,
                  "no memory controller: no cgroup v1 memory mount%s%s%s", h->v2[0] ? ", and " : "",
                  h->v2, h->v2[0] ? " (cgroup v2) does not offer memory" : "");
    free(m);
    return rc;
}

/* Check that dir is a memory cgroup of the given version. */
static int check_dir(const char *dir, int version, char *why, size_t n)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return mw__cg_fail(why, n, errno == EACCES ? MW_EPERM : MW_ENOPROC, "%s: %s", dir,
                    errno == EACCES ? "permission denied" : "no such cgroup");
    if (!S_ISDIR(st.st_mode))
        return mw__cg_fail(why, n, MW_EINVAL, "%s is not a cgroup (not a directory)", dir);
    char path[MW__CG_PATH_MAX + 32];
    const char *key = version == 2 ? "memory.current" : "memory.usage_in_bytes";
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    if (access(path, R_OK) == 0)
        return 0;
    if (errno == EACCES)
        return mw__cg_fail(why, n, MW_EPERM, "%s: permission denied", path);
    snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
    if (access(path, F_OK) != 0)
        return mw__cg_fail(why, n, MW_EINVAL, "%s is not a cgroup (no cgroup.procs)", dir);
    return mw__cg_fail(why, n, MW_EUNSUPPORTED,
                "%s has no memory controller (no %s: the root cgroup, or memory not enabled in its "
                "parent's cgroup.subtree_control)", dir, key);
}

/* A path spec: absolute under a mount, else relative to the memory hierarchy's mount. */
static int find_path(const char *spec, const char *root, const hier *h, mw__cgroup_where *out,
                     char *why, size_t n)
{
    char full[MW__CG_PATH_MAX];
    const char *base = h->v2_mem ? h->v2 : h->v1;
    int version = h->v2_mem ? 2 : 1;
    if (spec[0] == '/' && join(full, sizeof(full), root, spec) != 0)
        return mw__cg_fail(why, n, MW_EINVAL, "the cgroup's path is too long");
    if (spec[0] == '/' && h->v1[0] && is_under(full, h->v1))
        version = 1, base = NULL;
    else if (spec[0] == '/' && h->v2[0] && is_under(full, h->v2)) {
        if (!h->v2_mem)
            return mw__cg_fail(why, n, MW_EUNSUPPORTED,
                               "%s: the cgroup v2 hierarchy at %s does not offer the memory "
                               "controller", spec, h->v2);
        version = 2, base = NULL;
    }
    if (base && snprintf(full, sizeof(full), "%s%s%s", base, spec[0] == '/' ? "" : "/", spec) >=
                    (int)sizeof(full))
        return mw__cg_fail(why, n, MW_EINVAL, "the cgroup's path is too long");
    char *real = realpath(full, NULL);
    if (!real)
        return mw__cg_fail(why, n,
                           errno == EACCES ? MW_EPERM : errno == ENOMEM ? MW_ENOMEM : MW_ENOPROC,
                           "%s: %s", full, errno == EACCES ? "permission denied" : "no such cgroup");
    char *mount = realpath(version == 2 ? h->v2 : h->v1, NULL);
    int rc = mount && is_under(real, mount) ? 0 : MW_EINVAL;
    if (rc != 0)
        mw__cg_fail(why, n, rc, "%s is not in the memory cgroup hierarchy (%s)", full,
             version == 2 ? h->v2 : h->v1);
    else if (snprintf(out->path, sizeof(out->path), "%s", real) >= (int)sizeof(out->path))
        rc = mw__cg_fail(why, n, MW_EINVAL, "the cgroup's path is too long");
    free(mount);
    free(real);
    if (rc == 0)
        rc = check_dir(out->path, version, why, n);
    out->version = version;
    return rc;
}

/* What a walk found: counts and the first path of exact names and of ID prefixes. */
typedef struct walk {
    const char *spec;
    size_t exact, prefix;
    char first_exact[MW__CG_PATH_MAX], first_prefix[MW__CG_PATH_MAX];
    int err; /* first error other than a vanished or unreadable directory */
} walk;

static void walk_dir(walk *w, char *path, size_t plen, int depth)
{
    DIR *d = opendir(path);
    if (!d)
        return; /* removed meanwhile, or not ours to read: nothing under it can be named */
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        size_t nl = strlen(e->d_name);
        if (plen + 1 + nl + 1 > MW__CG_PATH_MAX)
            continue;
        path[plen] = '/';
        memcpy(path + plen + 1, e->d_name, nl + 1);
        int isdir = e->d_type == DT_DIR;
        struct stat st;
        if (e->d_type == DT_UNKNOWN) /* never follow a link out of the hierarchy */
            isdir = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
        if (isdir) {
            if (strcmp(e->d_name, w->spec) == 0 && w->exact++ == 0)
                memcpy(w->first_exact, path, plen + nl + 2);
            else if (mw__cg_id_prefix_match(e->d_name, w->spec) && w->prefix++ == 0)
                memcpy(w->first_prefix, path, plen + nl + 2);
            if (depth < WALK_DEPTH_MAX)
                walk_dir(w, path, plen + 1 + nl, depth + 1);
        }
    }
    path[plen] = '\0';
    closedir(d);
}

/* A name: a directory of exactly that name, else one whose name starts with it as an ID. */
static int find_name(const char *spec, const hier *h, mw__cgroup_where *out, char *why, size_t n)
{
    walk *w = calloc(1, sizeof(*w));
    char *path = malloc(MW__CG_PATH_MAX);
    if (!w || !path) {
        free(w);
        free(path);
        return MW_ENOMEM;
    }
    const char *base = h->v2_mem ? h->v2 : h->v1;
    int version = h->v2_mem ? 2 : 1, rc = 0;
    w->spec = spec;
    snprintf(path, MW__CG_PATH_MAX, "%s", base);
    size_t plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/')
        path[--plen] = '\0';
    walk_dir(w, path, plen, 0);
    size_t count = w->exact ? w->exact : w->prefix;
    if (count == 0)
        rc = mw__cg_fail(why, n, MW_ENOPROC,
                         "no cgroup named %s (or whose container ID starts with it) under %s", spec,
                         base);
    else if (count > 1)
        rc = mw__cg_fail(why, n, MW_EINVAL, "%s is ambiguous: %zu cgroups %s under %s", spec, count,
                  w->exact ? "have that name" : "start with that ID", base);
    else {
        snprintf(out->path, sizeof(out->path), "%s", w->exact ? w->first_exact : w->first_prefix);
        out->version = version;
        rc = check_dir(out->path, version, why, n);
    }
    free(w);
    free(path);
    return rc;
}

int mw__cgroup_find(const char *spec, const char *root, const char *mountinfo,
                    mw__cgroup_where *out, char *why, size_t n)
{
    if (why && n)
        why[0] = '\0';
    if (!spec || !*spec || !out)
        return mw__cg_fail(why, n, MW_EINVAL, "no cgroup named");
    memset(out, 0, sizeof(*out));
    hier *h = malloc(sizeof(*h));
    if (!h)
        return MW_ENOMEM;
    int rc = read_mounts(root ? root : "", mountinfo, h, why, n);
    if (rc == 0)
        rc = strchr(spec, '/') ? find_path(spec, root ? root : "", h, out, why, n)
                               : find_name(spec, h, out, why, n);
    free(h);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}
