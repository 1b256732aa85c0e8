typedef int mw__placeholder_tui;
