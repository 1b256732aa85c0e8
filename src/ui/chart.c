typedef int mw__placeholder_chart;
