typedef int mw__placeholder_options;
