/* SPDX-License-Identifier: MIT */
/* test_listprocs.c — the picker's process list on the real /proc: this process with its RSS and start time, no zombies or kernel threads, only the user's, command lines checked by start time. */
#include "config.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "memwatch.h"
#include "probe.h"
#include "procparse.h"

static mw__proc_brief *list;
static size_t n, cap;

static void setup(void) { alarm(20); }
static void teardown(void)
{
    free(list);
    list = NULL;
    n = cap = 0;
    alarm(0);
}

TestSuite(listprocs, .init = setup, .fini = teardown);

static const mw__proc_brief *find(pid_t pid)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].pid == pid)
            return &list[i];
    return NULL;
}

/* The list comes from /proc: other probes (none, darwin) say MW_EUNSUPPORTED, tested elsewhere. */
static void need_linux(void)
{
    if (strcmp(mw__probe_name, "linux") != 0)
        cr_skip_test("probe is %s, not linux", mw__probe_name);
}

Test(listprocs, this_process_with_its_rss_and_start_time)
{
    need_linux();
    cr_assert_eq(mw__probe_list_processes(0, &list, &n, &cap), 0);
    const mw__proc_brief *me = find(getpid());
    cr_assert_not_null(me, "this process is listed (%zu listed)", n);
    mw_stats st;
    mw_process_info info;
    cr_assert_eq(mw_get_process_memory_stats(getpid(), &st), 0);
    cr_assert_eq(mw_process_get_info(getpid(), &info), 0);
    cr_assert_eq(me->start_time, info.start_time);
    cr_assert_str_eq(me->name, info.name);
    /* The same resident size as the status file's, within what the test itself may touch. */
    uint64_t lo = st.physical_size * 8 / 10, hi = st.physical_size * 12 / 10;
    cr_assert(me->rss >= lo && me->rss <= hi, "stat's RSS %llu vs status's %llu",
              (unsigned long long)me->rss, (unsigned long long)st.physical_size);
}

Test(listprocs, no_zombie_no_kernel_thread_only_the_users)
{
    need_linux();
    pid_t z = fork();
    cr_assert_geq(z, 0);
    if (z == 0)
        _exit(0);
    char path[64], text[1024];
    mw__proc_stat ps = {0};
    for (int i = 0; i < 2000 && ps.state != 'Z'; i++) { /* until it is a zombie */
        snprintf(path, sizeof(path), "/proc/%ld/stat", (long)z);
        FILE *f = fopen(path, "r");
        size_t len = f ? fread(text, 1, sizeof(text), f) : 0;
        if (f)
            fclose(f);
        if (mw__parse_stat(text, len, &ps) != 0 || ps.state != 'Z')
            usleep(1000);
    }
    cr_assert_eq(ps.state, 'Z', "the child became a zombie");
    cr_assert_eq(mw__probe_list_processes(0, &list, &n, &cap), 0);
    cr_assert_null(find(z), "a zombie has no memory to watch: not listed");
    waitpid(z, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        snprintf(path, sizeof(path), "/proc/%ld", (long)list[i].pid);
        if (stat(path, &sb) != 0)
            continue; /* ended since */
        cr_assert_eq(sb.st_uid, geteuid(), "PID %ld is someone else's", (long)list[i].pid);
        snprintf(path, sizeof(path), "/proc/%ld/stat", (long)list[i].pid);
        FILE *f = fopen(path, "r");
        size_t len = f ? fread(text, 1, sizeof(text), f) : 0;
        if (f)
            fclose(f);
        if (len && mw__parse_stat(text, len, &ps) == 0)
            cr_assert_eq(ps.flags & MW__PF_KTHREAD, 0, "PID %ld is a kernel thread",
                         (long)list[i].pid);
    }
}

Test(listprocs, command_line_only_of_the_same_process)
{
    need_linux();
    /* A child with a known argv (this process's own may be renamed by Criterion or faked by
     * valgrind). */
    pid_t kid = fork();
    cr_assert_geq(kid, 0);
    if (kid == 0) {
        execl("/bin/sleep", "/bin/sleep", "30", (char *)NULL);
        _exit(127);
    }
    mw_process_info info = {0};
    for (int i = 0; i < 2000; i++) { /* until it has exec'd */
        if (mw_process_get_info(kid, &info) == 0 && strcmp(info.cmdline, "/bin/sleep 30") == 0)
            break;
        usleep(1000);
    }
    char line[512], argv0[64];
    int rc = mw__probe_cmdline(kid, info.start_time, line, sizeof(line), argv0, sizeof(argv0));
    int other = mw__probe_cmdline(kid, info.start_time + 1, line + 256, 256, argv0 + 32, 32);
    kill(kid, SIGKILL);
    waitpid(kid, NULL, 0);
    cr_assert_eq(rc, 0);
    cr_assert_str_eq(line, "/bin/sleep 30");
    cr_assert_str_eq(argv0, "sleep", "argv[0]'s basename, not its path");
    cr_assert_eq(other, MW_ENOPROC, "another start time: another process, never its line");
    cr_assert_eq(mw__probe_cmdline(-1, 0, line, sizeof(line), argv0, sizeof(argv0)), MW_EINVAL);
}
