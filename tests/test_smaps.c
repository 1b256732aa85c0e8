/* SPDX-License-Identifier: MIT */
/* test_smaps.c — "where it went": the smaps parser, its groups, the diff, its CSV, and real reads of live processes. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"
#include "smapsparse.h"
#include "keys.h"
#include "ui_fixtures.h"
#include "view.h"

#define MIB (1024ull * 1024ull)

/* One mapping of hand-made smaps text: a header and its Size / Rss / Pss lines (kB), and the
 * lines the parser must skip. */
#define MAP(range, perms, dev_ino, path, size, rss, pss)                                           \
    range " " perms " 00000000 " dev_ino "                     " path "\n"                         \
    "Size:           " #size " kB\nKernelPageSize:        4 kB\nRss:            " #rss " kB\n"     \
    "Pss:            " #pss " kB\nPss_Dirty:             0 kB\nAnonHugePages:         0 kB\n"     \
    "THPeligible:    0\nVmFlags: rd wr mr mw me ac sd\n"

static const char basic[] =
    MAP("55d0c0000000-55d0c0001000", "r--p", "fe:00 1234", "/usr/bin/my prog", 4, 4, 4)
    MAP("55d0c0001000-55d0c0003000", "r-xp", "fe:00 1234", "/usr/bin/my prog", 8, 8, 8)
    MAP("55d0c1000000-55d0c1100000", "rw-p", "00:00 0", "[heap]", 1024, 900, 900)
    "7f3a12340000-7f3a12350000 rw-p 00000000 00:00 0 \n"
    "Size:                 64 kB\nRss:                  60 kB\nPss:                  30 kB\n"
    "7f3a12350000-7f3a12360000 rw-p 00000000 00:00 0\n" /* no trailing blank: still anonymous */
    "Size:                 64 kB\nRss:                   0 kB\nPss:                   0 kB\n"
    MAP("7f3a20000000-7f3a20001000", "rw-s", "fe:00 99", "/tmp/x (deleted)", 4, 4, 2)
    MAP("7f3a20001000-7f3a20011000", "rw-p", "00:00 0", "[anon:my cache]", 64, 64, 64)
    MAP("7f3a20011000-7f3a20012000", "rw-p", "00:00 0", "[anon: glibc: pthread stack: 42]", 8, 8, 8)
    MAP("7ffd00000000-7ffd00021000", "rw-p", "00:00 0", "[stack]", 132, 20, 20)
    MAP("7ffd00100000-7ffd00102000", "r-xp", "00:00 0", "[vdso]", 8, 4, 0);

static mw__smaps_table parse_ok(const char *text, size_t len)
{
    /* An exact-size copy: AddressSanitizer catches any read past len. */
    char *copy = malloc(len ? len : 1);
    cr_assert_not_null(copy);
    memcpy(copy, text, len);
    mw__smaps_table t;
    mw__smaps_table_init(&t);
    int rc = mw__smaps_parse(copy, len, &t);
    free(copy);
    cr_assert_eq(rc, 0, "parse returned %d", rc);
    return t;
}

static const mw__smaps_group *group(const mw__smaps_table *t, const char *name)
{
    long i = mw__smaps_find(t, name);
    cr_assert_geq(i, 0, "no group '%s'", name);
    return &t->g[i];
}

Test(smaps, header_fields_and_paths_with_spaces)
{
    static const char line[] = "7f3a12340000-7f3a12350000 rw-p 0001c000 fe:00 11051205   /tmp/a b  c";
    mw__smaps_header h;
    cr_assert_eq(mw__smaps_parse_header(line, sizeof(line) - 1, &h), 1);
    cr_assert_eq(h.start, 0x7f3a12340000ull);
    cr_assert_eq(h.end, 0x7f3a12350000ull);
    cr_assert_str_eq(h.perms, "rw-p");
    cr_assert_eq(h.path_len, strlen("/tmp/a b  c"));
    cr_assert_eq(memcmp(h.path, "/tmp/a b  c", h.path_len), 0);
    cr_assert_eq(mw__smaps_parse_header("Rss: 4 kB", 9, &h), 0);
    cr_assert_eq(mw__smaps_parse_header("AnonHugePages: 0 kB", 19, &h), 0);
    cr_assert_eq(mw__smaps_parse_header("7f-8f rw-p", 10, &h), 0, "cut short");
}

Test(smaps, groups_heap_stacks_anon_files_and_others)
{
    mw__smaps_table t = parse_ok(basic, sizeof(basic) - 1);
    cr_assert_eq(t.mappings, 10);
    const mw__smaps_group *g = group(&t, "/usr/bin/my prog");
    cr_assert_eq(g->kind, MW__SMAPS_FILE);
    cr_assert_eq(g->mappings, 2, "a file is summed over its mappings");
    cr_assert_eq(g->rss, 12 * 1024);
    g = group(&t, "[heap]");
    cr_assert_eq(g->kind, MW__SMAPS_HEAP);
    cr_assert_eq(g->rss, 900 * 1024);
    cr_assert_eq(g->size, 1024 * 1024);
    g = group(&t, "anon 7f3a12340000");
    cr_assert_eq(g->kind, MW__SMAPS_ANON);
    cr_assert_eq(g->rss, 60 * 1024);
    cr_assert_eq(g->pss, 30 * 1024);
    cr_assert_eq(group(&t, "anon 7f3a12350000")->kind, MW__SMAPS_ANON, "one group per mapping");
    cr_assert_eq(group(&t, "/tmp/x (deleted)")->kind, MW__SMAPS_FILE, "deleted files keep their mark");
    cr_assert_eq(group(&t, "[anon:my cache]")->kind, MW__SMAPS_OTHER);
    cr_assert_eq(group(&t, "[anon: glibc: pthread stack: 42]")->kind, MW__SMAPS_STACK);
    cr_assert_eq(group(&t, "[stack]")->kind, MW__SMAPS_STACK);
    cr_assert_eq(group(&t, "[vdso]")->kind, MW__SMAPS_OTHER);
    cr_assert_eq(t.n, 9);
    cr_assert_eq(t.rss, (4 + 8 + 900 + 60 + 0 + 4 + 64 + 8 + 20 + 4) * 1024ull);
    mw__smaps_table_free(&t);
}

Test(smaps, torn_text_is_no_table)
{
    mw__smaps_table t;
    mw__smaps_table_init(&t);
    size_t len = sizeof(basic) - 1;
    /* Cut anywhere: mid-line, or after a header whose Rss line never came. */
    const char *last = strstr(basic, "7ffd00100000");
    size_t cuts[] = {len - 1, (size_t)(last - basic) + 30, (size_t)(last - basic) + 63,
                     (size_t)(strstr(last, "Rss:") - basic)};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        cr_assert_eq(mw__smaps_parse(basic, cuts[i], &t), MW_EINVAL, "cut at %zu", cuts[i]);
        cr_assert_eq(t.n + t.mappings + t.rss, 0, "a torn read leaves no table");
    }
    cr_assert_eq(mw__smaps_parse(basic, 0, &t), 0, "empty: no mappings, the reader decides");
    cr_assert_eq(mw__smaps_parse("Rss: 4 kB\n", 10, &t), MW_EINVAL, "not smaps");
    static const char twice[] = "1000-2000 rw-p 00000000 00:00 0 \nRss: 4 kB\nRss: 4 kB\n";
    cr_assert_eq(mw__smaps_parse(twice, sizeof(twice) - 1, &t), MW_EINVAL);
    static const char nokb[] = "1000-2000 rw-p 00000000 00:00 0 \nRss: 4\n";
    cr_assert_eq(mw__smaps_parse(nokb, sizeof(nokb) - 1, &t), MW_EINVAL);
    mw__smaps_table_free(&t);
}

Test(smaps, huge_kb_counts_fit_or_are_refused)
{
    static const char fits[] = "1000-2000 rw-p 00000000 00:00 0 [heap]\nRss: 18014398509481983 kB\n"
                               "3000-4000 rw-p 00000000 00:00 0 [heap]\nRss: 18014398509481983 kB\n";
    mw__smaps_table t = parse_ok(fits, sizeof(fits) - 1);
    cr_assert_eq(group(&t, "[heap]")->rss, UINT64_MAX, "a sum saturates");
    static const char over[] = "1000-2000 rw-p 00000000 00:00 0 \nRss: 18014398509481984 kB\n";
    cr_assert_eq(mw__smaps_parse(over, sizeof(over) - 1, &t), MW_EINVAL, "2^54 kB: bytes overflow");
    static const char digits[] = "1000-2000 rw-p 00000000 00:00 0 \nRss: 99999999999999999999999 kB\n";
    cr_assert_eq(mw__smaps_parse(digits, sizeof(digits) - 1, &t), MW_EINVAL);
    mw__smaps_table_free(&t);
}

Test(smaps, real_capture_parses)
{
    /* make check sets MW_FIXTURES; by hand, the fixtures beside this source file */
    const char *dir = getenv("MW_FIXTURES"), *slash = strrchr(__FILE__, '/');
    char path[4096];
    if (dir && *dir)
        snprintf(path, sizeof(path), "%s/smaps/real.smaps", dir);
    else
        snprintf(path, sizeof(path), "%.*s/fixtures/smaps/real.smaps",
                 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof(text), f);
    fclose(f);
    mw__smaps_table t = parse_ok(text, len);
    cr_assert_eq(t.mappings, 84);
    cr_assert_eq(group(&t, "/tmp/smfx/my lib.so")->rss, 8 * 1024);
    cr_assert_eq(group(&t, "/tmp/smfx/gone.dat (deleted)")->kind, MW__SMAPS_FILE);
    cr_assert_eq(group(&t, "[heap]")->kind, MW__SMAPS_HEAP);
    cr_assert_eq(group(&t, "[vsyscall]")->kind, MW__SMAPS_OTHER);
    cr_assert_eq(group(&t, "anon 7fe1173a6000")->kind, MW__SMAPS_ANON);
    mw__smaps_table_free(&t);
}

/* 100,000 anonymous groups: the table is hashed, not searched (a quadratic table would take
 * minutes here; the watchdog stops it). */
Test(smaps, hundred_thousand_mappings_group_fast)
{
    alarm(20);
    size_t per = 80, n = 100000;
    char *text = malloc(n * per);
    cr_assert_not_null(text);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "%llx-%llx rw-p 00000000 00:00 0 \nRss: 4 kB\n",
                               0x10000000ull + i * 0x2000, 0x10001000ull + i * 0x2000);
    mw__smaps_table t;
    mw__smaps_table_init(&t);
    cr_assert_eq(mw__smaps_parse(text, len, &t), 0);
    cr_assert_eq(t.n, n);
    cr_assert_eq(t.rss, 4 * 1024 * n);
    mw__smaps_diff d = {0};
    cr_assert_eq(mw__smaps_diff_make(&t, &t, &d), 0);
    cr_assert_eq(d.n, n);
    mw__smaps_diff_free(&d);
    mw__smaps_table_free(&t);
    free(text);
}

Test(smaps, diff_sorted_by_growth_with_new_and_gone)
{
    static const char then_text[] =
        "1000-2000 rw-p 00000000 00:00 0 [heap]\nRss: 1024 kB\n"
        "3000-4000 r-xp 00000000 fe:00 7 /lib/libfoo.so\nRss: 100 kB\n"
        "5000-6000 rw-p 00000000 00:00 0 \nRss: 50 kB\n"
        "7000-8000 rw-p 00000000 00:00 0 [stack]\nRss: 40 kB\n";
    static const char now_text[] =
        "1000-9000 rw-p 00000000 00:00 0 [heap]\nRss: 87040 kB\n"
        "3000-4000 r-xp 00000000 fe:00 7 /lib/libfoo.so\nRss: 100 kB\n"
        "7f3a00000000-7f3a01000000 rw-p 00000000 00:00 0 \nRss: 12288 kB\n"
        "7000-8000 rw-p 00000000 00:00 0 [stack]\nRss: 20 kB\n";
    mw__smaps_table a = parse_ok(then_text, sizeof(then_text) - 1);
    mw__smaps_table b = parse_ok(now_text, sizeof(now_text) - 1);
    mw__smaps_diff d = {0};
    cr_assert_eq(mw__smaps_diff_make(&a, &b, &d), 0);
    mw__smaps_table_free(&a); /* the diff owns its names */
    mw__smaps_table_free(&b);
    const char *order[] = {"[heap]", "anon 7f3a00000000", "/lib/libfoo.so", "[stack]", "anon 5000"};
    const int64_t growth[] = {84 * MIB, 12 * MIB, 0, -20 * 1024, -50 * 1024};
    const uint8_t change[] = {MW__SMAPS_BOTH, MW__SMAPS_NEW, MW__SMAPS_BOTH, MW__SMAPS_BOTH, MW__SMAPS_GONE};
    cr_assert_eq(d.n, 5);
    for (size_t i = 0; i < 5; i++) {
        cr_assert_str_eq(d.rows[i].name, order[i], "row %zu", i);
        cr_assert_eq(d.rows[i].growth, growth[i], "row %zu", i);
        cr_assert_eq(d.rows[i].change, change[i], "row %zu", i);
    }
    cr_assert_eq(d.total_growth, (int64_t)(87040 + 100 + 12288 + 20 - 1024 - 100 - 50 - 40) * 1024);

    char line[512];
    size_t n = mw__smaps_csv_row(line, sizeof(line), &d.rows[0]);
    cr_assert_str_eq(line, "\"[heap]\",heap,both,1048576,89128960,88080384,0,0,1\n");
    cr_assert_eq(n, strlen(line));
    n = mw__smaps_csv_row(line, sizeof(line), &d.rows[4]);
    cr_assert_str_eq(line, "\"anon 5000\",anon,gone,51200,0,-51200,0,0,0\n");
    mw__smaps_row odd = d.rows[0];
    odd.name = "=1+\"x\",y";
    mw__smaps_csv_row(line, sizeof(line), &odd);
    static const char want[] = "\"'=1+\"\"x\"\",y\",heap,";
    cr_assert(strncmp(line, want, sizeof(want) - 1) == 0, "quoted, guarded: %s", line);
    cr_assert_eq(mw__smaps_csv_row(line, 20, &d.rows[0]), 0, "too small");

    /* The export: a new file, never a replaced one. */
    snprintf(d.since, sizeof(d.since), "mark 'M\"3'");
    d.then_ms = 1500;
    d.now_ms = 62042;
    char dir[] = "/tmp/mw-smaps-XXXXXX", path[64], err[256];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/where.csv", dir);
    cr_assert_eq(mw__smaps_diff_export(&d, path, err, sizeof(err)), 0, "%s", err);
    FILE *f = fopen(path, "r");
    char got[1024];
    size_t glen = fread(got, 1, sizeof(got) - 1, f);
    got[glen] = '\0';
    fclose(f);
    cr_assert(strncmp(got, mw__smaps_csv_header, strlen(mw__smaps_csv_header)) == 0);
    cr_assert_not_null(strstr(got, "\"/lib/libfoo.so\",file,both,102400,102400,0,0,0,1,"
                                   "\"mark 'M\"\"3'\",1.500,62.042\n"), "%s", got);
    cr_assert_eq(mw__smaps_diff_export(&d, path, err, sizeof(err)), MW_EALREADY);
    cr_assert_not_null(strstr(err, path), "%s", err);
    unlink(path);
    rmdir(dir);
    mw__smaps_diff_free(&d);
}

/* ---- real processes ------------------------------------------------------------------------ */

static void need_linux(void)
{
    if (strcmp(mw__probe_name, "linux") != 0)
        cr_skip_test("probe is %s, not linux", mw__probe_name);
}

/* A child that does what a byte on its pipe says and acknowledges it with a byte back:
 * 'h' grows its brk heap by 32 MiB (every page written), 'f' maps (and reads) the file at
 * fd 3... kept simple: the file is mapped before the fork in the parent's name space. */
typedef struct kid {
    pid_t pid;
    int to, from;
} kid;

static void kid_loop(int in, int out, const char *file)
{
    char c;
    while (read(in, &c, 1) == 1) {
        if (c == 'h') {
            char *p = sbrk(32 * MIB);
            if (p == (void *)-1)
                _exit(2);
            memset(p, 1, 32 * MIB);
        } else if (c == 'f') {
            int fd = open(file, O_RDONLY);
            volatile char *m = fd < 0 ? MAP_FAILED : mmap(NULL, 1 * MIB, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m == MAP_FAILED)
                _exit(3);
            for (size_t i = 0; i < MIB; i += 4096)
                (void)m[i];
        } else if (c == 'm') {
            /* 20,000 one-page mappings, alternating protections so none merge. */
            for (int i = 0; i < 20000; i++)
                if (mmap(NULL, 4096, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
                    _exit(4);
        }
        if (write(out, &c, 1) != 1)
            _exit(5);
    }
    _exit(0);
}

static kid kid_start(const char *file)
{
    int a[2], b[2];
    cr_assert_eq(pipe(a), 0);
    cr_assert_eq(pipe(b), 0);
    kid k = {fork(), a[1], b[0]};
    cr_assert_geq(k.pid, 0);
    if (k.pid == 0) {
        close(a[1]);
        close(b[0]);
        kid_loop(a[0], b[1], file);
    }
    close(a[0]);
    close(b[1]);
    return k;
}

static void kid_do(kid *k, char c)
{
    char got = 0;
    cr_assert_eq(write(k->to, &c, 1), 1);
    cr_assert_eq(read(k->from, &got, 1), 1, "the child died doing '%c'", c);
}

static void kid_end(kid *k)
{
    close(k->to);
    close(k->from);
    kill(k->pid, SIGKILL);
    waitpid(k->pid, NULL, 0);
}

Test(smaps, real_heap_growth_and_a_mapped_file_show_in_the_diff)
{
    need_linux();
    alarm(30);
    char file[] = "/tmp/mw-smaps-file-XXXXXX";
    int fd = mkstemp(file);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)MIB), 0);
    close(fd);
    kid k = kid_start(file);
    kid_do(&k, '.');
    mw__smaps_table then, now;
    mw__smaps_table_init(&then);
    mw__smaps_table_init(&now);
    mw__smaps_cost cost;
    cr_assert_eq(mw__probe_smaps(k.pid, &then, &cost), 0);
    cr_assert_gt(cost.bytes, 0);
    kid_do(&k, 'h');
    kid_do(&k, 'f');
    cr_assert_eq(mw__probe_smaps(k.pid, &now, &cost), 0);
    mw__smaps_diff d = {0};
    cr_assert_eq(mw__smaps_diff_make(&then, &now, &d), 0);
    cr_assert_str_eq(d.rows[0].name, "[heap]");
    cr_assert_geq(d.rows[0].growth, (int64_t)(32 * MIB), "[heap] grew %lld", (long long)d.rows[0].growth);
    long fi = mw__smaps_find(&now, file);
    cr_assert_geq(fi, 0, "the mapped file is a group");
    cr_assert_eq(mw__smaps_find(&then, file), -1);
    cr_assert_eq(now.g[fi].rss, MIB);
    kid_end(&k);
    unlink(file);
    mw__smaps_diff_free(&d);
    mw__smaps_table_free(&then);
    mw__smaps_table_free(&now);
}

Test(smaps, gone_process_is_enoproc)
{
    need_linux();
    kid k = kid_start("/nonexistent");
    kid_do(&k, '.');
    kill(k.pid, SIGKILL);
    siginfo_t si;
    waitid(P_PID, (id_t)k.pid, &si, WEXITED | WNOWAIT); /* a zombie: no memory left */
    mw__smaps_table t;
    mw__smaps_table_init(&t);
    cr_assert_eq(mw__probe_smaps(k.pid, &t, NULL), MW_ENOPROC, "zombie");
    kid_end(&k);
    cr_assert_eq(mw__probe_smaps(k.pid, &t, NULL), MW_ENOPROC, "reaped");
    cr_assert_eq(t.n, 0);
}

static volatile pid_t victim;

static void *kill_soon(void *arg)
{
    useconds_t us = (useconds_t)(uintptr_t)arg;
    usleep(us);
    kill(victim, SIGKILL);
    return NULL;
}

/* Killed while its 20,000 mappings are read: either the whole table (the read finished first) or
 * MW_ENOPROC, never a part of the mappings. */
Test(smaps, exit_during_the_read_is_never_a_partial_table)
{
    need_linux();
    alarm(60);
    int torn = 0;
    for (int i = 0; i < 12; i++) {
        kid k = kid_start("/nonexistent");
        kid_do(&k, 'm');
        mw__smaps_table t;
        mw__smaps_table_init(&t);
        cr_assert_eq(mw__probe_smaps(k.pid, &t, NULL), 0);
        size_t full = t.mappings;
        victim = k.pid;
        pthread_t th;
        pthread_create(&th, NULL, kill_soon, (void *)(uintptr_t)(1000 + i * 1500));
        int rc = mw__probe_smaps(k.pid, &t, NULL);
        pthread_join(th, NULL);
        if (rc == 0)
            cr_assert_geq(t.mappings, full - 2, "a whole table: %zu of %zu", t.mappings, full);
        else
            cr_assert_eq(rc, MW_ENOPROC, "rc %d", rc);
        torn += rc == MW_ENOPROC;
        kid_end(&k);
        mw__smaps_table_free(&t);
    }
    cr_log_info("%d of 12 reads were cut by the exit (MW_ENOPROC)", torn);
}

/* Another user's process: root drops to nobody in a child, which then may not read its parent. */
Test(smaps, not_permitted_is_eperm)
{
    need_linux();
    if (geteuid() != 0)
        cr_skip_test("needs root to drop to another user");
    pid_t parent = getpid();
    pid_t c = fork();
    cr_assert_geq(c, 0);
    if (c == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(99);
        mw__smaps_table t;
        mw__smaps_table_init(&t);
        _exit(-mw__probe_smaps(parent, &t, NULL));
    }
    int st;
    waitpid(c, &st, 0);
    cr_assert(WIFEXITED(st));
    if (WEXITSTATUS(st) == 99)
        cr_skip_test("cannot drop privileges here");
    cr_assert_eq(-WEXITSTATUS(st), MW_EPERM, "got %d", -WEXITSTATUS(st));
}

/* ---- the overlay (key w): keys and the pure view ------------------------------------------------ */

static mw__where_info overlay_info(mw__smaps_diff *d)
{
    static const char then_text[] = "1000-2000 rw-p 00000000 00:00 0 [heap]\nRss: 1024 kB\n"
                                    "3000-4000 r-xp 00000000 fe:00 7 /usr/lib/libfoo.so\nRss: 100 kB\n"
                                    "5000-6000 rw-p 00000000 00:00 0 \nRss: 50 kB\n";
    static const char now_text[] = "1000-9000 rw-p 00000000 00:00 0 [heap]\nRss: 87040 kB\n"
                                   "3000-4000 r-xp 00000000 fe:00 7 /usr/lib/libfoo.so\nRss: 100 kB\n"
                                   "7f3a12340000-7f3a13340000 rw-p 00000000 00:00 0 \nRss: 12288 kB\n";
    mw__smaps_table a = parse_ok(then_text, sizeof(then_text) - 1);
    mw__smaps_table b = parse_ok(now_text, sizeof(now_text) - 1);
    cr_assert_eq(mw__smaps_diff_make(&a, &b, d), 0);
    mw__smaps_table_free(&a);
    mw__smaps_table_free(&b);
    mw__where_info w = {.have = true, .diff = d, .since = "mark 'M1'", .read_ns = 85400000,
                        .group_ns = 2100000, .bytes = 3 * 1024, .mappings = 3};
    return w;
}

Test(where, keys_open_scroll_export_and_close_the_overlay)
{
    mw__ui_state st;
    mw__ui_init(&st);
    cr_assert_eq(mw__ui_key(&st, 'w', NULL), MW__ACT_WHERE_OPENED);
    cr_assert(st.where);
    cr_assert_eq(mw__ui_key(&st, 'e', NULL), MW__ACT_WHERE_EXPORT, "e exports the diff shown");
    st.where_page = 5;
    mw__ui_key(&st, MW__KEY_PGDN, NULL);
    cr_assert_eq(st.where_top, 4);
    mw__ui_key(&st, MW__KEY_UP, NULL);
    cr_assert_eq(st.where_top, 3);
    cr_assert_eq(mw__ui_key(&st, 'q', NULL), MW__ACT_NONE, "q closes the overlay, not the program");
    cr_assert(!st.where);
    cr_assert_eq(mw__ui_key(&st, 'e', NULL), MW__ACT_EXPORT, "closed: e exports the capture again");
    mw__ui_key(&st, 'w', NULL);
    cr_assert_eq(mw__ui_key(&st, MW__KEY_ESC, NULL), MW__ACT_NONE);
    cr_assert(!st.where, "Esc closes it");
    mw__ui_key(&st, 'w', NULL);
    cr_assert_eq(mw__ui_key(&st, 'w', NULL), MW__ACT_NONE, "w again closes it");
    cr_assert(!st.where);
    mw__ui_destroy(&st);
}

Test(where, overlay_golden_80x24)
{
    mw__capture cap;
    fx_capture(&cap, 3600);
    fx_leak(&cap, 300, FX_S / 4, -1);
    mw__ui_state st;
    mw__ui_init(&st);
    mw__ui_key(&st, 'w', &cap);
    mw__smaps_diff d = {0};
    mw__view_info in;
    memset(&in, 0, sizeof(in));
    in.state = "running";
    in.interval_ms = 250;
    in.elapsed_ns = mw__ring_last(&cap.ring)->t_ns - cap.t0_ns;
    in.where = overlay_info(&d);
    mw__canvas cv = {0};
    cr_assert_eq(mw__canvas_resize(&cv, 80, 24), 0);
    mw__view_build(&cv, &cap, &in, &st);
    char *t = mw__canvas_to_text(&cv);
    fx_golden("where-80x24", t);
    cr_assert_not_null(strstr(t, "+84.0 MiB"), "%s", t);
    cr_assert(strstr(t, "[heap]") < strstr(t, "anon 7f3a12340000") &&
              strstr(t, "anon 7f3a12340000") < strstr(t, "/usr/lib/libfoo.so"), "%s", t);
    free(t);
    /* A failed read: its one line, no table. */
    in.where = (mw__where_info){.have = true, .error = "cannot read /proc/42/smaps: the process has exited"};
    mw__view_build(&cv, &cap, &in, &st);
    t = mw__canvas_to_text(&cv);
    cr_assert_not_null(strstr(t, "cannot read /proc/42/smaps: the process has exited"), "%s", t);
    cr_assert_null(strstr(t, "growth    RSS now"), "no table under an error: %s", t);
    free(t);
    in.where = (mw__where_info){.busy = true};
    mw__view_build(&cv, &cap, &in, &st);
    t = mw__canvas_to_text(&cv);
    cr_assert_not_null(strstr(t, "reading smaps..."), "%s", t);
    free(t);
    mw__smaps_diff_free(&d);
    mw__canvas_destroy(&cv);
    mw__ui_destroy(&st);
    mw__capture_destroy(&cap);
}
