/* SPDX-License-Identifier: MIT */
/* jobs.c — a launched command as a job: its own process group, the terminal lent to it headless, its whole tree ended, escapees named. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "units.h"
#include "probe.h"

/* Why a process group: ending a command must end what it started (a shell's background jobs, a
 * build's compilers), and kill(-pgid) reaches every member at once, including one forked a moment
 * ago, where walking the tree and signalling PIDs one by one races with every fork.
 *
 * Why the terminal is lent headless: in its own group the command is not the terminal's
 * foreground job, so reading the terminal would stop it (SIGTTIN) and the terminal's Ctrl-C would
 * reach memwatch only. When memwatch is in the foreground, it does what a job-control shell does:
 * it makes the command's group the foreground (tcsetpgrp), so the command reads the terminal and
 * gets Ctrl-C, Ctrl-\ and Ctrl-Z as under time(1); memwatch takes the terminal back at the end,
 * and when the command is stopped (Ctrl-Z) memwatch stops too, so the shell sees the job stop,
 * and continues it on fg/bg. memwatch blocks SIGTTOU meanwhile, so that its own messages and the
 * terminal hand-over work from the background. The dashboard keeps the terminal: its command
 * gets /dev/null as stdin. */

static void on_child(int sig) { (void)sig; } /* only to wake the headless loop's nap */

int app_job_prepare(bool lend_tty)
{
    /* Orphans of the command (a daemon whose parent exited) come to memwatch, not init, so that
     * they can be named at the end instead of vanishing from view. Best effort. */
    mw__probe_adopt_orphans();
    if (!lend_tty)
        return -1;
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    if (tcgetpgrp(fd) != getpgrp()) { /* in the background, or another group's terminal */
        close(fd);
        return -1;
    }
    sigset_t ttou;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    pthread_sigmask(SIG_BLOCK, &ttou, NULL); /* before the sampler thread: it inherits it */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_child;
    sa.sa_flags = SA_RESTART; /* reads and writes go on; the nap (nanosleep) still wakes */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    return fd;
}

void app_job_child_enter(int tty_fd)
{
    setpgid(0, 0);
    if (tty_fd >= 0)
        tcsetpgrp(tty_fd, getpid()); /* SIGTTOU is blocked here until app_signals_restore */
}

void app_job_parent_enter(app_target *t, pid_t pid, int tty_fd)
{
    /* Both sides set the group, so it is set before either goes on, whichever runs first. */
    setpgid(pid, pid);
    t->pgid = pid;
    t->job = true;
    t->tty_lent = tty_fd >= 0;
    t->tty_fd = tty_fd;
    if (t->tty_lent)
        tcsetpgrp(tty_fd, pid);
}

/* Take the terminal back, but only from the command's group (it was lent the terminal as the
 * group's leader, so the group's number is the command's PID, even once t->pgid is cleared): with
 * SIGTTOU blocked, tcsetpgrp succeeds from the background too, so after Ctrl-Z and `bg` an
 * unconditional one would take the terminal from the shell that holds it now. */
static void take_tty_back(const app_target *t)
{
    if (tcgetpgrp(t->tty_fd) == t->pid)
        tcsetpgrp(t->tty_fd, getpgrp());
}

void app_job_release_tty(app_target *t)
{
    if (!t->tty_lent)
        return;
    take_tty_back(t);
    close(t->tty_fd);
    t->tty_lent = false;
}

void app_job_relay_stop(app_target *t)
{
    if (!t->tty_lent || t->ending)
        return;
    take_tty_back(t);
    kill(0, SIGTSTP); /* memwatch's own job stops as the terminal would stop it */
    /* Continued: by fg (the terminal is ours again: lend it back) or by bg. */
    if (tcgetpgrp(t->tty_fd) == getpgrp() && t->pgid > 0)
        tcsetpgrp(t->tty_fd, t->pgid);
    if (t->pgid > 0) /* kill(-0) would be memwatch's own group */
        kill(-t->pgid, SIGCONT);
}

/* Collect adopted orphans that have exited (never the command itself: its status is
 * app_target_reap's). waitid with WNOWAIT looks without collecting. */
void app_job_reap_adopted(const app_target *t)
{
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof(si));
        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid == 0 ||
            si.si_pid == t->pid)
            return;
        waitpid(si.si_pid, NULL, WNOHANG);
    }
}

/* Someone is left in the command's process group (a zombie with a parent of its own counts).
 * Once it is empty its number is forgotten (t->pgid = 0): the number is free for the system to
 * give to a stranger's group, which memwatch must never signal. */
static bool group_alive(app_target *t)
{
    if (t->pgid <= 0)
        return false;
    if (kill(-t->pgid, 0) == 0 || errno == EPERM)
        return true;
    if (errno == ESRCH)
        t->pgid = 0;
    return false;
}

void app_job_poll(app_target *t)
{
    if (!t->job)
        return;
    app_job_reap_adopted(t);
    group_alive(t);
}

static void signal_tree(const app_target *t, int sig)
{
    if (t->pgid > 0) {
        kill(-t->pgid, sig);
        kill(-t->pgid, SIGCONT); /* a stopped member acts on SIGTERM only once continued */
    } else if (!t->reaped) {
        kill(t->pid, sig); /* the demo: a fork of memwatch, in memwatch's group */
    }
}

/* Wait until the command is reaped and its group is empty, or the deadline. */
static bool wait_tree(app_target *t, int64_t deadline)
{
    for (;;) {
        app_target_reap(t); /* and the adopted orphans (app_job_poll) */
        if (t->reaped && !group_alive(t))
            return true;
        if (mw__now_ns() >= deadline)
            return false;
        nanosleep(&(struct timespec){0, 10 * 1000000}, NULL);
    }
}

void app_target_terminate(app_target *t, int grace_ms)
{
    if (!t->launched)
        return;
    t->ending = true;
    bool leader_ran = !t->reaped;
    if (leader_ran || group_alive(t)) {
        if (!leader_ran)
            fprintf(stderr, "memwatch: the command left processes in its process group: ending "
                            "them\n");
        t->signalled = leader_ran;
        signal_tree(t, SIGTERM);
        /* The grace is clock time, not a count of naps: on a loaded machine each nap runs long. */
        if (!wait_tree(t, mw__now_ns() + (int64_t)grace_ms * 1000000)) {
            signal_tree(t, SIGKILL);
            /* SIGKILL cannot be refused; what is still there after a second is not ours to
             * wait for (a zombie whose parent is outside the group). */
            wait_tree(t, mw__now_ns() + 1000000000LL);
        }
        while (!t->reaped) { /* the leader itself: its status is memwatch's exit status */
            int st;
            struct rusage ru;
            pid_t r = wait4(t->pid, &st, 0, &ru);
            if (r == t->pid)
                app_target_set_status(t, st, &ru);
            else if (r < 0 && errno != EINTR)
                t->reaped = t->gone = true; /* not our child any more: nothing to wait for */
        }
    }
    app_job_release_tty(t);
}

/* Name every process still running below memwatch after the command's group has ended: it left
 * the group (setsid, setpgid) and, as an orphan, was adopted here; or it hangs below one that
 * did. The walk is breadth first over a bounded list. */
void app_job_name_escapees(const app_target *t)
{
    enum { MAX = 256 };
    pid_t found[MAX];
    size_t n = 0, next = 0;
    pid_t parent = getpid();
    app_job_reap_adopted(t);
    for (;;) {
        int k = mw__probe_children(parent, found + n, MAX - n);
        if (k > 0)
            n += (size_t)k;
        if (next >= n)
            break;
        parent = found[next++];
    }
    for (size_t i = 0; i < n; i++) {
        mw_process_info info;
        if (found[i] == t->pid || mw_process_get_info(found[i], &info) != 0 ||
            info.state == 'Z' || info.state == 'X')
            continue;
        char name[4 * sizeof(info.name)];
        fprintf(stderr, "memwatch: PID %ld (%s) escaped the command's process group and is still "
                        "running\n", (long)found[i], mw__safe_text(name, sizeof(name), info.name));
    }
}
