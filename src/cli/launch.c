typedef int mw__placeholder_launch;
