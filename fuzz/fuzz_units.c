/* SPDX-License-Identifier: MIT */
/* fuzz_units.c — libFuzzer harness: the duration and size parsers take any text; the formatters take what they return. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char in[256], out[64];
    uint64_t v;
    if (size >= sizeof(in))
        return 0; /* option values are short; longer input adds nothing */
    memcpy(in, data, size);
    in[size] = '\0';
    if (mw__parse_duration_ms(in, &v) == 0) {
        mw__format_interval(out, sizeof(out), v);
        if (!memchr(out, '\0', sizeof(out)))
            abort();
    }
    if (mw__parse_size(in, &v) == 0) {
        mw__format_bytes(out, sizeof(out), v);
        mw__format_bytes_signed(out, sizeof(out), (int64_t)(v >> 1));
        mw__format_bytes_signed(out, 8, -(int64_t)(v >> 1)); /* a short buffer must stay safe */
        if (!memchr(out, '\0', sizeof(out)))
            abort();
    }
    return 0;
}
