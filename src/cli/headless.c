typedef int mw__placeholder_headless;
