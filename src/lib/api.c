typedef int mw__placeholder_api;
