/* SPDX-License-Identifier: MIT */
/* bench_record.c — row 3: CPU per sample at the margin: memwatch --no-tui -o vs top, pidstat and the floor. */
#include "config.h"

#include <fcntl.h>
#include <sys/resource.h>

#include "bench.h"

/* Usage: bench_record MEMWATCH TMPDIR
 * Every tool runs twice at once, long and short, on the same target; CPU per sample is
 * (cpu_long - cpu_short) / (samples_long - samples_short), so start-up and exit do not count.
 * All eight processes of a repetition run side by side; the median of REPS repetitions is shown.
 * CPU comes from wait4 (utime + stime of the child, which the kernel keeps to the nanosecond). */

#define REPS 5
#define HZ 50
#define LONG_S 10
#define SHORT_S 2

enum { FLOOR, MEMWATCH, TOP, PIDSTAT, NTOOLS };
static const char *const tool_name[NTOOLS] = {"floor", "memwatch", "top", "pidstat"};

typedef struct job {
    pid_t pid;
    double cpu_us;
    int status;
    long samples;
} job;

/* The floor: what any sampler at this rate must pay: an absolute-deadline sleep plus a raw
 * pread of the kept status file. Runs in a forked child so wait4 measures it like the peers. */
static void floor_loop(pid_t target, long count)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%ld/status", (long)target);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        _exit(1);
    _exit(bench_floor_loop(fd, bench_mono_ns(), 1000000000LL / HZ, count) < 0 ? 1 : 0);
}

static long count_lines(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    long n = 0;
    while (fgets(line, sizeof(line), f))
        if (!needle || strstr(line, needle))
            n++;
    fclose(f);
    return n;
}

/* Start the long (i = 0) or short (i = 1) run of tool t; fills j->samples where known now. */
static void start(int t, int i, job *j, const char *memwatch, const char *dir, pid_t target,
                  char out[][512])
{
    int secs = i == 0 ? LONG_S : SHORT_S;
    char pidstr[16], n[16], dur[16];
    snprintf(pidstr, sizeof(pidstr), "%ld", (long)target);
    snprintf(out[t * 2 + i], 512, "%s/rec-%s-%d.out", dir, tool_name[t], i);
    char *o = out[t * 2 + i];
    switch (t) {
    case FLOOR:
        j->samples = (long)secs * HZ;
        if ((j->pid = fork()) == 0)
            floor_loop(target, j->samples);
        break;
    case MEMWATCH: {
        char csv[600];
        snprintf(csv, sizeof(csv), "%.500s.csv", o);
        unlink(csv);
        snprintf(dur, sizeof(dur), "%ds", secs);
        char *argv[] = {(char *)memwatch, "--no-tui", "-o", csv, "-i", "20ms", "-t", dur,
                        pidstr, NULL};
        j->pid = bench_spawn(argv, o);
        break;
    }
    case TOP:
        j->samples = (long)secs * HZ;
        snprintf(n, sizeof(n), "%ld", j->samples);
        j->pid = bench_spawn((char *[]){"top", "-b", "-d", "0.02", "-n", n, "-p", pidstr, NULL}, o);
        break;
    default: /* pidstat's shortest interval is 1 s: it is measured at its own rate */
        snprintf(n, sizeof(n), "%d", secs);
        j->pid = bench_spawn((char *[]){"pidstat", "-r", "-p", pidstr, "1", n, NULL}, o);
        break;
    }
}

/* After the run: samples actually taken, where only the output tells. */
static void count(int t, int i, job *j, char out[][512], pid_t target)
{
    char buf[600 + 512], pidcol[32];
    if (t == MEMWATCH) {
        snprintf(buf, sizeof(buf), "%s.csv", out[t * 2 + i]);
        j->samples = count_lines(buf, NULL) - 1; /* minus the header */
        unlink(buf);
    } else if (t == PIDSTAT) {
        snprintf(pidcol, sizeof(pidcol), " %ld ", (long)target);
        j->samples = count_lines(out[t * 2 + i], pidcol) - 1; /* minus the Average line */
    }
    unlink(out[t * 2 + i]);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_record MEMWATCH TMPDIR\n");
        return 2;
    }
    pid_t target = bench_spawn_target(64);
    double per[NTOOLS][REPS];
    char out[NTOOLS * 2][512];
    bool failed[NTOOLS] = {false};
    for (int r = 0; r < REPS; r++) {
        job jobs[NTOOLS][2];
        memset(jobs, 0, sizeof(jobs));
        for (int t = 0; t < NTOOLS; t++)
            for (int i = 0; i < 2; i++)
                start(t, i, &jobs[t][i], argv[1], argv[2], target, out);
        for (int t = 0; t < NTOOLS; t++)
            for (int i = 0; i < 2; i++) {
                job *j = &jobs[t][i];
                struct rusage ru;
                while (wait4(j->pid, &j->status, 0, &ru) < 0 && errno == EINTR) {
                }
                j->cpu_us = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
                            (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;
                count(t, i, j, out, target);
                if (!WIFEXITED(j->status) || WEXITSTATUS(j->status) != 0)
                    failed[t] = true;
            }
        for (int t = 0; t < NTOOLS; t++) {
            long dn = jobs[t][0].samples - jobs[t][1].samples;
            per[t][r] = dn > 0 ? (jobs[t][0].cpu_us - jobs[t][1].cpu_us) / (double)dn : 0.0;
            fprintf(stderr, "bench_record: rep %d %-8s long %ld samples %.0f us, short %ld samples %.0f us\n",
                    r, tool_name[t], jobs[t][0].samples, jobs[t][0].cpu_us, jobs[t][1].samples,
                    jobs[t][1].cpu_us);
        }
    }
    bench_kill(target);

    double ratio = bench_median_ratio(per[MEMWATCH], per[FLOOR], REPS);
    double med[NTOOLS];
    for (int t = 0; t < NTOOLS; t++)
        med[t] = bench_median(per[t], REPS);
    char m[96], b[96], q[64];
    snprintf(b, sizeof(b), "%.1f us (floor: sleep + pread)", med[FLOOR]);
    snprintf(m, sizeof(m), "%.1f us CPU/sample", med[MEMWATCH]);
    snprintf(q, sizeof(q), "%.2fx", ratio);
    bench_row("3a", "recording at 50 Hz: memwatch --no-tui -o -i 20ms", failed[MEMWATCH] ? "failed" : m,
              b, q, "<= 1.25x", !failed[MEMWATCH] && ratio <= 1.25 ? "PASS" : "MISS");
    snprintf(m, sizeof(m), "%.1f us CPU/sample", med[TOP]);
    snprintf(b, sizeof(b), "%.1f us (memwatch)", med[MEMWATCH]);
    snprintf(q, sizeof(q), "memwatch %.2fx", med[MEMWATCH] / med[TOP]);
    bench_row("3b", "peer at 50 Hz: top -b -d 0.02 -p PID", failed[TOP] ? "failed" : m, b, q,
              "report", "info");
    snprintf(m, sizeof(m), "%.1f us CPU/sample", med[PIDSTAT]);
    snprintf(q, sizeof(q), "memwatch %.2fx", med[MEMWATCH] / med[PIDSTAT]);
    bench_row("3c", "peer at 1 Hz (its minimum): pidstat -r -p PID 1", failed[PIDSTAT] ? "failed" : m,
              b, q, "report", "info");
    return 0;
}
