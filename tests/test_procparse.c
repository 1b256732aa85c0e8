/* SPDX-License-Identifier: MIT */
/* test_procparse.c — the /proc text parsers on real captured fixtures and hand-made bad input. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procparse.h"
#include "rollup_fixtures.h"

/* Fixtures live in tests/fixtures/proc (see its README). make check sets MW_FIXTURES; otherwise
 * they are found next to this source file. */
static char *fixture_path(const char *name)
{
    static char path[4096];
    const char *dir = getenv("MW_FIXTURES");
    if (dir && *dir) {
        snprintf(path, sizeof(path), "%s/proc/%s", dir, name);
    } else {
        const char *slash = strrchr(__FILE__, '/');
        int n = slash ? (int)(slash - __FILE__) : 1;
        snprintf(path, sizeof(path), "%.*s/fixtures/proc/%s", n, slash ? __FILE__ : ".", name);
    }
    return path;
}

/* Load a fixture into a malloc'd buffer of exactly its size (no NUL after it), so that
 * AddressSanitizer catches any read past len. */
static char *load(const char *name, size_t *len)
{
    FILE *f = fopen(fixture_path(name), "rb");
    cr_assert_not_null(f, "fixture %s", fixture_path(name));
    char tmp[65536];
    *len = fread(tmp, 1, sizeof(tmp), f);
    fclose(f);
    char *buf = malloc(*len ? *len : 1);
    cr_assert_not_null(buf);
    memcpy(buf, tmp, *len);
    return buf;
}

static int parse_fixture(const char *name, mw_stats *st, char *state)
{
    size_t len;
    char *buf = load(name, &len);
    int rc = mw__parse_status(buf, len, st, state);
    free(buf);
    return rc;
}

/* Parse a string literal through an exact-size copy. */
static int parse_text(const char *text, mw_stats *st)
{
    size_t len = strlen(text);
    char *buf = malloc(len ? len : 1);
    memcpy(buf, text, len);
    int rc = mw__parse_status(buf, len, st, NULL);
    free(buf);
    return rc;
}

#define KB 1024ull
#define ALL_OPTIONAL (MW_HAVE_ANON | MW_HAVE_FILE | MW_HAVE_SHMEM | MW_HAVE_SWAP | MW_HAVE_HWM | MW_HAVE_VPEAK)

/* The real captured processes, with the values copied from their files (kB). */
static const struct status_case {
    const char *file;
    char state;
    uint64_t vsz, rss, anon, file_kb, shmem, swap, hwm, vpeak;
} status_cases[] = {
    {"normal.status", 'S', 2920, 1780, 108, 1672, 0, 0, 1780, 2920},
    {"bigrss.status", 'S', 207344, 206480, 204904, 1576, 0, 0, 206480, 207344},
    {"shmem.status", 'R', 32992, 29856, 6888, 6584, 16384, 0, 46096, 49380},
    {"comm-parens.status", 'S', 2920, 1688, 108, 1580, 0, 0, 1688, 2920},
};

Test(procparse, status_of_real_processes_gives_exact_bytes)
{
    for (size_t i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
        const struct status_case *c = &status_cases[i];
        mw_stats st;
        char state;
        cr_assert_eq(parse_fixture(c->file, &st, &state), 0, "%s", c->file);
        cr_assert_eq(state, c->state, "%s", c->file);
        cr_assert_eq(st.virtual_size, c->vsz * KB, "%s", c->file);
        cr_assert_eq(st.physical_size, c->rss * KB, "%s", c->file);
        cr_assert_eq(st.anon_size, c->anon * KB, "%s", c->file);
        cr_assert_eq(st.file_size, c->file_kb * KB, "%s", c->file);
        cr_assert_eq(st.shmem_size, c->shmem * KB, "%s", c->file);
        /* shared is what top calls SHR: resident file-backed plus resident shmem. */
        cr_assert_eq(st.shared_size, (c->file_kb + c->shmem) * KB, "%s", c->file);
        cr_assert_eq(st.swap_size, c->swap * KB, "%s", c->file);
        cr_assert_eq(st.peak_physical_size, c->hwm * KB, "%s", c->file);
        cr_assert_eq(st.peak_virtual_size, c->vpeak * KB, "%s", c->file);
        cr_assert_eq(st.valid, ALL_OPTIONAL, "%s", c->file);
        cr_assert_eq(st.nprocs, 1);
        cr_assert_eq(st.flags, 0);
        cr_assert_eq(st.timestamp.tv_sec, 0);
    }
}

Test(procparse, status_of_kernel_thread_is_zero_not_error)
{
    mw_stats st;
    char state;
    cr_assert_eq(parse_fixture("kthread.status", &st, &state), 0);
    cr_assert_eq(state, 'S');
    cr_assert_eq(st.virtual_size, 0);
    cr_assert_eq(st.physical_size, 0);
    cr_assert_eq(st.shared_size, 0);
    cr_assert_eq(st.valid, 0);
    cr_assert_eq(st.nprocs, 1);
}

Test(procparse, status_of_zombie_is_noproc)
{
    mw_stats st;
    char state;
    cr_assert_eq(parse_fixture("zombie.status", &st, &state), MW_ENOPROC);
    cr_assert_eq(state, 'Z');
    cr_assert_eq(parse_text("State:\tX (dead)\n", &st), MW_ENOPROC);
}

Test(procparse, status_largest_value_that_fits_is_exact)
{
    mw_stats st;
    cr_assert_eq(parse_fixture("huge-max.status", &st, NULL), 0);
    cr_assert_eq(st.virtual_size, (UINT64_MAX / 1024) * 1024);
    cr_assert_eq(st.peak_virtual_size, (UINT64_MAX / 1024) * 1024);
}

Test(procparse, status_overflowing_values_are_einval_not_saturated)
{
    mw_stats st;
    cr_assert_eq(parse_fixture("huge-overflow.status", &st, NULL), MW_EINVAL); /* kB*1024 */
    cr_assert_eq(parse_fixture("huge-digits.status", &st, NULL), MW_EINVAL);   /* > 2^64 kB */
    cr_assert_eq(parse_fixture("huge-sum.status", &st, NULL), MW_EINVAL);      /* file+shmem */
    cr_assert_eq(st.physical_size, 0, "a failed parse leaves no partial values");
}

Test(procparse, status_truncated_is_einval)
{
    mw_stats st;
    cr_assert_eq(parse_fixture("truncated-midline.status", &st, NULL), MW_EINVAL);
    cr_assert_eq(parse_fixture("truncated-midnumber.status", &st, NULL), MW_EINVAL);
    cr_assert_eq(parse_fixture("truncated-afterfields.status", &st, NULL), MW_EINVAL);
}

Test(procparse, status_empty_and_garbage_are_einval)
{
    mw_stats st;
    cr_assert_eq(parse_fixture("empty.status", &st, NULL), MW_EINVAL);
    cr_assert_eq(parse_fixture("garbage.bin", &st, NULL), MW_EINVAL);
    cr_assert_eq(mw__parse_status(NULL, 0, &st, NULL), MW_EINVAL);
    cr_assert_eq(mw__parse_status("State:\tR\n", 9, NULL, NULL), MW_EINVAL);
}

Test(procparse, status_every_cut_inside_a_line_is_einval)
{
    size_t len;
    char *full = load("bigrss.status", &len);
    for (size_t cut = 0; cut < len; cut++) {
        char *buf = malloc(cut ? cut : 1);
        memcpy(buf, full, cut);
        mw_stats st;
        int rc = mw__parse_status(buf, cut, &st, NULL);
        if (cut == 0 || full[cut - 1] != '\n')
            cr_assert_eq(rc, MW_EINVAL, "cut at %zu", cut);
        else
            cr_assert(rc == 0 || rc == MW_EINVAL, "cut at %zu: %d", cut, rc);
        free(buf);
    }
    free(full);
}

Test(procparse, status_needs_state_and_both_vm_sizes)
{
    mw_stats st;
    cr_assert_eq(parse_text("VmSize:\t 10 kB\nVmRSS:\t 5 kB\n", &st), MW_EINVAL);
    cr_assert_eq(parse_text("State:\tS (sleeping)\nVmSize:\t 10 kB\n", &st), MW_EINVAL);
    cr_assert_eq(parse_text("State:\tS (sleeping)\nVmRSS:\t 10 kB\n", &st), MW_EINVAL);
    cr_assert_eq(parse_text("State:\t? (what)\n", &st), MW_EINVAL);
    cr_assert_eq(parse_text("State:\tS\nVmRSS:\t 1 kB\nVmRSS:\t 2 kB\nVmSize:\t 3 kB\n", &st),
                 MW_EINVAL, "a field twice is not a status file");
    cr_assert_eq(parse_text("State:\tS\nVmSize:\t 3 MB\nVmRSS:\t 1 kB\n", &st), MW_EINVAL);
    cr_assert_eq(parse_text("State:\tS\nVmSize:\t -3 kB\nVmRSS:\t 1 kB\n", &st), MW_EINVAL);
    cr_assert_eq(parse_text("State:\tS\nVmSize:\t kB\nVmRSS:\t 1 kB\n", &st), MW_EINVAL);
}

Test(procparse, status_without_optional_fields_sets_no_valid_bits)
{
    /* An old kernel (< 4.5) has no RssAnon/RssFile/RssShmem: shared is then unknown (0). */
    mw_stats st;
    cr_assert_eq(parse_text("Name:\tx\nState:\tR (running)\nVmSize:\t 10 kB\nVmRSS:\t 5 kB\n", &st), 0);
    cr_assert_eq(st.virtual_size, 10 * KB);
    cr_assert_eq(st.physical_size, 5 * KB);
    cr_assert_eq(st.shared_size, 0);
    cr_assert_eq(st.valid, 0);
}

Test(procparse, status_reads_nothing_past_len)
{
    /* The bytes after len would make "5 kB" into "55 kB" if they were read. */
    const char text[] = "State:\tS\nVmSize:\t 7 kB\nVmRSS:\t 5 kB\n55 kB\n";
    mw_stats st;
    size_t len = (size_t)(strstr(text, "55") - text);
    cr_assert_eq(mw__parse_status(text, len, &st, NULL), 0);
    cr_assert_eq(st.physical_size, 5 * KB);
}

/* ---- smaps_rollup -------------------------------------------------------------------------- */

/* Parse a string literal through an exact-size copy (ASan sees any read past len). */
static int rollup_text(const char *text, mw__rollup *r)
{
    size_t len = strlen(text);
    char *buf = malloc(len ? len : 1);
    memcpy(buf, text, len);
    int rc = mw__parse_smaps_rollup(buf, len, r);
    free(buf);
    return rc;
}

#define ALL_ROLLUP (MW_HAVE_PSS | MW_HAVE_PSS_PARTS | MW_HAVE_USS | MW_HAVE_SWAP_PSS)

Test(procparse, rollup_of_a_real_process_gives_exact_bytes)
{
    mw__rollup r;
    cr_assert_eq(rollup_text(ROLLUP_6_18, &r), 0);
    cr_assert_eq(r.have, ALL_ROLLUP);
    cr_assert_eq(r.pss, 28173 * KB, "Pss_Dirty is not Pss");
    cr_assert_eq(r.pss_anon, 6880 * KB);
    cr_assert_eq(r.pss_file, 4909 * KB);
    cr_assert_eq(r.pss_shmem, 16384 * KB);
    cr_assert_eq(r.uss, (4628 + 23264) * KB, "USS = Private_Clean + Private_Dirty");
    cr_assert_eq(r.swap_pss, 0);
}

Test(procparse, rollup_of_an_older_kernel_has_no_pss_parts)
{
    mw__rollup r;
    cr_assert_eq(rollup_text(ROLLUP_4_19, &r), 0);
    cr_assert_eq(r.have, MW_HAVE_PSS | MW_HAVE_USS | MW_HAVE_SWAP_PSS);
    cr_assert_eq(r.pss, 1207 * KB);
    cr_assert_eq(r.pss_anon + r.pss_file + r.pss_shmem, 0);
    cr_assert_eq(r.uss, (120 + 812) * KB);
    cr_assert_eq(r.swap_pss, 640 * KB);
    /* Two of the three parts are not the parts: no bit, no values. */
    cr_assert_eq(rollup_text("Pss: 9 kB\nPss_Anon: 4 kB\nPss_File: 5 kB\n", &r), 0);
    cr_assert_eq(r.have, MW_HAVE_PSS);
    cr_assert_eq(r.pss_anon, 0);
}

Test(procparse, rollup_without_both_private_lines_has_no_uss)
{
    mw__rollup r;
    cr_assert_eq(rollup_text("Pss: 9 kB\nPrivate_Clean: 4 kB\nSwapPss: 1 kB\n", &r), 0);
    cr_assert_eq(r.have, MW_HAVE_PSS | MW_HAVE_SWAP_PSS);
    cr_assert_eq(r.uss, 0);
    cr_assert_eq(rollup_text("Pss: 9 kB\nPrivate_Dirty: 4 kB\n", &r), 0);
    cr_assert_eq(r.have, MW_HAVE_PSS);
    cr_assert_eq(rollup_text("Private_Clean: 4 kB\nPrivate_Dirty: 4 kB\n", &r), MW_EINVAL, "no Pss");
    cr_assert_eq(r.have, 0);
}

Test(procparse, rollup_huge_values_saturate)
{
    mw__rollup r;
    /* 18014398509481983 kB is the largest count whose bytes fit; one more does not. */
    cr_assert_eq(rollup_text("Pss: 18014398509481983 kB\nPss_Anon: 18014398509481984 kB\n"
                             "Pss_File: 18446744073709551615 kB\nPss_Shmem: 0 kB\n"
                             "Private_Clean: 18014398509481983 kB\nPrivate_Dirty: 1 kB\n",
                             &r),
                 0);
    cr_assert_eq(r.pss, (UINT64_MAX / 1024) * 1024);
    cr_assert_eq(r.pss_anon, UINT64_MAX);
    cr_assert_eq(r.pss_file, UINT64_MAX);
    cr_assert_eq(r.uss, UINT64_MAX, "the sum saturates too");
    cr_assert_eq(rollup_text("Pss: 18446744073709551616 kB\n", &r), MW_EINVAL, "digits past 2^64");
}

Test(procparse, rollup_bad_numbers_and_cut_text_are_einval)
{
    mw__rollup r;
    static const char *const bad[] = {
        "Pss: 12x kB\n", "Pss: kB\n", "Pss: -3 kB\n", "Pss: 12 MB\n", "Pss: 12\n",
        "Pss: 1 kB\nPrivate_Dirty: many kB\n", "Pss: 1 kB\nSwapPss:\n",
        "Pss: 1 kB\nPss: 2 kB\n",       /* a field twice */
        "Pss: 1 kB\r\n",                /* CRLF on a line we use: not the kernel's text */
        "Pss: 1 kB\nSwapPss: 12 kB",    /* the last line cut: its number may be short */
        "Pss: 1 kB\nLocked: 0",         /* cut anywhere: lines we want may be missing */
        "", "\n", "Rss: 5 kB\n",        /* empty (no mm), nothing, no Pss */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert_eq(rollup_text(bad[i], &r), MW_EINVAL, "'%s'", bad[i]);
        cr_assert_eq(r.have | r.pss | r.uss, 0, "a failed parse leaves nothing: '%s'", bad[i]);
    }
    cr_assert_eq(mw__parse_smaps_rollup(NULL, 0, &r), MW_EINVAL);
    cr_assert_eq(mw__parse_smaps_rollup("Pss: 1 kB\n", 10, NULL), MW_EINVAL);
}

Test(procparse, rollup_ignores_junk_lines_and_reads_nothing_past_len)
{
    mw__rollup r;
    const char text[] = "garbage \x01\xff line\r\n\n:\nPss\nPss_Dirty: x\nPSS: 7 kB\n  Pss: 8 kB\n"
                        "Private_Hugetlb: 9 kB\nSwap: 4 kB\nPss:\t 3 kB\n5 kB\n";
    /* Only "Pss:\t 3 kB" counts; the bytes after len would make it "35 kB" if read. */
    size_t len = (size_t)(strstr(text, "5 kB") - text);
    cr_assert_eq(mw__parse_smaps_rollup(text, len, &r), 0);
    cr_assert_eq(r.pss, 3 * KB);
    cr_assert_eq(r.have, MW_HAVE_PSS);
    /* Every cut of the real text: a cut inside a line is refused, never read as a smaller value. */
    const char *full = ROLLUP_6_18;
    for (size_t cut = 0; cut < strlen(full); cut++) {
        char *buf = malloc(cut ? cut : 1);
        memcpy(buf, full, cut);
        int rc = mw__parse_smaps_rollup(buf, cut, &r);
        if (cut == 0 || full[cut - 1] != '\n')
            cr_assert_eq(rc, MW_EINVAL, "cut at %zu", cut);
        else if (rc == 0)
            cr_assert_eq(r.pss, 28173 * KB, "cut at %zu", cut);
        free(buf);
    }
}

/* ---- stat ---------------------------------------------------------------------------------- */

static int parse_stat_fixture(const char *name, mw__proc_stat *st)
{
    size_t len;
    char *buf = load(name, &len);
    int rc = mw__parse_stat(buf, len, st);
    free(buf);
    return rc;
}

/* Captured stat files: pid, comm, state, ppid, start time (field 22). */
static const struct stat_case {
    const char *file;
    int64_t pid;
    const char *comm;
    char state;
    int64_t ppid;
    uint64_t start;
} stat_cases[] = {
    {"normal.stat", 24685, "sleep", 'S', 24683, 117997},
    {"comm-parens.stat", 24763, "a b) c", 'S', 24683, 118277}, /* the LAST ')' ends comm */
    {"kthread.stat", 2, "kthreadd", 'S', 0, 20},
    {"kworker.stat", 4, "kworker/R-rcu_gp", 'I', 2, 20},
    {"zombie.stat", 24761, "python3", 'Z', 24720, 118241},
    {"bigrss.stat", 24690, "mw-alloc", 'S', 24683, 118020},
    {"shmem.stat", 25829, "python3", 'R', 25827, 120426},
};

Test(procparse, stat_of_real_processes_including_odd_comms)
{
    for (size_t i = 0; i < sizeof(stat_cases) / sizeof(stat_cases[0]); i++) {
        const struct stat_case *c = &stat_cases[i];
        mw__proc_stat st;
        cr_assert_eq(parse_stat_fixture(c->file, &st), 0, "%s", c->file);
        cr_assert_eq(st.pid, c->pid, "%s", c->file);
        cr_assert_str_eq(st.comm, c->comm, "%s", c->file);
        cr_assert_eq(st.state, c->state, "%s", c->file);
        cr_assert_eq(st.ppid, c->ppid, "%s", c->file);
        cr_assert_eq(st.start_time, c->start, "%s", c->file);
    }
}

/* Field 9, flags: PF_KTHREAD tells a kernel thread (kthreadd, a kworker) from a process. */
Test(procparse, stat_flags_tell_kernel_threads)
{
    static const struct {
        const char *file;
        uint64_t flags;
        bool kthread;
    } cases[] = {
        {"kthread.stat", 2129984, true},  /* 0x208040 */
        {"kworker.stat", 69238880, true}, /* 0x4208060 */
        {"normal.stat", 4194304, false},  /* 0x400000 */
        {"zombie.stat", 4227148, false},  /* 0x40804c: exiting, not a kernel thread */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mw__proc_stat st;
        cr_assert_eq(parse_stat_fixture(cases[i].file, &st), 0, "%s", cases[i].file);
        cr_assert_eq(st.flags, cases[i].flags, "%s", cases[i].file);
        cr_assert_eq((st.flags & MW__PF_KTHREAD) != 0, cases[i].kthread, "%s", cases[i].file);
    }
}

Test(procparse, stat_truncated_or_garbage_is_einval)
{
    static const char *const bad[] = {"truncated.stat", "truncated-starttime.stat", "garbage.bin",
                                      "empty.status", "normal.status"};
    mw__proc_stat st;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(parse_stat_fixture(bad[i], &st), MW_EINVAL, "%s", bad[i]);
    cr_assert_eq(mw__parse_stat(NULL, 0, &st), MW_EINVAL);
}

Test(procparse, stat_every_cut_before_start_time_ends_is_einval)
{
    size_t len;
    char *full = load("comm-parens.stat", &len);
    /* Field 22 ends at the 21st space after the last ')'. */
    const char *p = full + len;
    while (p[-1] != ')')
        p--;
    for (int spaces = 0; spaces < 21; p++)
        spaces += *p == ' ';
    size_t complete = (size_t)(p - full);
    for (size_t cut = 0; cut < len; cut++) {
        char *buf = malloc(cut ? cut : 1);
        memcpy(buf, full, cut);
        mw__proc_stat st;
        int rc = mw__parse_stat(buf, cut, &st);
        cr_assert_eq(rc, cut < complete ? MW_EINVAL : 0, "cut at %zu", cut);
        free(buf);
    }
    free(full);
}

Test(procparse, stat_long_comm_is_cut_to_fit)
{
    char text[512];
    char name[101];
    memset(name, 'n', 100);
    name[100] = '\0';
    int n = snprintf(text, sizeof(text),
                     "7 (%s) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 99 4 5\n", name);
    mw__proc_stat st;
    cr_assert_eq(mw__parse_stat(text, (size_t)n, &st), 0);
    cr_assert_eq(strlen(st.comm), sizeof(st.comm) - 1);
    cr_assert_eq(st.start_time, 99);
    /* The last field may end at the newline. */
    n = snprintf(text, sizeof(text), "7 (x) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 -1 99\n");
    cr_assert_eq(mw__parse_stat(text, (size_t)n, &st), 0);
    cr_assert_eq(st.start_time, 99);
}

/* ---- cmdline and children ------------------------------------------------------------------- */

Test(procparse, cmdline_joins_arguments_with_spaces)
{
    size_t len;
    char *buf = load("normal.cmdline", &len);
    char out[64];
    cr_assert_eq(mw__join_cmdline(buf, len, out, sizeof(out)), 9);
    cr_assert_str_eq(out, "sleep 300");
    free(buf);
    cr_assert_eq(mw__join_cmdline("", 0, out, sizeof(out)), 0);
    cr_assert_str_eq(out, "");
    cr_assert_eq(mw__join_cmdline("a\0\0b\0", 5, out, sizeof(out)), 4);
    cr_assert_str_eq(out, "a  b");
}

Test(procparse, cmdline_escapes_control_characters)
{
    char out[64];
    mw__join_cmdline("x\033[2J\0y\n\0", 9, out, sizeof(out));
    cr_assert_str_eq(out, "x\\e[2J y\\x0a");
}

Test(procparse, cmdline_is_cut_safely)
{
    char out[6];
    cr_assert_eq(mw__join_cmdline("abcdefgh", 8, out, sizeof(out)), 5);
    cr_assert_str_eq(out, "abcde");
    /* "ab" + U+00E9 (2 bytes) + U+20AC (3 bytes): a cut inside the euro sign drops all of it. */
    const char utf[] = "ab\xc3\xa9\xe2\x82\xac";
    char o2[7];
    cr_assert_eq(mw__join_cmdline(utf, sizeof(utf) - 1, o2, sizeof(o2)), 4);
    cr_assert_str_eq(o2, "ab\xc3\xa9");
    char o3[8];
    cr_assert_eq(mw__join_cmdline(utf, sizeof(utf) - 1, o3, sizeof(o3)), 7);
    cr_assert_eq(mw__join_cmdline(utf, sizeof(utf) - 1, o3, 0), 0);
    char o4[1];
    cr_assert_eq(mw__join_cmdline("abc", 3, o4, sizeof(o4)), 0);
    cr_assert_str_eq(o4, "");
}

Test(procparse, children_list_yields_each_pid)
{
    const char text[] = "12081 7 300000 ";
    size_t pos = 0;
    int64_t pid;
    cr_assert_eq(mw__next_pid(text, sizeof(text) - 1, &pos, &pid), 1);
    cr_assert_eq(pid, 12081);
    cr_assert_eq(mw__next_pid(text, sizeof(text) - 1, &pos, &pid), 1);
    cr_assert_eq(pid, 7);
    cr_assert_eq(mw__next_pid(text, sizeof(text) - 1, &pos, &pid), 1);
    cr_assert_eq(pid, 300000);
    cr_assert_eq(mw__next_pid(text, sizeof(text) - 1, &pos, &pid), 0);
    pos = 0;
    cr_assert_eq(mw__next_pid("", 0, &pos, &pid), 0);
    pos = 0;
    cr_assert_eq(mw__next_pid("12a", 3, &pos, &pid), MW_EINVAL);
    pos = 0;
    cr_assert_eq(mw__next_pid("0 ", 2, &pos, &pid), MW_EINVAL);
    pos = 0;
    cr_assert_eq(mw__next_pid("99999999999", 11, &pos, &pid), MW_EINVAL);
}
