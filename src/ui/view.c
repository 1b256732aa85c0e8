typedef int mw__placeholder_view;
