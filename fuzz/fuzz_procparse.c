/* SPDX-License-Identifier: MIT */
/* fuzz_procparse.c — libFuzzer harness for the /proc text parsers (status, stat, smaps_rollup, ...). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "procparse.h"

/* Seeds: fuzz/corpus/procparse (copies of tests/fixtures/proc; rollup-*.smaps_rollup hold the texts
 * of tests/rollup_fixtures.h and a hand-made one with huge values). Every input goes through
 * every parser: each must return a documented code, never read past size, and never crash. Build
 * and run (CI wiring lives elsewhere):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -Isrc/lib -Ibuild \
 *         fuzz/fuzz_procparse.c src/lib/procparse.c src/lib/units.c -o /tmp/fz && /tmp/fz fuzz/corpus/procparse */

/* A failed check must stop the fuzzer: a plain trap is reported as a crash with the input. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;

    mw_stats st;
    char state;
    int rc = mw__parse_status(buf, size, &st, &state);
    CHECK(rc == 0 || rc == MW_ENOPROC || rc == MW_EINVAL);
    if (rc == 0)
        CHECK(st.shared_size == st.file_size + st.shmem_size && st.nprocs == 1);

    mw__proc_stat ps;
    rc = mw__parse_stat(buf, size, &ps);
    CHECK(rc == 0 || rc == MW_EINVAL);
    if (rc == 0)
        CHECK(ps.comm[sizeof(ps.comm) - 1] == '\0' && ps.pid >= 0 && ps.ppid >= 0);

    mw__rollup r;
    rc = mw__parse_smaps_rollup(buf, size, &r);
    CHECK(rc == 0 || rc == MW_EINVAL);
    if (rc == 0)
        CHECK((r.have & MW_HAVE_PSS) && !(r.have & ~(unsigned)(MW_HAVE_PSS | MW_HAVE_PSS_PARTS |
                                                                MW_HAVE_USS | MW_HAVE_SWAP_PSS)));
    else
        CHECK(r.have == 0 && r.pss == 0 && r.uss == 0);
    /* A field without its bit is 0: callers may sum fields without looking at the bits. */
    CHECK((r.have & MW_HAVE_PSS_PARTS) || (r.pss_anon | r.pss_file | r.pss_shmem) == 0);
    CHECK((r.have & MW_HAVE_USS) || r.uss == 0);
    CHECK((r.have & MW_HAVE_SWAP_PSS) || r.swap_pss == 0);

    char line[64];
    size_t n = mw__join_cmdline(buf, size, line, sizeof(line));
    CHECK(n < sizeof(line) && line[n] == '\0');

    size_t pos = 0;
    int64_t pid;
    while ((rc = mw__next_pid(buf, size, &pos, &pid)) == 1)
        CHECK(pid > 0 && pos <= size);
    CHECK(rc == 0 || rc == MW_EINVAL);
    return 0;
}
