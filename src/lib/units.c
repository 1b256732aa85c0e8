typedef int mw__placeholder_units;
