typedef int mw__placeholder_session;
