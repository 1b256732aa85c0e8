typedef int mw__placeholder_capture;
