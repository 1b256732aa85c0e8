typedef int mw__placeholder_csv;
