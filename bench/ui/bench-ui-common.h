/* bench-ui-common.h — what the window benchmarks (scenarios 1-3) share:
 * running the main loop, finding widgets, waiting for a painted frame and
 * printing the renderer and toolkit versions really used. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Runs every pending main-loop source, @rounds times over. */
void        bench_ui_spin        (guint rounds);

/* Runs the main loop for @ms milliseconds (sleeping in poll when idle). */
void        bench_ui_run_for     (guint ms);

/* The first widget of @type at or under @root, depth first. */
GtkWidget  *bench_ui_find_by_type (GtkWidget *root,
                                   GType      type);

/* Returns TRUE once what a benchmark waits for is on screen. */
typedef gboolean (*BenchUiPainted) (gpointer data);

/* Runs the main loop until the first after-paint of @widget's frame clock at
 * which @painted (NULL: always) returns TRUE, and returns the monotonic time
 * of that after-paint in µs; -1 after @timeout_ms. */
gint64      bench_ui_wait_painted (GtkWidget      *widget,
                                   BenchUiPainted  painted,
                                   gpointer        data,
                                   guint           timeout_ms);

/* "BENCH <scenario> renderer <type>" and the GTK and libadwaita versions. */
void        bench_ui_print_toolkit (const char *scenario,
                                    GtkWidget  *window);

/* A registered, non-unique AdwApplication (nothing is activated). */
AdwApplication *bench_ui_app_new (const char *id);

G_END_DECLS
