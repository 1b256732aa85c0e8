typedef int mw__placeholder_keys;
