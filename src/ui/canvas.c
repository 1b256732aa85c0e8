typedef int mw__placeholder_canvas;
