/* SPDX-License-Identifier: MIT */
/* mw-keytable.c — prints every key of the dashboard's key table, one name a line, for ship_docs.sh. */
#include "config.h"

#include <stdio.h>

#include "keys.h"

/* The names README.md and memwatch.1 use: printable keys as themselves, the rest spelled out. */
static void print_key(mw__key k)
{
    static const struct {
        mw__key key;
        const char *name;
    } names[] = {
        {' ', "space"}, {MW__KEY_LEFT, "Left"}, {MW__KEY_RIGHT, "Right"}, {MW__KEY_HOME, "Home"},
        {MW__KEY_END, "End"}, {MW__KEY_ESC, "Esc"}, {MW__KEY_CTRL_C, "Ctrl-C"},
        {MW__KEY_F1, "F1"}, {MW__KEY_F10, "F10"}, {MW__KEY_UP, "Up"}, {MW__KEY_DOWN, "Down"},
        {MW__KEY_PGUP, "PgUp"}, {MW__KEY_PGDN, "PgDn"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].key == k) {
            puts(names[i].name);
            return;
        }
    if (k > ' ' && k < 0x7f)
        printf("%c\n", (char)k);
    else
        printf("key-%d\n", (int)k); /* unnamed: the docs cannot match it, so the test says so */
}

int main(void)
{
    for (int i = 0; i < mw__keytab_n; i++)
        for (int j = 0; j < MW__KEYROW_BINDS && mw__keytab[i].bind[j].key; j++)
            print_key(mw__keytab[i].bind[j].key);
    return 0;
}
