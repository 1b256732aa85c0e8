/* SPDX-License-Identifier: MIT */
/* jsonstr.h — one JSON string escaper (RFC 8259) for every JSON memwatch writes. */
#ifndef MW_JSONSTR_H
#define MW_JSONSTR_H

#include <stddef.h>

/* s as a JSON string at p, quotes included: '"' and '\\' escaped, control characters as \n, \t,
 * ... or \u00XX, valid UTF-8 copied as it is, and each byte that is not valid UTF-8 (stray,
 * overlong, a surrogate, cut short, above U+10FFFF) as \ufffd — so the output is always valid
 * UTF-8 JSON, whatever bytes a label or a command argument held. Returns the end; writes exactly
 * mw__json_string_len(s) bytes (no NUL). */
char *mw__json_put_string(char *p, const char *s);
size_t mw__json_string_len(const char *s);

#endif
