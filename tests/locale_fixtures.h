/* SPDX-License-Identifier: MIT */
/* locale_fixtures.h — a real decimal-comma locale for unit tests, built with localedef when the system has none. */
#ifndef MW_LOCALE_FIXTURES_H
#define MW_LOCALE_FIXTURES_H

#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Why build one: a machine (or container) often has only C.UTF-8 installed, and a locale test
 * that skips there proves nothing. localedef (libc-bin, with the `locales` package's sources)
 * compiles de_DE.UTF-8 into a private directory, and glibc's setlocale reads LOCPATH on every
 * call. Sets LC_NUMERIC to a locale whose decimal point is ',' or skips the test saying why.
 * Criterion runs each test in its own process, so the setenv stays in this test. */
static void use_comma_locale(void)
{
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") && strcmp(localeconv()->decimal_point, ",") == 0)
        return;
    if (system("command -v localedef >/dev/null 2>&1") != 0)
        cr_skip_test("localedef is missing: cannot build a decimal-comma locale (install locales)");
    char dir[] = "/tmp/mw-locale-XXXXXX", cmd[256];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd), "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
    int rc = system(cmd);
    setenv("LOCPATH", dir, 1);
    bool ok = setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir); /* loaded: the mapping outlives the files */
    (void)system(cmd);
    cr_assert(ok, "localedef -i de_DE -f UTF-8 failed (status %d): is the locales package "
                  "installed?", rc);
    cr_assert_str_eq(localeconv()->decimal_point, ",", "de_DE's decimal point is a comma");
}

#endif
