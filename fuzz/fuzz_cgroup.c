/* SPDX-License-Identifier: MIT */
/* fuzz_cgroup.c — libFuzzer harness for the cgroup parsers: mountinfo, values, v1/v2 memory.stat, events, oom_control. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cgroup.h"

/* Seeds: fuzz/corpus/cgroup. The first byte picks the parser (its value mod 6), the rest is the
 * text. Each parse must leave only the bits of known figures set, a figure without its bit at
 * 0, and mount points as NUL-terminated strings. Build and run: fuzz/run.sh. */

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

#define ALL_BITS ((MW__CG_UNDER_OOM << 1) - 1u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_sample(const mw__cgroup_sample *s)
{
    CHECK((s->have & ~ALL_BITS) == 0);
    CHECK((s->have & MW__CG_ANON) || s->anon == 0);
    CHECK((s->have & MW__CG_KERNEL) || s->kernel == 0);
    CHECK((s->have & MW__CG_OOM_KILL) || s->oom_kill == 0);
    CHECK(s->under_oom == 0 || s->under_oom == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    mw__cgroup_sample s;
    memset(&s, 0, sizeof(s));
    switch (data[0] % 6) {
    case 0: {
        static mw__cg_mounts m;
        if (mw__cg_parse_mountinfo(text, len, &m) == 0) {
            CHECK(memchr(m.v1_memory, '\0', sizeof(m.v1_memory)) != NULL);
            CHECK(memchr(m.v2, '\0', sizeof(m.v2)) != NULL);
        }
        return 0;
    }
    case 1: {
        uint64_t v = 0;
        (void)mw__cg_parse_value(text, len, &v);
        return 0;
    }
    case 2: (void)mw__cg_parse_v2_stat(text, len, &s); break;
    case 3: (void)mw__cg_parse_v2_events(text, len, &s); break;
    case 4: (void)mw__cg_parse_v1_stat(text, len, &s); break;
    default: (void)mw__cg_parse_v1_oom(text, len, &s); break;
    }
    check_sample(&s);
    return 0;
}
