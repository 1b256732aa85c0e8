typedef int mw__placeholder_watcher;
