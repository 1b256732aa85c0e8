/* SPDX-License-Identifier: MIT */
/* palette.h — which terminal colour each style gets, and the contrast rule that chooses them. */
#ifndef MW_PALETTE_H
#define MW_PALETTE_H

#include <stdbool.h>

#include "canvas.h"

/* No colour: the terminal's own default foreground (readable on its own background). */
enum { MW__COLOR_NONE = -1 };

/* The xterm colour index for style st: `many` is a terminal with 256 colours. Text styles get
 * a colour only when it reads at >= 4.5:1 (WCAG) on both a white and a black background; no
 * colour of the 8/16-colour palette does, so there they are drawn in the default foreground.
 * MW__COLOR_NONE for none. */
short mw__palette_color(mw__style st, bool many);

/* True for styles that ever colour letters (labels, figures, messages), not only chart bars. */
bool mw__palette_is_text(mw__style st);

#endif
