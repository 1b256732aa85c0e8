typedef int mw__placeholder_demo;
